"""All SQL of the facilities domain that reads: facilities (with rooms, hours and photos, three queries for
a page of them), the report rolled up per child area, happy-community sites, elderly university
branches, classes and enrolments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.authn.models import User
from linli.authz.scope import AreaScope, subtree_clause
from linli.facilities.kinds import OVER
from linli.facilities.models import (
    Branch,
    ElderClass,
    Enrolment,
    Facility,
    FacilityPhoto,
    FacilityRoom,
    HappyReview,
    HappySite,
    OpeningHours,
)
from linli.kit import codes


def place(session: Session, code: str) -> Area | None:
    """The community or village `code` (unscoped; callers check the principal, or the page is public)."""
    if not codes.is_valid(code) or len(code) != 12:
        return None
    area = session.get(Area, code)
    return area if area is not None and area.level == "village" else None


def get_facility(session: Session, scope: AreaScope, facility_id: int) -> Facility | None:
    f = session.get(Facility, facility_id)
    return f if f is not None and scope.contains(codes.unpad(f.area_code)) else None


def any_facility(session: Session, facility_id: int) -> Facility | None:
    """Unscoped: facilities are public (their pages have no sign-in)."""
    return session.get(Facility, facility_id)


def facilities_of_place(session: Session, code: str) -> list[Facility]:
    q = select(Facility).where(Facility.area_code == codes.pad(code)).order_by(Facility.id)
    return list(session.scalars(q))


def list_facilities(
    session: Session, scope: AreaScope, area_code: str | None, offset: int, limit: int
) -> tuple[list[Facility], int]:
    q = select(Facility).where(scope.clause(Facility.area_code))
    if area_code:
        q = q.where(subtree_clause(Facility.area_code, area_code))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(Facility.area_code, Facility.id).offset(offset).limit(limit)).all()
    return list(rows), total


def kinds_of(session: Session, place_codes: Sequence[str]) -> dict[str, str]:
    """code → area kind (community, village, …) of the places."""
    if not place_codes:
        return {}
    rows = session.execute(select(Area.code, Area.kind).where(Area.code.in_(sorted(set(place_codes))))).all()
    return dict(rows)


def rooms_of(session: Session, facility_ids: Sequence[int]) -> dict[int, list[FacilityRoom]]:
    out: dict[int, list[FacilityRoom]] = defaultdict(list)
    if facility_ids:
        q = select(FacilityRoom).where(FacilityRoom.facility_id.in_(facility_ids)).order_by(FacilityRoom.position)
        for r in session.scalars(q):
            out[r.facility_id].append(r)
    return out


def hours_of(session: Session, facility_ids: Sequence[int]) -> dict[int, list[OpeningHours]]:
    out: dict[int, list[OpeningHours]] = defaultdict(list)
    if facility_ids:
        q = select(OpeningHours).where(OpeningHours.facility_id.in_(facility_ids)).order_by(OpeningHours.weekday)
        for h in session.scalars(q):
            out[h.facility_id].append(h)
    return out


def photos_of(session: Session, facility_ids: Sequence[int]) -> dict[int, list[FacilityPhoto]]:
    out: dict[int, list[FacilityPhoto]] = defaultdict(list)
    if facility_ids:
        q = select(FacilityPhoto).where(FacilityPhoto.facility_id.in_(facility_ids)).order_by(FacilityPhoto.id)
        for p in session.scalars(q):
            out[p.facility_id].append(p)
    return out


def photo(session: Session, photo_id: int) -> FacilityPhoto | None:
    return session.get(FacilityPhoto, photo_id)


def generated_facilities(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Facility).where(Facility.generated.is_(True))) or 0


# --- the report ------------------------------------------------------------------------------------


@dataclass
class Tally:
    communities: int = 0
    communities_with: int = 0
    over_500: int = 0
    over_1000: int = 0
    villages: int = 0
    villages_with: int = 0
    village_area: Decimal = Decimal(0)


def report(session: Session, code: str) -> dict[str, Tally]:
    """Per child area of `code` (its own code for a village): the urban communities and villages, those
    with a facility, communities over 500 and 1,000 m² and the villages' total area. Two grouped queries."""
    width = min(codes.child_length(code), 12)
    low, high = OVER
    place_code = func.substr(Facility.area_code, 1, 12)
    per_place = (
        select(place_code.label("place"), func.sum(Facility.floor_area).label("total"))
        .where(subtree_clause(Facility.area_code, code))
        .group_by(place_code)
        .subquery()
    )
    child = func.substr(per_place.c.place, 1, width)
    with_facility = session.execute(
        select(
            child,
            Area.kind,
            func.count(),
            func.sum(case((per_place.c.total > low, 1), else_=0)),
            func.sum(case((per_place.c.total > high, 1), else_=0)),
            func.sum(per_place.c.total),
        )  # fmt: skip
        .select_from(per_place.join(Area, Area.code == per_place.c.place))
        .group_by(child, Area.kind)
    ).all()
    area_child = func.substr(Area.code, 1, width)
    places = session.execute(
        select(area_child, Area.kind, func.count())
        .where(subtree_clause(Area.area_code, code), Area.level == "village", Area.retired_at.is_(None))
        .group_by(area_child, Area.kind)
    ).all()
    out: dict[str, Tally] = defaultdict(Tally)
    for c, kind, n in places:
        if kind == "community":
            out[c].communities += n
        elif kind == "village":
            out[c].villages += n
    for c, kind, n, over_low, over_high, total in with_facility:
        if kind == "community":
            t = out[c]
            t.communities_with += n
            t.over_500 += int(over_low or 0)
            t.over_1000 += int(over_high or 0)
        elif kind == "village":
            out[c].villages_with += n
            out[c].village_area += Decimal(total or 0)
    return dict(out)


# --- happy-community sites -------------------------------------------------------------------------


def happy_site_at(session: Session, code: str) -> HappySite | None:
    return session.scalar(select(HappySite).where(HappySite.area_code == codes.pad(code)))


def get_happy_site(session: Session, scope: AreaScope, site_id: int) -> HappySite | None:
    s = session.get(HappySite, site_id)
    return s if s is not None and scope.contains(codes.unpad(s.area_code)) else None


def happy_sites(session: Session, scope: AreaScope, area_code: str | None, limit: int = 500) -> list[HappySite]:
    q = select(HappySite).where(scope.clause(HappySite.area_code))
    if area_code:
        q = q.where(subtree_clause(HappySite.area_code, area_code))
    return list(session.scalars(q.order_by(HappySite.area_code).limit(limit)))


def reviews_of(session: Session, site_ids: Sequence[int]) -> dict[int, list[HappyReview]]:
    out: dict[int, list[HappyReview]] = defaultdict(list)
    if site_ids:
        q = select(HappyReview).where(HappyReview.site_id.in_(site_ids)).order_by(HappyReview.year)
        for r in session.scalars(q):
            out[r.site_id].append(r)
    return out


def review(session: Session, site_id: int, year: int) -> HappyReview | None:
    return session.scalar(select(HappyReview).where(HappyReview.site_id == site_id, HappyReview.year == year))


# --- elderly university ----------------------------------------------------------------------------


def get_branch(session: Session, scope: AreaScope, branch_id: int) -> Branch | None:
    b = session.get(Branch, branch_id)
    return b if b is not None and scope.contains(codes.unpad(b.area_code)) else None


def any_branch(session: Session, branch_id: int) -> Branch | None:
    return session.get(Branch, branch_id)


def branches(session: Session, scope: AreaScope, area_code: str | None, limit: int = 500) -> list[Branch]:
    q = select(Branch).where(scope.clause(Branch.area_code))
    if area_code:
        q = q.where(subtree_clause(Branch.area_code, area_code))
    return list(session.scalars(q.order_by(Branch.area_code, Branch.id).limit(limit)))


def branches_under(session: Session, code: str, limit: int = 200) -> list[Branch]:
    """Unscoped: the branches in a township or street (their classes are public)."""
    q = select(Branch).where(subtree_clause(Branch.area_code, code)).order_by(Branch.area_code, Branch.id)
    return list(session.scalars(q.limit(limit)))


def classes_of(session: Session, branch_ids: Sequence[int]) -> dict[int, list[ElderClass]]:
    out: dict[int, list[ElderClass]] = defaultdict(list)
    if branch_ids:
        q = select(ElderClass).where(ElderClass.branch_id.in_(branch_ids)).order_by(ElderClass.starts_on, ElderClass.id)
        for c in session.scalars(q):
            out[c.branch_id].append(c)
    return out


def elder_class(session: Session, class_id: int, *, for_update: bool = False) -> ElderClass | None:
    """The class; `for_update` locks its row (PostgreSQL) so that two enrolments for the last seat queue."""
    if for_update:
        return session.scalar(select(ElderClass).where(ElderClass.id == class_id).with_for_update())
    return session.get(ElderClass, class_id)


def enrolled_counts(session: Session, class_ids: Sequence[int]) -> dict[int, int]:
    if not class_ids:
        return {}
    rows = session.execute(
        select(Enrolment.class_id, func.count())
        .where(Enrolment.class_id.in_(class_ids), Enrolment.status == "active")
        .group_by(Enrolment.class_id)
    ).all()
    return dict(rows)


def enrolments_of(session: Session, class_id: int) -> list[Enrolment]:
    q = select(Enrolment).where(Enrolment.class_id == class_id).order_by(Enrolment.status, Enrolment.id)
    return list(session.scalars(q))


def enrolment_of_user(session: Session, class_id: int, user_id: int) -> Enrolment | None:
    return session.scalar(select(Enrolment).where(Enrolment.class_id == class_id, Enrolment.user_id == user_id))


def active_by_name(session: Session, class_id: int, name: str) -> Enrolment | None:
    q = select(Enrolment).where(Enrolment.class_id == class_id, Enrolment.status == "active", Enrolment.name == name)
    return session.scalar(q.limit(1))


def my_enrolments(session: Session, user_id: int) -> list[tuple[Enrolment, ElderClass]]:
    rows = session.execute(
        select(Enrolment, ElderClass)
        .join(ElderClass, ElderClass.id == Enrolment.class_id)
        .where(Enrolment.user_id == user_id, Enrolment.status == "active")
        .order_by(ElderClass.starts_on)
    ).all()
    return [(e, c) for e, c in rows]


def display_name(session: Session, user_id: int) -> str | None:
    return session.scalar(select(User.display_name).where(User.id == user_id))


def places_under(session: Session, code: str, limit: int = 1000) -> list[tuple[str, str]]:
    """(code, name) of the communities and villages in `code` or beneath it, by code (the pages' choosers)."""
    if not codes.is_valid(code):
        return []
    q = select(Area.code, Area.name).where(Area.level == "village", Area.code.like(f"{code}%")).order_by(Area.code)
    return [(c, n) for c, n in session.execute(q.limit(limit)).all()]
