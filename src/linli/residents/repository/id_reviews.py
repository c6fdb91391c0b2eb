"""SQL of ID numbers registered twice: who holds a number (also while it waits for its check or its
review), the queued checks, and the supervisors' reviews."""

from __future__ import annotations

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session, aliased

from linli.authz.scope import AreaScope
from linli.residents.kinds import IdReviewStatus
from linli.residents.models import IdCheck, IdReview, Person


def id_index_clause(bidx: str):
    """SQL condition "an entry registered with this ID number": the one holding the index, entries whose
    number waits for the worker's check or is in a review, and older entries that moved away after one."""
    provisional = select(IdReview.person_id).where(
        IdReview.id_number_bidx == bidx, IdReview.status != IdReviewStatus.corrected.value
    )
    moved = select(IdReview.existing_person_id).where(
        IdReview.id_number_bidx == bidx, IdReview.status == IdReviewStatus.moved.value
    )
    unchecked = select(IdCheck.person_id).where(IdCheck.id_number_bidx == bidx)
    # One IN over a union of a few ids (each part read through its own index), not "index = x OR id IN (…)":
    # with an area's range beside it, PostgreSQL answered the OR by reading every person of the area
    # (1.4 s for a county of 500,000 persons; see bench/bench_residents_queries.py).
    holder = aliased(Person)
    holding = select(holder.id).where(holder.id_number_bidx == bidx)
    return Person.id.in_(holding.union(provisional, moved, unchecked))


def persons_with_index(session: Session, bidx: str) -> list[Person]:
    """Every entry registered with this ID number, withdrawn ones aside."""
    stmt = select(Person).where(id_index_clause(bidx), Person.status != "withdrawn").order_by(Person.id)
    return list(session.scalars(stmt))


def ids_and_areas_with_index(session: Session, bidx: str) -> list[tuple[int, str]]:
    """(person id, padded area) of every entry registered with this ID number, withdrawn ones aside, by id:
    nothing more is loaded of an entry the asker may not read."""
    stmt = select(Person.id, Person.area_code).where(id_index_clause(bidx), Person.status != "withdrawn")
    return [(pid, area) for pid, area in session.execute(stmt.order_by(Person.id))]


# --- the worker's checks --------------------------------------------------------------------------


def clear_free_checks(session: Session) -> None:
    """Drop the queued checks of numbers their entry holds (they were free when set): one statement for a
    whole import's."""
    session.execute(
        delete(IdCheck).where(
            exists().where(Person.id == IdCheck.person_id, Person.id_number_bidx == IdCheck.id_number_bidx)
        )
    )


def queued_checks(session: Session, *, after: int, limit: int) -> list[IdCheck]:
    """The next `limit` queued checks after the id `after`, oldest first."""
    return list(session.scalars(select(IdCheck).where(IdCheck.id > after).order_by(IdCheck.id).limit(limit)))


def review_opened_for(session: Session, person_id: int, bidx: str) -> bool:
    """Whether a review (not closed as corrected) of this entry's number was opened already."""
    stmt = select(IdReview.id).where(
        IdReview.person_id == person_id,
        IdReview.id_number_bidx == bidx,
        IdReview.status != IdReviewStatus.corrected.value,
    )
    return session.scalar(stmt) is not None


# --- the reviews ----------------------------------------------------------------------------------


def undecided_reviews_of(session: Session, person_id: int) -> list[IdReview]:
    """The reviews of an entry's number still to decide (open) or to correct (different)."""
    stmt = select(IdReview).where(IdReview.person_id == person_id, IdReview.status.in_(("open", "different")))
    return list(session.scalars(stmt))


def reviews(
    session: Session, scope: AreaScope, *, status: str | None, offset: int, limit: int
) -> tuple[list[IdReview], int]:
    """Reviews at areas inside `scope`, newest first, and how many there are."""
    cond = [scope.clause(IdReview.area_code)]
    if status:
        cond.append(IdReview.status == status)
    total = session.scalar(select(func.count()).select_from(IdReview).where(*cond)) or 0
    rows = session.scalars(select(IdReview).where(*cond).order_by(IdReview.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def get_review(session: Session, review_id: int, scope: AreaScope) -> IdReview | None:
    return session.scalar(select(IdReview).where(IdReview.id == review_id, scope.clause(IdReview.area_code)))
