"""Answers of the facilities domain built from the repository's rows: facilities with their parts, the
report rolled up per child area, sites with their reviews, branches with their classes and free places,
and what a resident's pages show (the public page of a place, the classes near them)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.facilities import repository as repo
from linli.facilities.models import Branch, ElderClass, Facility, HappySite
from linli.facilities.schemas import (
    BranchOut,
    ClassDetail,
    ClassOut,
    EnrolmentOut,
    FacilityOut,
    HappyReviewOut,
    HappySiteOut,
    HoursOut,
    PhotoOut,
    ReportOut,
    ReportRow,
    RoomOut,
)
from linli.facilities.service import ENROL, MANAGE, READ, class_and_branch, may_enrol
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t


def facility_outs(session: Session, rows: Sequence[Facility]) -> list[FacilityOut]:
    ids = [f.id for f in rows]
    rooms, hours, photos = repo.rooms_of(session, ids), repo.hours_of(session, ids), repo.photos_of(session, ids)
    kinds = repo.kinds_of(session, [codes.unpad(f.area_code) for f in rows])
    return [
        FacilityOut(
            id=f.id, area_code=codes.unpad(f.area_code), area_kind=kinds.get(codes.unpad(f.area_code), ""),
            name=f.name, floor_area=f.floor_area, address=f.address, lon=f.lon, lat=f.lat, phone=f.phone,
            accessibility=json.loads(f.accessibility), note=f.note, generated=f.generated,
            rooms=[RoomOut(name=r.name, function=r.function, floor_area=r.floor_area) for r in rooms.get(f.id, [])],
            hours=[HoursOut(weekday=h.weekday, opens=f"{h.opens:%H:%M}", closes=f"{h.closes:%H:%M}")
                   for h in hours.get(f.id, [])],
            photos=[PhotoOut(id=p.id, file_name=p.file_name, url=f"/api/v1/facility-photos/{p.id}")
                    for p in photos.get(f.id, [])],
        )
        for f in rows
    ]  # fmt: skip


def facilities(session: Session, principal: Principal, area: str | None, offset: int, limit: int):
    rows, total = repo.list_facilities(session, principal.scope(READ), area, offset, limit)
    return facility_outs(session, rows), total


def readable_facility(session: Session, principal: Principal, facility_id: int) -> Facility:
    found = repo.get_facility(session, principal.scope(READ), facility_id)
    if found is None:
        raise NotFound(t("facility {id} does not exist", id=facility_id))
    return found


def _row(code: str, tally: repo.Tally) -> ReportRow:
    return ReportRow(
        area_code=code, communities=tally.communities, communities_with_facility=tally.communities_with,
        over_500=tally.over_500, over_1000=tally.over_1000,
        share_over_1000=round(tally.over_1000 / tally.communities_with, 4) if tally.communities_with else None,
        villages=tally.villages, villages_with_facility=tally.villages_with,
        village_average=(tally.village_area / tally.villages_with).quantize(Decimal("0.1"))
        if tally.villages_with else None,
    )  # fmt: skip


def report(session: Session, principal: Principal, code: str) -> ReportOut:
    """The report of an area the principal may read, one row per child area and the area's total."""
    what = t("area {code}", code=code)
    if not codes.is_valid(code) or len(code) > 12:
        raise NotFound(t("{what} does not exist", what=what))
    principal.check(READ, code, what=what)
    tallies = repo.report(session, code)
    total = repo.Tally()
    for tally in tallies.values():
        for field in ("communities", "communities_with", "over_500", "over_1000", "villages", "villages_with",
                      "village_area"):  # fmt: skip
            setattr(total, field, getattr(total, field) + getattr(tally, field))
    return ReportOut(total=_row(code, total), rows=[_row(c, tallies[c]) for c in sorted(tallies)])


def site_outs(session: Session, sites: Sequence[HappySite]) -> list[HappySiteOut]:
    reviews = repo.reviews_of(session, [s.id for s in sites])
    return [
        HappySiteOut(
            id=s.id, area_code=codes.unpad(s.area_code), year=s.year, criteria=json.loads(s.criteria), note=s.note,
            generated=s.generated,
            reviews=[HappyReviewOut(year=r.year, result=r.result, note=r.note, reviewed_by=r.reviewed_by)
                     for r in reviews.get(s.id, [])],
        )
        for s in sites
    ]  # fmt: skip


def class_out(klass: ElderClass, enrolled: int) -> ClassOut:
    return ClassOut(
        id=klass.id, branch_id=klass.branch_id, course=klass.course, teacher=klass.teacher, term=klass.term,
        starts_on=klass.starts_on, ends_on=klass.ends_on, schedule=klass.schedule, capacity=klass.capacity,
        enrolled=enrolled, seats_left=max(klass.capacity - enrolled, 0), generated=klass.generated,
    )  # fmt: skip


def branch_outs(session: Session, branches: Sequence[Branch]) -> list[BranchOut]:
    classes = repo.classes_of(session, [b.id for b in branches])
    counts = repo.enrolled_counts(session, [c.id for rows in classes.values() for c in rows])
    return [
        BranchOut(id=b.id, area_code=codes.unpad(b.area_code), name=b.name, facility_id=b.facility_id,
                  generated=b.generated, classes=[class_out(c, counts.get(c.id, 0)) for c in classes.get(b.id, [])])
        for b in branches
    ]  # fmt: skip


def class_detail(session: Session, principal: Principal, class_id: int) -> ClassDetail:
    """A class with its enrolment list (names: staff who may read the branch's area only)."""
    klass, branch = class_and_branch(session, class_id)
    principal.check(READ, codes.unpad(branch.area_code), what=t("class {id}", id=class_id))
    rows = repo.enrolments_of(session, klass.id)
    taken = sum(1 for e in rows if e.status == "active")
    enrolments = [EnrolmentOut(id=e.id, class_id=e.class_id, name=e.name, status=e.status, own=e.user_id is not None)
                  for e in rows]  # fmt: skip
    return ClassDetail(**class_out(klass, taken).model_dump(), enrolments=enrolments)


def public_place(session: Session, code: str) -> dict:
    """What the public page of a community or village shows: its facilities, its happy-community title and
    the elderly university classes of its township."""
    area = repo.place(session, code)
    if area is None:
        raise NotFound(t("village or community {code} does not exist", code=code))
    site = repo.happy_site_at(session, code)
    branches = repo.branches_under(session, code[:9])
    return {
        "area": area,
        "facilities": facility_outs(session, repo.facilities_of_place(session, code)),
        "site": site_outs(session, [site])[0] if site else None,
        "branches": branch_outs(session, branches),
    }


def my_classes(session: Session, principal: Principal) -> dict:
    """A resident's enrolments, and the classes of their township they may enrol in."""
    home = principal.first_area_with(ENROL)
    township = codes.township_of(home) if home else None
    branches = [b for b in repo.branches_under(session, township) if may_enrol(principal, b)] if township else []
    mine = repo.my_enrolments(session, principal.user_id) if principal.user_id is not None else []
    counts = repo.enrolled_counts(session, [c.id for _, c in mine])
    return {
        "township": township,
        "branches": branch_outs(session, branches),
        "mine": [class_out(c, counts.get(c.id, 0)) for _, c in mine],
    }


def places_to_manage(session: Session, principal: Principal, code: str) -> list[tuple[str, str]]:
    """(code, name) of the communities and villages in `code` where the principal may manage facilities."""
    scope = principal.scope(MANAGE)
    return [(c, n) for c, n in repo.places_under(session, code) if scope.contains(c)]
