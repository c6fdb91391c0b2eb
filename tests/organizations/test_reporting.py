"""Dual reporting: a unit reports to the community where it sits, a Party member of the register to the
community where they live; service records go to a community reported to; the yearly summary sums them
by unit and member, naming members only to those who may read the register."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.organizations import reads, service
from linli.organizations.schemas import MemberReportIn, ServiceRecordIn, UnitReportIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_organizations import VILLAGE_B, org_world
from tests.factories_residents import GRID, make_grids, make_person


@pytest.fixture
def w(areas):
    make_grids(areas, load_areas=False)
    return org_world(areas)


def test_unit_and_member_report_and_log_service(session, w):
    a, contact = w["orgs"]["a"], w["p"]["contact_a"]
    with pytest.raises(InvalidInput, match="has not reported"):
        service.reporting.log_service(
            session, contact, ServiceRecordIn(organization_id=a.id, served_on=date.today(), hours=2, content="义诊")
        )
    with pytest.raises(InvalidInput, match="where it sits"):
        service.reporting.report_unit(session, contact, a.id, UnitReportIn(area_code=VILLAGE_B))
    service.reporting.report_unit(session, contact, a.id, UnitReportIn(area_code=VILLAGE_A))
    with pytest.raises(Conflict, match="reported to this community already"):
        service.reporting.report_unit(session, contact, a.id, UnitReportIn(area_code=VILLAGE_A))
    person = make_person(session, None, name="党员甲", relation=None, grid=GRID)
    rep = service.reporting.report_member(
        session, w["p"]["cw"], MemberReportIn(person_id=person.id, organization_id=a.id)
    )
    with pytest.raises(Conflict, match="reported to their community already"):
        service.reporting.report_member(
            session, w["p"]["cw"], MemberReportIn(person_id=person.id, organization_id=a.id)
        )
    today = date.today()
    service.reporting.log_service(
        session, contact, ServiceRecordIn(organization_id=a.id, served_on=today, hours=2, content="义诊", rating=5)
    )
    service.reporting.log_service(
        session, contact,
        ServiceRecordIn(
            organization_id=a.id, member_report_id=rep.id, served_on=today, hours=1.5, content="清扫", rating=4
        ),
    )  # fmt: skip
    rows = reads.summary(session, w["p"]["cw"], "220102001", today.year)
    assert [(r.member_report_id, r.records, r.hours, r.average_rating) for r in rows] == [
        (None, 1, 2.0, 5.0), (rep.id, 1, 1.5, 4.0)
    ]  # fmt: skip
    assert rows[1].member_name == "党员甲"
    hidden = reads.summary(session, contact, "220102001", today.year)  # no residents.read: no name
    assert hidden[1].member_name is None and hidden[1].hours == 1.5


def test_bad_service_records(session, w):
    a, b = w["orgs"]["a"], w["orgs"]["b"]
    service.reporting.report_unit(session, SYSTEM, a.id, UnitReportIn(area_code=VILLAGE_A))
    good = {"organization_id": a.id, "served_on": date.today(), "hours": 1, "content": "x"}
    with pytest.raises(InvalidInput, match="from 1"):
        service.reporting.log_service(session, SYSTEM, ServiceRecordIn(**good | {"rating": 7}))
    with pytest.raises(InvalidInput, match="once it was given"):
        service.reporting.log_service(
            session, SYSTEM, ServiceRecordIn(**good | {"served_on": date.today() + timedelta(days=1)})
        )
    with pytest.raises(Forbidden):
        service.reporting.log_service(session, w["p"]["contact_b"], ServiceRecordIn(**good))
    with pytest.raises(NotFound):
        service.reporting.log_service(session, w["p"]["sibling"], ServiceRecordIn(**good))
    person = make_person(session, None, name="党员乙", relation=None, grid=GRID)
    rep = service.reporting.report_member(session, SYSTEM, MemberReportIn(person_id=person.id, organization_id=b.id))
    with pytest.raises(InvalidInput, match="not a reported Party member"):
        service.reporting.log_service(session, SYSTEM, ServiceRecordIn(**good | {"member_report_id": rep.id}))


def test_member_reports_are_recorded_by_the_community_of_the_person(session, w):
    person = make_person(session, None, name="党员丙", relation=None, grid=GRID)
    with pytest.raises(NotFound):  # a unit's contact does not read the register
        service.reporting.report_member(
            session, w["p"]["contact_a"], MemberReportIn(person_id=person.id, organization_id=w["orgs"]["a"].id)
        )
    with pytest.raises(NotFound):
        service.reporting.report_member(
            session, w["p"]["sibling"], MemberReportIn(person_id=person.id, organization_id=w["orgs"]["a"].id)
        )
