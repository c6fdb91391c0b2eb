"""Scope cases of the conventions: the public page (anyone), a resident's opinion (anyone signed in reads
the draft; only the village's own may give one: 403 beside it), the staff's steps (404 beside the area)."""

from __future__ import annotations

from linli.conventions import repository, service
from linli.conventions.schemas import AdoptIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.scope_cases import Case

TEXT = "第一条 爱护公共设施。"
STEPS = ("draft", "under_review", "approved", "adopted", "filed", "in_force")


def _version_at(session, status: str):
    c = service.create(session, SYSTEM, VILLAGE_A, f"ScopeCase{status}", TEXT)
    (v,) = repository.versions_of(session, c.id)
    for step in STEPS[: STEPS.index(status) + 1] if status in STEPS else ():
        if step == "draft":
            service.save_draft(session, SYSTEM, v.id, TEXT)
        elif step == "under_review":
            service.submit(session, SYSTEM, v.id)
        elif step == "approved":
            service.review(session, SYSTEM, v.id, "approve", "")
        elif step == "adopted":
            data = AdoptIn(
                body="residents_meeting", adopted_on=repository.today(), attendance_present=50, women_present=20
            )
            service.adopt(session, SYSTEM, v.id, data)
        elif step == "filed":
            service.file(session, SYSTEM, v.id, repository.today())
        else:
            service.publish(session, SYSTEM, v.id)
    return c, v


def setup(session, w) -> dict:
    out = {}
    for status in ("opinions", *STEPS):
        c, v = _version_at(session, status)
        out[f"cv_{status}"], out[f"cc_{status}"] = v.id, c.id
    return out


def cases(w) -> dict:
    def at(status):
        return {"version_id": w[f"cv_{status}"]}

    today = repository.today().isoformat()
    adopt = {"body": "residents_meeting", "adopted_on": today, "attendance_present": 40, "women_present": 18}
    village = {"code": VILLAGE_A}
    return {
        ("GET", "/api/v1/conventions"): Case(params={"area": VILLAGE_A}),
        ("GET", "/api/v1/conventions/{convention_id}"): Case(path={"convention_id": w["cc_opinions"]}),
        ("POST", "/api/v1/conventions/versions/{version_id}/adopt"): Case(path=at("approved"), body=adopt),
        ("GET", "/public/conventions/{code}"): Case(path=village, kind="public"),
        ("GET", "/conventions/versions/{version_id}/opinion"): Case(path=at("opinions"), kind="self"),
        ("POST", "/conventions/versions/{version_id}/opinion"): Case(
            path=at("opinions"), data={"text": "意见"}, sibling_status=403
        ),
        ("GET", "/areas/{code}/conventions"): Case(path=village),
        ("POST", "/areas/{code}/conventions/new"): Case(path=village, data={"title": "公约", "text": TEXT}),
        ("GET", "/conventions/{convention_id}"): Case(path={"convention_id": w["cc_opinions"]}),
        ("POST", "/conventions/{convention_id}/revise"): Case(path={"convention_id": w["cc_in_force"]}),
        ("POST", "/conventions/versions/{version_id}/opinions"): Case(
            path=at("opinions"), data={"text": "意见", "source": "座谈会"}
        ),
        ("POST", "/conventions/versions/{version_id}/draft"): Case(path=at("opinions"), data={"text": TEXT}),
        ("POST", "/conventions/versions/{version_id}/submit"): Case(path=at("draft")),
        ("POST", "/conventions/versions/{version_id}/review"): Case(
            path=at("under_review"), data={"decision": "approve"}
        ),
        ("POST", "/conventions/versions/{version_id}/adopt"): Case(
            path=at("approved"), data={k: str(v) for k, v in adopt.items()}
        ),
        ("POST", "/conventions/versions/{version_id}/file"): Case(path=at("adopted"), data={"filed_on": today}),
        ("POST", "/conventions/versions/{version_id}/receive"): Case(path=at("filed")),
        ("POST", "/conventions/versions/{version_id}/publish"): Case(path=at("filed")),
        ("GET", "/conventions/versions/{version_id}/diff"): Case(path=at("draft")),
        ("GET", "/areas/{code}/conventions/settings"): Case(path={"code": "220102"}),
        ("POST", "/areas/{code}/conventions/settings"): Case(path={"code": "220102"}, data={"days": "20"}),
    }
