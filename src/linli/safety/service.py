"""Writes of the safety domain: appointments (street and county officials, within their places), mediation
cases and legal-service sessions (community workers and the appointees, within theirs).

Every refusal changes nothing: the checks come before the first row is added. A place out of the
principal's reach answers like a missing one (404); an event of another category is refused (422).
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events import repository as events_repo
from linli.kit import codes, crypto
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.phone import parse_phone
from linli.safety import kinds
from linli.safety import repository as repo
from linli.safety.models import PHONE_CONTEXT, Appointment, LegalSession, MediationCase
from linli.safety.schemas import AppointmentEndIn, AppointmentIn, CaseCloseIn, CaseIn, SessionIn

READ, APPOINT, RECORD = Permission.safety_read, Permission.safety_appoint, Permission.safety_record
VILLAGE, GRID = 12, 15
# An ID number (居民身份证号码, 18 characters) typed into the parties' description.
_ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")


def area_in(session: Session, principal: Principal, code: str, permission: Permission) -> str:
    """The (unpadded) area `code` when the principal holds `permission` there; 404 when unknown or out of reach."""
    code = (code or "").strip()
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    if area_repo.find_area(session, code) is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return code


def visible_appointment(session: Session, principal: Principal, appointment_id: int) -> Appointment:
    found = repo.get_appointment(session, appointment_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("appointment {id} does not exist", id=appointment_id))
    return found


def visible_case(session: Session, principal: Principal, case_id: int) -> MediationCase:
    found = repo.get_case(session, case_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("mediation case {id} does not exist", id=case_id))
    return found


def _phone(raw: str) -> str:
    return parse_phone(raw) if raw.strip() else ""


def _unit(session: Session, principal: Principal, data: AppointmentIn) -> tuple[int | None, str]:
    """The appointee's unit: an organization of the kind the duty asks for, or a name typed."""
    if data.organization_id is None:
        return None, data.unit_name.strip()
    org = repo.organization_reached(session, data.organization_id, principal.visible)
    if org is None:
        raise NotFound(t("organization {id} does not exist", id=data.organization_id))
    allowed = kinds.DUTY_ORG_KINDS[data.duty]
    if org.kind not in allowed:
        raise InvalidInput(
            t("{name} cannot be the unit of a {duty}", name=org.name, duty=kinds.label(kinds.DUTIES, data.duty))
        )
    return org.id, org.name


def appoint(session: Session, principal: Principal, data: AppointmentIn, *, generated: bool = False) -> Appointment:
    """Appoint a person to a grid or community where the principal holds safety.appoint."""
    area = area_in(session, principal, data.area_code, APPOINT)
    if len(area) not in kinds.DUTY_LEVELS[data.duty]:
        where = t("a grid") if kinds.DUTY_LEVELS[data.duty] == (GRID,) else t("a community or village")
        raise InvalidInput(
            t("a {duty} is appointed to {where}", duty=kinds.label(kinds.DUTIES, data.duty), where=where)
        )
    if not data.name.strip():
        raise InvalidInput(t("give the name of the person appointed"))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise InvalidInput(t("an appointment ends on or after the day it starts"))
    org_id, unit = _unit(session, principal, data)
    phone, duty_phone = _phone(data.phone), _phone(data.duty_phone)
    a = Appointment(
        area_code=codes.pad(area), duty=data.duty, name=data.name.strip(), organization_id=org_id,
        unit_name=unit, phone_enc=crypto.keyring().encrypt(phone, PHONE_CONTEXT) if phone else None,
        duty_phone=duty_phone, hours=data.hours.strip(), starts_on=data.starts_on, ends_on=data.ends_on,
        created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(a)
    session.flush()
    after = {"duty": a.duty, "organization_id": org_id, "starts_on": str(a.starts_on), "ends_on": str(a.ends_on)}
    record(session, principal, "safety.appoint", "safety_appointment", a.id, a.area_code, after=after)
    return a


def end_appointment(session: Session, principal: Principal, appointment_id: int, data: AppointmentEndIn) -> Appointment:
    visible_appointment(session, principal, appointment_id)
    a = repo.appointment_for_update(session, appointment_id)
    principal.check(APPOINT, a.area_code, what=t("appointment {id}", id=appointment_id))
    if a.status != "active":
        raise Conflict(t("appointment {id} has ended already", id=a.id))
    ends = data.ends_on or date.today()
    if ends < a.starts_on:
        raise InvalidInput(t("an appointment ends on or after the day it starts"))
    before = {"ends_on": str(a.ends_on)}
    a.status, a.ends_on = "ended", ends
    session.flush()
    record(session, principal, "safety.end", "safety_appointment", a.id, a.area_code, before=before,
           after={"ends_on": str(ends)})  # fmt: skip
    return a


def _case_place(session: Session, principal: Principal, data: CaseIn) -> str:
    """The padded place of a new case: its event's (in reach and of the disputes category), or the area given."""
    if data.event_id is None:
        if not data.area_code:
            raise InvalidInput(t("give the community or grid of the case, or the dispute event it came from"))
        area = area_in(session, principal, data.area_code, RECORD)
        if len(area) not in (VILLAGE, GRID):
            raise InvalidInput(t("a mediation case belongs to a community, a village or a grid"))
        return codes.pad(area)
    # The event as the recorder may read events (an appointee without events.read links none: 404).
    event = events_repo.event(session, data.event_id, principal.scope(Permission.events_read))
    if event is None:
        raise NotFound(t("event {id} does not exist", id=data.event_id))
    principal.check(RECORD, event.area_code, what=t("event {id}", id=event.id))
    category = events_repo.category(session, event.category_code)
    top = (category.parent_code or category.code) if category is not None else event.category_code
    if top != kinds.DISPUTES_CATEGORY:
        raise InvalidInput(
            t("event {id} is not a dispute: only events of the disputes category (矛盾纠纷) go to mediation",
              id=event.id)
        )  # fmt: skip
    return event.area_code


def _check_text(data: CaseIn) -> None:
    if not data.title.strip() or not data.parties.strip() or not data.mediator.strip():
        raise InvalidInput(t("give the case a title, describe the parties and name the mediator"))
    if _ID_NUMBER.search(data.parties):
        raise InvalidInput(t("describe the parties without their ID numbers (name, relation, address are enough)"))
    if data.opened_on > date.today():
        raise InvalidInput(t("a case is opened today or before"))


def open_case(session: Session, principal: Principal, data: CaseIn, *, generated: bool = False) -> MediationCase:
    """Record a mediation case where the principal holds safety.record (its event's place, or the area given)."""
    _check_text(data)
    place = _case_place(session, principal, data)
    if data.appointment_id is not None:
        visible_appointment(session, principal, data.appointment_id)
    c = MediationCase(
        area_code=place, event_id=data.event_id, title=data.title.strip(), parties=data.parties.strip(),
        mediator=data.mediator.strip(), appointment_id=data.appointment_id, opened_on=data.opened_on,
        created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(c)
    session.flush()
    after = {"event_id": c.event_id, "appointment_id": c.appointment_id, "opened_on": str(c.opened_on)}
    record(session, principal, "safety.case_open", "safety_case", c.id, c.area_code, after=after)
    return c


def close_case(session: Session, principal: Principal, case_id: int, data: CaseCloseIn) -> MediationCase:
    """Close a case with its outcome, once: a closed case is not closed again (409)."""
    visible_case(session, principal, case_id)
    c = repo.case_for_update(session, case_id)
    principal.check(RECORD, c.area_code, what=t("mediation case {id}", id=case_id))
    if c.status == "closed":
        raise Conflict(t("mediation case {id} was closed on {day}; it is not closed twice", id=c.id, day=c.closed_on))
    closed = data.closed_on or date.today()
    if closed < c.opened_on or closed > date.today():
        raise InvalidInput(t("a case closes between the day it opened and today"))
    c.status, c.outcome, c.closed_on, c.summary = "closed", data.outcome, closed, data.summary.strip()
    session.flush()
    record(session, principal, "safety.case_close", "safety_case", c.id, c.area_code,
           after={"outcome": c.outcome, "closed_on": str(closed)})  # fmt: skip
    return c


def record_session(session: Session, principal: Principal, data: SessionIn, *, generated: bool = False) -> LegalSession:
    """A legal-service session held in a community where the principal holds safety.record."""
    area = area_in(session, principal, data.area_code, RECORD)
    if len(area) not in (VILLAGE, GRID):
        raise InvalidInput(t("a legal-service session is held in a community, a village or a grid"))
    if not data.place.strip() or not data.topic.strip():
        raise InvalidInput(t("say where the session was held and on what topic"))
    if data.held_on > date.today():
        raise InvalidInput(t("a session is recorded once held: today or before"))
    if data.appointment_id is not None:
        visible_appointment(session, principal, data.appointment_id)
    s = LegalSession(
        area_code=codes.pad(area), appointment_id=data.appointment_id, held_on=data.held_on,
        place=data.place.strip(), topic=data.topic.strip(), attendance=data.attendance,
        created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(s)
    session.flush()
    after = {"held_on": str(s.held_on), "attendance": s.attendance}
    record(session, principal, "safety.session", "safety_session", s.id, s.area_code, after=after)
    return s
