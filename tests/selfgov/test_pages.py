"""The pages of self-government: ballots entered on a phone as lines (a bad line refused, the text kept),
confirmed by a second account only, the quorum arithmetic in words with its article, the minutes PDF with
the attendance and vote tables, the township's list across villages with its filters, a resident reading
their own village's matters and not another's."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from linli.selfgov.schemas import MatterIn
from linli.selfgov.service import matters, meetings
from tests.factories import TOWN_A, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village, meeting


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    users = {
        "clerk": make_user(session, "pg_clerk", "community_worker", VILLAGE_B),
        "second": make_user(session, "pg_second", "community_worker", VILLAGE_B),
        "town": make_user(session, "pg_town", "official", TOWN_A),
        "resident": make_user(session, "pg_res", "resident", GRID_B),
        "other": make_user(session, "pg_other", "resident", GRID),
    }
    clerk = principal(users["clerk"], ("community_worker", VILLAGE_B))
    people = adults(session, GRID_B, 5, women=2)
    m = meeting(session, clerk, VILLAGE_B, title="村道会议")
    meetings.sign_in(session, clerk, m.id, [p.id for p in people[:3]])
    matter = matters.propose(
        session, clerk, MatterIn(area_code=VILLAGE_B, title="村道硬化PageCase", proposed_on=date(2026, 2, 1))
    )
    tokens = {k: token_for(session, u) for k, u in users.items()}
    session.commit()
    return {"tokens": tokens, "people": people, "meeting": m, "matter": matter}


def test_phone_ballots_confirmed_by_a_second_person_and_the_minutes(client, world, monkeypatch):
    tok, p, m = world["tokens"], world["people"], world["meeting"]
    page = client.get(f"/selfgov/meetings/{m.id}", headers=auth(tok["clerk"]))
    assert page.status_code == 200
    assert "应到 5 名十八周岁以上人员，实到 3，须超过半数（3）：达到法定人数" in page.text
    assert "第二十二条" in page.text
    r = client.post(
        f"/selfgov/meetings/{m.id}/motions",
        data={"title": "同意硬化"},
        headers=auth(tok["clerk"]),
        follow_redirects=False,
    )
    assert r.status_code == 303
    motion_id = int(client.get(f"/api/v1/selfgov/meetings/{m.id}/motions", headers=auth(tok["clerk"])).json()[0]["id"])
    bad = f"{p[0].id} 赞成\n{p[1].id} maybe\n"
    r = client.post(
        f"/selfgov/motions/{motion_id}/ballots",
        data={"ballots": bad},
        headers=auth(tok["clerk"]),
        follow_redirects=False,
    )
    assert r.status_code == 422 and "第 2 行" in r.text and "maybe" in r.text  # the text is kept
    good = f"{p[0].id} 赞成\n{p[1].id} 反对\n{p[2].id},弃权\n"
    assert (
        client.post(
            f"/selfgov/motions/{motion_id}/ballots",
            data={"ballots": good},
            headers=auth(tok["clerk"]),
            follow_redirects=False,
        ).status_code
        == 303
    )
    batch = client.get(f"/api/v1/selfgov/meetings/{m.id}/motions", headers=auth(tok["clerk"])).json()[0]
    assert batch["unconfirmed"] == 3 and batch["yes"] == 0
    page = client.get(f"/selfgov/meetings/{m.id}", headers=auth(tok["clerk"]))
    assert "确认这些选票" not in page.text  # not offered to the clerk who entered them
    batch_id = repo_batch(client, tok, m.id)
    r = client.post(f"/api/v1/selfgov/batches/{batch_id}/confirm", headers=auth(tok["clerk"]), follow_redirects=False)
    assert r.status_code == 409 and "second person" in r.json()["error"]["message"]
    assert (
        client.post(
            f"/selfgov/batches/{batch_id}/confirm", headers=auth(tok["second"]), follow_redirects=False
        ).status_code
        == 303
    )
    r = client.post(f"/api/v1/selfgov/motions/{motion_id}/decide", headers=auth(tok["clerk"]), follow_redirects=False)
    assert r.json()["result"] == "rejected" and r.json()["yes"] == 1
    pdf = client.get(f"/selfgov/meetings/{m.id}/minutes.pdf", headers=auth(tok["clerk"]))
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf.content)).pages)
    assert p[0].name in text and "第二十二条" in text and "同意硬化" in text
    monkeypatch.setattr("linli.selfgov.minutes.TABLE_LIMIT", 2)  # a big meeting: names in lists
    pdf = client.get(f"/selfgov/meetings/{m.id}/minutes.pdf", headers=auth(tok["clerk"]))
    text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"{p[0].name}（{p[0].id}）" in text and "未到会（2）" in text


def repo_batch(client, tok, meeting_id):
    """The id of the meeting's one ballot batch, as the confirm button on the page names it."""
    page = client.get(f"/selfgov/meetings/{meeting_id}", headers=auth(tok["second"])).text
    start = page.index("/selfgov/batches/") + len("/selfgov/batches/")
    return int(page[start : page.index("/", start)])


def test_township_list_filters_and_residents_reach(client, world):
    tok = world["tokens"]
    r = client.get(f"/areas/{TOWN_A}/selfgov", headers=auth(tok["town"]))
    assert r.status_code == 200 and "村道硬化PageCase" in r.text
    r = client.get(f"/areas/{TOWN_A}/selfgov?status=suspended", headers=auth(tok["town"]))
    assert "村道硬化PageCase" not in r.text
    r = client.get(f"/api/v1/selfgov/matters?area={TOWN_A}&step=1", headers=auth(tok["town"]))
    assert r.json()["total"] == 1
    r = client.get(f"/areas/{GRID_B}/selfgov", headers=auth(tok["resident"]), follow_redirects=True)
    assert r.status_code == 200 and "村道硬化PageCase" in r.text and "记录提议" not in r.text
    m, p = world["meeting"], world["people"]
    r = client.get(f"/selfgov/meetings/{m.id}", headers=auth(tok["resident"]))
    assert r.status_code == 200 and "第二十二条" in r.text and p[0].name not in r.text  # figures, not names
    assert client.get(f"/selfgov/meetings/{m.id}/minutes.pdf", headers=auth(tok["resident"])).status_code == 404
    assert client.get(f"/areas/{VILLAGE_B}/selfgov", headers=auth(tok["other"])).status_code == 404
    assert client.get(f"/selfgov/matters/{world['matter'].id}", headers=auth(tok["other"])).status_code == 404
    r = client.post(
        f"/selfgov/matters/{world['matter'].id}/suspend",
        data={"kind": "correction_order", "reason": "x"},
        headers=auth(tok["clerk"]),
    )
    assert r.status_code == 403


def test_the_page_links_the_boards_conventions_and_consultations_its_reader_may_open(client, world):
    """The self-government page gathers the village's boards, conventions and consultations (they are not
    in the main menu): each link only for a reader who may open it."""
    tok = world["tokens"]
    page = client.get(f"/areas/{VILLAGE_B}/selfgov", headers=auth(tok["clerk"])).text
    for path in ("disclosure", "conventions", "consultations"):
        assert f'href="/areas/{VILLAGE_B}/{path}"' in page
        assert client.get(f"/areas/{VILLAGE_B}/{path}", headers=auth(tok["clerk"])).status_code == 200
    menu = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert "/disclosure" not in menu and "/selfgov" in menu
    resident = client.get(f"/areas/{GRID_B}/selfgov", headers=auth(tok["resident"]), follow_redirects=True).text
    assert "/disclosure" not in resident.split('class="sections"', 1)[1].split("</nav>", 1)[0]
