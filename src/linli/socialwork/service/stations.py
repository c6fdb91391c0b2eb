"""Stations, their staff and the services they offer. A station's level follows from its area (county:
centre, township: station, village or community: room); one open centre per county and one open station
per township; a room hangs under the station of its own township. Staff may be linked to the workforce
register and to the account they sign in with (which lets them keep records and cases)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.accounts import repository as accounts_repo
from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authz.permissions import ROLE_PERMISSIONS, Role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.socialwork import kinds
from linli.socialwork import repository as repo
from linli.socialwork.models import Staff, Station, StationService
from linli.socialwork.schemas import ServiceIn, StaffIn, StationIn
from linli.socialwork.service.common import MANAGE, READ, RECORD, area_in, open_station, visible_station
from linli.workforce import repository as workforce_repo


def _parent(session: Session, principal: Principal, data: StationIn, level: str) -> Station | None:
    """The station above a new one: a station's county centre; a room's station, of its own township."""
    area = data.area_code
    if level != "room":
        if data.parent_id is not None:
            raise InvalidInput(t("only a room names its station; a centre or a station is placed by its area"))
        return repo.centre_of(session, area[:6]) if level == "station" else None
    if data.parent_id is None:
        raise InvalidInput(t("choose the township station the room belongs to"))
    parent = repo.get_station(session, principal.scope(READ), data.parent_id)
    if parent is None:
        raise NotFound(t("social work station {id} does not exist", id=data.parent_id))
    if parent.level != "station" or parent.area_code != codes.pad(area[:9]):
        raise InvalidInput(
            t("a room belongs under the station of its own township; {name} is not that station", name=parent.name)
        )
    open_station(parent)
    return parent


def register_station(session: Session, principal: Principal, data: StationIn, *, generated: bool = False) -> Station:
    """A centre, station or room where the principal holds socialwork.manage."""
    level = kinds.LEVEL_OF_LENGTH.get(len(data.area_code))
    if level is None or not codes.is_valid(data.area_code):
        raise InvalidInput(
            t("a centre belongs to a county, a station to a township, a room to a village or community; "
              "{code} is none of these", code=data.area_code)
        )  # fmt: skip
    area = area_in(session, principal, data.area_code, MANAGE)
    if not data.name.strip():
        raise InvalidInput(t("give the station's name"))
    if data.opened_on and data.opened_on > date.today():
        raise InvalidInput(t("a station's opening day is today or earlier"))
    parent = _parent(session, principal, data, level)
    if level != "room" and repo.open_station_at(session, area, level) is not None:
        place = area_repo.find_area(session, area)
        raise Conflict(t("{area} has an open {level} already", area=place.name, level=kinds.label(kinds.LEVELS, level)))
    station = Station(
        area_code=codes.pad(area), level=level, parent_id=parent.id if parent else None, name=data.name.strip(),
        address=data.address.strip(), opened_on=data.opened_on, generated=generated,
    )  # fmt: skip
    session.add(station)
    session.flush()
    record(
        session, principal, "socialwork.station_register", "sw_station", station.id, station.area_code,
        after={"level": level, "parent_id": station.parent_id, "opened_on": str(data.opened_on or "")},
    )  # fmt: skip
    return station


def _worker(session: Session, principal: Principal, station: Station, worker_id: int):
    worker = workforce_repo.get_worker(session, principal.scope(MANAGE), worker_id)
    if worker is None or not codes.in_subtree(worker.area_code, codes.unpad(station.area_code)[:6]):
        raise NotFound(t("worker {id} does not exist", id=worker_id))
    return worker


def _account(session: Session, principal: Principal, station: Station, username: str) -> int:
    """The id of the account a staff member signs in with; linking it lets them see cases, so the one
    who links must hold socialwork.record there, and the account a role with it over the station."""
    if not principal.can(RECORD, station.area_code):
        raise Forbidden(t("you cannot link accounts to {name}: its staff see its cases, and you may not",
                          name=station.name))  # fmt: skip
    user = accounts_repo.by_username(session, username.strip())
    if user is None or not accounts_repo.reachable(session, principal.scope(MANAGE), user.id):
        raise NotFound(t("user {username} does not exist", username=username))
    grants = accounts_repo.grants_of(session, [user.id]).get(user.id, [])
    if not any(
        RECORD in ROLE_PERMISSIONS.get(Role(g.role), ())
        and codes.in_subtree(station.area_code, codes.unpad(g.area_code))
        for g in grants
    ):
        raise InvalidInput(
            t("{username} holds no role over {name} that keeps social work records; grant one there first",
              username=user.username, name=station.name)
        )  # fmt: skip
    if repo.staff_of_user(session, [station.id], user.id) is not None:
        raise Conflict(t("{username} is on the staff of {name} already", username=user.username, name=station.name))
    return user.id


def add_staff(
    session: Session, principal: Principal, station_id: int, data: StaffIn, *, generated: bool = False
) -> Staff:
    station = visible_station(session, principal, station_id)
    principal.check(MANAGE, station.area_code, what=t("social work station {id}", id=station_id))
    open_station(station)
    name, qualification, qualified_on = data.name.strip(), data.qualification, data.qualified_on
    if data.worker_id is not None:
        worker = _worker(session, principal, station, data.worker_id)
        name = name or workforce_repo.names_by_id(session, [worker.id]).get(worker.id, "")
        if qualification == "none" and worker.qualification != "none":
            qualification, qualified_on = worker.qualification, worker.qualified_on
    if not name:
        raise InvalidInput(t("give the staff member's name, or choose them from the workforce register"))
    if qualification != "none" and qualified_on is None:
        raise InvalidInput(t("give the date of the social-work qualification"))
    if qualified_on and qualified_on > date.today():
        raise InvalidInput(t("a qualification is dated today or earlier"))
    user_id = _account(session, principal, station, data.username) if data.username and data.username.strip() else None
    staff = Staff(
        station_id=station.id, area_code=station.area_code, name=name, title=data.title.strip(),
        qualification=qualification, qualified_on=qualified_on if qualification != "none" else None,
        worker_id=data.worker_id, user_id=user_id, generated=generated,
    )  # fmt: skip
    session.add(staff)
    session.flush()
    record(
        session, principal, "socialwork.staff_add", "sw_station", station.id, station.area_code,
        after={"staff_id": staff.id, "qualification": qualification, "worker_id": data.worker_id, "user_id": user_id},
    )  # fmt: skip
    return staff


def add_service(session: Session, principal: Principal, station_id: int, data: ServiceIn) -> StationService:
    station = visible_station(session, principal, station_id)
    principal.check(MANAGE, station.area_code, what=t("social work station {id}", id=station_id))
    if repo.service_of(session, station.id, data.kind) is not None:
        raise Conflict(t("{name} offers {service} already", name=station.name,
                         service=kinds.label(kinds.SERVICES, data.kind)))  # fmt: skip
    found = StationService(station_id=station.id, area_code=station.area_code, kind=data.kind, note=data.note.strip())
    session.add(found)
    session.flush()
    record(session, principal, "socialwork.service_add", "sw_station", station.id, station.area_code,
           after={"kind": data.kind})  # fmt: skip
    return found
