"""Scope cases of the disclosure boards: the public board (anyone), a signed-in resident's question (the
board is public: anyone signed in reads the form; only the village's own may ask: 403 beside it), and the
staff's pages and API (404 beside the area)."""

from __future__ import annotations

from datetime import timedelta

from linli.disclosure import repository, service
from linli.disclosure.schemas import ItemIn
from tests.factories import SYSTEM, VILLAGE_A, principal
from tests.scope_cases import Case

TITLE = "ScopeCaseDisclosure"


def _item(session, title: str):
    end = repository.today() - timedelta(days=3)
    data = ItemIn(area_code=VILLAGE_A, kind="finances", title=title, body="收支", period_from=end - timedelta(days=20),
                  period_to=end)  # fmt: skip
    return service.create_item(session, SYSTEM, data)


def setup(session, w) -> dict:
    draft = _item(session, TITLE)
    published = _item(session, TITLE + "Published")
    service.publish(session, SYSTEM, published.id)
    resident = principal(w["other"], ("resident", VILLAGE_A))
    q = service.ask(session, resident, published.id, "为什么？")
    return {"dc_draft": draft.id, "dc_published": published.id, "dc_question": q.id}


def cases(w) -> dict:
    draft, published = {"item_id": w["dc_draft"]}, {"item_id": w["dc_published"]}
    question = {"question_id": w["dc_question"]}
    end = repository.today() - timedelta(days=3)
    body = {"area_code": VILLAGE_A, "kind": "finances", "title": "财务", "body": "收支",
            "period_from": (end - timedelta(days=20)).isoformat(), "period_to": end.isoformat()}  # fmt: skip
    form = {k: v for k, v in body.items() if k != "area_code"}
    settings = {"period_days": "7", "objection_days": "7", "answer_days": "10", "prompt_days": "5"}
    settings["after_period_days"] = "10"
    village = {"code": VILLAGE_A}
    return {
        ("GET", "/api/v1/disclosure/items"): Case(params={"area": VILLAGE_A}),
        ("POST", "/api/v1/disclosure/items"): Case(body=body),
        ("GET", "/api/v1/disclosure/items/{item_id}"): Case(path=draft),
        ("POST", "/api/v1/disclosure/items/{item_id}/publish"): Case(path=draft, body={"late_reason": "迟了"}),
        ("POST", "/api/v1/disclosure/items/{item_id}/questions"): Case(
            path=published, body={"question": "何时？"}, sibling_status=403
        ),
        ("POST", "/api/v1/disclosure/questions/{question_id}/answer"): Case(path=question, body={"answer": "答复"}),
        ("GET", "/api/v1/disclosure/report"): Case(params={"area": "220102"}),
        ("GET", "/public/disclosure/{code}"): Case(path=village, kind="public"),
        ("GET", "/public/disclosure/{code}/print"): Case(path=village, kind="public"),
        ("GET", "/public/disclosure/{code}/board.pdf"): Case(path=village, kind="public"),
        ("GET", "/public/disclosure/items/{item_id}"): Case(path=published, kind="public"),
        ("GET", "/disclosure/items/{item_id}/ask"): Case(path=published, kind="self"),
        ("POST", "/disclosure/items/{item_id}/ask"): Case(
            path=published, data={"question": "何时？"}, sibling_status=403
        ),
        ("GET", "/areas/{code}/disclosure"): Case(path=village),
        ("GET", "/areas/{code}/disclosure/new"): Case(path=village),
        ("POST", "/areas/{code}/disclosure/new"): Case(path=village, data=form),
        ("GET", "/disclosure/items/{item_id}"): Case(path=draft),
        ("POST", "/disclosure/items/{item_id}/publish"): Case(path=draft, data={"late_reason": "迟了"}),
        ("POST", "/disclosure/questions/{question_id}/answer"): Case(path=question, data={"answer": "答复"}),
        ("GET", "/areas/{code}/disclosure/settings"): Case(path={"code": "220102"}),
        ("POST", "/areas/{code}/disclosure/settings"): Case(path={"code": "220102"}, data=settings),
    }
