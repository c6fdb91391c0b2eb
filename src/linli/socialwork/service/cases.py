"""Cases (个案): opened by a staff member of the station for a client (a person of the register, or a
name), assessed, given a plan and closed, each step a dated record by staff. Cases hold personal data:
only staff (service.common) see and write them; the audit keeps ids and steps, never their text."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import t
from linli.socialwork import kinds
from linli.socialwork import repository as repo
from linli.socialwork.models import Case, CaseEntry
from linli.socialwork.schemas import CaseIn, EntryIn
from linli.socialwork.service.common import open_station, staff_chain, staff_only, visible_case, visible_station
from linli.socialwork.service.records import person_of_station


def readable(session: Session, principal: Principal, case_id: int) -> Case:
    """The case, for its station's staff and the stations' above it; 404 out of reach, 403 for others."""
    case = visible_case(session, principal, case_id)
    staff_only(session, principal, visible_station(session, principal, case.station_id))
    return case


def _case_worker(session: Session, chain: list[int], worker_id: int):
    worker = repo.get_staff(session, worker_id)
    if worker is None or worker.station_id not in chain or worker.status != "active":
        raise InvalidInput(t("the case worker is a member of the station's staff (or its centre's) in post"))
    return worker


def open_case(
    session: Session, principal: Principal, station_id: int, data: CaseIn, *, generated: bool = False
) -> Case:
    station = visible_station(session, principal, station_id)
    staff = staff_only(session, principal, station)
    open_station(station)
    worker = _case_worker(session, staff_chain(session, station), data.worker_id) if data.worker_id else staff
    if (data.person_id is None) == (not data.client.strip()):
        raise InvalidInput(t("name the client: their entry in the residents register, or their name, not both"))
    if not data.summary.strip():
        raise InvalidInput(t("say why the case is opened (a summary)"))
    opened = data.opened_on or date.today()
    if opened > date.today():
        raise InvalidInput(t("a case is opened today or earlier"))
    person_id = person_of_station(session, principal, station, data.person_id) if data.person_id else None
    case = Case(
        station_id=station.id, area_code=station.area_code, worker_id=worker.id, kind=data.kind, person_id=person_id,
        client=data.client.strip(), summary=data.summary.strip(), opened_on=opened, generated=generated,
    )  # fmt: skip
    session.add(case)
    session.flush()
    session.add(CaseEntry(case_id=case.id, step="opened", on=opened, text=case.summary, staff_id=staff.id,
                          created_by=principal.audit_name))  # fmt: skip
    session.flush()
    record(
        session, principal, "socialwork.case_open", "sw_case", case.id, case.area_code,
        after={"station_id": station.id, "kind": case.kind, "worker_id": worker.id, "person_id": person_id},
    )  # fmt: skip
    return case


def add_entry(session: Session, principal: Principal, case_id: int, data: EntryIn) -> CaseEntry:
    """Assess an opened case, plan an assessed one, note or close any open one."""
    visible = readable(session, principal, case_id)
    staff = staff_only(session, principal, visible_station(session, principal, visible.station_id))
    case = repo.case_for_update(session, visible.id)
    if case.status == "closed":
        raise Conflict(t("case {id} is closed; it takes no new records", id=case.id))
    follows = kinds.NEXT_STATE.get(data.step)
    if follows is not None and case.status != follows:
        raise InvalidInput(
            t("{step} follows the step “{follows}”; this case is at “{state}”",
              step=kinds.label(kinds.STEPS, data.step), follows=kinds.label(kinds.CASE_STATES, follows),
              state=kinds.label(kinds.CASE_STATES, case.status))
        )  # fmt: skip
    if not data.text.strip():
        raise InvalidInput(t("write what was done or found (the record's text)"))
    on = data.on or date.today()
    if on < case.opened_on or on > date.today():
        raise InvalidInput(t("a case record is dated between the case's opening and today"))
    entry = CaseEntry(case_id=case.id, step=data.step, on=on, text=data.text.strip(), staff_id=staff.id,
                      created_by=principal.audit_name)  # fmt: skip
    session.add(entry)
    before = {"status": case.status}
    if data.step in ("assessed", "planned", "closed"):
        case.status = data.step
    if data.step == "closed":
        case.closed_on = on
    session.flush()
    record(session, principal, "socialwork.case_entry", "sw_case", case.id, case.area_code, before=before,
           after={"step": data.step, "on": on.isoformat(), "status": case.status})  # fmt: skip
    return entry
