"""Steps ⑤⑥ recorded by the board's publication (disclosure.service.on_published, selfgov subscribed): the step
named by the item is done, dated its publication; a suspended matter waits for its resumption; an item no
step names takes nothing. The disclosure API's `matter_ref` is a checked link. The API routes to disclose a
step and to link a consultation to a matter, with their bad input."""

from __future__ import annotations

from datetime import date

import pytest

from linli.consultation import service as consultation
from linli.disclosure import repository as disclosure_repo
from linli.disclosure import service as disclosure
from linli.disclosure.schemas import ItemIn
from linli.kit import refs
from linli.kit.errors import Conflict, InvalidInput
from linli.selfgov import repository as repo
from linli.selfgov.schemas import MatterIn, StepIn
from linli.selfgov.service import disclosures, matters
from tests.factories import SYSTEM, TOWN_A, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village

OTHER = GRID[:12]


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    users = {
        "clerk": make_user(session, "bh_clerk", "community_worker", VILLAGE_B),
        "town": make_user(session, "bh_town", "official", TOWN_A),
    }
    adults(session, GRID_B, 2, women=1)
    return {
        "users": users,
        "clerk": principal(users["clerk"], ("community_worker", VILLAGE_B)),
        "town": principal(users["town"], ("official", TOWN_A)),
    }


def at_result(session, w, title="村道硬化"):
    """A matter at step ⑥ (its result to disclose): the earlier steps are test_matters' business."""
    m = matters.propose(session, w["clerk"], MatterIn(area_code=VILLAGE_B, title=title, proposed_on=date(2026, 2, 1)))
    m.step = 5
    session.flush()
    return m


def result_item(session, who, code=VILLAGE_B, **extra):
    data = ItemIn(area_code=code, kind="implementation", title="结果", body="完成", occurred_on=date(2026, 5, 30),
                  **extra)  # fmt: skip
    return disclosure.create_item(session, who, data, on=date(2026, 6, 1))


def test_publishing_the_named_item_takes_the_step_and_a_suspended_matter_waits(session, world):
    w = world
    m = at_result(session, w)
    got = disclosures.disclose(session, w["clerk"], m.id, 5, occurred_on=date(2026, 5, 30), on=date(2026, 6, 1))
    matters.suspend(session, w["town"], m.id, "correction_order", "程序不全")
    disclosure.publish(session, w["clerk"], got.item.id, on=date(2026, 6, 2))  # the board's business goes on
    assert (m.step, m.status, repo.steps_of(session, m.id)[5].done_on) == (5, "suspended", None)
    matters.resume(session, w["town"], m.id, "已补正")  # resumed: the published item takes its step now
    assert (m.step, m.status, repo.steps_of(session, m.id)[5].done_on) == (6, "done", date(2026, 6, 2))


def test_an_item_no_step_names_takes_nothing(session, world):
    w = world
    m = at_result(session, w)
    loose = result_item(session, w["clerk"], matter_ref=refs.ref(refs.MATTER, m.id))  # names the matter only
    disclosure.publish(session, w["clerk"], loose.id, on=date(2026, 6, 1))
    assert m.step == 5 and 5 not in repo.steps_of(session, m.id)
    # picking it (already published) links it and takes the step at once, dated its publication
    got = disclosures.disclose(session, w["clerk"], m.id, 5, item_id=loose.id)
    assert (got.item.id, got.created, m.step) == (loose.id, False, 6)
    assert repo.steps_of(session, m.id)[5].disclosed_on == date(2026, 6, 1)


def test_without_the_listener_the_clerk_marks_it_not_before_the_publication(session, world, monkeypatch):
    w = world
    monkeypatch.setattr(disclosure, "_published", [])  # as for a publisher without selfgov.write
    m = at_result(session, w)
    got = disclosures.disclose(session, w["clerk"], m.id, 5, occurred_on=date(2026, 5, 30), on=date(2026, 6, 1))
    disclosure.publish(session, w["clerk"], got.item.id, on=date(2026, 6, 3))
    assert m.step == 5
    with pytest.raises(InvalidInput, match="before its publication"):
        matters.complete(session, w["clerk"], m.id, 5, StepIn(done_on=date(2026, 6, 2)))
    matters.complete(session, w["clerk"], m.id, 5, StepIn(done_on=date(2026, 6, 3)))
    assert m.status == "done"


def test_the_disclosure_matter_ref_is_a_checked_link(session, world):
    w = world
    m = at_result(session, w)
    theirs = matters.propose(session, SYSTEM, MatterIn(area_code=OTHER, title="电梯", proposed_on=date(2026, 2, 1)))
    for bad, words in (
        ("第3号决议", "by its number"),
        ("selfgov-meeting:3", "by its number"),
        ("0", "by its number"),
        (str(theirs.id), "not a matter of this village"),
        (refs.ref(refs.MATTER, theirs.id), "not a matter of this village"),
        ("999999", "not a matter of this village"),
    ):
        with pytest.raises(InvalidInput, match=words):
            result_item(session, w["clerk"], matter_ref=bad)
    assert result_item(session, w["clerk"], matter_ref=f" {m.id} ").matter_ref == f"selfgov-matter:{m.id}"
    assert result_item(session, w["clerk"], matter_ref=f"selfgov-matter:{m.id}").matter_ref == f"selfgov-matter:{m.id}"
    assert result_item(session, w["clerk"], matter_ref="").matter_ref is None


def test_the_api_discloses_a_step_and_the_publication_takes_it(client, session, world):
    w = world
    m = at_result(session, w)
    tok = token_for(session, w["users"]["clerk"])
    session.commit()
    url = f"/api/v1/selfgov/matters/{m.id}/steps/5/disclose"
    for path, body, words in (
        (url, {}, "day the work was completed"),
        (f"/api/v1/selfgov/matters/{m.id}/steps/3/disclose", {}, "disclosure steps"),
        (f"/api/v1/selfgov/matters/{m.id}/steps/7/disclose", {}, ""),
        (url, {"item_id": 0}, ""),
        (url, {"item_id": "x"}, ""),
        (url, {"occurred_on": "2026-13-01"}, ""),
    ):
        r = client.post(path, json=body, headers=auth(tok))
        assert r.status_code == 422 and words in r.text, (body, r.text)
    today = disclosure_repo.today()
    r = client.post(url, json={"occurred_on": today.isoformat()}, headers=auth(tok))
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["created"], got["item_status"], got["matter"]["step"]) == (True, "draft", 5)
    again = client.post(url, json={}, headers=auth(tok)).json()  # the item named already
    assert (again["item_id"], again["created"]) == (got["item_id"], False)
    r = client.post(f"/api/v1/disclosure/items/{got['item_id']}/publish", json={}, headers=auth(tok))
    assert r.status_code == 200, r.text
    matter = client.get(f"/api/v1/selfgov/matters/{m.id}", headers=auth(tok)).json()
    assert (matter["step"], matter["status"]) == (6, "done")
    r = client.post(url, json={"occurred_on": today.isoformat()}, headers=auth(tok))
    assert r.status_code == 409  # done


def test_the_api_links_a_consultation_to_a_matter(client, session, world):
    w = world
    m = at_result(session, w)
    theirs = matters.propose(session, SYSTEM, MatterIn(area_code=OTHER, title="电梯", proposed_on=date(2026, 2, 1)))
    topic = consultation.raise_topic(session, w["clerk"], VILLAGE_B, "村道养护", "谁来养护")
    tok = token_for(session, w["users"]["clerk"])
    session.commit()
    url = f"/api/v1/consultations/{topic.id}/matter"
    assert client.post(url, json={"matter_id": m.id}, headers=auth(tok)).status_code == 409  # no outcome yet
    consultation.schedule(session, w["clerk"], topic.id, form="online", held_on=date(2026, 3, 10), place="",
                          content="养护方案", participants=[("residents", "村民")], on=date(2026, 3, 1))  # fmt: skip
    consultation.record_outcome(session, w["clerk"], topic.id, held_on=date(2026, 3, 10), present=12,
                                opinion="分段包干", on=date(2026, 3, 11))  # fmt: skip
    session.commit()
    for body, words in (
        ({}, ""),
        ({"matter_id": 0}, ""),
        ({"matter_id": "abc"}, ""),
        ({"matter_id": theirs.id}, "not a matter of this village"),
        ({"matter_id": 2**31 - 1}, "not a matter of this village"),
    ):
        r = client.post(url, json=body, headers=auth(tok))
        assert r.status_code == 422 and words in r.text, (body, r.text)
    r = client.post(url, json={"matter_id": m.id}, headers=auth(tok))
    assert r.status_code == 200 and r.json()["matter_ref"] == f"selfgov-matter:{m.id}"
    r = client.post(url, json={"matter_id": None}, headers=auth(tok))
    assert r.status_code == 200 and r.json()["matter_ref"] is None


def test_the_disclosure_api_refuses_a_free_text_matter(client, session, world):
    w = world
    m = at_result(session, w)
    tok = token_for(session, w["users"]["clerk"])
    session.commit()
    body = {"area_code": VILLAGE_B, "kind": "implementation", "title": "结果", "body": "完成",
            "occurred_on": disclosure_repo.today().isoformat()}  # fmt: skip
    r = client.post("/api/v1/disclosure/items", json={**body, "matter_ref": "村道那件事"}, headers=auth(tok))
    assert r.status_code == 422 and "by its number" in r.text
    r = client.post("/api/v1/disclosure/items", json={**body, "matter_ref": str(m.id)}, headers=auth(tok))
    assert r.status_code == 201 and r.json()["matter_ref"] == f"selfgov-matter:{m.id}", r.text
    with pytest.raises(Conflict):  # and the step cannot be skipped through the board: ⑥ is not ⑤'s
        disclosures.disclose(session, w["clerk"], m.id, 4)
