"""Looking a person up by ID number without saying anything about other areas, and the supervisor's
review of an ID number registered in two workers' areas.

A worker who registers a number already registered where they cannot read gets exactly the answer of
a free number: the entry is made (same status, same body, same statements but one small insert), and
an `IdReview` goes to those who hold residents.write at the lowest area common to both entries. They
decide: the same person moved (the older entry moves away, the new one stays), the same person did
not move (the new entry is withdrawn, kept in the history), or different people (the new entry's ID
number is wrong; its creator corrects it). Every lookup by ID number is in the audit log.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.residents.events import add_event
from linli.residents.kinds import IdReviewStatus
from linli.residents.models import Household, IdReview, Person

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


def id_index_clause(bidx: str):
    """SQL condition "an entry registered with this ID number": the one holding the index, provisional
    entries whose number is in a review, and older entries that moved away after one."""
    provisional = select(IdReview.person_id).where(
        IdReview.id_number_bidx == bidx, IdReview.status != IdReviewStatus.corrected.value
    )
    moved = select(IdReview.existing_person_id).where(
        IdReview.id_number_bidx == bidx, IdReview.status == IdReviewStatus.moved.value
    )
    return or_(Person.id_number_bidx == bidx, Person.id.in_(provisional.union(moved)))


def persons_with_index(session: Session, bidx: str) -> list[Person]:
    """Every entry registered with this ID number, withdrawn ones aside."""
    stmt = select(Person).where(id_index_clause(bidx), Person.status != "withdrawn").order_by(Person.id)
    return list(session.scalars(stmt))


def audit_lookup(session: Session, principal: Principal, purpose: str, area: str, count: int = 1) -> None:
    """An entry in the audit log for looking up persons by ID number (never the number itself)."""
    record(
        session,
        principal,
        "persons.id_lookup",
        "id_number",
        purpose,
        area,
        after={"purpose": purpose, "numbers": count},
    )


def lookup(
    session: Session, principal: Principal, bidx: str, *, purpose: str, area: str
) -> tuple[Person | None, Person | None]:
    """(an entry with this ID number the principal may read, an entry they may not read), audited.

    The caller answers a conflict for the first and must answer exactly as for a free number for the
    second; one query either way.
    """
    audit_lookup(session, principal, purpose, area)
    seen = hidden = None
    for p in persons_with_index(session, bidx):
        if principal.can(Permission.residents_read, p.area_code):
            seen = seen or p
        else:
            hidden = hidden or p
    return seen, hidden


def open_review(session: Session, principal: Principal, person: Person, existing: Person, bidx: str) -> IdReview:
    """Ask the supervisors of both areas to decide (the new entry already holds a placeholder index)."""
    return open_review_of_ids(session, principal, person.id, person.area_code, existing.id, existing.area_code, bidx)


def open_review_of_ids(
    session: Session, principal: Principal, person_id: int, area: str, existing_id: int, existing_area: str, bidx: str
) -> IdReview:
    review = IdReview(
        area_code=common_area(area, existing_area),
        person_id=person_id,
        existing_person_id=existing_id,
        id_number_bidx=bidx,
        status=IdReviewStatus.open.value,
        created_by=principal.audit_name,
        created_at=utcnow(),
        note="",
    )
    session.add(review)
    session.flush()
    # At the common area, where the reviewers read the log; the creator's own area sees nothing of it.
    record(
        session,
        principal,
        "persons.id_review_open",
        "id_review",
        review.id,
        review.area_code,
        after={"person_id": person_id, "existing_person_id": existing_id},
    )
    return review


def close_as_corrected(session: Session, principal: Principal, person: Person) -> None:
    """The provisional entry's ID number was changed: its open review has nothing left to decide."""
    for review in session.scalars(
        select(IdReview).where(IdReview.person_id == person.id, IdReview.status.in_(("open", "different")))
    ):
        review.status, review.resolved_by, review.resolved_at = "corrected", principal.audit_name, utcnow()
        record(session, principal, "persons.id_review_corrected", "id_review", review.id, review.area_code)


# --- the reviewers' side ------------------------------------------------------------------------


def list_reviews(
    session: Session, principal: Principal, status: str | None, offset: int, limit: int
) -> tuple[list[IdReview], int]:
    """Reviews in the areas where the principal holds residents.write (counted the same way)."""
    cond = [principal.scope(W).clause(IdReview.area_code)]
    if status:
        cond.append(IdReview.status == status)
    total = session.scalar(select(func.count()).select_from(IdReview).where(*cond)) or 0
    rows = session.scalars(select(IdReview).where(*cond).order_by(IdReview.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def load_review(session: Session, principal: Principal, review_id: int) -> IdReview:
    review = session.scalar(
        select(IdReview).where(IdReview.id == review_id, principal.scope(W).clause(IdReview.area_code))
    )
    if review is None:
        raise NotFound(t("review {review_id} does not exist", review_id=review_id))
    return review


def resolve(session: Session, principal: Principal, review_id: int, outcome: IdReviewStatus, note: str) -> IdReview:
    """Decide a review (audited); the entries change through the register's own steps."""
    from linli.residents import history
    from linli.residents.schemas import MoveOutIn

    review = load_review(session, principal, review_id)
    if review.status != IdReviewStatus.open.value:
        raise Conflict(t("review {review_id} is already decided", review_id=review.id), code="review_decided")
    new, old = session.get(Person, review.person_id), session.get(Person, review.existing_person_id)
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
        h = session.get(Household, p.household_id)
        if h is not None and h.head_person_id == p.id:
            h.head_person_id = None
    p.status, p.moved_out_on = "withdrawn", date.today()
    add_event(
        session, principal, "withdrawn", p.area_code, person_id=p.id, household_id=p.household_id,
        details={"reason": "registered elsewhere", "review": review.id},
    )  # fmt: skip


def review_out(session: Session, review: IdReview):
    from linli.residents.schemas import IdReviewOut
    from linli.residents.service import persons_out

    new, old = persons_out(
        session, [session.get(Person, review.person_id), session.get(Person, review.existing_person_id)]
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
