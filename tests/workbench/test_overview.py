"""The officials' overview on the workbench: who gets one, its figures over their scope (events by state,
per child area open / overdue / rate / closed this month, warnings in force with confirmations, register
counts by tag), each a link; drilling into a child area; out of scope is 404; the workbench badge."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from linli.alerts import confirm
from linli.alerts import service as alerts_service
from linli.alerts.schemas import AreaIn, WarningIn
from linli.areas import grids
from linli.events.seed import seed_categories
from linli.kit.time import utcnow
from linli.workbench.overview import month_start, overview, overview_area
from tests.factories import SYSTEM, VILLAGE_A, auth, inside_point, make_user, principal, token_for
from tests.factories_events import report, step
from tests.factories_residents import GRID, GRID_B, SIBLING_GRID, make_grids, make_person

TOWNSHIP = "220102001"
VILLAGE_B = GRID_B[:12]


@pytest.fixture
def w(session):
    make_grids(session, SIBLING_GRID)
    seed_categories(session)
    u = {
        name: make_user(session, name, role, area)
        for name, role, area in [
            ("county", "official", "220102"),
            ("street", "official", TOWNSHIP),
            ("community", "community_worker", VILLAGE_A),
            ("gw1", "grid_worker", GRID),
            ("gw2", "grid_worker", GRID_B),
            ("sibling", "official", "220103"),
            ("resident", "resident", VILLAGE_A),
        ]
    }
    for name, grid in (("gw1", GRID), ("gw2", GRID_B)):
        grids.assign_worker(session, SYSTEM, grid, u[name].id, "worker")
    session.flush()
    p = {k: principal(v, (role, area)) for k, (v, role, area) in _grants(u).items()}
    lon, lat = inside_point("220102")
    return {"u": u, "p": p, "point": (lon + 0.001, lat + 0.001)}


def _grants(u):
    return {
        "county": (u["county"], "official", "220102"),
        "street": (u["street"], "official", TOWNSHIP),
        "community": (u["community"], "community_worker", VILLAGE_A),
        "gw1": (u["gw1"], "grid_worker", GRID),
        "gw2": (u["gw2"], "grid_worker", GRID_B),
        "sibling": (u["sibling"], "official", "220103"),
        "resident": (u["resident"], "resident", VILLAGE_A),
    }


def test_officials_at_a_township_or_above_get_an_overview_workers_do_not(w):
    p = w["p"]
    assert overview_area(p["county"]) == "220102"
    assert overview_area(p["street"]) == TOWNSHIP
    for who in ("community", "gw1", "resident"):
        assert overview_area(p[who]) is None, who
    # A grid worker's grant at a township is still a grid worker's.
    assert overview_area(principal(w["u"]["gw1"], ("grid_worker", TOWNSHIP))) is None


def _events(session, w):
    """Four reports in GRID: one registered and overdue, one closed this month, one closed last month."""
    p = w["p"]
    ids = [report(session, p["resident"], w["point"]).id for _ in range(4)]
    late = step(session, p["street"], ids[0], "register")
    return ids, late


def test_figures_by_child_area_over_the_readers_scope(session, w):
    from linli.events.models import Event

    ids, _ = _events(session, w)
    late = session.get(Event, ids[0])
    late.stage_deadline = utcnow() - timedelta(minutes=5)
    now = utcnow()
    session.get(Event, ids[1]).closed_at = now
    session.get(Event, ids[2]).closed_at = month_start(now) - timedelta(seconds=1)
    session.flush()

    ov = overview(session, w["p"]["county"], "220102")
    (t,) = [c for c in ov.children if c.code == TOWNSHIP]
    assert (t.name, t.open, t.overdue, t.overdue_rate, t.closed_this_month, t.drill) == (
        t.name,
        4,
        1,
        0.25,
        1,
        True,
    )
    assert t.name and t.name != TOWNSHIP
    assert ov.total.open == 4 and ov.total.closed_this_month == 1
    assert dict((s, n) for s, _label, n in ov.by_state) == {"reported": 3, "registered": 1}
    assert ov.parent is None  # the county official cannot go up to the city
    # The township's own overview: its villages; the street official may not go up to the county.
    street = overview(session, w["p"]["street"], TOWNSHIP)
    assert [c.code for c in street.children if c.open] == [VILLAGE_A] and street.parent is None
    assert overview(session, w["p"]["county"], TOWNSHIP).parent == "220102"
    # The sibling county's official sees none of it; asking for it is 404.
    from linli.kit.errors import NotFound

    with pytest.raises(NotFound):
        overview(session, w["p"]["sibling"], "220102")


def test_month_start_is_beijings():
    # 2026-12-31 17:00 UTC is already January 1st in Beijing.
    assert month_start(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert month_start(datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


def _warning(session):
    return alerts_service.issue(
        session,
        SYSTEM,
        WarningIn(
            sender_name="南关区应急管理局",
            agency_code="YJ",
            event_type="rainstorm",
            colour="yellow",
            description="暴雨",
            instruction="注意防范",
            areas=[AreaIn(area_desc="街道", area_codes=[TOWNSHIP])],
        ),
    )


def test_warnings_in_force_with_confirmations_and_tags(session, w):
    m = _warning(session)
    confirm.confirm(session, principal(w["u"]["gw1"], ("grid_worker", GRID)), m.identifier, "received")
    make_person(session, None, name="王奶奶", relation=None, grid=GRID, tags=("elderly_alone",))
    make_person(session, None, name="赵大爷", relation=None, grid=GRID_B, tags=("elderly_alone", "subsistence"))
    session.flush()
    ov = overview(session, w["p"]["street"], TOWNSHIP)
    (row,) = ov.warnings
    # Sent to gw1, gw2 and the community worker; gw1 confirmed.
    assert (row.identifier, row.confirmed, row.expected) == (m.identifier, 1, 3)
    tags = {tag: n for tag, _label, n in ov.tags}
    assert tags["elderly_alone"] == 2 and tags["subsistence"] == 1 and tags["veteran"] == 0
    # The village: one of the three workers (gw1 in its grid and the community worker).
    (v,) = overview(session, w["p"]["street"], VILLAGE_A).warnings
    assert (v.confirmed, v.expected) == (1, 2)


def test_pages_link_every_figure_and_drill_down(client, session, w):
    _events(session, w)
    _warning(session)
    tokens = {k: token_for(session, w["u"][k]) for k in ("county", "sibling", "gw1", "community")}
    session.commit()
    page = client.get("/", headers=auth(tokens["county"]))
    assert page.status_code == 200 and 'id="overview"' in page.text
    assert f'href="/areas/{TOWNSHIP}/overview"' in page.text  # the child's name drills down
    assert 'href="/areas/220102/events?overdue=1"' in page.text
    assert 'href="/areas/220102/events?state=reported"' in page.text
    assert "/warnings/" in page.text and 'href="/areas/220102/residents"' in page.text
    # The drill-down: the township's villages, and the way back up.
    down = client.get(f"/areas/{TOWNSHIP}/overview", headers=auth(tokens["county"]))
    assert down.status_code == 200
    assert f'href="/areas/{VILLAGE_A}/overview"' in down.text
    assert 'id="overview-up" href="/areas/220102/overview"' in down.text
    # A village's overview lists its grids, each linking to the grid page.
    village = client.get(f"/areas/{VILLAGE_A}/overview", headers=auth(tokens["county"]))
    assert f'href="/grids/{GRID}"' in village.text
    # Out of scope: the same answer as an unknown area.
    assert client.get(f"/areas/{TOWNSHIP}/overview", headers=auth(tokens["sibling"])).status_code == 404
    assert client.get("/areas/220102/overview", headers=auth(tokens["gw1"])).status_code == 404
    # Workers keep the to-dos alone.
    assert 'id="overview"' not in client.get("/", headers=auth(tokens["community"])).text


def badge(html: str, href: str) -> str | None:
    m = re.search(rf'href="{re.escape(href)}"[^>]*>[^<]*<span class="badge">(\d+)<span class="sr-only"> ([^<]+)<', html)
    return m and f"{m.group(1)} {m.group(2)}"


def test_the_workbench_link_counts_what_waits(client, session, w):
    ids, _ = _events(session, w)  # 3 reports to register, 1 to dispatch (for the community worker)
    tokens = {k: token_for(session, w["u"][k]) for k in ("community", "resident")}
    session.commit()
    english = {"Cookie": "linli_lang=en"}
    page = client.get("/inbox", headers=auth(tokens["community"]) | english)
    assert badge(page.text, "/") == "4 waiting"
    # On the workbench itself, the same count (gathered once for the page and its menu).
    assert badge(client.get("/", headers=auth(tokens["community"]) | english).text, "/") == "4 waiting"
    # A resident's home link has no badge.
    assert badge(client.get("/inbox", headers=auth(tokens["resident"])).text, "/") is None
