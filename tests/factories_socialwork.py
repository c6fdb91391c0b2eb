"""Builders of the social work domain's rows for tests: 南关区's centre, the station of 南岭街道 (TOWN_A)
with a room in VILLAGE_A and the services it offers, its staff (one with an account), the centre's staff
member with an account, and the people around them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.socialwork import service
from linli.socialwork.schemas import CaseIn, RecordIn, ServiceIn, StaffIn, StationIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user, principal

COUNTY = "220102"
OTHER_TOWN = "220102002"  # another street of the county
OTHER_TOWN_VILLAGE = "220102002001"
SIBLING_TOWN = "220103002"  # a street of the sibling county


def station(session: Session, area: str, name: str, parent_id: int | None = None, **fields):
    data = StationIn(area_code=area, name=name, parent_id=parent_id, opened_on=date(2024, 1, 1), **fields)
    return service.stations.register_station(session, SYSTEM, data)


def staff(session: Session, station_id: int, name: str, username: str | None = None, **fields):
    return service.stations.add_staff(session, SYSTEM, station_id, StaffIn(name=name, username=username, **fields))


def record(session: Session, who, station_id: int, hours: str = "2.0", day: date | None = None, **fields):
    values = dict(served_on=day or date.today(), kind="elderly", hours=Decimal(hours), beneficiaries=3)
    values.update(fields)
    return service.records.log(session, who, station_id, RecordIn(**values))


def open_case(session: Session, who, station_id: int, **fields):
    values = dict(kind="elderly", client="某某", summary="独居老人，需要照料")
    values.update(fields)
    return service.cases.open_case(session, who, station_id, CaseIn(**values))


def sw_world(session: Session) -> dict:
    """The centre of 南关区, the station of 南岭街道 offering elderly care and children's welfare, a room in
    VILLAGE_A; staff: a certified worker with an account (sw_worker), one without, the centre's director
    with an account (sw_centre); other accounts: a community worker of the street who is not staff
    (sw_other), the station of the other street with its worker (sw_far), a sibling county official."""
    users = {
        "worker": make_user(session, "sw_worker", "community_worker", TOWN_A),
        "centre": make_user(session, "sw_centre", "official", COUNTY),
        "other": make_user(session, "sw_other", "community_worker", TOWN_A),
        "far": make_user(session, "sw_far", "community_worker", OTHER_TOWN),
        "sibling": make_user(session, "sw_sib", "official", "220103"),
    }
    centre = station(session, COUNTY, "南关区社会工作服务中心")
    st = station(session, TOWN_A, "南岭街道社工站")
    room = station(session, VILLAGE_A, "华阳社区社工室", parent_id=st.id)
    far = station(session, OTHER_TOWN, "桃源街道社工站")
    for kind in ("elderly", "children"):
        service.stations.add_service(session, SYSTEM, st.id, ServiceIn(kind=kind))
    service.stations.add_service(session, SYSTEM, far.id, ServiceIn(kind="elderly"))
    members = {
        "worker": staff(
            session, st.id, "王社工", "sw_worker", qualification="social_worker", qualified_on=date(2022, 6, 1)
        ),
        "plain": staff(session, st.id, "李社工"),
        "centre": staff(
            session, centre.id, "赵主任", "sw_centre", qualification="senior", qualified_on=date(2018, 6, 1)
        ),
        "far": staff(session, far.id, "孙社工", "sw_far"),
    }
    session.flush()
    p = {
        "worker": principal(users["worker"], ("community_worker", TOWN_A)),
        "centre": principal(users["centre"], ("official", COUNTY)),
        "other": principal(users["other"], ("community_worker", TOWN_A)),
        "far": principal(users["far"], ("community_worker", OTHER_TOWN)),
        "sibling": principal(users["sibling"], ("official", "220103")),
    }
    stations = {"centre": centre, "station": st, "room": room, "far": far}
    return {"users": users, "p": p, "stations": stations, "staff": members, "village": VILLAGE_A}
