"""Road and lane chiefs: appointing within one's places only, patrols by a chief of the road only (a finding
reported as a grid event the way a grid worker reports), the workbench's count of open events on the roads
covered, the figures by area."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.chiefs import reads, service, todo
from linli.chiefs.models import Appointment, Coverage, Patrol, Road
from linli.chiefs.schemas import EndIn, FindingEventIn, PatrolIn, RoadIn
from linli.events.models import Event
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import TOWN_A, VILLAGE_A
from tests.factories_chiefs import appoint, chiefs_world
from tests.factories_events import GRID, SIBLING_GRID, report


@pytest.fixture
def w(session):
    world = chiefs_world(session)
    session.commit()
    return world


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_appointment_to_a_grid_outside_the_appointers_places_is_refused_and_nothing_written(session, w):
    cw = w["p"]["community"]  # community worker of 220102001001
    with pytest.raises(NotFound, match="does not exist"):
        appoint(session, cw, username="gw1", grids=[GRID, SIBLING_GRID])
    with pytest.raises(NotFound, match="does not exist"):
        appoint(session, cw, username="gw1", road_ids=[w["far_road"].id])
    assert _count(session, Appointment) == 0 and _count(session, Coverage) == 0
    # The street official may reach the grid, but it lies outside the community the chief is appointed in.
    with pytest.raises(InvalidInput, match="not inside the place"):
        appoint(session, w["p"]["county"], area="220102001002", username="gw1", grids=[GRID])
    with pytest.raises(InvalidInput, match="may not patrol"):  # the lane lies in the community, beyond gw1's grid
        appoint(session, cw, username="gw1", grids=[GRID], road_ids=[w["lane"].id])
    a = appoint(session, cw, username="gw1", grids=[GRID])
    assert (a.status, a.name, a.area_code[:12]) == ("active", "Gw1", VILLAGE_A)


def test_a_chief_with_an_account_must_already_patrol_there_and_a_named_chief_needs_a_name(session, w):
    cw = w["p"]["community"]
    with pytest.raises(InvalidInput, match="may not patrol"):
        appoint(session, cw, username="resident1", grids=[GRID])
    with pytest.raises(NotFound, match="does not exist"):
        appoint(session, cw, username="sib1", grids=[GRID])  # an account beyond the appointer's places
    with pytest.raises(InvalidInput, match="account or their name"):
        appoint(session, cw, username=None, grids=[GRID])
    with pytest.raises(InvalidInput, match="grids or roads"):
        appoint(session, cw, username="gw1")
    named = appoint(session, cw, username=None, name="李建国", unit="街道城建办", road_ids=[w["road"].id])
    assert (named.user_id, named.name, named.unit) == (None, "李建国", "街道城建办")


def test_a_patrol_by_someone_not_a_chief_of_the_road_is_refused(session, w):
    cw = w["p"]["community"]
    appoint(session, cw, username="gw1", road_ids=[w["road"].id])
    body = PatrolIn(road_id=w["road"].id, route="全程", findings="整洁")
    with pytest.raises(Forbidden, match="only a chief of 华阳街"):
        service.patrol(session, cw, body)  # may patrol, but is not this road's chief
    with pytest.raises(Forbidden, match="only a chief of 华阳路"):
        service.patrol(session, w["p"]["gridworker"], PatrolIn(road_id=w["road2"].id))  # a chief, of another road
    with pytest.raises(NotFound):
        service.patrol(session, w["p"]["gridworker"], PatrolIn(road_id=w["far_road"].id))
    assert _count(session, Patrol) == 0
    other = appoint(session, cw, username=None, name="李建国", grids=[GRID])
    with pytest.raises(Forbidden):  # recorded under another chief's appointment
        service.patrol(session, w["p"]["gridworker"], body, appointment_id=other.id)
    p = service.patrol(session, w["p"]["gridworker"], body)
    assert (p.road_id, p.area_code[:15], p.event_id) == (w["road"].id, GRID, None)


def test_covering_a_grid_makes_one_chief_of_its_roads_and_an_ended_appointment_of_none(session, w):
    a = appoint(session, w["p"]["community"], username="gw1", grids=[GRID])
    gw = w["p"]["gridworker"]
    service.patrol(session, gw, PatrolIn(road_id=w["road"].id))
    with pytest.raises(InvalidInput, match="between the appointment"):
        service.patrol(session, gw, PatrolIn(road_id=w["road"].id, patrolled_on=service.today() + timedelta(days=1)))
    service.end(session, w["p"]["community"], a.id, EndIn())
    with pytest.raises(Conflict):
        service.end(session, w["p"]["community"], a.id, EndIn())
    with pytest.raises(Forbidden):
        service.patrol(session, gw, PatrolIn(road_id=w["road"].id))


def test_a_finding_is_reported_as_a_grid_event_and_a_bad_one_loses_the_patrol_too(session, w):
    appoint(session, w["p"]["community"], username="gw1", road_ids=[w["road"].id])
    gw = w["p"]["gridworker"]
    lon, lat = w["point"]
    finding = FindingEventIn(category_code="0103", title="井盖缺损", lon=lon, lat=lat)
    with pytest.raises(InvalidInput, match="say what was found"):
        service.patrol(session, gw, PatrolIn(road_id=w["road"].id, event=finding))
    slon, slat = w["sibling_point"]
    outside = FindingEventIn(category_code="0103", title="井盖缺损", lon=slon, lat=slat)
    with session.begin_nested(), pytest.raises(InvalidInput, match="no area served here"):
        service.patrol(session, gw, PatrolIn(road_id=w["road"].id, findings="井盖缺损", event=outside))
    assert _count(session, Patrol) == 0 and _count(session, Event) == 0
    p = service.patrol(session, gw, PatrolIn(road_id=w["road"].id, findings="井盖缺损一处", event=finding))
    event = session.get(Event, p.event_id)
    assert (event.source, event.area_code, event.reporter_id) == ("chief_patrol", GRID, w["people"]["gridworker"].id)


def test_the_workbench_counts_open_events_in_the_places_a_chief_covers(session, w):
    gw = w["p"]["gridworker"]
    assert todo.todos(session, gw) == []
    a = appoint(session, w["p"]["community"], username="gw1", road_ids=[w["road"].id])
    report(session, w["p"]["resident"], w["point"])
    report(session, w["p"]["resident"], w["point"], title="占道经营")
    report(session, w["p"]["sibling"], w["sibling_point"])  # another county: not counted
    [item] = todo.todos(session, gw)
    assert (item.count, item.href) == (2, f"/chiefs/{a.id}")
    # The chief reads their own appointment (made in the community, beyond their grid) and its events.
    own, covers = reads.appointment(session, gw, a.id)
    assert own.id == a.id and len(reads.open_events(session, gw, covers)) == 2
    with pytest.raises(NotFound):
        reads.appointment(session, w["p"]["sibling"], a.id)
    assert todo.todos(session, w["p"]["community"]) == []  # not a chief


def test_roads_refuse_a_bad_line_a_duplicate_name_and_a_place_above_a_community(session, w):
    cw = w["p"]["community"]
    with pytest.raises(InvalidInput, match="LineString"):
        point = {"type": "Point", "coordinates": [1, 2]}
        service.create_road(session, cw, RoadIn(area_code=GRID, name="新路", line=point))
    with pytest.raises(Conflict, match="already a road"):
        service.create_road(session, cw, RoadIn(area_code=GRID, name="华阳街"))
    with pytest.raises(InvalidInput, match="a road lies in a community"):
        service.create_road(session, w["p"]["street"], RoadIn(area_code=TOWN_A, name="新路"))
    line = {"type": "LineString", "coordinates": [[125.3, 43.8], [125.31, 43.81]]}
    road = service.create_road(session, cw, RoadIn(area_code=GRID, name="新路", line=line))
    assert session.get(Road, road.id).line.startswith('{"type": "LineString"')


def test_figures_by_child_area(session, w):
    cw = w["p"]["community"]
    appoint(session, cw, username="gw1", road_ids=[w["road"].id])
    appoint(session, cw, username=None, name="李建国", level="lane", road_ids=[w["lane"].id])
    service.patrol(session, w["p"]["gridworker"], PatrolIn(road_id=w["road"].id))
    rows, total = reads.counts(session, w["p"]["county"], TOWN_A)
    assert [(r.code, r.levels["road"], r.levels["lane"], r.roads, r.patrols) for r in rows] == [(VILLAGE_A, 1, 1, 3, 1)]
    assert (total.chiefs, total.roads) == (2, 3)
    _rows, sib_total = reads.counts(session, w["p"]["sibling"], "220103")
    assert sib_total.roads == 1 and sib_total.chiefs == 0
