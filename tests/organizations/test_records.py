"""An alliance's records and a unit's feedback: agreements (dates in order, the signed file stored and read
back), meetings and one review a year, kept where the alliance sits; the community's annual evaluation of a
unit reported to it only, shown to the unit's contact and sent to their inbox."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.notify.models import OutboxMessage
from linli.organizations import reads, service
from linli.organizations.models import Agreement, AllianceMeeting, UnitEvaluation
from linli.organizations.schemas import UnitReportIn
from linli.organizations.schemas.records import AgreementIn, EvaluationIn, MeetingIn, ReviewIn
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_organizations import VILLAGE_B, org_world

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def w(areas):
    world = org_world(areas)
    village_worker = make_user(areas, "org_cw_village", "community_worker", VILLAGE_A)
    world["p"]["village_cw"] = principal(village_worker, ("community_worker", VILLAGE_A))
    world["tok"] = {k: token_for(areas, u) for k, u in world["users"].items()}
    areas.commit()
    return world


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _agreement(start: date, end: date) -> AgreementIn:
    return AgreementIn(title="共建协议", signed_on=start, starts_on=start, ends_on=end)


def test_an_agreement_that_ends_before_it_starts_is_refused_and_nothing_written(session, w):
    a, cw = w["alliance"], w["p"]["cw"]
    start = date.today() - timedelta(days=10)
    with pytest.raises(InvalidInput, match="ends .* before it starts"):
        service.records.add_agreement(session, cw, a.id, _agreement(start, start - timedelta(days=1)), io.BytesIO(PDF))
    with pytest.raises(InvalidInput, match="PDF, JPEG or PNG"):
        service.records.add_agreement(session, cw, a.id, _agreement(start, start), io.BytesIO(b"MZ not a pdf"), "x.exe")
    assert _count(session, Agreement) == 0
    with pytest.raises(Forbidden):  # a community's worker sees the street's alliance but does not keep it
        service.records.add_agreement(session, w["p"]["village_cw"], a.id, _agreement(start, start))
    row = service.records.add_agreement(
        session, cw, a.id, _agreement(start, start + timedelta(days=365)), io.BytesIO(PDF), "C:\\scans\\协议.pdf"
    )
    path, name, media = reads.agreement_file(session, w["p"]["contact_a"], row.id)
    assert (path.read_bytes(), name, media) == (PDF, "协议.pdf", "application/pdf")
    with pytest.raises(NotFound):
        reads.agreement_file(session, w["p"]["sibling"], row.id)


def test_meetings_and_one_review_a_year(session, w):
    a, cw = w["alliance"], w["p"]["cw"]
    with pytest.raises(InvalidInput, match="in the future"):
        service.records.add_meeting(session, cw, a.id, MeetingIn(held_on=date.today() + timedelta(days=1), title="会"))
    service.records.add_meeting(session, cw, a.id, MeetingIn(held_on=date.today(), title="联席会议", attendees=12))
    assert [m.attendees for m in reads.meetings(session, w["p"]["contact_a"], a.id)] == [12]
    year = date.today().year
    service.records.review(session, cw, a.id, ReviewIn(year=year - 1, grade="good", summary="完成项目九个"))
    with pytest.raises(Conflict, match="review of"):
        service.records.review(session, cw, a.id, ReviewIn(year=year - 1, grade="excellent"))
    with pytest.raises(InvalidInput, match="not come yet"):
        service.records.review(session, cw, a.id, ReviewIn(year=year + 1, grade="good"))
    assert _count(session, AllianceMeeting) == 1


def test_a_unit_not_reported_to_the_community_is_not_evaluated_there(session, w):
    a_unit, cw = w["orgs"]["a"], w["p"]["cw"]
    year = date.today().year - 1
    body = EvaluationIn(area_code=VILLAGE_A, year=year, grade="excellent", comment="服务积极")
    with pytest.raises(InvalidInput, match="has not reported to this community"):
        service.records.evaluate(session, cw, a_unit.id, body)
    service.reporting.report_unit(session, SYSTEM, a_unit.id, UnitReportIn(area_code=VILLAGE_A))
    with pytest.raises(InvalidInput, match="has not reported"):  # reported to VILLAGE_A, not VILLAGE_B
        service.records.evaluate(session, cw, a_unit.id, body.model_copy(update={"area_code": VILLAGE_B}))
    with pytest.raises(NotFound):
        service.records.evaluate(session, w["p"]["sibling"], a_unit.id, body)
    assert _count(session, UnitEvaluation) == 0 and _count(session, OutboxMessage) == 0
    row = service.records.evaluate(session, cw, a_unit.id, body)
    with pytest.raises(Conflict, match="evaluated .* already"):
        service.records.evaluate(session, cw, a_unit.id, body)
    # Fed back: the unit's contact reads it on the unit's page and has it in the inbox.
    seen = reads.evaluations(session, w["p"]["contact_a"], a_unit.id)
    assert [(e.id, e.grade) for e in seen] == [(row.id, "excellent")]
    [message] = session.scalars(select(OutboxMessage)).all()
    assert message.recipient == f"user:{w['users']['contact_a'].id}" and "优秀" in message.payload


def test_agreement_upload_and_evaluation_over_the_api(client, session, w):
    cw = auth(w["tok"]["cw"])
    a = w["alliance"].id
    fields = {"title": "共建协议", "signed_on": "2026-01-05", "starts_on": "2026-01-05", "ends_on": "2025-12-31"}
    r = client.post(f"/api/v1/alliances/{a}/agreements", data=fields, files={"file": ("a.pdf", PDF)}, headers=cw)
    assert r.status_code == 422 and "before it starts" in r.json()["error"]["message"]
    fields["ends_on"] = "2027-01-04"
    r = client.post(f"/api/v1/alliances/{a}/agreements", data=fields, files={"file": ("a.pdf", PDF)}, headers=cw)
    assert r.status_code == 201, r.text
    got = client.get(f"/api/v1/org-agreements/{r.json()['id']}/file", headers=auth(w["tok"]["contact_a"]))
    assert got.status_code == 200 and got.content == PDF
    body = {"area_code": VILLAGE_A, "year": date.today().year - 1, "grade": "good"}
    r = client.post(f"/api/v1/organizations/{w['orgs']['a'].id}/evaluations", json=body, headers=cw)
    assert r.status_code == 422 and "has not reported" in r.json()["error"]["message"]
