"""Scope cases of an alliance's records (agreements with their file, meetings, reviews) and of units'
evaluations by their communities (API and pages), on the alliance and unit of tests/scope_cases/organizations.py."""

from __future__ import annotations

import io
from datetime import date

from linli.organizations import service
from linli.organizations.schemas.records import AgreementIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.scope_cases import Case

PDF = b"%PDF-1.4\n%%EOF\n"


def setup(session, w) -> dict:
    today = date.today()
    body = AgreementIn(title="范围协议", signed_on=today, starts_on=today, ends_on=today)
    agreement = service.records.add_agreement(session, SYSTEM, w["og_alliance"], body, io.BytesIO(PDF), "a.pdf")
    return {"og_agreement": agreement.id}


def cases(w) -> dict:
    v1 = "/api/v1"
    alliance = {"alliance_id": w["og_alliance"]}
    org = {"org_id": w["og_org"]}
    today = date.today().isoformat()
    agreement = {"title": "共建协议", "signed_on": today, "starts_on": today, "ends_on": today}
    meeting = {"held_on": today, "title": "联席会议", "attendees": "9"}
    review = {"year": str(date.today().year - 1), "grade": "good"}
    evaluation = {"area_code": VILLAGE_A, "year": str(date.today().year - 1), "grade": "excellent"}
    pdf = {"file": ("a.pdf", PDF, "application/pdf")}
    return {
        ("GET", f"{v1}/alliances/{{alliance_id}}/agreements"): Case(path=alliance),
        ("POST", f"{v1}/alliances/{{alliance_id}}/agreements"): Case(path=alliance, data=agreement, files=pdf),
        ("GET", f"{v1}/org-agreements/{{agreement_id}}/file"): Case(path={"agreement_id": w["og_agreement"]}),
        ("GET", f"{v1}/alliances/{{alliance_id}}/meetings"): Case(path=alliance),
        ("POST", f"{v1}/alliances/{{alliance_id}}/meetings"): Case(path=alliance, body={**meeting, "attendees": 9}),
        ("GET", f"{v1}/alliances/{{alliance_id}}/reviews"): Case(path=alliance),
        ("POST", f"{v1}/alliances/{{alliance_id}}/reviews"): Case(
            path=alliance, body={**review, "year": int(review["year"])}
        ),
        ("GET", f"{v1}/organizations/{{org_id}}/evaluations"): Case(path=org),
        ("POST", f"{v1}/organizations/{{org_id}}/evaluations"): Case(
            path=org, body={**evaluation, "year": int(evaluation["year"])}
        ),
        ("POST", "/alliances/{alliance_id}/agreements"): Case(path=alliance, data=agreement, files=pdf),
        ("POST", "/alliances/{alliance_id}/meetings"): Case(path=alliance, data=meeting),
        ("POST", "/alliances/{alliance_id}/reviews"): Case(path=alliance, data=review),
        ("POST", "/organizations/{org_id}/evaluations"): Case(path=org, data=evaluation),
    }
