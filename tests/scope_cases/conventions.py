"""Scope cases of the conventions: the public page (anyone), a resident's opinion (anyone signed in reads
the draft; only the village's own may give one: 403 beside it), the staff's steps (404 beside the area)."""

from __future__ import annotations

from linli.conventions import repository, service
from linli.conventions.schemas import AdoptIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.scope_cases import Case

TEXT = "第一条 爱护公共设施。"
STEPS = ("draft", "under_review", "approved", "adopted", "filed", "in_force")


def _held_meeting(session) -> int:
    """A residents' meeting of the community held today with its quorum: the meeting that adopts."""
    from datetime import timedelta

    from linli.selfgov import repository as selfgov_repo
    from linli.selfgov.schemas import MeetingIn
    from linli.selfgov.service import meetings
    from tests.factories_selfgov import person

    for i in range(2):
        person(session, VILLAGE_A + "001", woman=i == 0)
    today = repository.today()
    data = MeetingIn(area_code=VILLAGE_A, kind="residents_meeting", title="ScopeCaseAdoption",
                     notice_on=today - timedelta(days=8), held_on=today)  # fmt: skip
    m = meetings.call(session, SYSTEM, data)
    meetings.sign_in(session, SYSTEM, m.id, [v.person_id for v in selfgov_repo.voters(session, m.id)])
    meetings.close(session, SYSTEM, m.id)
    return m.id


def _version_at(session, status: str, meeting_id: int):
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
            service.adopt(session, SYSTEM, v.id, AdoptIn(meeting_id=meeting_id))
        elif step == "filed":
            service.file(session, SYSTEM, v.id, repository.today())
        else:
            service.publish(session, SYSTEM, v.id)
    return c, v


def setup(session, w) -> dict:
    out = {"cv_meeting": _held_meeting(session)}
    for status in ("opinions", *STEPS):
        c, v = _version_at(session, status, out["cv_meeting"])
        out[f"cv_{status}"], out[f"cc_{status}"] = v.id, c.id
    return out


def cases(w) -> dict:
    def at(status):
        return {"version_id": w[f"cv_{status}"]}

    today = repository.today().isoformat()
    adopt = {"meeting_id": w["cv_meeting"]}
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
