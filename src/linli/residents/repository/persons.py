"""SQL of persons, their tags and history: scoped reads, lookups by blind index, the search, the counts by
tag and age band, and the rows of an export."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date

from sqlalchemy import Select, case, func, or_, select, union_all
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.residents.kinds import AGE_BANDS
from linli.residents.models import Household, IdCheck, IdReview, Person, PersonTag, ResidentEvent
from linli.residents.repository.common import contains, one_of, years_before
from linli.residents.repository.id_reviews import id_index_clause


def get_person(session: Session, person_id: int, scope: AreaScope) -> Person | None:
    return session.scalar(select(Person).where(Person.id == person_id, scope.clause(Person.area_code)))


def person_by_id(session: Session, person_id: int) -> Person | None:
    """A person by their id, unscoped: for one the caller reached through a scoped read or a link."""
    return session.get(Person, person_id)


def names_of(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    ids = [i for i in person_ids if i is not None]
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())  # type: ignore[arg-type]


def members(session: Session, household_id: int, *, present_only: bool = True) -> list[Person]:
    stmt = select(Person).where(Person.household_id == household_id)
    if present_only:
        stmt = stmt.where(Person.status == "present")
    return list(session.scalars(stmt.order_by(Person.id)))


def has_residents(session: Session, code: str) -> bool:
    """Whether anyone (of any status) is registered under the area `code`."""
    stmt = select(Person.id).where(subtree_clause(Person.area_code, code)).limit(1)
    return session.scalar(stmt) is not None


def persons_by_id_indexes(
    session: Session, bidxs: Sequence[str], readable: Callable[[str], bool] | None = None
) -> dict[str, tuple[int, str, int | None]]:
    """bidx → (person id, area_code, household id) of an entry registered with it, unscoped, for import
    validation: the one holding the index, or one whose number waits for its ID check or is in a review
    (held elsewhere); of several, one in an area `readable` accepts."""
    out: dict[str, tuple[int, str, int | None]] = {}
    p = Person
    for i in range(0, len(bidxs), 5000):
        chunk = list(bidxs[i : i + 5000])
        holders = select(p.id_number_bidx, p.id, p.area_code, p.household_id).where(
            one_of(session, p.id_number_bidx, chunk)
        )
        queued = (
            select(IdCheck.id_number_bidx, p.id, p.area_code, p.household_id)
            .join(p, p.id == IdCheck.person_id)
            .where(one_of(session, IdCheck.id_number_bidx, chunk))
        )
        reviewed = (
            select(IdReview.id_number_bidx, p.id, p.area_code, p.household_id)
            .join(p, p.id == IdReview.person_id)
            .where(one_of(session, IdReview.id_number_bidx, chunk), IdReview.status != "corrected")
            .where(p.status != "withdrawn")
        )
        for bidx, pid, area, hid in session.execute(union_all(holders, queued, reviewed)):
            had = out.get(bidx)
            if had is None or (readable is not None and not readable(had[1]) and readable(area)):
                out[bidx] = (pid, area, hid)
    return out


# --- tags -----------------------------------------------------------------------------------------


def tags_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[PersonTag]]:
    out: dict[int, list[PersonTag]] = {}
    if not person_ids:
        return out
    for t in session.scalars(select(PersonTag).where(PersonTag.person_id.in_(list(person_ids))).order_by(PersonTag.id)):
        out.setdefault(t.person_id, []).append(t)
    return out


def get_tag(session: Session, tag_id: int, person_id: int) -> PersonTag | None:
    return session.scalar(select(PersonTag).where(PersonTag.id == tag_id, PersonTag.person_id == person_id))


def current_tag(session: Session, person_id: int, tag: str, today: date) -> PersonTag | None:
    """The person's tag of this kind that has not ended by today (no end date, or a later one), if any."""
    return session.scalar(
        select(PersonTag)
        .where(
            PersonTag.person_id == person_id,
            PersonTag.tag == tag,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on > today),
        )
        .order_by(PersonTag.start_on)
        .limit(1)
    )


def lock_person(session: Session, person_id: int) -> None:
    """Holds the person's row until the transaction ends (PostgreSQL; SQLite serialises writers anyway)."""
    session.execute(select(Person.id).where(Person.id == person_id).with_for_update())


def open_tags(session: Session, person_ids: Sequence[int]) -> list[PersonTag]:
    if not person_ids:
        return []
    return list(
        session.scalars(select(PersonTag).where(PersonTag.person_id.in_(list(person_ids)), PersonTag.end_on.is_(None)))
    )


def events_of_person(session: Session, person_id: int) -> list[ResidentEvent]:
    return list(
        session.scalars(select(ResidentEvent).where(ResidentEvent.person_id == person_id).order_by(ResidentEvent.id))
    )


# --- search and counts ----------------------------------------------------------------------------


def search_persons(
    session: Session,
    code: str,
    scope: AreaScope,
    *,
    name: str | None,
    id_bidx: str | None,
    phone_bidx: str | None,
    tag: str | None,
    born_after: date | None,
    born_before: date | None,
    status: str | None,
    offset: int,
    limit: int,
    today: date,
    register_type: str | None = None,
) -> tuple[list[Person], int]:
    cond = [subtree_clause(Person.area_code, code), scope.clause(Person.area_code)]
    if register_type:
        cond.append(Person.household_id.in_(_households_of_type(code, register_type)))
    if name:
        cond.append(Person.name.like(contains(name), escape="\\"))
    if id_bidx:
        cond.append(id_index_clause(id_bidx))
    if phone_bidx:
        cond.append(Person.phone_bidx == phone_bidx)
    if born_after:
        cond.append(Person.birth_date > born_after)
    if born_before:
        cond.append(Person.birth_date <= born_before)
    if status:
        cond.append(Person.status == status)
    if tag:
        tagged = select(PersonTag.person_id).where(
            PersonTag.tag == tag,
            subtree_clause(PersonTag.area_code, code),
            PersonTag.start_on <= today,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
        )
        cond.append(Person.id.in_(tagged))
    total = session.scalar(select(func.count()).select_from(Person).where(*cond)) or 0
    rows = session.scalars(
        select(Person).where(*cond).order_by(Person.area_code, Person.id).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def _households_of_type(code: str, register_type: str) -> Select:
    return select(Household.id).where(
        subtree_clause(Household.area_code, code), Household.register_type == register_type
    )


def _tagged_under(code: str, tag: str, today: date) -> Select:
    """The persons under `code` holding `tag` on `today`."""
    return select(PersonTag.person_id).where(
        PersonTag.tag == tag,
        subtree_clause(PersonTag.area_code, code),
        PersonTag.start_on <= today,
        or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
    )


def tag_counts_by_child(
    session: Session, code: str, scope: AreaScope, child_length: int, today: date
) -> list[tuple[str, str, int]]:
    """(child area code, tag, persons) of the tags on today under `code` within `scope`, by the child area
    of `child_length` digits: one GROUP BY over the tag rows of the subtree's range."""
    child = func.substr(PersonTag.area_code, 1, child_length)
    return session.execute(
        select(child, PersonTag.tag, func.count())
        .where(
            subtree_clause(PersonTag.area_code, code),
            scope.clause(PersonTag.area_code),
            PersonTag.start_on <= today,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
        )
        .group_by(child, PersonTag.tag)
    ).all()  # type: ignore[return-value]


def _age_band(today: date):
    whens = [(Person.birth_date > years_before(today, hi), label) for _, hi, label in AGE_BANDS[:-1]]
    return case(*whens, else_=AGE_BANDS[-1][2])


def present_persons_by_child_and_band(
    session: Session, code: str, scope: AreaScope, child_length: int, today: date
) -> list[tuple[str, str, int]]:
    """(child area code, age band label, persons) of the present persons under `code` within `scope`."""
    child = func.substr(Person.area_code, 1, child_length)
    band = _age_band(today)
    return session.execute(
        select(child, band, func.count())
        .where(subtree_clause(Person.area_code, code), scope.clause(Person.area_code), Person.status == "present")
        .group_by(child, band)
    ).all()  # type: ignore[return-value]


# --- export ---------------------------------------------------------------------------------------


def present_persons_with_households(
    session: Session,
    code: str,
    scope: AreaScope,
    *,
    batch: int = 2000,
    name: str | None = None,
    tag: str | None = None,
    register_type: str | None = None,
    today: date | None = None,
) -> Iterator[tuple[Person, Household | None]]:
    """The present persons under `code` within `scope` (whose name contains `name`, holding `tag` today, in
    a household of `register_type`) with their household (if any), by area, household and id, fetched
    `batch` rows at a time."""
    cond = [subtree_clause(Person.area_code, code), scope.clause(Person.area_code), Person.status == "present"]
    if name:
        cond.append(Person.name.like(contains(name), escape="\\"))
    if tag:
        cond.append(Person.id.in_(_tagged_under(code, tag, today or date.today())))
    if register_type:
        cond.append(Household.register_type == register_type)
    stmt = (
        select(Person, Household)
        .join(Household, Household.id == Person.household_id, isouter=True)
        .where(*cond)
        .order_by(Person.area_code, Person.household_id, Person.id)
        .execution_options(yield_per=batch)
    )
    yield from session.execute(stmt).tuples()


def current_tag_names(session: Session, person_ids: Sequence[int], today: date) -> list[tuple[int, str]]:
    """(person id, tag) of the persons' tags on today."""
    return session.execute(
        select(PersonTag.person_id, PersonTag.tag).where(
            PersonTag.person_id.in_(list(person_ids)),
            PersonTag.start_on <= today,
            (PersonTag.end_on.is_(None)) | (PersonTag.end_on >= today),
        )
    ).all()  # type: ignore[return-value]


def tagged_persons(tag: str, today: date) -> Select:
    """The persons holding `tag` on `today` (a selectable of person ids: whom a notice to, say, the
    elderly living alone reaches among the subscribers)."""
    return select(PersonTag.person_id).where(
        PersonTag.tag == tag,
        PersonTag.start_on <= today,
        or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
    )


def persons_in_audience(session: Session, code: str, scope: AreaScope, today: date, tag: str | None = None) -> int:
    """The present persons under `code` (within `scope`), or those holding `tag` today: how many residents a
    notice to the area (or to the tag) is meant for."""
    if tag is None:
        where = [subtree_clause(Person.area_code, code), scope.clause(Person.area_code), Person.status == "present"]
        return int(session.scalar(select(func.count()).where(*where)) or 0)
    stmt = select(func.count(func.distinct(PersonTag.person_id))).where(
        PersonTag.tag == tag,
        subtree_clause(PersonTag.area_code, code),
        scope.clause(PersonTag.area_code),
        PersonTag.start_on <= today,
        or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
    )
    return int(session.scalar(stmt) or 0)
