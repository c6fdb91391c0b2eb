"""Applications, one door: a resident applies online with their register data, a worker registers one
at the counter acting for someone (代办); materials; accepted only with every required material;
returned with what is missing; each step by its own unit; decided and delivered; every refusal
changes nothing; the applicant is told of each change; the printed documents."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.time import utcnow
from linli.notify.models import OutboxMessage
from linli.services import documents, reads, repository, workflow
from linli.services.models import Application
from linli.services.schemas import ApplicationIn, TransitionIn
from tests.factories import auth, token_for
from tests.factories_services import ALLOWANCE, PENSION, SUBSISTENCE, VILLAGE_B, enable, services_world

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def world(session):
    return services_world(session)


def act(session, who, app, action, **kw):
    return workflow.transition(session, who, app.id, TransitionIn(action=action, **kw))


def messages_to(session, user) -> int:
    return session.scalar(select(func.count()).where(OutboxMessage.recipient == f"user:{user.id}"))


def test_resident_applies_online_and_follows_it_to_delivery(session, world):
    p, persons, user = world["p"], world["persons"], world["users"]["resident"]
    offer = world["offers"][SUBSISTENCE]
    app = workflow.submit(session, p["resident"], ApplicationIn(offer_id=offer.id))
    # Data entered once: the applicant is the linked register entry, nothing typed.
    assert (app.person_id, app.applicant_name, app.channel, app.visits) == (persons["head"].id, "张伟", "online", 0)
    assert app.user_id == user.id and app.state == "submitted"

    # Accepting without the required materials is refused, listing them; nothing changes.
    with pytest.raises(InvalidInput, match="required materials are missing") as exc:
        act(session, p["community"], app, "accept")
    assert "居民身份证" in exc.value.details and app.state == "submitted"
    # Returned with what is missing: the resident is told, and the one-time notice lists it.
    act(session, p["community"], app, "return", missing=["户口簿", "银行卡或存折"])
    assert app.state == "returned" and json.loads(app.missing) == ["户口簿", "银行卡或存折"]
    assert messages_to(session, user) == 1
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(documents.one_time_notice(session, app))).pages)
    assert "一次性告知书" in text and "银行卡或存折" in text
    with pytest.raises(Conflict):
        documents.receipt(session, app)

    # The resident uploads one material; the counter sees the originals of the rest.
    workflow.upload_material(session, p["resident"], app.id, 0, io.BytesIO(PNG), "身份证.png")
    with pytest.raises(InvalidInput, match="PDF, JPEG or PNG"):
        workflow.upload_material(session, p["resident"], app.id, 1, io.BytesIO(b"MZ\x90\x00"), "x.exe")
    with pytest.raises(Forbidden):
        workflow.mark_seen(session, p["resident"], app.id, 1)
    for position in (1, 2, 3, 4):
        workflow.mark_seen(session, p["community"], app.id, position)
    act(session, p["resident"], app, "resubmit")
    act(session, p["community"], app, "accept")
    assert app.state == "in_process" and (app.step_index, app.step_level) == (0, "township")
    assert app.due_at > app.step_due_at > utcnow()
    assert "受理通知书" in PdfReader(io.BytesIO(documents.receipt(session, app))).pages[0].extract_text()

    # Each step by its own unit; out of order refused.
    with pytest.raises(Forbidden, match="街道社会事务办"):
        act(session, p["community"], app, "advance")
    with pytest.raises(Conflict):
        act(session, p["community"], app, "deliver")
    with pytest.raises(Conflict, match="last step"):
        act(session, p["street"], app, "decide", outcome="approved")
    act(session, p["street"], app, "advance")  # 入户调查
    act(session, p["street"], app, "advance")  # 民主评议公示 (not counted toward the limit)
    assert app.step_level == "county"
    with pytest.raises(Forbidden):
        act(session, p["street"], app, "decide", outcome="approved")
    with pytest.raises(InvalidInput, match="reason of a denial"):
        act(session, p["county"], app, "decide", outcome="denied")
    act(session, p["county"], app, "decide", outcome="approved")
    assert app.state == "decided" and app.on_time is True and app.working_days is not None
    act(session, p["community"], app, "deliver")
    assert app.state == "delivered" and app.visits == 1 and app.closed_at is not None

    detail = reads.detail(session, p["resident"], app)
    assert [e.action for e in detail.log] == [
        "submit", "return", "resubmit", "accept", "advance", "advance", "decide", "deliver",
    ]  # fmt: skip
    assert messages_to(session, user) == 6  # every change but the resident's own (submit, resubmit)
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(app.id))))
    assert {"services.submit", "services.accept", "services.decide", "services.material_seen"} <= actions


def test_who_may_apply_for_whom(session, world):
    p, persons = world["p"], world["persons"]
    offer = world["offers"][ALLOWANCE]
    # A member of one's household: yes; anyone else: only a worker at the counter, recorded as agent.
    spouse_app = workflow.submit(
        session, p["resident"], ApplicationIn(offer_id=offer.id, person_id=persons["spouse"].id)
    )
    assert spouse_app.applicant_name == "李娜"
    with pytest.raises(InvalidInput, match="members of your household"):
        workflow.submit(session, p["resident"], ApplicationIn(offer_id=offer.id, person_id=persons["stranger"].id))
    agent = workflow.submit(
        session, p["community"], ApplicationIn(offer_id=offer.id, person_id=persons["stranger"].id, assist="agent")
    )
    assert (agent.channel, agent.assist, agent.acted_by, agent.visits) == ("counter", "agent", "svc_cw", 0)
    # An item not enabled in the applicant's community.
    other = enable(session, PENSION, VILLAGE_B)
    with pytest.raises(InvalidInput, match="not enabled in the applicant's community"):
        workflow.submit(session, p["resident"], ApplicationIn(offer_id=other.id))
    # A person outside the worker's community does not exist for them.
    with pytest.raises(NotFound):
        workflow.submit(session, p["community"], ApplicationIn(offer_id=offer.id, person_id=persons["neighbour"].id))
    # Out of reach answers like a missing application: a worker of another community, and the API.
    with pytest.raises(NotFound):
        repository.get_readable(session, p["other_cw"], agent.id)
    with pytest.raises(NotFound):
        act(session, p["other_cw"], agent, "accept")
    with pytest.raises(Conflict):
        act(session, p["community"], agent, "deliver")
    with pytest.raises(InvalidInput, match="reason"):
        act(session, p["community"], agent, "reject")
    act(session, p["community"], agent, "reject", note="不符合条件")
    assert agent.state == "rejected" and agent.outcome == "rejected"
    assert session.scalar(select(func.count()).select_from(Application)) == 2


def test_overdue_lists_and_figures(session, world):
    p = world["p"]
    offer = world["offers"][PENSION]
    apps = [workflow.submit(session, p["resident"], ApplicationIn(offer_id=offer.id)) for _ in range(2)]
    for a in apps:
        for position in (0, 1):
            workflow.mark_seen(session, p["community"], a.id, position)
        act(session, p["community"], a, "accept")
    late = apps[0]
    late.step_due_at = late.due_at = utcnow() - timedelta(days=3)
    session.flush()
    now = utcnow()
    rows, total = repository.list_for_area(session, p["street"], repository.Filters("220102001", overdue=True), now)
    assert [a.id for a in rows] == [late.id] and total == 1
    assert reads.out(late, repository.item_by_id(session, late.item_id), now).overdue
    queue, _ = repository.list_for_area(session, p["street"], repository.Filters("220102001", level="township"), now)
    assert {a.id for a in queue} == {a.id for a in apps}
    from linli.services.todo import todos

    found = {t.label: t.count for t in todos(session, p["street"])}
    assert found["Application steps at your level"] == 2 and found["Applications past their deadline"] == 1
    act(session, p["street"], late, "decide", outcome="approved")
    act(session, p["street"], apps[1], "decide", outcome="approved")
    by_item = reads.figures(session, p["county"], "220102", "item")
    assert [(r.name, r.total, r.decided, r.on_time, r.on_time_rate) for r in by_item] == [
        ("城乡居民基本养老保险参保登记", 2, 2, 1, 0.5)
    ]
    by_area = reads.figures(session, p["county"], "220102", "area")
    assert [(r.key, r.total) for r in by_area] == [("220102001", 2)] and by_area[0].name != "220102001"
    with pytest.raises(NotFound):
        reads.figures(session, p["other_cw"], "220102001", "item")
    # The running totals kept with each change are what a recount of the applications gives.
    kept = reads.figures(session, p["county"], "220102", "item")
    repository.rebuild_figures(session)
    assert reads.figures(session, p["county"], "220102", "item") == kept


def test_counter_application_reaches_the_linked_resident(client, session, world):
    p, persons, users = world["p"], world["persons"], world["users"]
    offer = world["offers"][PENSION]
    data = ApplicationIn(offer_id=offer.id, person_id=persons["head"].id, assist="help")
    app = workflow.submit(session, p["community"], data)
    assert (app.channel, app.assist, app.acted_by, app.user_id) == ("counter", "help", "svc_cw", users["resident"].id)
    for position in (0, 1):
        workflow.mark_seen(session, p["community"], app.id, position)
    act(session, p["community"], app, "accept")
    assert messages_to(session, users["resident"]) == 2  # registered for them, then accepted
    session.commit()
    mine = client.get("/services/mine", headers=auth(token_for(session, users["resident"])))
    assert mine.status_code == 200 and "城乡居民基本养老保险参保登记" in mine.text
    resident = auth(token_for(session, users["resident"]))
    home = client.get("/", headers=resident)
    assert f"/services/applications/{app.id}" in home.text
    # The form refuses another household's member in words and keeps what was typed.
    form = {"person_id": str(persons["stranger"].id), "note": "请尽快办理"}
    refused = client.post(f"/services/offers/{offer.id}/apply", data=form, headers=resident)
    assert refused.status_code == 422 and "本户成员" in refused.text and "请尽快办理" in refused.text
    page = client.get(f"/services/applications/{app.id}", headers=auth(token_for(session, users["street"])))
    assert page.status_code == 200 and "act-decide" in page.text  # the street's step: its decision
    other = auth(token_for(session, users["other_cw"]))
    assert client.get(f"/services/applications/{app.id}", headers=other).status_code == 404
    assert client.get(f"/api/v1/services/applications/{app.id}", headers=other).status_code == 404
    wrong = client.post(
        f"/api/v1/services/applications/{app.id}/transitions", json={"action": "deliver"}, headers=other
    )
    assert wrong.status_code == 404
    early = client.post(
        f"/api/v1/services/applications/{app.id}/transitions",
        json={"action": "deliver"},
        headers=auth(token_for(session, users["community"])),
    )
    assert early.status_code == 409 and "cannot be" in early.json()["error"]["message"]
