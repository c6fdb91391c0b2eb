"""Scope cases of the notices routes: JSON API (list, detail, write, publish, withdraw, attachments) and pages."""

from __future__ import annotations

import io

from linli.notices import service
from linli.notices.schemas import NoticeIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.scope_cases import Case

TITLE = "ScopeCaseNotice"
PDF = b"%PDF-1.4\n%%EOF\n"


def setup(session, w) -> dict:
    draft = service.create(session, SYSTEM, NoticeIn(area_code=VILLAGE_A, title=TITLE, body="正文"))
    att = service.add_attachment(session, SYSTEM, draft.id, io.BytesIO(PDF), "通知.pdf")
    published = service.create(session, SYSTEM, NoticeIn(area_code=VILLAGE_A, title=TITLE + "Published", body="正文"))
    service.publish(session, SYSTEM, published.id)
    return {"no_draft": draft.id, "no_att": att.id, "no_published": published.id}


def cases(w) -> dict:
    draft = {"notice_id": w["no_draft"]}
    att = {"notice_id": w["no_draft"], "attachment_id": w["no_att"]}
    published = {"notice_id": w["no_published"]}
    form = {"title": "通知", "body": "正文", "audience": "all_residents"}
    upload = {"file": ("附件.pdf", PDF, "application/pdf")}
    return {
        ("GET", "/api/v1/notices"): Case(kind="list", hidden=TITLE),
        ("GET", "/api/v1/notices/mine"): Case(kind="self"),
        ("POST", "/api/v1/notices"): Case(body={"area_code": VILLAGE_A, **form}),
        ("GET", "/api/v1/notices/{notice_id}"): Case(path=draft),
        ("PATCH", "/api/v1/notices/{notice_id}"): Case(path=draft, body={"title": "新标题"}),
        ("POST", "/api/v1/notices/{notice_id}/publish"): Case(path=draft),
        ("POST", "/api/v1/notices/{notice_id}/withdraw"): Case(path=published),
        ("POST", "/api/v1/notices/{notice_id}/attachments"): Case(path=draft, files=upload),
        ("GET", "/api/v1/notices/{notice_id}/attachments/{attachment_id}"): Case(path=att),
        ("DELETE", "/api/v1/notices/{notice_id}/attachments/{attachment_id}"): Case(path=att),
        ("GET", "/areas/{code}/notices"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/notices/new"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/notices/new"): Case(path={"code": VILLAGE_A}, data=form),
        ("GET", "/notices"): Case(kind="self"),
        ("GET", "/notices/{notice_id}"): Case(path=draft),
        ("GET", "/notices/{notice_id}/edit"): Case(path=draft),
        ("POST", "/notices/{notice_id}/edit"): Case(path=draft, data=form),
        ("POST", "/notices/{notice_id}/attachments"): Case(path=draft, files=upload),
        ("POST", "/notices/{notice_id}/attachments/{attachment_id}/remove"): Case(path=att),
        ("POST", "/notices/{notice_id}/publish"): Case(path=draft, data={"confirm": "yes"}),
        ("POST", "/notices/{notice_id}/withdraw"): Case(path=published, data={"confirm": "yes"}),
    }
