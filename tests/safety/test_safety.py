"""Safety units: appointments by officials within their places, cases linked to dispute events in reach,
cases closed once, the figures rolled up, whom a grid worker and a resident call; bad input refused and
nothing changed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.audit.service import write_pending
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.safety import counts, reads, service
from linli.safety.models import Appointment, MediationCase
from linli.safety.schemas import AppointmentEndIn, CaseCloseIn, SessionIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A
from tests.factories_safety import GRID, SIBLING_GRID, START, VILLAGE_B, appoint, open_case, safety_world


@pytest.fixture
def w(areas):
    return safety_world(areas)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_street_official_appoints_police_with_the_phone_sealed_and_masked(session, w):
    a = appoint(session, w["p"]["street"], organization_id=w["orgs"]["police"].id, phone="138 4310 0001",
                duty_phone="0431-88900001", hours="周二 9:00–11:30")  # fmt: skip
    assert a.phone_enc and "13843100001" not in a.phone_enc
    out = reads.appointment(session, w["p"]["cw"], a.id)
    assert (out.unit, out.phone, out.duty_phone) == ("南岭派出所", "138****0001", "043188900001")
    write_pending(session)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "safety.appoint"))
    assert entry is not None and "13843100001" not in (entry.after or "")


def test_an_appointment_outside_the_appointers_places_is_refused_and_nothing_saved(session, w):
    with pytest.raises(NotFound, match="does not exist"):
        appoint(session, w["p"]["other_street"], area_code=GRID, duty="judge")
    with pytest.raises(NotFound):
        appoint(session, w["p"]["sibling"], area_code=VILLAGE_A)
    with pytest.raises(Forbidden):  # a community worker records cases but does not appoint
        appoint(session, w["p"]["cw"])
    assert _count(session, Appointment) == 0


def test_bad_appointments(session, w):
    with pytest.raises(InvalidInput, match="ends on or after"):
        appoint(session, w["p"]["street"], ends_on=START - timedelta(days=1))
    with pytest.raises(InvalidInput, match="appointed to a grid"):
        appoint(session, w["p"]["street"], duty="judge", area_code=VILLAGE_A)
    with pytest.raises(InvalidInput, match="cannot be the unit"):
        appoint(session, w["p"]["street"], organization_id=w["orgs"]["court"].id)
    with pytest.raises(InvalidInput, match="mobile number"):
        appoint(session, w["p"]["street"], phone="12345")
    assert _count(session, Appointment) == 0
    # A court of the county above the street is reached from the street (it serves the communities below).
    judge = appoint(session, w["p"]["street"], duty="judge", area_code=GRID, organization_id=w["orgs"]["court"].id)
    assert judge.organization_id == w["orgs"]["court"].id


def test_ending_an_appointment_once_and_not_before_it_started(session, w):
    a = appoint(session, w["p"]["street"])
    with pytest.raises(InvalidInput, match="ends on or after"):
        service.end_appointment(session, w["p"]["street"], a.id, AppointmentEndIn(ends_on=START - timedelta(days=1)))
    with pytest.raises(Forbidden):
        service.end_appointment(session, w["p"]["cw"], a.id, AppointmentEndIn())
    service.end_appointment(session, w["p"]["county"], a.id, AppointmentEndIn())
    with pytest.raises(Conflict, match="ended already"):
        service.end_appointment(session, w["p"]["street"], a.id, AppointmentEndIn())


def test_a_case_links_a_dispute_event_in_reach_and_takes_its_place(session, w):
    ev = w["events"]
    c = open_case(session, w["p"]["cw"], event_id=ev["dispute"].id)
    assert (c.area_code, c.event_id, c.status) == (ev["dispute"].area_code, ev["dispute"].id, "open")
    with pytest.raises(InvalidInput, match="not a dispute"):
        open_case(session, w["p"]["cw"], event_id=ev["rubbish"].id)
    with pytest.raises(NotFound, match="does not exist"):
        open_case(session, w["p"]["cw"], event_id=ev["sibling"].id)
    with pytest.raises(NotFound):  # a dispute of the next community: outside the worker's village
        open_case(session, w["p"]["cw"], event_id=ev["dispute_b"].id)
    with pytest.raises(InvalidInput, match="without their ID numbers"):
        open_case(session, w["p"]["cw"], parties="张某 22010219800101123X 与李某")
    with pytest.raises(Forbidden):  # a grid worker reads but does not record
        open_case(session, w["p"]["gw"], event_id=ev["dispute"].id)
    assert _count(session, MediationCase) == 1


def test_a_case_is_closed_once(session, w):
    c = open_case(session, w["p"]["appointee"])
    with pytest.raises(InvalidInput, match="between the day it opened and today"):
        service.close_case(
            session, w["p"]["cw"], c.id, CaseCloseIn(outcome="agreement", closed_on=c.opened_on - timedelta(days=1))
        )
    service.close_case(session, w["p"]["cw"], c.id, CaseCloseIn(outcome="agreement", summary="签订协议"))
    with pytest.raises(Conflict, match="not closed twice"):
        service.close_case(session, w["p"]["appointee"], c.id, CaseCloseIn(outcome="failed"))
    session.refresh(c)
    assert (c.status, c.outcome, c.summary) == ("closed", "agreement", "签订协议")


def test_the_appointee_records_in_their_community_only(session, w):
    open_case(session, w["p"]["appointee"], area_code=GRID)
    with pytest.raises(NotFound):
        open_case(session, w["p"]["appointee"], area_code=VILLAGE_B)
    s = service.record_session(session, w["p"]["appointee"], SessionIn(
        area_code=VILLAGE_A, held_on=date.today(), place="社区活动室", topic="民法典讲座", attendance=30))  # fmt: skip
    assert s.attendance == 30
    with pytest.raises(InvalidInput, match="today or before"):
        service.record_session(session, w["p"]["appointee"], SessionIn(
            area_code=VILLAGE_A, held_on=date.today() + timedelta(days=1), place="x", topic="y"))  # fmt: skip


def test_figures_roll_up_coverage_cases_and_success_rate(session, w):
    appoint(session, duty="judge", area_code=GRID)
    appoint(session, duty="judge", area_code=GRID, name="第二位法官")  # the same grid counts once
    appoint(session, area_code=VILLAGE_A)
    appoint(session, area_code=VILLAGE_B, starts_on=date.today() + timedelta(days=3))  # not serving yet
    appoint(session, duty="legal_adviser", area_code=VILLAGE_B)
    ended = appoint(session, duty="legal_adviser", area_code=VILLAGE_A)
    service.end_appointment(session, SYSTEM, ended.id, AppointmentEndIn())
    outcomes = ("agreement", "agreement", "failed", None)
    for outcome in outcomes:
        c = open_case(session)
        if outcome:
            service.close_case(session, SYSTEM, c.id, CaseCloseIn(outcome=outcome))
    rows, total = counts.by_child(session, SYSTEM.scope(), TOWN_A, date.today() + timedelta(days=1))
    f = total.figures
    assert (f["grids_with_judge"], f["communities_with_police"], f["communities_with_adviser"]) == (1, 1, 1)
    assert (f["cases"], f["cases_closed"], f["cases_agreed"]) == (4, 3, 2)
    assert total.success_rate == pytest.approx(66.7)
    assert {r.code for r in rows} == {VILLAGE_A, VILLAGE_B}
    # Seen from the sibling county: nothing.
    assert counts.by_child(session, w["p"]["sibling"].scope(), TOWN_A)[1].figures == dict.fromkeys(counts.FIGURES, 0)


def test_whom_a_grid_worker_and_a_resident_call(session, w):
    appoint(session, duty="judge", area_code=GRID, name="周正", duty_phone="043188600001", phone="13743100001")
    appoint(session, area_code=VILLAGE_A, name="王建军", duty_phone="043188900001", hours="周二上午")
    appoint(session, area_code=VILLAGE_B, name="李卫东")  # another community
    appoint(session, duty="judge", area_code=SIBLING_GRID, name="邻县法官")
    gw = reads.contacts(session, w["p"]["gw"])
    assert sorted(c.name for c in gw) == ["周正", "王建军"]
    resident = reads.contacts(session, w["p"]["resident"])
    assert [c.name for c in resident] == ["王建军"]  # the community's; a grid's judge is the grid's
    assert "phone" not in resident[0].model_dump()
    assert resident[0].duty_phone == "043188900001" and resident[0].hours == "周二上午"
