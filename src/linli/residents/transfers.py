"""Transfer requests: a move into an area the mover cannot reach, decided by the receiving side.

A small state machine (pending → accepted, rejected or cancelled), visible from both ends: the
receiving side accepts or rejects, the requesting side may cancel; accepting performs the move.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.time import utcnow
from linli.residents import pii
from linli.residents import repository as repo
from linli.residents.events import add_event
from linli.residents.history import relocate_household, relocate_person, target_household
from linli.residents.kinds import TransferStatus
from linli.residents.models import Household, Person, TransferRequest
from linli.residents.schemas import DecisionIn, TransferIn, TransferOut
from linli.residents.service import R, W, load_household, load_person


def transfer_out(session: Session, t: TransferRequest) -> TransferOut:
    if t.person_id is not None:
        p = session.get(Person, t.person_id)
        subject = f"{p.name}, {p.gender}, born {p.birth_date.year}, ID {pii.open_id(p.id_number_enc, reveal=False)}"
    else:
        h = session.get(Household, t.household_id)
        names = repo.names_of(session, [h.head_person_id]) if h.head_person_id else {}
        n = repo.member_counts(session, [h.id]).get(h.id, 0)
        subject = f"household {h.id} of {names.get(h.head_person_id, '(no head)')}, {n} member(s)"
    return TransferOut(
        id=t.id,
        status=t.status,
        from_area=codes.unpad(t.area_code),
        to_area=codes.unpad(t.to_area),
        person_id=t.person_id,
        household_id=t.household_id,
        subject=subject,
        reason=t.reason,
        requested_by=t.requested_by,
        requested_at=t.requested_at,
        decided_by=t.decided_by,
        decided_at=t.decided_at,
        decision_note=t.decision_note,
    )


def request_transfer(session: Session, principal: Principal, body: TransferIn) -> TransferRequest:
    if (body.person_id is None) == (body.household_id is None):
        raise InvalidInput("a transfer moves either one person (person_id) or one household (household_id)")
    code = body.to_area_code
    if not codes.is_valid(code) or len(code) != 15:
        raise InvalidInput(f"a transfer goes to a grid (15 digits), not {code!r}")
    target = areas_repo.get_areas(session, [code]).get(code)  # area codes are public: existence is no secret
    if target is None or target.level != Level.grid.value or target.retired_at is not None:
        raise InvalidInput(f"grid {code} does not exist or is retired")
    if body.person_id is not None:
        subject = load_person(session, principal, body.person_id, W)
        if subject.status == "deceased":
            raise InvalidInput(f"person {subject.id} is deceased")
    else:
        subject = load_household(session, principal, body.household_id, W)
        if subject.status != "active":
            raise InvalidInput(f"household {subject.id} is {subject.status}")
    if subject.area_code == codes.pad(code):
        raise InvalidInput("they already live in that grid")
    if repo.pending_transfer_for(session, person_id=body.person_id, household_id=body.household_id):
        raise Conflict("a transfer of them is already pending; wait for its decision or cancel it")
    t = TransferRequest(
        area_code=subject.area_code,
        to_area=codes.pad(code),
        person_id=body.person_id,
        household_id=body.household_id,
        status=TransferStatus.pending.value,
        reason=body.reason,
        requested_by=principal.audit_name,
        requested_at=utcnow(),
    )
    session.add(t)
    session.flush()
    add_event(session, principal, "transfer_requested", subject.area_code, person_id=body.person_id,
              household_id=body.household_id, to_area=code, details={"transfer": t.id})  # fmt: skip
    record(session, principal, "transfers.request", "transfer", t.id, t.area_code,
           after={"person_id": t.person_id, "household_id": t.household_id, "to_area": code})  # fmt: skip
    return t


def load_transfer(session: Session, principal: Principal, transfer_id: int) -> TransferRequest:
    t = repo.get_transfer(session, transfer_id, principal.scope(R))
    if t is None:
        raise NotFound(f"transfer {transfer_id} does not exist")
    return t


def list_transfers(session: Session, principal: Principal, status: str | None, offset: int, limit: int):
    rows, total = repo.transfers(session, principal.scope(R), status=status, offset=offset, limit=limit)
    return [transfer_out(session, t) for t in rows], total


def _decide(session: Session, principal: Principal, transfer_id: int, *, receiving: bool) -> TransferRequest:
    t = load_transfer(session, principal, transfer_id)
    side = t.to_area if receiving else t.area_code
    if not principal.can(W, side):
        who = "the receiving side" if receiving else "the requesting side"
        raise Forbidden(f"only {who} ({codes.unpad(side)}) can do this, with the permission residents.write")
    if t.status != TransferStatus.pending.value:
        raise Conflict(f"transfer {t.id} is already {t.status}")
    return t


def accept_transfer(session: Session, principal: Principal, transfer_id: int, body: DecisionIn) -> TransferRequest:
    t = _decide(session, principal, transfer_id, receiving=True)
    on = date.today()
    if t.person_id is not None:
        p = session.get(Person, t.person_id)
        if p.area_code != t.area_code or p.status == "deceased":
            raise Conflict("the person has changed since the request (moved or died); reject it")
        h = target_household(session, principal, body.household_id, t.to_area, body.relation)
        relocate_person(session, principal, p, t.to_area, h, body.relation, on, via=f"transfer {t.id}")
    else:
        h = session.get(Household, t.household_id)
        if h.area_code != t.area_code or h.status != "active":
            raise Conflict("the household has changed since the request (moved, merged); reject it")
        relocate_household(session, principal, h, t.to_area, on, via=f"transfer {t.id}")
    return _close(session, principal, t, TransferStatus.accepted, body.note)


def reject_transfer(session: Session, principal: Principal, transfer_id: int, body: DecisionIn) -> TransferRequest:
    return _close(
        session, principal, _decide(session, principal, transfer_id, receiving=True), TransferStatus.rejected, body.note
    )


def cancel_transfer(session: Session, principal: Principal, transfer_id: int) -> TransferRequest:
    return _close(
        session, principal, _decide(session, principal, transfer_id, receiving=False), TransferStatus.cancelled, ""
    )


def _close(session: Session, principal: Principal, t: TransferRequest, status: TransferStatus, note: str):
    t.status, t.decided_by, t.decided_at, t.decision_note = status.value, principal.audit_name, utcnow(), note
    session.flush()
    for area in (t.area_code, t.to_area):  # both sides' auditors see the decision
        record(session, principal, f"transfers.{status.value}", "transfer", t.id, area, after={"note": note})
    return t
