"""SQL of buildings and households: scoped reads, a grid's households, member counts, the household page's
tags and timeline, the households a transfer may join."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.residents.models import Building, Household, Person, PersonTag, ResidentEvent
from linli.residents.repository.common import contains, one_of
from linli.residents.repository.id_reviews import id_index_clause


def get_building(session: Session, building_id: int, scope: AreaScope) -> Building | None:
    return session.scalar(select(Building).where(Building.id == building_id, scope.clause(Building.area_code)))


def buildings_in(
    session: Session, code: str, scope: AreaScope, *, offset: int, limit: int
) -> tuple[list[Building], int]:
    cond = [subtree_clause(Building.area_code, code), scope.clause(Building.area_code)]
    total = session.scalar(select(func.count()).select_from(Building).where(*cond)) or 0
    rows = session.scalars(select(Building).where(*cond).order_by(Building.id).offset(offset).limit(limit)).all()
    return list(rows), total


def get_household(session: Session, household_id: int, scope: AreaScope) -> Household | None:
    return session.scalar(select(Household).where(Household.id == household_id, scope.clause(Household.area_code)))


def household_by_id(session: Session, household_id: int) -> Household | None:
    """A household by its id, unscoped: for one the caller reached through a scoped read (a transfer's)."""
    return session.get(Household, household_id)


def households_in(
    session: Session, code: str, scope: AreaScope, *, offset: int, limit: int, include_closed: bool = False
) -> tuple[list[Household], int]:
    cond = [subtree_clause(Household.area_code, code), scope.clause(Household.area_code)]
    if not include_closed:
        cond.append(Household.status == "active")
    total = session.scalar(select(func.count()).select_from(Household).where(*cond)) or 0
    rows = session.scalars(
        select(Household).where(*cond).order_by(Household.sort_key, Household.id).offset(offset).limit(limit)
    ).all()
    return list(rows), total


@dataclass(frozen=True)
class HouseholdFilter:
    """What a household search asks for (blind indexes, not numbers); None or "" asks nothing."""

    text: str = ""  # part of the address or of a present member's name
    room: str = ""
    building_id: int | None = None
    id_bidx: str | None = None
    phone_bidx: str | None = None
    tag: str | None = None
    register_type: str | None = None


def _members_where(code: str, *cond) -> Select:
    """The households of the present persons under `code` matching `cond`."""
    return select(Person.household_id).where(
        subtree_clause(Person.area_code, code), Person.status == "present", Person.household_id.is_not(None), *cond
    )


def search_households(
    session: Session, code: str, scope: AreaScope, f: HouseholdFilter, *, today: date, offset: int, limit: int
) -> tuple[list[Household], int]:
    """The active households under `code` within `scope` matching every part of `f`, in address order
    (Household.sort_key: numbers in numeric order), a page of them and how many match."""
    cond = [subtree_clause(Household.area_code, code), scope.clause(Household.area_code), Household.status == "active"]
    if f.text:
        like = contains(f.text)
        named = _members_where(code, Person.name.like(like, escape="\\"))
        cond.append(or_(Household.address.like(like, escape="\\"), Household.id.in_(named)))
    if f.room:
        cond.append(or_(Household.room == f.room, Household.address.like(contains(f.room + "室"), escape="\\")))
    if f.building_id is not None:
        cond.append(Household.building_id == f.building_id)
    if f.id_bidx:
        cond.append(Household.id.in_(_members_where(code, id_index_clause(f.id_bidx))))
    if f.phone_bidx:
        cond.append(Household.id.in_(_members_where(code, Person.phone_bidx == f.phone_bidx)))
    if f.tag:
        tagged = select(PersonTag.person_id).where(
            subtree_clause(PersonTag.area_code, code),
            PersonTag.tag == f.tag,
            PersonTag.start_on <= today,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
        )
        cond.append(Household.id.in_(_members_where(code, Person.id.in_(tagged))))
    if f.register_type:
        cond.append(Household.register_type == f.register_type)
    total = session.scalar(select(func.count()).select_from(Household).where(*cond)) or 0
    rows = session.scalars(
        select(Household).where(*cond).order_by(Household.sort_key, Household.id).offset(offset).limit(limit)
    )
    return list(rows), total


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


def active_households_in_grids(
    session: Session, grids: Sequence[str], scope: AreaScope
) -> list[tuple[int, str, str, str, str, str | None]]:
    """(id, padded grid, address, unit, room, head's name) of the active households of the grids (padded
    codes) inside `scope`, by grid and address: the households a transfer's person may join."""
    return [
        tuple(row)
        for row in session.execute(
            select(Household.id, Household.area_code, Household.address, Household.unit, Household.room, Person.name)
            .outerjoin(Person, Person.id == Household.head_person_id)
            .where(
                Household.area_code.in_(sorted(grids)), Household.status == "active", scope.clause(Household.area_code)
            )
            .order_by(Household.area_code, Household.address, Household.id)
        ).all()
    ]


def member_counts(session: Session, household_ids: Sequence[int]) -> dict[int, int]:
    if not household_ids:
        return {}
    rows = session.execute(
        select(Person.household_id, func.count())
        .where(Person.household_id.in_(list(household_ids)), Person.status == "present")
        .group_by(Person.household_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def current_tags_of_households(session: Session, household_ids: Sequence[int], today: date) -> dict[int, list[str]]:
    """Today's tags of the present members of each household: household id → sorted distinct tags."""
    if not household_ids:
        return {}
    rows = session.execute(
        select(Person.household_id, PersonTag.tag)
        .join(PersonTag, PersonTag.person_id == Person.id)
        .where(
            Person.household_id.in_(list(household_ids)),
            Person.status == "present",
            PersonTag.start_on <= today,
            or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
        )
        .distinct()
    ).all()
    out: dict[int, set[str]] = {}
    for hid, tag in rows:
        out.setdefault(hid, set()).add(tag)
    return {k: sorted(v) for k, v in out.items()}


def household_timeline(session: Session, household_id: int, *, limit: int = 200) -> list[ResidentEvent]:
    """The household's events and those of everyone who was ever in it (moves away, deaths), newest first."""
    members = select(ResidentEvent.person_id).where(
        ResidentEvent.household_id == household_id, ResidentEvent.person_id.is_not(None)
    )
    cond = or_(ResidentEvent.household_id == household_id, ResidentEvent.person_id.in_(members))
    return list(session.scalars(select(ResidentEvent).where(cond).order_by(ResidentEvent.id.desc()).limit(limit)))


def events_of_household(session: Session, household_id: int) -> list[ResidentEvent]:
    """The household's own events (not its members'), oldest first."""
    return list(
        session.scalars(
            select(ResidentEvent)
            .where(ResidentEvent.household_id == household_id, ResidentEvent.person_id.is_(None))
            .order_by(ResidentEvent.id)
        )
    )


def households_by_import_key(
    session: Session, keys: Sequence[tuple[str, str]]
) -> list[tuple[int, str, str, int | None]]:
    """(id, padded grid, import key, head's person id) of the households registered under the (padded grid,
    户编号) pairs `keys` (and possibly of other pairs of the same grids and keys: the caller matches)."""
    stmt = select(Household.id, Household.area_code, Household.import_key, Household.head_person_id).where(
        one_of(session, Household.import_key, {k for _, k in keys}),
        one_of(session, Household.area_code, {g for g, _ in keys}),
    )
    return [tuple(row) for row in session.execute(stmt)]  # type: ignore[misc]
