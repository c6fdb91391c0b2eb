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
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.residents import pii
from linli.residents import repository as repo
from linli.residents.events import add_event
from linli.residents.kinds import TransferStatus
from linli.residents.models import TransferRequest
from linli.residents.schemas import DecisionIn, TransferIn, TransferOut
from linli.residents.service.history import relocate_household, relocate_person, target_household
from linli.residents.service.persons import R, W, load_household, load_person


def transfer_out(session: Session, tr: TransferRequest) -> TransferOut:
    if tr.person_id is not None:
        p = repo.person_by_id(session, tr.person_id)
        subject = f"{p.name}, {p.gender}, born {p.birth_date.year}, ID {pii.open_id(p.id_number_enc, reveal=False)}"
    else:
        h = repo.household_by_id(session, tr.household_id)
        names = repo.names_of(session, [h.head_person_id]) if h.head_person_id else {}
        n = repo.member_counts(session, [h.id]).get(h.id, 0)
        subject = f"household {h.id} of {names.get(h.head_person_id, '(no head)')}, {n} member(s)"
    return TransferOut(
        id=tr.id,
        status=tr.status,
        from_area=codes.unpad(tr.area_code),
        to_area=codes.unpad(tr.to_area),
        person_id=tr.person_id,
        household_id=tr.household_id,
        subject=subject,
        reason=tr.reason,
        requested_by=tr.requested_by,
        requested_at=tr.requested_at,
        decided_by=tr.decided_by,
        decided_at=tr.decided_at,
        decision_note=tr.decision_note,
    )


def request_transfer(session: Session, principal: Principal, body: TransferIn) -> TransferRequest:
    if (body.person_id is None) == (body.household_id is None):
        raise InvalidInput(t("a transfer moves either one person (person_id) or one household (household_id)"))
    code = body.to_area_code
    if not codes.is_valid(code) or len(code) != 15:
        raise InvalidInput(t("a transfer goes to a grid (15 digits), not {code!r}", code=code))
    target = areas_repo.get_areas(session, [code]).get(code)  # area codes are public: existence is no secret
    if target is None or target.level != Level.grid.value or target.retired_at is not None:
        raise InvalidInput(t("grid {code} does not exist or is retired", code=code))
    if body.person_id is not None:
        subject = load_person(session, principal, body.person_id, W)
        if subject.status == "deceased":
            raise InvalidInput(t("person {person_id} is deceased", person_id=subject.id))
    else:
        subject = load_household(session, principal, body.household_id, W)
        if subject.status != "active":
            raise InvalidInput(
                t("household {household_id} is {status}", household_id=subject.id, status=subject.status)
            )
    if subject.area_code == codes.pad(code):
        raise InvalidInput(t("they already live in that grid"))
    if repo.pending_transfer_for(session, person_id=body.person_id, household_id=body.household_id):
        raise Conflict(t("a transfer of them is already pending; wait for its decision or cancel it"))
    tr = TransferRequest(
        area_code=subject.area_code,
        to_area=codes.pad(code),
        person_id=body.person_id,
        household_id=body.household_id,
        status=TransferStatus.pending.value,
        reason=body.reason,
        requested_by=principal.audit_name,
        requested_at=utcnow(),
    )
    session.add(tr)
    session.flush()
    add_event(session, principal, "transfer_requested", subject.area_code, person_id=body.person_id,
              household_id=body.household_id, to_area=code, details={"transfer": tr.id})  # fmt: skip
    record(session, principal, "transfers.request", "transfer", tr.id, tr.area_code,
           after={"person_id": tr.person_id, "household_id": tr.household_id, "to_area": code})  # fmt: skip
    return tr


def load_transfer(session: Session, principal: Principal, transfer_id: int) -> TransferRequest:
    tr = repo.get_transfer(session, transfer_id, principal.scope(R))
    if tr is None:
        raise NotFound(t("transfer {transfer_id} does not exist", transfer_id=transfer_id))
    return tr


def list_transfers(session: Session, principal: Principal, status: str | None, offset: int, limit: int):
    rows, total = repo.transfers(session, principal.scope(R), status=status, offset=offset, limit=limit)
    return [transfer_out(session, tr) for tr in rows], total


def _decide(session: Session, principal: Principal, transfer_id: int, *, receiving: bool) -> TransferRequest:
    tr = load_transfer(session, principal, transfer_id)
    side = tr.to_area if receiving else tr.area_code
    if not principal.can(W, side):
        who = t("the receiving side") if receiving else t("the requesting side")
        raise Forbidden(
            t(
                "only {side} ({area_code}) can do this, with the permission residents.write",
                side=who,
                area_code=codes.unpad(side),
            )
        )
    if tr.status != TransferStatus.pending.value:
        raise Conflict(t("transfer {transfer_id} is already {status}", transfer_id=tr.id, status=tr.status))
    return tr


def accept_transfer(session: Session, principal: Principal, transfer_id: int, body: DecisionIn) -> TransferRequest:
    tr = _decide(session, principal, transfer_id, receiving=True)
    on = date.today()
    if tr.person_id is not None:
        p = repo.person_by_id(session, tr.person_id)
        if p.area_code != tr.area_code or p.status == "deceased":
            raise Conflict(t("the person has changed since the request (moved or died); reject it"))
        h = target_household(session, principal, body.household_id, tr.to_area, body.relation)
        relocate_person(session, principal, p, tr.to_area, h, body.relation, on, via=f"transfer {tr.id}")
    else:
        h = repo.household_by_id(session, tr.household_id)
        if h.area_code != tr.area_code or h.status != "active":
            raise Conflict(t("the household has changed since the request (moved, merged); reject it"))
        relocate_household(session, principal, h, tr.to_area, on, via=f"transfer {tr.id}")
    return _close(session, principal, tr, TransferStatus.accepted, body.note)


def reject_transfer(session: Session, principal: Principal, transfer_id: int, body: DecisionIn) -> TransferRequest:
    return _close(
        session, principal, _decide(session, principal, transfer_id, receiving=True), TransferStatus.rejected, body.note
    )


def cancel_transfer(session: Session, principal: Principal, transfer_id: int) -> TransferRequest:
    return _close(
        session, principal, _decide(session, principal, transfer_id, receiving=False), TransferStatus.cancelled, ""
    )


def _close(session: Session, principal: Principal, tr: TransferRequest, status: TransferStatus, note: str):
    tr.status, tr.decided_by, tr.decided_at, tr.decision_note = status.value, principal.audit_name, utcnow(), note
    session.flush()
    for area in (tr.area_code, tr.to_area):  # both sides' auditors see the decision
        record(session, principal, f"transfers.{status.value}", "transfer", tr.id, area, after={"note": note})
    return tr
