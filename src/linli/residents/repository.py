"""All SQL about buildings, households, persons, tags, events and transfers. Scoped reads take an AreaScope."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import any_, bindparam, func, or_, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.authz.models import Grant
from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.residents.models import (
    AccountLink,
    Building,
    Household,
    IdCheck,
    IdReview,
    Person,
    PersonTag,
    ResidentEvent,
    TransferRequest,
)


def get_building(session: Session, building_id: int, scope: AreaScope) -> Building | None:
    return session.scalar(select(Building).where(Building.id == building_id, scope.clause(Building.area_code)))


def buildings_in(
    session: Session, code: str, scope: AreaScope, *, offset: int, limit: int
) -> tuple[list[Building], int]:
    low, high = codes.subtree_range(code)
    cond = [Building.area_code >= low, Building.area_code < high, scope.clause(Building.area_code)]
    total = session.scalar(select(func.count()).select_from(Building).where(*cond)) or 0
    rows = session.scalars(select(Building).where(*cond).order_by(Building.id).offset(offset).limit(limit)).all()
    return list(rows), total


def get_household(session: Session, household_id: int, scope: AreaScope) -> Household | None:
    return session.scalar(select(Household).where(Household.id == household_id, scope.clause(Household.area_code)))


def households_in(
    session: Session, code: str, scope: AreaScope, *, offset: int, limit: int, include_closed: bool = False
) -> tuple[list[Household], int]:
    low, high = codes.subtree_range(code)
    cond = [Household.area_code >= low, Household.area_code < high, scope.clause(Household.area_code)]
    if not include_closed:
        cond.append(Household.status == "active")
    total = session.scalar(select(func.count()).select_from(Household).where(*cond)) or 0
    rows = session.scalars(
        select(Household).where(*cond).order_by(Household.area_code, Household.id).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def contains(text: str) -> str:
    """A LIKE pattern (escape character backslash) matching values that contain `text` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def active_households_of_grid(
    session: Session, grid: str, scope: AreaScope, *, exclude_id: int, text: str, limit: int
) -> tuple[list[Household], int]:
    """Active households of one grid (padded code) but one, whose address or head's name contains `text`."""
    cond = [
        Household.area_code == grid,
        scope.clause(Household.area_code),
        Household.status == "active",
        Household.id != exclude_id,
    ]
    if text:
        heads = select(Person.id).where(Person.area_code == grid, Person.name.like(contains(text), escape="\\"))
        cond.append(or_(Household.address.like(contains(text), escape="\\"), Household.head_person_id.in_(heads)))
    total = session.scalar(select(func.count()).select_from(Household).where(*cond)) or 0
    rows = session.scalars(select(Household).where(*cond).order_by(Household.address, Household.id).limit(limit))
    return list(rows), total


def member_counts(session: Session, household_ids: Sequence[int]) -> dict[int, int]:
    if not household_ids:
        return {}
    rows = session.execute(
        select(Person.household_id, func.count())
        .where(Person.household_id.in_(list(household_ids)), Person.status == "present")
        .group_by(Person.household_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def names_of(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    ids = [i for i in person_ids if i is not None]
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all())  # type: ignore[arg-type]


def account_link_of_person(session: Session, person_id: int) -> AccountLink | None:
    return session.scalar(select(AccountLink).where(AccountLink.person_id == person_id))


def account_link_of_user(session: Session, user_id: int) -> AccountLink | None:
    return session.get(AccountLink, user_id)


def linked_usernames(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    """person id → the user name of the account linked to them, for those linked."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(AccountLink.person_id, User.username)
        .join(User, User.id == AccountLink.user_id)
        .where(AccountLink.person_id.in_(list(person_ids)))
    ).all()
    return {pid: name for pid, name in rows}


def unlinked(person_id_column):
    """A condition: the person has no linked account."""
    return ~select(AccountLink.person_id).where(AccountLink.person_id == person_id_column).exists()


def user_by_name(session: Session, username: str) -> User | None:
    """The account with this user name: exactly as typed, else ignoring case (names are unique ignoring case)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = session.scalar(select(User).where(func.lower(User.username) == username.lower()).limit(1))
    return user


def roles_of(session: Session, user_id: int) -> set[str]:
    return set(session.scalars(select(Grant.role).where(Grant.user_id == user_id)))


def members(session: Session, household_id: int, *, present_only: bool = True) -> list[Person]:
    stmt = select(Person).where(Person.household_id == household_id)
    if present_only:
        stmt = stmt.where(Person.status == "present")
    return list(session.scalars(stmt.order_by(Person.id)))


def get_person(session: Session, person_id: int, scope: AreaScope) -> Person | None:
    return session.scalar(select(Person).where(Person.id == person_id, scope.clause(Person.area_code)))


def one_of(session: Session, column, values: Sequence):
    """`column IN values`; on PostgreSQL `= ANY(array)`, one parameter however many values (a cached plan)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(list(values))


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


def events_of_household(session: Session, household_id: int) -> list[ResidentEvent]:
    return list(
        session.scalars(
            select(ResidentEvent)
            .where(ResidentEvent.household_id == household_id, ResidentEvent.person_id.is_(None))
            .order_by(ResidentEvent.id)
        )
    )


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
) -> tuple[list[Person], int]:
    low, high = codes.subtree_range(code)
    cond = [Person.area_code >= low, Person.area_code < high, scope.clause(Person.area_code)]
    if name:
        cond.append(Person.name.like(contains(name), escape="\\"))
    if id_bidx:
        from linli.residents.id_reviews import id_index_clause  # (it reads the reviews' held numbers)

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
            PersonTag.area_code >= low,
            PersonTag.area_code < high,
            PersonTag.start_on <= today,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
        )
        cond.append(Person.id.in_(tagged))
    total = session.scalar(select(func.count()).select_from(Person).where(*cond)) or 0
    rows = session.scalars(
        select(Person).where(*cond).order_by(Person.area_code, Person.id).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def get_transfer(session: Session, transfer_id: int, scope: AreaScope) -> TransferRequest | None:
    """A transfer is visible from both ends: the source grid and the target grid."""
    return session.scalar(
        select(TransferRequest).where(
            TransferRequest.id == transfer_id,
            or_(scope.clause(TransferRequest.area_code), scope.clause(TransferRequest.to_area)),
        )
    )


def transfers(
    session: Session, scope: AreaScope, *, status: str | None, offset: int, limit: int
) -> tuple[list[TransferRequest], int]:
    cond = [or_(scope.clause(TransferRequest.area_code), scope.clause(TransferRequest.to_area))]
    if status:
        cond.append(TransferRequest.status == status)
    total = session.scalar(select(func.count()).select_from(TransferRequest).where(*cond)) or 0
    rows = session.scalars(
        select(TransferRequest).where(*cond).order_by(TransferRequest.id.desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), total


def pending_transfer_for(session: Session, *, person_id: int | None, household_id: int | None):
    stmt = select(TransferRequest).where(TransferRequest.status == "pending")
    if person_id is not None:
        stmt = stmt.where(TransferRequest.person_id == person_id)
    if household_id is not None:
        stmt = stmt.where(TransferRequest.household_id == household_id)
    return session.scalar(stmt.limit(1))
