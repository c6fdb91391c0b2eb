"""Scope cases of consultations: the public page (anyone), raising a topic and an online opinion (anyone
signed in reads; only the village's own may act: 403 beside it), the staff's steps (404 beside)."""

from __future__ import annotations

from datetime import timedelta

from linli.consultation import repository, service
from tests.factories import SYSTEM, VILLAGE_A
from tests.scope_cases import Case

TITLE = "ScopeCaseConsultation"


def setup(session, w) -> dict:
    today = repository.today()
    proposed = service.raise_topic(session, SYSTEM, VILLAGE_A, TITLE, "议题")
    scheduled = service.raise_topic(session, SYSTEM, VILLAGE_A, TITLE + "Scheduled", "议题")
    service.schedule(session, SYSTEM, scheduled.id, form="online", held_on=today + timedelta(days=5), place="",
                     content="内容", participants=[("residents", "居民代表")])  # fmt: skip
    held = service.raise_topic(session, SYSTEM, VILLAGE_A, TITLE + "Held", "议题")
    parties = [("residents", "居民代表")]
    service.schedule(session, SYSTEM, held.id, form="meeting", held_on=today - timedelta(days=2), place="议事厅",
                     content="内容", participants=parties, on=today - timedelta(days=10))  # fmt: skip
    due = service.raise_topic(session, SYSTEM, VILLAGE_A, TITLE + "Due", "议题")
    service.schedule(session, SYSTEM, due.id, form="meeting", held_on=today - timedelta(days=2), place="议事厅",
                     content="内容", participants=parties, on=today - timedelta(days=10))  # fmt: skip
    service.record_outcome(session, SYSTEM, held.id, held_on=today - timedelta(days=2), present=10, opinion="意见")
    return {"cs_proposed": proposed.id, "cs_scheduled": scheduled.id, "cs_held": held.id, "cs_due": due.id}


def cases(w) -> dict:
    proposed, scheduled, held = ({"topic_id": w[k]} for k in ("cs_proposed", "cs_scheduled", "cs_held"))
    today = repository.today()
    schedule = {"form": "meeting", "held_on": (today + timedelta(days=5)).isoformat(), "place": "议事厅",
                "content": "内容", "party_kind": "residents", "party_name": "居民代表"}  # fmt: skip
    outcome = {"held_on": (today - timedelta(days=1)).isoformat(), "present": "12", "opinion": "意见"}
    village = {"code": VILLAGE_A}
    return {
        ("GET", "/api/v1/consultations"): Case(params={"area": VILLAGE_A}),
        ("GET", "/api/v1/consultations/{topic_id}"): Case(path=proposed),
        ("POST", "/api/v1/consultations/{topic_id}/matter"): Case(path=held, body={"matter_id": None}),
        ("GET", "/public/consultations/{code}"): Case(path=village, kind="public"),
        ("GET", "/areas/{code}/consultations/raise"): Case(path=village, kind="self"),
        ("POST", "/areas/{code}/consultations/raise"): Case(
            path=village, data={"title": "议题", "description": "说明"}, sibling_status=403
        ),
        ("GET", "/consultations/{topic_id}/opinion"): Case(path=scheduled, kind="self"),
        ("POST", "/consultations/{topic_id}/opinion"): Case(path=scheduled, data={"text": "意见"}, sibling_status=403),
        ("GET", "/areas/{code}/consultations"): Case(path=village),
        ("GET", "/consultations/{topic_id}"): Case(path=proposed),
        ("POST", "/consultations/{topic_id}/schedule"): Case(path=proposed, data=schedule),
        ("POST", "/consultations/{topic_id}/decline"): Case(path=proposed, data={"reason": "已解决"}),
        ("POST", "/consultations/{topic_id}/outcome"): Case(path={"topic_id": w["cs_due"]}, data=outcome),
        ("POST", "/consultations/{topic_id}/report"): Case(path=held, data={"feedback": "已落实"}),
        ("POST", "/consultations/{topic_id}/matter"): Case(path=held, data={"matter_id": ""}),
    }
