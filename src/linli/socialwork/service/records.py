"""Service records: a service a staff member gave on a day, logged by themselves (staff only), of a kind
the station offers, with the hours (more than 0, and no more than 24 in a day with the staff member's
other records of that day) and the people it reached; one beneficiary may be named from the register."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.residents import repository as residents_repo
from linli.socialwork import kinds
from linli.socialwork import repository as repo
from linli.socialwork.models import ServiceRecord, Station
from linli.socialwork.schemas import RecordIn
from linli.socialwork.service.common import open_station, staff_only, visible_station

DAY = Decimal(24)
MOST_REACHED = 100000


def person_of_station(session: Session, principal: Principal, station: Station, person_id: int) -> int:
    """The person's id when they are present in the register under the station's area and the principal
    may read them there; the same 404 as a missing person otherwise."""
    person = residents_repo.get_person(session, person_id, principal.scope(Permission.residents_read))
    if (
        person is None
        or person.status != "present"
        or not codes.in_subtree(person.area_code, codes.unpad(station.area_code))
    ):
        raise NotFound(t("person {id} does not exist", id=person_id))
    return person.id


def _check(data: RecordIn, station: Station) -> None:
    if data.hours <= 0 or data.hours > DAY:
        raise InvalidInput(t("the hours of a service are more than 0 and at most 24 (a day); {hours} is not",
                             hours=data.hours))  # fmt: skip
    if data.served_on > date.today():
        raise InvalidInput(t("a service is logged on the day it was given, today or earlier"))
    if station.opened_on and data.served_on < station.opened_on:
        raise InvalidInput(t("{name} opened on {day}; a service before it is not its own", name=station.name,
                             day=station.opened_on.isoformat()))  # fmt: skip
    if not 1 <= data.beneficiaries <= MOST_REACHED:
        raise InvalidInput(t("say how many people the service reached: from 1 to {most}", most=MOST_REACHED))


def log(
    session: Session, principal: Principal, station_id: int, data: RecordIn, *, generated: bool = False
) -> ServiceRecord:
    station = visible_station(session, principal, station_id)
    staff = staff_only(session, principal, station)
    open_station(station)
    _check(data, station)
    if repo.service_of(session, station.id, data.kind) is None:
        raise InvalidInput(t("{name} does not offer {service}; add the service to the station first",
                             name=station.name, service=kinds.label(kinds.SERVICES, data.kind)))  # fmt: skip
    minutes = int(data.hours * 60)
    done = repo.minutes_on(session, staff.id, data.served_on)
    if done + minutes > DAY * 60:
        raise InvalidInput(
            t("{name} has logged {done} hours on {day}; {hours} more would make more than 24 in a day",
              name=staff.name, done=round(done / 60, 1), day=data.served_on.isoformat(), hours=data.hours)
        )  # fmt: skip
    person_id = person_of_station(session, principal, station, data.person_id) if data.person_id else None
    row = ServiceRecord(
        station_id=station.id, area_code=station.area_code, staff_id=staff.id, served_on=data.served_on,
        kind=data.kind, minutes=minutes, beneficiaries=data.beneficiaries, person_id=person_id,
        content=data.content.strip(), generated=generated,
    )  # fmt: skip
    session.add(row)
    session.flush()
    after = {"record_id": row.id, "served_on": str(row.served_on), "kind": row.kind, "hours": str(row.hours),
             "beneficiaries": row.beneficiaries}  # fmt: skip
    record(session, principal, "socialwork.record_log", "sw_station", station.id, station.area_code, after=after)
    return row
