"""Places, the voter base computed from the register, the bodies' registers (seats)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import subtree_clause
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.residents.models import Household, Person
from linli.selfgov.models import (
    BodyMember,
)

READ = Permission.selfgov_read
WRITE = Permission.selfgov_write
SUPERVISE = Permission.selfgov_supervise
ADULT_YEARS = 18


def reaches(principal: Principal, area_code: str) -> bool:
    """Whether the principal may read a row of this place: inside their scope, or above their grant."""
    if principal.can(READ, area_code):
        return True
    place = codes.unpad(codes.pad(area_code))
    return any(codes.is_ancestor(place, c) for c in principal.scope(READ).area_codes)


def place(session: Session, principal: Principal, code: str, permission: Permission = WRITE) -> Area:
    """A village or community where the principal holds `permission` (404 out of reach, 422 not a village)."""
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    area = area_repo.find_area(session, code)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    if area.level != "village":
        raise InvalidInput(
            t("{name} is not a village or community: meetings and matters belong to one", name=area.name)
        )
    return area


def place_or_above(session: Session, principal: Principal, code: str) -> Area:
    """An area whose matters the principal may read: inside their scope, or their own village above them."""
    if not codes.is_valid(code) or not reaches(principal, code):
        raise NotFound(t("area {code} does not exist", code=code))
    area = area_repo.find_area(session, code)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def area_of(session: Session, code: str) -> Area:
    area = area_repo.find_area(session, codes.unpad(code))
    if area is None:
        raise NotFound(t("area {code} does not exist", code=codes.unpad(code)))
    return area


# --- the voter base --------------------------------------------------------------------------------


def _lived_there(day: date):
    """SQL: the person lived at their registered place on `day` (moved in by then, not yet gone)."""
    arrived = or_(Person.moved_in_on.is_(None), Person.moved_in_on <= day)
    stayed = or_(
        Person.status == "present",
        and_(Person.status == "moved_out", Person.moved_out_on > day),
        and_(Person.status == "deceased", Person.died_on > day),
    )
    return and_(arrived, stayed)


def _adult_on(day: date):
    try:
        born_by = day.replace(year=day.year - ADULT_YEARS)
    except ValueError:  # 29 February
        born_by = day.replace(year=day.year - ADULT_YEARS, day=28)
    return Person.birth_date <= born_by


def adults(session: Session, code: str, day: date) -> list[tuple[int, int | None, bool]]:
    """(person, household, woman) of everyone 18 or over on `day` living under `code` then."""
    q = select(Person.id, Person.household_id, Person.gender == "female").where(
        subtree_clause(Person.area_code, code), _adult_on(day), _lived_there(day)
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


def household_representatives(session: Session, code: str, day: date) -> list[tuple[int, int | None, bool]]:
    """Each active household under `code` by its head, when the head is an adult living there on `day`."""
    q = (
        select(Person.id, Household.id, Person.gender == "female")
        .join(Person, Person.id == Household.head_person_id)
        .where(
            subtree_clause(Household.area_code, code),
            Household.status == "active",
            _adult_on(day),
            _lived_there(day),
        )
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


def party_members(session: Session, code: str, day: date) -> list[tuple[int, int | None, bool]]:
    q = select(Person.id, Person.household_id, Person.gender == "female").where(
        subtree_clause(Person.area_code, code), Person.party_member.is_(True), _adult_on(day), _lived_there(day)
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


def seated(session: Session, code: str, bodies: Sequence[str], day: date) -> list[tuple[int, int | None, bool]]:
    """The persons holding a seat on `bodies` of the village on `day`, each once (一肩挑 counts once)."""
    q = (
        select(Person.id, Person.household_id, Person.gender == "female")
        .join(BodyMember, BodyMember.person_id == Person.id)
        .where(
            BodyMember.area_code == codes.pad(code),
            BodyMember.body.in_(list(bodies)),
            BodyMember.term_from <= day,
            or_(BodyMember.term_to.is_(None), BodyMember.term_to >= day),
        )
        .distinct()
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


# --- bodies ----------------------------------------------------------------------------------------


def members_of(session: Session, code: str, day: date | None = None) -> list[BodyMember]:
    q = select(BodyMember).where(BodyMember.area_code == codes.pad(code))
    if day is not None:
        q = q.where(BodyMember.term_from <= day, or_(BodyMember.term_to.is_(None), BodyMember.term_to >= day))
    return list(session.scalars(q.order_by(BodyMember.body, BodyMember.post, BodyMember.id)))


def member_readable(session: Session, principal: Principal, member_id: int) -> BodyMember:
    m = session.get(BodyMember, member_id)
    if m is None or not reaches(principal, m.area_code):
        raise NotFound(t("seat {id} does not exist", id=member_id))
    return m


def member_for_update(session: Session, member_id: int) -> BodyMember | None:
    return session.get(BodyMember, member_id, with_for_update=True)


def person_place(session: Session, person_id: int) -> tuple[str, str, bool] | None:
    """(padded area code, gender, present) of a register entry, for checking a seat's holder."""
    row = session.execute(
        select(Person.area_code, Person.gender, Person.status == "present").where(Person.id == person_id)
    ).first()
    return tuple(row) if row else None


def most_peopled_village(session: Session, county: str, kind: str) -> Area | None:
    """The village (or community) of a county with the most people registered, Party members among them
    (the demo's: its Party members' meeting needs some)."""
    counts: dict[str, list[int]] = {}
    q = select(Person.area_code, Person.party_member).where(subtree_clause(Person.area_code, county))
    for code, party in session.execute(q):
        found = counts.setdefault(code[:12], [0, 0])
        found[0] += 1
        found[1] += 1 if party else 0
    places = area_repo.get_areas(session, sorted(counts))
    ranked = sorted((c for c, a in places.items() if a.kind == kind and counts[c][1]), key=lambda c: (-counts[c][0], c))
    return places[ranked[0]] if ranked else None
