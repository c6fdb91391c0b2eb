"""Looking a person up by ID number without saying anything about other areas, and the supervisor's
review of an ID number registered in two workers' areas.

A worker who registers a number already registered where they cannot read gets exactly the answer of
a free number, and their request does the same work: the entry is made (holding a placeholder blind
index instead of the number's, a choice that costs the same either way) and an ID check is queued, as
for every number set. The worker's job (residents.id_checks) opens an `IdReview` for those who hold
residents.write at the lowest area common to both entries. They decide: the same person moved (the
older entry moves away, the new one stays), the same person did not move (the new entry is withdrawn,
kept in the history, and its area's staff are told), or different people (the new entry's ID number is
wrong; its creator corrects it). Every lookup by ID number is in the audit log, kept when the request
that made it fails (see `record_lost_lookups`).
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.residents import repository as repo
from linli.residents.events import add_event
from linli.residents.kinds import IdReviewStatus
from linli.residents.models import IdReview, Person

W = Permission.residents_write
# The blind index a provisional entry holds while its real one (equal to another entry's) is in its review.
HELD_PREFIX = "held:"
LEVELS = (15, 12, 9, 6, 4, 2)


def held_index() -> str:
    return HELD_PREFIX + secrets.token_hex(29)  # 63 characters: never a real (hexadecimal) blind index


def common_area(a: str, b: str) -> str:
    """The deepest area containing both codes (padded), e.g. the township of two villages' grids."""
    a, b = codes.unpad(a), codes.unpad(b)
    for n in LEVELS:
        if len(a) >= n and len(b) >= n and a[:n] == b[:n]:
            return codes.pad(a[:n])
    return codes.pad("")  # different provinces: the root


LOOKUPS = "linli.residents.id_lookups"  # session.info: this transaction's lookups, to keep after a rollback


def audit_lookup(session: Session, principal: Principal, purpose: str, area: str, count: int = 1) -> None:
    """An entry in the audit log for looking up persons by ID number (never the number itself)."""
    _record_lookup(session, principal, purpose, area, count)
    session.info.setdefault(LOOKUPS, []).append((principal, purpose, area, count))


def _record_lookup(session: Session, principal: Principal, purpose: str, area: str, count: int) -> None:
    record(
        session,
        principal,
        "persons.id_lookup",
        "id_number",
        purpose,
        area,
        after={"purpose": purpose, "numbers": count},
    )


def lookups_made(session: Session) -> bool:
    """Whether the session's transaction looked a person up by ID number."""
    return bool(session.info.get(LOOKUPS))


def record_lost_lookups(session: Session) -> int:
    """After rolling a failed request back: its lookups by ID number go into the audit log all the same
    (a refusal like "already registered" answers a lookup too). The caller commits; returns how many."""
    lost = session.info.pop(LOOKUPS, [])
    for principal, purpose, area, count in lost:
        _record_lookup(session, principal, purpose, area, count)
    return len(lost)


@event.listens_for(Session, "after_commit")
def _forget_kept_lookups(session: Session) -> None:
    session.info.pop(LOOKUPS, None)


def lookup(
    session: Session, principal: Principal, bidx: str, *, purpose: str, area: str, exclude: int | None = None
) -> tuple[Person | None, bool]:
    """(an entry with this ID number the principal may read, whether one exists they may not read),
    audited; `exclude` is the entry being edited.

    The caller answers a conflict for the first and must answer exactly as for a free number for the
    second: one query of ids and areas either way, nothing loaded for an entry out of reach.
    """
    audit_lookup(session, principal, purpose, area)
    seen, hidden = None, False
    for person_id, person_area in repo.ids_and_areas_with_index(session, bidx):
        if person_id == exclude:
            continue
        if principal.can(Permission.residents_read, person_area):
            seen = seen or person_id
        else:
            hidden = True
    return (repo.person_by_id(session, seen) if seen is not None else None), hidden


def index_to_hold(bidx: str, hidden: bool) -> str:
    """The blind index a new number's entry holds: the number's own, or a placeholder while the number is
    registered out of reach (the worker's check then opens the review). Costs the same either way."""
    placeholder = held_index()
    return placeholder if hidden else bidx


def open_review_of_ids(
    session: Session,
    actor: Principal,
    person_id: int,
    area: str,
    existing_id: int,
    existing_area: str,
    bidx: str,
    *,
    created_by: str,
) -> IdReview:
    """Ask the supervisors of both areas to decide (the new entry already holds a placeholder index);
    opened by the worker's check, on behalf of `created_by`, who made the new entry."""
    review = IdReview(
        area_code=common_area(area, existing_area),
        person_id=person_id,
        existing_person_id=existing_id,
        id_number_bidx=bidx,
        status=IdReviewStatus.open.value,
        created_by=created_by,
        created_at=utcnow(),
        note="",
    )
    session.add(review)
    session.flush()
    # At the common area, where the reviewers read the log; the creator's own area sees nothing of it.
    record(
        session,
        actor,
        "persons.id_review_open",
        "id_review",
        review.id,
        review.area_code,
        after={"person_id": person_id, "existing_person_id": existing_id, "registered_by": created_by},
    )
    return review


def close_as_corrected(session: Session, principal: Principal, person: Person) -> None:
    """The provisional entry's ID number was changed: its open review has nothing left to decide."""
    for review in repo.undecided_reviews_of(session, person.id):
        review.status, review.resolved_by, review.resolved_at = "corrected", principal.audit_name, utcnow()
        record(session, principal, "persons.id_review_corrected", "id_review", review.id, review.area_code)


# --- the reviewers' side ------------------------------------------------------------------------


def list_reviews(
    session: Session, principal: Principal, status: str | None, offset: int, limit: int
) -> tuple[list[IdReview], int]:
    """Reviews in the areas where the principal holds residents.write (counted the same way)."""
    return repo.reviews(session, principal.scope(W), status=status, offset=offset, limit=limit)


def load_review(session: Session, principal: Principal, review_id: int) -> IdReview:
    review = repo.get_review(session, review_id, principal.scope(W))
    if review is None:
        raise NotFound(t("review {review_id} does not exist", review_id=review_id))
    return review


def resolve(session: Session, principal: Principal, review_id: int, outcome: IdReviewStatus, note: str) -> IdReview:
    """Decide a review (audited); the entries change through the register's own steps."""
    from linli.residents.schemas import MoveOutIn
    from linli.residents.service import history

    review = load_review(session, principal, review_id)
    if review.status != IdReviewStatus.open.value:
        raise Conflict(t("review {review_id} is already decided", review_id=review.id), code="review_decided")
    new, old = repo.person_by_id(session, review.person_id), repo.person_by_id(session, review.existing_person_id)
    if outcome == IdReviewStatus.moved:
        if old.status == "deceased":
            raise InvalidInput(t("the older entry is of a deceased person; choose another outcome"))
        if old.status == "present":
            history.move_away(session, principal, old.id, MoveOutIn(destination=t("registered again elsewhere")))
        # The entry that stays takes the number's index; the one moved away keeps it through the review.
        old.id_number_bidx, new.id_number_bidx = held_index(), review.id_number_bidx
        session.flush()
    elif outcome == IdReviewStatus.not_moved:
        _withdraw(session, principal, new, review)
    elif outcome != IdReviewStatus.different:
        raise InvalidInput(t("a review is decided as moved, not_moved or different"))
    review.status, review.note = outcome.value, note.strip()[:300]
    review.resolved_by, review.resolved_at = principal.audit_name, utcnow()
    session.flush()
    record(
        session,
        principal,
        "persons.id_review_resolve",
        "id_review",
        review.id,
        review.area_code,
        after={"outcome": outcome.value, "person_id": new.id, "existing_person_id": old.id, "note": review.note},
    )
    return review


def _withdraw(session: Session, principal: Principal, p: Person, review: IdReview) -> None:
    """The provisional entry of someone who did not move: kept with its history, no longer counted."""
    if p.household_id is not None:
        h = repo.household_by_id(session, p.household_id)
        if h is not None and h.head_person_id == p.id:
            h.head_person_id = None
    p.status, p.moved_out_on = "withdrawn", date.today()
    add_event(
        session, principal, "withdrawn", p.area_code, person_id=p.id, household_id=p.household_id,
        details={"reason": "registered elsewhere", "review": review.id},
    )  # fmt: skip
    _tell_withdrawn(session, p, review)


def _tell_withdrawn(session: Session, p: Person, review: IdReview) -> None:
    """The staff of the withdrawn entry's grid learn of it in their inbox: their entry only, nothing of the
    other entry's area, household or name (the text is in both languages, as the readers' may differ)."""
    from linli.areas import repository as areas_repo
    from linli.notify import outbox

    where = f"户 {p.household_id} household {p.household_id}, " if p.household_id is not None else ""
    grid = codes.unpad(p.area_code)
    outbox.fan_out(
        session,
        ref=f"id_review:{review.id}",
        kind="residents.withdrawn",
        area_code=grid,
        content={
            "title": f"登记已撤销 entry withdrawn: {p.name}（人员 person {p.id}）",
            "body": (
                f"{p.name}（{where}人员 person {p.id}）已在别处登记且未迁入，经核查撤销本条登记，历史记录保留。"
                " This person is registered elsewhere and did not move here: after a review the entry was"
                " withdrawn; its history is kept."
            ),
            "link": f"/households/{p.household_id}" if p.household_id is not None else None,
            "person_id": p.id,
        },
        users=areas_repo.staff_of(grid),
    )


def review_out(session: Session, review: IdReview):
    from linli.residents.schemas import IdReviewOut
    from linli.residents.service.persons import persons_out

    new, old = persons_out(
        session, [repo.person_by_id(session, review.person_id), repo.person_by_id(session, review.existing_person_id)]
    )
    return IdReviewOut(
        id=review.id,
        status=review.status,
        area_code=codes.unpad(review.area_code),
        person=new,
        existing_person=old,
        created_by=review.created_by,
        created_at=review.created_at,
        resolved_by=review.resolved_by,
        resolved_at=review.resolved_at,
        note=review.note,
    )
