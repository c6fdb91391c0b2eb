"""Events in the browser, as the people who use them: a community worker dispatches a registered event by
choosing the unit in the picker (desktop); a resident on a phone, filling in the report form, is shown the
open report next to the point and says "me too" instead of filing it again."""

from __future__ import annotations

import json

from shapely.geometry import Point, shape
from sqlalchemy import select

from tests.browser.helpers import PHONE, screenshot, settle, visit

GRID = "220102001001001"  # the demo grid of the grid worker and the resident's community
UNIT = "浏览器测试维修队"


def _principal(session, username: str):
    from linli.accounts import repository as accounts
    from linli.authz.models import Grant
    from linli.authz.principal import principal_for
    from linli.kit.codes import unpad

    user = accounts.by_username(session, username)
    grants = session.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user.id)).all()
    return principal_for(user.id, user.username, [(r, unpad(a)) for r, a in grants])


def _point_in_grid(session, metres_east: float) -> tuple[float, float]:
    """A point of the demo grid about `metres_east` from its representative point (inside its polygon)."""
    from linli.areas.models import Area

    grid = session.get(Area, GRID)
    polygon = shape(json.loads(session.scalar(select(Area.boundary).where(Area.code == GRID))))
    for step in (1.0, 0.5, 0.25, 0.1):
        lon = grid.rep_lon + step * metres_east / 80_000
        if polygon.contains(Point(lon, grid.rep_lat)):
            return round(lon, 6), grid.rep_lat
    return grid.rep_lon, grid.rep_lat


def _report(live_server, who: str, title: str, metres_east: float, *, register: bool = False) -> int:
    from linli.db.session import unit_of_work
    from linli.events import reporting, service
    from linli.events.schemas import ReportIn, TransitionIn

    with unit_of_work(live_server.session_factory) as session:
        lon, lat = _point_in_grid(session, metres_east)
        actor = _principal(session, who)
        body = ReportIn(category_code="0301", title=title, lon=lon, lat=lat)
        event = reporting.report(session, actor, body, source="web").event
        if register:
            service.transition(session, _principal(session, "community"), event.id, TransitionIn(action="register"))
        return event.id


def _event(live_server, event_id: int):
    from linli.db.session import unit_of_work
    from linli.events.models import Event

    with unit_of_work(live_server.session_factory, writes=False) as session:
        return session.get(Event, event_id)


def _test_unit(live_server) -> int:
    """A unit of the street whose name the worker types into the picker's search (made once)."""
    from linli.authz.principal import system_principal
    from linli.db.session import unit_of_work
    from linli.events.catalog import create_unit
    from linli.events.models import HandlingUnit
    from linli.events.schemas import UnitIn

    with unit_of_work(live_server.session_factory) as session:
        found = session.scalar(select(HandlingUnit.id).where(HandlingUnit.name == UNIT))
        if found is not None:
            return found
        actor = system_principal("browser-tests")
        return create_unit(session, actor, UnitIn(name=UNIT, kind="street_department", area_code="220102001")).id


def test_a_community_worker_dispatches_with_the_unit_picker(new_context, live_server):
    unit = _test_unit(live_server)
    event_id = _report(live_server, "gridworker", "井盖松动（浏览器派遣测试）", 60, register=True)
    page = new_context(as_user="community").new_page()
    visit(page, f"/events/{event_id}")
    form = page.locator("#step-dispatch")
    assert form.locator("input[name=unit_id][inputmode]").count() == 0  # no typed id
    assert form.locator("input[type=radio][name=unit_id]").count() >= 2
    # Typing filters the list at once (the script); the unit's area is named, not coded.
    page.fill("#unit-q", "维修队")
    shown = form.locator("input[type=radio][name=unit_id]:visible")
    assert shown.count() == 1
    assert page.locator("#unit-count").inner_text().strip() == "符合的单位：1 个"
    group = form.locator(".unit-group:visible legend").inner_text()
    assert not any(ch.isdigit() for ch in group), group
    page.check(f"#step-dispatch input[name=unit_id][value='{unit}']")
    screenshot(page, "event-dispatch-picker-desktop")
    with page.expect_navigation():
        form.locator("button[type=submit]:not([form])").click()
    settle(page)
    assert "done=dispatch" in page.url
    event = _event(live_server, event_id)
    assert (event.state, event.unit_id) == ("dispatched", unit)
    assert UNIT in page.locator("dl.facts").inner_text()


def test_the_unit_search_works_without_scripts(new_context, live_server):
    _test_unit(live_server)
    event_id = _report(live_server, "gridworker", "路面破损（无脚本搜索测试）", 40, register=True)
    page = new_context(as_user="community", java_script_enabled=False).new_page()
    page.goto(f"/events/{event_id}")
    page.fill("#unit-q", "维修队")
    with page.expect_navigation():
        page.click("#step-dispatch button[form=unit-search]")
    assert "unit_q=" in page.url
    assert page.locator("#step-dispatch input[type=radio][name=unit_id]").count() == 1


def test_a_resident_on_a_phone_sees_the_report_nearby_and_says_me_too(new_context, live_server):
    event_id = _report(live_server, "gridworker", "楼道堆放杂物（浏览器附近测试）", 120)
    before = _event(live_server, event_id).me_too_count
    page = new_context(viewport=PHONE, as_user="resident").new_page()
    visit(page, "/")
    with page.expect_navigation():
        page.click("#report-link")
    settle(page)
    page.select_option("#category_code", "0301")
    page.fill("#title", "楼道里堆满了东西")
    from linli.db.session import unit_of_work

    with unit_of_work(live_server.session_factory, writes=False) as session:
        lon, lat = _point_in_grid(session, 120)
    page.fill("#lon", str(lon))
    page.fill("#lat", str(lat + 0.00005))  # about 5 m north of the report
    page.press("#lat", "Tab")  # the change fetches the open reports near the point
    item = page.locator(f"#nearby-{event_id}")
    item.wait_for()
    assert "楼道堆放杂物（浏览器附近测试）" in item.inner_text()
    assert "网格员" not in page.locator("#nearby-reports").inner_text()  # no staff names to a resident
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "event-report-nearby-phone")
    with page.expect_navigation():
        item.get_by_role("button").click()
    settle(page)
    assert f"/events/{event_id}" in page.url and "done=me_too" in page.url
    assert _event(live_server, event_id).me_too_count == before + 1
