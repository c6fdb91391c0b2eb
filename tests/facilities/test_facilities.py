"""Facilities: the floor area checked (zero, negative, absurd), opening hours (closing before opening),
scope (a facility outside one's reach), the report (communities over 500 and 1,000 m², villages'
average), happy-community sites, and elderly classes (capacity, duplicates, who may enrol)."""

from __future__ import annotations

import io
from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from linli.facilities import reads, service
from linli.facilities.models import Enrolment, Facility, OpeningHours
from linli.facilities.schemas import EnrolmentIn, HappyReviewIn, HappySiteIn
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import SYSTEM, VILLAGE_A, make_user, principal
from tests.factories_facilities import add_villages, facility_in, make_class, make_facility


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    "area,message",
    [("0", "must be above 0 m²"), ("-12.5", "must be above 0 m²"), ("100000.1", "not believable"),
     ("4500000", "not believable")],
)  # fmt: skip
def test_a_floor_area_of_zero_negative_or_absurd_size_is_refused_and_nothing_written(session, areas, area, message):
    with pytest.raises(InvalidInput, match=message):
        make_facility(session, floor_area=area)
    assert _count(session, Facility) == 0 and _count(session, OpeningHours) == 0


def test_the_largest_believable_area_is_taken_and_rounded_to_a_tenth(session, areas):
    assert make_facility(session, floor_area="100000").floor_area == Decimal("100000.0")
    assert make_facility(session, floor_area="612.04").floor_area == Decimal("612.0")


def test_closing_before_opening_and_a_day_twice_are_refused_naming_the_day(session, areas):
    late = [{"weekday": 2, "opens": time(17, 0), "closes": time(8, 30)}]
    with pytest.raises(InvalidInput) as refused:
        service.create_facility(session, SYSTEM, facility_in(hours=late))
    assert "closing time 08:30 is not after opening time 17:00" in refused.value.message
    twice = [
        {"weekday": 0, "opens": time(8), "closes": time(12)},
        {"weekday": 0, "opens": time(13), "closes": time(17)},
    ]
    with pytest.raises(InvalidInput, match="twice"):
        service.create_facility(session, SYSTEM, facility_in(hours=twice))
    same = [{"weekday": 4, "opens": time(9), "closes": time(9)}]
    with pytest.raises(InvalidInput, match="not after"):
        service.create_facility(session, SYSTEM, facility_in(hours=same))
    assert _count(session, Facility) == 0


def test_a_facility_outside_ones_reach_is_missing(session, areas):
    worker = make_user(session, "fac_cw", "community_worker", VILLAGE_A)
    cw = principal(worker, ("community_worker", VILLAGE_A))
    with pytest.raises(NotFound):
        service.create_facility(session, cw, facility_in(area="220103002001"))  # another district
    with pytest.raises(NotFound):
        service.create_facility(session, cw, facility_in(area="220102001002"))  # the neighbouring community
    with pytest.raises(NotFound, match="not a community or village"):
        service.create_facility(session, SYSTEM, facility_in(area="220102001999"))
    theirs = make_facility(session, area="220102001002")
    with pytest.raises(NotFound):
        service.update_facility(session, cw, theirs.id, facility_in(area="220102001002"))
    own = service.create_facility(session, cw, facility_in())
    updated = service.update_facility(session, cw, own.id, facility_in(floor_area="720", hours=[]))
    assert updated.floor_area == Decimal("720.0") and reads.facility_outs(session, [updated])[0].hours == []


def test_the_report_counts_communities_over_500_and_1000_and_the_villages_average(session, areas):
    villages = add_villages(session)
    make_facility(session, area="220102001001", floor_area="300")
    make_facility(session, area="220102001001", floor_area="250")  # two buildings: 550 m² together
    make_facility(session, area="220102001002", floor_area="1200")
    make_facility(session, area="220102002001", floor_area="480")
    make_facility(session, area=villages[0], floor_area="250")
    make_facility(session, area=villages[1], floor_area="316")
    province = reads.report(session, SYSTEM, "22")
    total = province.total
    assert (total.communities, total.communities_with_facility, total.over_500, total.over_1000) == (12, 3, 2, 1)
    assert total.share_over_1000 == round(1 / 3, 4)
    assert (total.villages, total.villages_with_facility, total.village_average) == (3, 2, Decimal("283.0"))
    assert [r.area_code for r in province.rows] == ["2201"]
    county = {r.area_code: r for r in reads.report(session, SYSTEM, "2201").rows}
    assert county["220102"].over_500 == 2 and county["220122"].village_average == Decimal("283.0")
    assert county["220103"].communities == 6 and county["220103"].communities_with_facility == 0
    street = reads.report(session, SYSTEM, "220102001")
    assert {r.area_code: r.over_1000 for r in street.rows} == {"220102001001": 0, "220102001002": 1,
                                                              "220102001003": 0}  # fmt: skip


def test_the_report_is_for_readers_of_the_area_only(session, areas):
    street = make_user(session, "fac_street", "official", "220102001")
    with pytest.raises(NotFound):
        reads.report(session, principal(street, ("official", "220102001")), "220103")
    with pytest.raises(NotFound):
        reads.report(session, principal(street, ("official", "220102001")), "22")


def test_a_happy_site_is_designated_by_the_county_once_and_reviewed_after(session, areas):
    worker = make_user(session, "fac_cw2", "community_worker", VILLAGE_A)
    data = HappySiteIn(area_code=VILLAGE_A, year=2023, criteria=["services", "elderly"])
    with pytest.raises(Forbidden):
        service.designate_site(session, principal(worker, ("community_worker", VILLAGE_A)), data)
    site = service.designate_site(session, SYSTEM, data)
    with pytest.raises(Conflict, match="already"):
        service.designate_site(session, SYSTEM, data)
    with pytest.raises(InvalidInput, match="before the designation"):
        service.review_site(session, SYSTEM, site.id, HappyReviewIn(year=2022, result="kept"))
    service.review_site(session, SYSTEM, site.id, HappyReviewIn(year=2024, result="rectify", note="活动室不足"))
    with pytest.raises(Conflict):
        service.review_site(session, SYSTEM, site.id, HappyReviewIn(year=2024, result="kept"))
    out = reads.site_outs(session, [site])[0]
    assert out.criteria == ["elderly", "services"] and [r.result for r in out.reviews] == ["rectify"]


def test_enrolment_over_capacity_is_refused_and_nothing_added(session, areas):
    _, klass = make_class(session, capacity=2)
    service.enrol_at_desk(session, SYSTEM, klass.id, EnrolmentIn(name="张大爷"))
    service.enrol_at_desk(session, SYSTEM, klass.id, EnrolmentIn(name="李奶奶"))
    with pytest.raises(Conflict, match="full: 2 of 2"):
        service.enrol_at_desk(session, SYSTEM, klass.id, EnrolmentIn(name="王阿姨"))
    resident = make_user(session, "fac_res", "resident", VILLAGE_A)
    with pytest.raises(Conflict, match="full"):
        service.enrol_self(session, principal(resident, ("resident", VILLAGE_A)), klass.id)
    assert _count(session, Enrolment) == 2
    assert reads.class_detail(session, SYSTEM, klass.id).seats_left == 0


def test_a_duplicate_enrolment_is_refused_and_a_withdrawn_one_may_come_back(session, areas):
    _, klass = make_class(session, capacity=5)
    resident = make_user(session, "fac_res2", "resident", "220102001003")  # a neighbouring community
    me = principal(resident, ("resident", "220102001003"))
    service.enrol_self(session, me, klass.id)
    with pytest.raises(Conflict, match="enrolled in this class already"):
        service.enrol_self(session, me, klass.id)
    service.enrol_at_desk(session, SYSTEM, klass.id, EnrolmentIn(name="张大爷"))
    with pytest.raises(Conflict, match="张大爷 is enrolled"):
        service.enrol_at_desk(session, SYSTEM, klass.id, EnrolmentIn(name=" 张大爷 "))
    service.withdraw_self(session, me, klass.id)
    with pytest.raises(NotFound):
        service.withdraw_self(session, me, klass.id)
    service.enrol_self(session, me, klass.id)
    assert _count(session, Enrolment) == 2
    assert [c.id for c in reads.my_classes(session, me)["mine"]] == [klass.id]


def test_only_residents_of_the_township_may_enrol_and_not_after_the_class_ended(session, areas):
    _, klass = make_class(session)
    other = make_user(session, "fac_res3", "resident", "220102002001")  # another street
    with pytest.raises(NotFound):
        service.enrol_self(session, principal(other, ("resident", "220102002001")), klass.id)
    assert reads.my_classes(session, principal(other, ("resident", "220102002001")))["branches"] == []
    _, ended = make_class(session, ends_on=date(2025, 1, 10), starts_on=date(2024, 9, 1))
    with pytest.raises(InvalidInput, match="enrolment is closed"):
        service.enrol_at_desk(session, SYSTEM, ended.id, EnrolmentIn(name="张大爷"))
    with pytest.raises(InvalidInput, match="ends before it starts"):
        make_class(session, starts_on=date(2026, 3, 1), ends_on=date(2026, 2, 1))


def test_a_photo_must_be_an_image_and_is_stored_by_its_digest(session, areas):
    facility = make_facility(session)
    with pytest.raises(InvalidInput, match="JPEG or PNG"):
        service.add_photo(session, SYSTEM, facility.id, io.BytesIO(b"%PDF-1.4 not a photo"), "scan.pdf")
    png = b"\x89PNG\r\n\x1a\n" + b"\x01" * 100
    photo = service.add_photo(session, SYSTEM, facility.id, io.BytesIO(png), "../../etc/front.png")
    assert photo.file_name == "front.png" and photo.size == len(png)
    from linli.facilities import files

    assert files.path_of(photo.sha256).read_bytes() == png
