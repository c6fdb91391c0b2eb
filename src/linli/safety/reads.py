"""The answers of the API and the pages, checked against the reader: appointments with their unit's name
and the person's phone masked, a resident's contacts (names and duty lines only), cases, sessions, counts."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit import codes, crypto
from linli.kit.phone import mask_phone
from linli.safety import counts, service
from linli.safety import repository as repo
from linli.safety.models import PHONE_CONTEXT, Appointment, LegalSession, MediationCase
from linli.safety.schemas import AppointmentOut, CaseOut, ContactOut, CountsOut, CountsRow, SessionOut

READ = service.READ


def _masked(a: Appointment) -> str | None:
    return mask_phone(crypto.keyring().decrypt(a.phone_enc, PHONE_CONTEXT)) if a.phone_enc else None


def appointment_outs(session: Session, rows: list[Appointment]) -> list[AppointmentOut]:
    names = repo.organization_names(session, [a.organization_id for a in rows])
    return [
        AppointmentOut(
            id=a.id,
            area_code=codes.unpad(a.area_code),
            duty=a.duty,
            name=a.name,
            organization_id=a.organization_id,
            unit=names.get(a.organization_id, a.unit_name) if a.organization_id else a.unit_name,
            phone=_masked(a),
            duty_phone=a.duty_phone,
            hours=a.hours,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            status=a.status,
            generated=a.generated,
        )  # fmt: skip
        for a in rows
    ]


def appointments(
    session: Session, principal: Principal, area_code: str, *, serving: bool = False, offset: int = 0, limit: int = 50
) -> tuple[list[AppointmentOut], int]:
    area = service.area_in(session, principal, area_code, READ)
    rows, total = repo.appointments_in(
        session, principal.scope(READ), area, serving=date.today() if serving else None, offset=offset, limit=limit
    )
    return appointment_outs(session, rows), total


def appointment(session: Session, principal: Principal, appointment_id: int) -> AppointmentOut:
    return appointment_outs(session, [service.visible_appointment(session, principal, appointment_id)])[0]


def contacts(session: Session, principal: Principal) -> list[ContactOut]:
    """Whom the principal calls about their own grid or community: the appointees serving there today. Read
    by the places of their grants at a grid or community (a grid worker's grid, a resident's home)."""
    places = [codes.unpad(c) for c in principal.grant_areas if len(codes.unpad(c)) in (12, 15)]
    outs = appointment_outs(session, repo.appointments_serving(session, places, date.today()))
    return [
        ContactOut(area_code=o.area_code, duty=o.duty, name=o.name, unit=o.unit, duty_phone=o.duty_phone, hours=o.hours)
        for o in outs
    ]


def case_out(c: MediationCase) -> CaseOut:
    return CaseOut(
        id=c.id, area_code=codes.unpad(c.area_code), event_id=c.event_id, title=c.title, parties=c.parties,
        mediator=c.mediator, appointment_id=c.appointment_id, opened_on=c.opened_on, closed_on=c.closed_on,
        status=c.status, outcome=c.outcome, summary=c.summary, generated=c.generated,
    )  # fmt: skip


def cases(
    session: Session,
    principal: Principal,
    area_code: str,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[CaseOut], int]:
    area = service.area_in(session, principal, area_code, READ)
    rows, total = repo.cases_in(session, principal.scope(READ), area, status=status, offset=offset, limit=limit)
    return [case_out(c) for c in rows], total


def case(session: Session, principal: Principal, case_id: int) -> CaseOut:
    return case_out(service.visible_case(session, principal, case_id))


def session_out(s: LegalSession) -> SessionOut:
    return SessionOut(
        id=s.id, area_code=codes.unpad(s.area_code), appointment_id=s.appointment_id, held_on=s.held_on,
        place=s.place, topic=s.topic, attendance=s.attendance, generated=s.generated,
    )  # fmt: skip


def sessions(
    session: Session, principal: Principal, area_code: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[SessionOut], int]:
    area = service.area_in(session, principal, area_code, READ)
    rows, total = repo.sessions_in(session, principal.scope(READ), area, offset=offset, limit=limit)
    return [session_out(s) for s in rows], total


def _row(r: counts.Row) -> CountsRow:
    return CountsRow(area_code=codes.unpad(r.code), success_rate=r.success_rate, **r.figures)


def figures(session: Session, principal: Principal, area_code: str) -> CountsOut:
    area = service.area_in(session, principal, area_code, READ)
    rows, total = counts.by_child(session, principal.scope(READ), area)
    return CountsOut(area_code=area, rows=[_row(r) for r in rows], total=_row(total))
