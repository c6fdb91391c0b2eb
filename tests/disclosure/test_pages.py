"""The disclosure pages: the public board without signing in (askers masked, nothing personal), its print
layout and PDF, a resident's question through the page, a late publication refused without its reason
with the form kept, the township's report, out-of-reach pages answering 404, and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from linli.audit.models import AuditEntry
from linli.disclosure import repository, service
from linli.kit.pdf import PdfUnavailable, font_path
from tests.factories import TOWN_A, VILLAGE_A, auth, token_for
from tests.factories_disclosure import build_world, quarter_item

EN = {"Cookie": "linli_lang=en"}


@pytest.fixture
def world(areas):
    w = build_world(areas)
    today = repository.today()
    start = today - timedelta(days=40)
    item = quarter_item(areas, w["p"]["worker"], start=start, end=today - timedelta(days=5), on=today)
    service.publish(areas, w["p"]["worker"], item.id, on=today)
    late = quarter_item(
        areas, w["p"]["worker"], title="逾期事项", start=start, end=today - timedelta(days=12), on=today
    )
    q = service.ask(areas, w["p"]["resident"], item.id, "支出明细在哪里？", on=today)
    w |= {"item": item, "late": late, "question": q}
    w["tok"] = {k: token_for(areas, w["u"][k]) for k in ("worker", "official", "resident", "outsider_worker")}
    areas.commit()
    return w


def test_the_public_board_needs_no_sign_in_and_masks_askers(client, world, backend):
    page = client.get(f"/public/disclosure/{VILLAGE_A}", headers=EN)
    assert page.status_code == 200, page.text
    assert "2026年第一季度财务收支" in page.text and "逾期事项" not in page.text  # drafts are not public
    item = client.get(f"/public/disclosure/items/{world['item'].id}", headers=EN)
    assert "支出明细在哪里？" in item.text and "张**" in item.text and "张三丰" not in item.text
    assert client.get(f"/public/disclosure/items/{world['late'].id}").status_code == 404
    assert client.get("/public/disclosure/220102001").status_code == 404  # a street has no board
    printed = client.get(f"/public/disclosure/{VILLAGE_A}/print", headers=EN)
    assert printed.status_code == 200 and "/static/disclosure.css" in printed.text and "张**" in printed.text
    try:
        font_path()
    except PdfUnavailable:
        return
    if backend != "sqlite":
        return  # the PDF is the same on both engines; embedding the font subset costs seconds
    pdf = client.get(f"/public/disclosure/{VILLAGE_A}/board.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"


def test_staff_see_names_flags_and_answer_through_the_page(client, session, world):
    h = auth(world["tok"]["worker"]) | EN
    page = client.get(f"/disclosure/items/{world['item'].id}", headers=h).text
    assert "张三丰" in page and "Send the answer" in page
    late = client.get(f"/disclosure/items/{world['late'].id}", headers=h).text
    assert "Reason for publishing late" in late and "Overdue" in late
    r = client.post(f"/disclosure/items/{world['late'].id}/publish", data={"late_reason": " "}, headers=h)
    assert r.status_code == 422 and "give the reason for publishing it late" in r.text
    r = client.post(f"/disclosure/items/{world['late'].id}/publish", data={"late_reason": "会计外出"}, headers=h,
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    q = world["question"].id
    r = client.post(f"/disclosure/questions/{q}/answer", data={"answer": ""}, headers=h)
    assert r.status_code == 422 and "write the answer" in r.text
    r = client.post(f"/disclosure/questions/{q}/answer", data={"answer": "见附表。"}, headers=h, follow_redirects=False)
    assert r.status_code == 303
    outsider = auth(world["tok"]["outsider_worker"])
    assert client.get(f"/disclosure/items/{world['item'].id}", headers=outsider).status_code == 404
    assert client.post(f"/disclosure/questions/{q}/answer", data={"answer": "x"}, headers=outsider).status_code == 404
    assert client.get(f"/areas/{VILLAGE_A}/disclosure", headers=outsider).status_code == 404
    board = client.get(f"/public/disclosure/{VILLAGE_A}", headers=EN).text
    assert "Published late" in board
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("disclosure.%"))))
    assert {"disclosure.create", "disclosure.publish", "disclosure.ask", "disclosure.answer"} <= actions
    assert "支出明细" not in "".join(str(a) for a in session.scalars(select(AuditEntry.after)))


def test_a_resident_asks_through_the_page_and_the_township_sees_the_report(client, world):
    h = auth(world["tok"]["resident"]) | EN
    r = client.post(f"/disclosure/items/{world['item'].id}/ask", data={"question": "  "}, headers=h)
    assert r.status_code == 422 and "write your question" in r.text
    r = client.post(f"/disclosure/items/{world['item'].id}/ask", data={"question": "何时公示发票？"}, headers=h,
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    official = auth(world["tok"]["official"]) | EN
    page = client.get(f"/areas/{TOWN_A}/disclosure", headers=official)
    assert page.status_code == 200 and "Overdue disclosures by place" in page.text and "华阳社区" in page.text
    api = client.get("/api/v1/disclosure/report", params={"area": TOWN_A}, headers=auth(world["tok"]["official"]))
    assert api.json()["rows"] == [{"area_code": VILLAGE_A, "overdue": 1, "late": 0, "unanswered": 0}]
    todos = client.get("/", headers=auth(world["tok"]["worker"]) | EN).text
    assert "Residents&#39; questions to answer" in todos or "Residents' questions to answer" in todos
