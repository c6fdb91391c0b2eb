"""Stations follow the area codes (centre, station, room) inside the registrar's reach; staff are
certified with a date, may come from the workforce register, and an account is linked only where it
may keep records. Each refusal changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.socialwork import service
from linli.socialwork.models import Staff, Station
from linli.socialwork.schemas import ServiceIn, StaffIn, StationIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user, principal
from tests.factories_socialwork import COUNTY, OTHER_TOWN_VILLAGE, SIBLING_TOWN, sw_world
from tests.factories_workforce import make_worker


@pytest.fixture
def w(areas):
    return sw_world(areas)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_the_hierarchy_follows_the_area_codes(session, w):
    s = w["stations"]
    assert (s["centre"].level, s["station"].level, s["room"].level) == ("centre", "station", "room")
    assert s["station"].parent_id == s["centre"].id and s["room"].parent_id == s["station"].id
    assert s["centre"].parent_id is None


def test_a_station_outside_the_registrars_scope_is_missing(session, w):
    street = make_user(session, "sw_street", "official", TOWN_A)
    who = principal(street, ("official", TOWN_A))
    before = _count(session, Station)
    with pytest.raises(NotFound, match="does not exist"):
        service.stations.register_station(session, who, StationIn(area_code=SIBLING_TOWN, name="邻县社工站"))
    with pytest.raises(NotFound, match="does not exist"):  # the county above the street is out of its reach too
        service.stations.register_station(session, who, StationIn(area_code=COUNTY, name="县中心"))
    assert _count(session, Station) == before


def test_a_room_under_a_station_of_another_township_is_refused(session, w):
    before = _count(session, Station)
    data = StationIn(area_code=OTHER_TOWN_VILLAGE, name="错挂的社工室", parent_id=w["stations"]["station"].id)
    with pytest.raises(InvalidInput, match="station of its own township"):
        service.stations.register_station(session, SYSTEM, data)
    with pytest.raises(InvalidInput, match="choose the township station"):
        service.stations.register_station(session, SYSTEM, StationIn(area_code=VILLAGE_A, name="无站社工室"))
    data = StationIn(area_code=VILLAGE_A, name="挂在中心下", parent_id=w["stations"]["centre"].id)
    with pytest.raises(InvalidInput, match="station of its own township"):
        service.stations.register_station(session, SYSTEM, data)
    assert _count(session, Station) == before


def test_one_open_station_per_township_and_only_real_levels(session, w):
    with pytest.raises(Conflict, match="already"):
        service.stations.register_station(session, SYSTEM, StationIn(area_code=TOWN_A, name="第二个站"))
    with pytest.raises(InvalidInput, match="none of these"):
        service.stations.register_station(session, SYSTEM, StationIn(area_code="2201", name="市级"))


def test_staff_qualification_needs_its_date(session, w):
    st = w["stations"]["station"].id
    with pytest.raises(InvalidInput, match="date of the social-work qualification"):
        service.stations.add_staff(session, SYSTEM, st, StaffIn(name="缺日期", qualification="assistant"))
    with pytest.raises(InvalidInput, match="name"):
        service.stations.add_staff(session, SYSTEM, st, StaffIn(name="  "))


def test_staff_from_the_workforce_register(session, w):
    worker = make_worker(session, area=VILLAGE_A, name="登记社工", post=None, qualification="assistant",
                         qualified_on=date(2020, 6, 1))  # fmt: skip
    m = service.stations.add_staff(session, SYSTEM, w["stations"]["station"].id, StaffIn(worker_id=worker.id))
    assert (m.name, m.qualification, m.qualified_on, m.worker_id) == (
        "登记社工",
        "assistant",
        date(2020, 6, 1),
        worker.id,
    )
    far = make_worker(session, area="220103002001", name="邻县社工", post=None)
    with pytest.raises(NotFound, match="does not exist"):
        service.stations.add_staff(session, SYSTEM, w["stations"]["station"].id, StaffIn(worker_id=far.id))


def test_linking_an_account_needs_a_role_that_keeps_records(session, w):
    st = w["stations"]["station"].id
    make_user(session, "sw_grid", "grid_worker", VILLAGE_A)
    before = _count(session, Staff)
    with pytest.raises(InvalidInput, match="holds no role"):
        service.stations.add_staff(session, SYSTEM, st, StaffIn(name="网格员", username="sw_grid"))
    with pytest.raises(Conflict, match="already"):
        service.stations.add_staff(session, SYSTEM, st, StaffIn(name="重复", username="sw_worker"))
    with pytest.raises(NotFound, match="does not exist"):
        service.stations.add_staff(session, w["p"]["centre"], st, StaffIn(name="邻县", username="sw_sib"))
    assert _count(session, Staff) == before


def test_readers_and_community_workers_do_not_manage_stations(session, w):
    """An auditor reads the stations, a community worker keeps records: neither adds staff or services (403)."""
    from linli.authz.principal import principal_for

    auditor = principal_for(None, "sw_auditor", [("auditor", COUNTY)])
    st = w["stations"]["station"].id
    with pytest.raises(Forbidden, match="socialwork.manage"):
        service.stations.add_staff(session, auditor, st, StaffIn(name="x"))
    with pytest.raises(Forbidden, match="socialwork.manage"):
        service.stations.add_service(session, w["p"]["worker"], st, ServiceIn(kind="other"))


def test_a_service_once_per_station(session, w):
    with pytest.raises(Conflict, match="offers"):
        service.stations.add_service(session, SYSTEM, w["stations"]["station"].id, ServiceIn(kind="elderly"))
