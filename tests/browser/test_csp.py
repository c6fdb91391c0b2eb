"""What people type is drawn as text by the pages' scripts, and the pages run under a strict
Content-Security-Policy without a violation.

Markup is planted in every user-editable field a script draws (a grid's name: map tooltips on the
village and grid pages, the counts chart's labels and tooltip, the htmx search results; an event's
title and address: the events map's popup), then each page is opened, hovered and clicked until the
tooltips and popups show. Each check runs twice: with the CSP bypassed, so the scripts alone must
keep the markup text (the test fails on a tooltip given an HTML string even where no CSP would stop
the handler), and under the CSP, which must then report no violation at all.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import csp_violations, event_marker_point, login, visit, watch_csp

VILLAGE = "220102001001"
GRID = "220102001001001"  # the demo grid worker's grid, in the community worker's village
MARK = '<img src=x onerror="window.__xss=(window.__xss||0)+1"><b>x</b>'
LITERAL = '<img src=x onerror="window.__xss'


@pytest.fixture
def planted(live_server):
    """The grid named, and an open event of the village titled, with markup; the old values back afterwards."""
    from sqlalchemy import select

    from linli.areas.models import Area
    from linli.db.session import unit_of_work
    from linli.events.models import Event
    from linli.events.workflow import OPEN_STATES
    from linli.kit.codes import subtree_range

    low, high = subtree_range(VILLAGE)
    with unit_of_work(live_server.session_factory) as session:
        grid = session.get(Area, GRID)
        event = session.scalar(
            select(Event)
            .where(Event.area_code >= low, Event.area_code < high, Event.state.in_(OPEN_STATES))
            .order_by(Event.id)
            .limit(1)
        )
        assert event is not None, "the demo has no open event in the community worker's village"
        old = grid.name, event.title, event.address
        grid.name = "网格" + MARK
        event.title, event.address = MARK, MARK
        event_id = event.id
    try:
        yield {"event": event_id}
    finally:
        with unit_of_work(live_server.session_factory) as session:
            grid, event = session.get(Area, GRID), session.get(Event, event_id)
            grid.name, event.title, event.address = old


def _layer_point(page, map_id: str, script: str, arg) -> tuple[float, float]:
    """The page coordinates of a map layer found by `script` (returns the layer's LatLng)."""
    page.locator(f"#{map_id}").scroll_into_view_if_needed()
    x, y = page.evaluate(
        f"""arg => {{
          const map = document.getElementById('{map_id}').linliMap;
          let found = null;
          map.eachLayer(l => {{ if (!found && l.feature && ({script})(l.feature.properties, arg)) found = l; }});
          if (!found) return null;
          const ll = found.getCenter ? found.getCenter() : found.getLatLng();
          map.setView(ll, map.getZoom(), {{animate: false}});
          const p = map.latLngToContainerPoint(ll);
          return [p.x, p.y];
        }}""",
        arg,
    ) or pytest.fail(f"no layer on #{map_id} for {arg}", pytrace=False)
    box = page.locator(f"#{map_id}").bounding_box()
    return box["x"] + x, box["y"] + y


def _hover(page, x: float, y: float) -> None:
    page.mouse.move(x - 3, y - 3)
    page.mouse.move(x, y, steps=3)


def _text_problems(page, selector: str, what: str) -> list[str]:
    """Whether the node shows the planted markup as text (and holds none of it as elements)."""
    node = page.locator(selector).last
    node.wait_for(state="visible")
    shown = node.inner_html()
    problems = []
    if LITERAL not in node.text_content():
        problems.append(f"{what}: the markup is not shown as text: {shown!r}")
    if node.locator("img, b").count():
        problems.append(f"{what}: the markup became elements: {shown!r}")
    return problems


def _inert_problems(page, what: str, csp: bool) -> list[str]:
    """Whether the planted handler ran or its element exists anywhere, and the CSP's complaints."""
    problems = []
    if page.evaluate("() => window.__xss") is not None:
        problems.append(f"{what}: the planted onerror handler ran")
    if page.locator("img[src='x']").count():
        problems.append(f"{what}: the planted <img> is in the page")
    if csp:
        problems += [f"{what}: CSP violation: {v}" for v in csp_violations(page)]
    return problems


@pytest.mark.parametrize("csp", [False, True], ids=["scripts-alone", "under-csp"])
def test_typed_markup_is_drawn_as_text(new_context, live_server, planted, csp):
    problems: list[str] = []  # all pages are checked, and every problem reported
    ctx = new_context(bypass_csp=not csp)
    if csp:
        watch_csp(ctx)
    page = ctx.new_page()
    login(page, live_server, "community")

    # The village's map: the grid's name in its tooltip; the name search (an htmx fragment).
    resp = visit(page, f"/areas/{VILLAGE}")
    assert "content-security-policy" in resp.headers  # sent either way; bypass_csp makes Chromium ignore it
    _hover(page, *_layer_point(page, "map", "(p, code) => p.code === code", GRID))
    problems += _text_problems(page, "#map .leaflet-tooltip", "village map tooltip")
    page.fill("#q", "onerror")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("#search-results a")
    problems += _text_problems(page, "#search-results", "name search results")
    problems += _inert_problems(page, "village page", csp)

    # The counts chart: the grid's name is an axis label (canvas text) and heads the tooltip.
    visit(page, f"/areas/{VILLAGE}/events/counts")
    point = page.evaluate(
        """name => {
          const el = document.getElementById('counts-chart');
          el.scrollIntoView();
          const chart = echarts.getInstanceByDom(el);
          const x = chart.convertToPixel({xAxisIndex: 0}, name);
          const box = el.getBoundingClientRect();
          return [box.left + x, box.top + box.height / 2];
        }""",
        "网格" + MARK,
    )
    _hover(page, *point)
    # The chart draws on a canvas; the only text in its box is the tooltip, however ECharts builds it.
    page.wait_for_function("() => document.getElementById('counts-chart').textContent.trim() !== ''")
    problems += _text_problems(page, "#counts-chart", "counts chart tooltip")
    problems += _inert_problems(page, "counts page", csp)

    # The events map: the event's tooltip, and its popup with the title.
    visit(page, f"/areas/{VILLAGE}/events/map")
    x, y = event_marker_point(page, planted["event"])
    _hover(page, x, y)
    page.wait_for_selector("#events-map .leaflet-tooltip")
    page.mouse.click(x, y)
    # The popup fetches the title when it opens (the map's points carry none).
    titled = "() => document.querySelector('#events-map .leaflet-popup-content a').textContent.includes(' ')"
    page.wait_for_function(titled)
    problems += _text_problems(page, "#events-map .leaflet-popup-content", "events map popup")
    problems += _inert_problems(page, "events map", csp)

    # The grid worker's grid page: the grid on the map, its name in the tooltip.
    page = ctx.new_page()
    page.context.clear_cookies()
    login(page, live_server, "gridworker")
    visit(page, f"/grids/{GRID}")
    _hover(page, *_layer_point(page, "map", "(p, code) => p.code === code", GRID))
    problems += _text_problems(page, "#map .leaflet-tooltip", "grid page map tooltip")
    problems += _inert_problems(page, "grid page", csp)
    assert not problems, "\n".join(problems)
