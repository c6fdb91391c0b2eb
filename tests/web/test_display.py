"""Names, not codes: the display layer (linli.web.display) names areas for the pages."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import event

from linli.areas.repository import names_and_parents
from linli.web import display
from linli.web.templating import templates
from tests.factories import TOWN_A, VILLAGE_A


def _request(session):
    return SimpleNamespace(state=SimpleNamespace(db=session))


def _render(request, source: str) -> str:
    return templates.env.from_string(source).render(request=request)


def _names(session):
    return names_and_parents(session, [TOWN_A, VILLAGE_A])


def test_an_area_is_named_with_its_code_in_a_tooltip(areas):
    display.install(names_and_parents)
    town, village = (_names(areas)[c][0] for c in (TOWN_A, VILLAGE_A))
    source = f"{{{{ area_label('{TOWN_A}') }}}}|{{{{ area_label('{VILLAGE_A}', parent=True) }}}}"
    html = _render(_request(areas), source)
    assert html == (
        f'<span class="area-name" title="{TOWN_A}">{town}</span>|'
        f'<span class="area-name" title="{VILLAGE_A}">{town} · {village}</span>'
    )


def test_an_unknown_code_is_shown_as_it_is_and_nothing_as_a_dash(areas):
    display.install(names_and_parents)
    html = _render(_request(areas), "{{ area_label('229999<b>') }}|{{ area_label(none) }}|{{ area_label('') }}")
    assert html == "229999&lt;b&gt;|—|—"


def test_names_are_looked_up_once_per_request_and_code(areas):
    display.install(names_and_parents)
    statements = []
    listen = lambda *args: statements.append(args[2]) if args[2].startswith("SELECT") else None  # noqa: E731
    event.listen(areas.get_bind(), "before_cursor_execute", listen)
    try:
        request = _request(areas)
        display.prefetch(request, [VILLAGE_A, None, VILLAGE_A, TOWN_A])
        assert len(statements) == 2  # the codes, then their parents
        _render(request, "{% for _ in range(3) %}{{ area_label('" + VILLAGE_A + "', parent=True) }}{% endfor %}")
        assert len(statements) == 2  # all from the request's cache
        _render(_request(areas), "{{ area_label('" + VILLAGE_A + "') }}")
        assert len(statements) == 3  # another request looks again (a renamed area shows its new name)
    finally:
        event.remove(areas.get_bind(), "before_cursor_execute", listen)


def test_a_row_s_padded_code_is_named_like_the_area_s_own(areas):
    """A row stores its place padded to 15 characters (an alliance of a township: 220102001000000): the
    page names the township, with its own code in the tooltip, in one lookup with the unpadded code."""
    display.install(names_and_parents)
    town = _names(areas)[TOWN_A][0]
    padded = TOWN_A.ljust(15, "0")
    html = _render(_request(areas), f"{{{{ area_label('{padded}') }}}}|{{{{ area_label('{TOWN_A}') }}}}")
    label = f'<span class="area-name" title="{TOWN_A}">{town}</span>'
    assert html == f"{label}|{label}"


def test_amounts_of_money_are_grouped_in_thousands_and_exact():
    from decimal import Decimal

    from linli.web.templating import yuan

    assert yuan(Decimal("8779300")) == "8,779,300.00"
    assert yuan("0.5") == "0.50" and yuan(Decimal("1234.56")) == "1,234.56"
    assert yuan(None) == "" and yuan("") == ""
