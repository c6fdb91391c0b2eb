"""What every write of the domain checks first: the area it names, the station or case it reaches (404
beyond the principal's places), and whether the principal is staff there.

Staff of a station, for its records and cases, are the active staff members whose account is the
principal's, at the station itself or at a station above it: a room's township station, and the
county's centre (found by the area code, so a station registered before its centre is covered too).
They must also hold socialwork.record at the station's place; anyone else is refused with 403.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.socialwork import repository as repo
from linli.socialwork.models import Case, Staff, Station

READ = Permission.socialwork_read
MANAGE = Permission.socialwork_manage
RECORD = Permission.socialwork_record


def area_in(session: Session, principal: Principal, code: str, permission: Permission) -> str:
    """The (unpadded) area `code` when the principal holds `permission` there; 404 when unknown or out of reach."""
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    if area_repo.find_area(session, code) is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return code


def visible_station(session: Session, principal: Principal, station_id: int) -> Station:
    found = repo.get_station(session, principal.scope(READ), station_id)
    if found is None:
        raise NotFound(t("social work station {id} does not exist", id=station_id))
    return found


def visible_case(session: Session, principal: Principal, case_id: int) -> Case:
    found = repo.get_case(session, principal.scope(READ), case_id)
    if found is None:
        raise NotFound(t("case {id} does not exist", id=case_id))
    return found


def open_station(station: Station) -> None:
    if station.status != "active":
        raise InvalidInput(t("{name} is closed; it keeps no new records", name=station.name))


def staff_chain(session: Session, station: Station) -> list[int]:
    """The station and the stations above it (its parent's chain and its county's centre), nearest first."""
    chain, seen = [station.id], {station.id}
    above = station.parent_id
    while above is not None and above not in seen:
        chain.append(above)
        seen.add(above)
        parent = repo.station_by_id(session, above)
        above = parent.parent_id if parent is not None else None
    centre = repo.centre_of(session, codes.unpad(station.area_code)[:6])
    if centre is not None and centre.id not in seen:
        chain.append(centre.id)
    return chain


def staff_acting(session: Session, principal: Principal, station: Station) -> Staff | None:
    """The principal's staff entry covering the station (the rule in this module's docstring), or None."""
    if not principal.can(RECORD, station.area_code):
        return None
    return repo.staff_of_user(session, staff_chain(session, station), principal.user_id)


def staff_only(session: Session, principal: Principal, station: Station) -> Staff:
    """The principal's staff entry; 404 out of reach, 403 for anyone who is not staff there."""
    principal.check(RECORD, station.area_code, what=t("social work station {id}", id=station.id))
    staff = staff_acting(session, principal, station)
    if staff is None:
        raise Forbidden(
            t("only the staff of {name} and of the county's social work centre keep its records and see its cases",
              name=station.name)
        )  # fmt: skip
    return staff
