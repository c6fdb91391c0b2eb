"""Writes of the facilities domain: facilities (floor area, rooms, hours, accessibility, photos),
happy-community sites and their reviews, elderly university branches, classes and enrolments. Each
write is checked whole, audited with ids and codes only, and changes nothing when refused."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.facilities import files
from linli.facilities import repository as repo
from linli.facilities.kinds import MAX_FLOOR_AREA, WEEKDAYS
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
from linli.facilities.schemas import BranchIn, ClassIn, EnrolmentIn, FacilityIn, HappyReviewIn, HappySiteIn
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import gettext, t
from linli.kit.time import BEIJING, utcnow

READ = Permission.facilities_read
MANAGE = Permission.facilities_manage
ENROL = Permission.facilities_enrol


def today() -> date:
    return utcnow().astimezone(BEIJING).date()


def _place(session: Session, principal: Principal, code: str) -> Area:
    """The community or village `code` where the principal may manage facilities (404 outside reach)."""
    what = t("area {code}", code=code)
    if not codes.is_valid(code):
        raise NotFound(t("{what} does not exist", what=what))
    principal.check(MANAGE, code, what=what)
    area = repo.place(session, code)
    if area is None:
        raise NotFound(t("{code} is not a community or village", code=code))
    return area


def area_problem(value, what: str) -> str | None:
    """Why a floor area (m²) cannot be: not a number, zero or less, or absurdly large."""
    try:
        area = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return t("{what}: {value!r} is not a number of square metres", what=what, value=str(value))
    if not area.is_finite() or area <= 0:
        return t("{what} must be above 0 m² (given {value})", what=what, value=value)
    if area > MAX_FLOOR_AREA:
        return t("{what} of {value} m² is not believable: at most {most:,} m²; check the unit", what=what,
                 value=value, most=MAX_FLOOR_AREA)  # fmt: skip
    return None


def facility_problems(data: FacilityIn) -> list[str]:
    problems = [p for p in [area_problem(data.floor_area, t("the floor area"))] if p]
    for room in data.rooms:
        if room.floor_area is not None and (p := area_problem(room.floor_area, t("room {name}", name=room.name))):
            problems.append(p)
    seen: set[int] = set()
    for h in data.hours:
        day = gettext(WEEKDAYS[h.weekday])
        if h.weekday in seen:
            problems.append(t("{day} is given twice in the opening hours", day=day))
        seen.add(h.weekday)
        if h.closes <= h.opens:
            problems.append(t("{day}: closing time {closes} is not after opening time {opens}", day=day,
                              closes=h.closes.strftime("%H:%M"), opens=h.opens.strftime("%H:%M")))  # fmt: skip
    return problems


def _put_parts(session: Session, facility: Facility, data: FacilityIn, *, replace: bool) -> None:
    if replace:
        for rows in (repo.rooms_of(session, [facility.id]), repo.hours_of(session, [facility.id])):
            for row in rows.get(facility.id, []):
                session.delete(row)
        session.flush()
    session.add_all(
        FacilityRoom(facility_id=facility.id, position=i, name=r.name, function=r.function,
                     floor_area=None if r.floor_area is None else round(r.floor_area, 1))
        for i, r in enumerate(data.rooms)
    )  # fmt: skip
    session.add_all(
        OpeningHours(facility_id=facility.id, weekday=h.weekday, opens=h.opens, closes=h.closes) for h in data.hours
    )


def _set_fields(facility: Facility, data: FacilityIn) -> None:
    facility.name, facility.address, facility.note = data.name.strip(), data.address.strip(), data.note
    facility.floor_area = round(Decimal(data.floor_area), 1)
    facility.lon, facility.lat, facility.phone = data.lon, data.lat, data.phone
    facility.accessibility = json.dumps(sorted(set(data.accessibility)))


def _checked(data: FacilityIn) -> None:
    problems = facility_problems(data)
    if problems:
        raise InvalidInput(problems[0], details=problems)


def create_facility(session: Session, principal: Principal, data: FacilityIn, *, generated: bool = False) -> Facility:
    _place(session, principal, data.area_code)
    _checked(data)
    facility = Facility(area_code=codes.pad(data.area_code), generated=generated)
    _set_fields(facility, data)
    session.add(facility)
    session.flush()
    _put_parts(session, facility, data, replace=False)
    session.flush()
    record(
        session, principal, "facilities.facility_create", "facility", facility.id, facility.area_code,
        after={"floor_area": str(facility.floor_area), "rooms": len(data.rooms), "days_open": len(data.hours)},
    )  # fmt: skip
    return facility


def managed_facility(session: Session, principal: Principal, facility_id: int) -> Facility:
    facility = repo.get_facility(session, principal.scope(READ), facility_id)
    if facility is None:
        raise NotFound(t("facility {id} does not exist", id=facility_id))
    principal.check(MANAGE, codes.unpad(facility.area_code), what=t("facility {id}", id=facility_id))
    return facility


def update_facility(session: Session, principal: Principal, facility_id: int, data: FacilityIn) -> Facility:
    """Replace a facility's description, rooms and hours (it stays in its community or village)."""
    facility = managed_facility(session, principal, facility_id)
    if codes.pad(data.area_code) != facility.area_code:
        raise InvalidInput(t("a facility stays in its community or village; record a new one elsewhere"))
    _checked(data)
    before = {"floor_area": str(facility.floor_area)}
    _set_fields(facility, data)
    _put_parts(session, facility, data, replace=True)
    session.flush()
    record(
        session, principal, "facilities.facility_update", "facility", facility.id, facility.area_code,
        before=before, after={"floor_area": str(facility.floor_area), "rooms": len(data.rooms)},
    )  # fmt: skip
    return facility


def add_photo(session: Session, principal: Principal, facility_id: int, fh: BinaryIO, name: str) -> FacilityPhoto:
    facility = managed_facility(session, principal, facility_id)
    content_type = files.sniff(fh)
    sha, size = files.store(fh)
    row = FacilityPhoto(facility_id=facility.id, file_name=files.clean_name(name), content_type=content_type,
                        size=size, sha256=sha, uploaded_by=principal.audit_name)  # fmt: skip
    session.add(row)
    session.flush()
    record(session, principal, "facilities.photo_add", "facility", facility.id, facility.area_code,
           after={"photo": row.id, "size": size, "sha256": sha})  # fmt: skip
    return row


# --- happy-community demonstration sites -----------------------------------------------------------


def designate_site(session: Session, principal: Principal, data: HappySiteIn, *, generated: bool = False) -> HappySite:
    """Designated by the county (or above): a community worker cannot name their own community."""
    area = _place(session, principal, data.area_code)
    if not principal.can(MANAGE, data.area_code[:6]):
        raise Forbidden(t("a happy-community demonstration site is designated by the county (or above it)"))
    if data.year > today().year:
        raise InvalidInput(t("a site is designated in a year that has begun, not in {year}", year=data.year))
    if repo.happy_site_at(session, area.code) is not None:
        raise Conflict(t("{name} is a happy-community demonstration site already", name=area.name))
    site = HappySite(area_code=codes.pad(area.code), year=data.year, criteria=json.dumps(sorted(set(data.criteria))),
                     note=data.note, generated=generated)  # fmt: skip
    session.add(site)
    session.flush()
    record(session, principal, "facilities.site_designate", "happy_site", site.id, site.area_code,
           after={"year": data.year, "criteria": sorted(set(data.criteria))})  # fmt: skip
    return site


def review_site(session: Session, principal: Principal, site_id: int, data: HappyReviewIn) -> HappyReview:
    site = repo.get_happy_site(session, principal.scope(READ), site_id)
    if site is None:
        raise NotFound(t("happy-community site {id} does not exist", id=site_id))
    if not principal.can(MANAGE, codes.unpad(site.area_code)[:6]):
        raise Forbidden(t("a happy-community demonstration site is reviewed by the county (or above it)"))
    if data.year < site.year:
        raise InvalidInput(t("the review of {year} is before the designation in {designated}", year=data.year,
                             designated=site.year))  # fmt: skip
    if repo.review(session, site.id, data.year) is not None:
        raise Conflict(t("the site has a review for {year} already", year=data.year))
    row = HappyReview(site_id=site.id, year=data.year, result=data.result, note=data.note,
                      reviewed_by=principal.audit_name)  # fmt: skip
    session.add(row)
    session.flush()
    record(session, principal, "facilities.site_review", "happy_site", site.id, site.area_code,
           after={"year": data.year, "result": data.result})  # fmt: skip
    return row


# --- elderly university ----------------------------------------------------------------------------


def create_branch(session: Session, principal: Principal, data: BranchIn, *, generated: bool = False) -> Branch:
    area = _place(session, principal, data.area_code)
    if data.facility_id is not None:
        facility = repo.get_facility(session, principal.scope(READ), data.facility_id)
        if facility is None or facility.area_code != codes.pad(area.code):
            raise InvalidInput(t("facility {id} is not in {name}", id=data.facility_id, name=area.name))
    branch = Branch(area_code=codes.pad(area.code), name=data.name.strip(), facility_id=data.facility_id,
                    generated=generated)  # fmt: skip
    session.add(branch)
    session.flush()
    record(session, principal, "facilities.branch_create", "elder_branch", branch.id, branch.area_code,
           after={"facility_id": data.facility_id})  # fmt: skip
    return branch


def _managed_branch(session: Session, principal: Principal, branch_id: int) -> Branch:
    branch = repo.get_branch(session, principal.scope(READ), branch_id)
    if branch is None:
        raise NotFound(t("elderly university branch {id} does not exist", id=branch_id))
    principal.check(MANAGE, codes.unpad(branch.area_code), what=t("elderly university branch {id}", id=branch_id))
    return branch


def add_class(
    session: Session, principal: Principal, branch_id: int, data: ClassIn, *, generated: bool = False
) -> ElderClass:
    branch = _managed_branch(session, principal, branch_id)
    if data.ends_on < data.starts_on:
        raise InvalidInput(t("the term ends before it starts"))
    row = ElderClass(branch_id=branch.id, generated=generated, **data.model_dump())
    session.add(row)
    session.flush()
    record(session, principal, "facilities.class_create", "elder_class", row.id, branch.area_code,
           after={"branch_id": branch.id, "capacity": data.capacity, "term": data.term})  # fmt: skip
    return row


def class_and_branch(session: Session, class_id: int) -> tuple[ElderClass, Branch]:
    found = repo.elder_class(session, class_id)
    branch = repo.any_branch(session, found.branch_id) if found else None
    if found is None or branch is None:
        raise NotFound(t("class {id} does not exist", id=class_id))
    return found, branch


def may_enrol(principal: Principal, branch: Branch) -> bool:
    """Whether the principal may enrol themselves: they hold facilities.enrol in the branch's township
    or street (a resident of a neighbouring community too), or above it."""
    township = codes.unpad(branch.area_code)[:9]
    scope = principal.scope(ENROL)
    if scope.everything:
        return True
    return any(township.startswith(c) or c.startswith(township) for c in scope.area_codes)


def _seat(session: Session, klass: ElderClass) -> None:
    """Refuse when the class has ended or is full; the class row is locked first (PostgreSQL), so two
    enrolments for the last seat are taken one after the other."""
    locked = repo.elder_class(session, klass.id, for_update=True)
    if locked.ends_on < today():
        raise InvalidInput(t("the class ended on {day}; enrolment is closed", day=locked.ends_on.isoformat()))
    taken = repo.enrolled_counts(session, [locked.id]).get(locked.id, 0)
    if taken >= locked.capacity:
        raise Conflict(t("the class is full: {taken} of {capacity} places taken", taken=taken,
                         capacity=locked.capacity), code="class_full")  # fmt: skip


def enrol_self(session: Session, principal: Principal, class_id: int) -> Enrolment:
    klass, branch = class_and_branch(session, class_id)
    if principal.user_id is None or not may_enrol(principal, branch):
        raise NotFound(t("class {id} does not exist", id=class_id))
    found = repo.enrolment_of_user(session, klass.id, principal.user_id)
    if found is not None and found.status == "active":
        raise Conflict(t("you are enrolled in this class already"), code="enrolled_already")
    _seat(session, klass)
    if found is None:
        name = repo.display_name(session, principal.user_id) or principal.username
        found = Enrolment(class_id=klass.id, user_id=principal.user_id, name=name[:100],
                          enrolled_by=principal.audit_name)  # fmt: skip
        session.add(found)
    else:
        found.status, found.enrolled_at, found.enrolled_by = "active", utcnow(), principal.audit_name
    session.flush()
    record(session, principal, "facilities.enrol", "elder_class", klass.id, branch.area_code,
           after={"enrolment": found.id, "by": "self"})  # fmt: skip
    return found


def enrol_at_desk(session: Session, principal: Principal, class_id: int, data: EnrolmentIn) -> Enrolment:
    klass, _ = class_and_branch(session, class_id)
    branch = _managed_branch(session, principal, klass.branch_id)
    name = data.name.strip()
    if not name:
        raise InvalidInput(t("give the name of the person to enrol"))
    if repo.active_by_name(session, klass.id, name) is not None:
        raise Conflict(t("{name} is enrolled in this class already", name=name), code="enrolled_already")
    _seat(session, klass)
    row = Enrolment(class_id=klass.id, name=name, enrolled_by=principal.audit_name)
    session.add(row)
    session.flush()
    record(session, principal, "facilities.enrol", "elder_class", klass.id, branch.area_code,
           after={"enrolment": row.id, "by": "desk"})  # fmt: skip
    return row


def withdraw_self(session: Session, principal: Principal, class_id: int) -> Enrolment:
    klass, branch = class_and_branch(session, class_id)
    found = repo.enrolment_of_user(session, klass.id, principal.user_id) if principal.user_id else None
    if found is None or found.status != "active":
        raise NotFound(t("you are not enrolled in class {id}", id=class_id))
    found.status = "withdrawn"
    session.flush()
    record(session, principal, "facilities.withdraw", "elder_class", klass.id, branch.area_code,
           after={"enrolment": found.id})  # fmt: skip
    return found
