"""Web pages of transfer requests: ask another area to take someone in, and the list where the receiving
side accepts or rejects and the requesting side cancels."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from linli.kit import codes
from linli.residents import transfers
from linli.residents.models import Household, Person, TransferRequest
from linli.residents.schemas import TransferIn
from tests.factories import SYSTEM, TOWN_A, auth, make_user, token_for
from tests.factories_residents import GRID, GRID_B, GRID_C, make_grids, make_household, make_person


@pytest.fixture
def grids(areas):
    make_grids(areas, GRID_C, load_areas=False)  # GRID_C: in the same village as GRID; its worker reaches neither side


@pytest.fixture
def world(session, family, client):
    h, (head, spouse, child) = family
    other = make_household(session, GRID_B, address="远方路9号")
    far = make_person(session, other, name="王远")
    users = {
        "worker": make_user(session, "gw1", "grid_worker", GRID),
        "worker_b": make_user(session, "gw2", "grid_worker", GRID_B),
        "outsider": make_user(session, "gw3", "grid_worker", GRID_C),
        "official": make_user(session, "off1", "official", TOWN_A),  # reads both grids, writes in neither
    }
    w = {"h": h.id, "head": head.id, "child": child.id, "other": other.id, "far": far.id, "users": users}
    w.update({k: auth(token_for(session, u)) for k, u in users.items()})
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def ask(session, **body) -> int:
    """A pending transfer made through the service (the requesting side's worker would do the same)."""
    tr = transfers.request_transfer(session, SYSTEM, TransferIn(**body))
    session.commit()
    return tr.id


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(TransferRequest))


def status_of(session, transfer_id: int) -> str:
    session.expire_all()
    return session.get(TransferRequest, transfer_id).status


def row(html: str, transfer_id: int) -> str:
    """The card of one transfer in the list page."""
    start = html.index(f'<li id="transfer-{transfer_id}">')
    return html[start : html.index("</li>", start)]


def test_list_shows_transfers_to_and_from_my_grid_with_my_actions(client, session, world):
    out_id = ask(session, person_id=world["child"], to_area_code=GRID_B, reason="随父母搬家")
    in_id = ask(session, person_id=world["far"], to_area_code=GRID, reason="投靠子女")
    r = client.get("/transfers", headers=world["worker"])
    assert r.status_code == 200, r.text
    assert re.search(r'<h2 id="list-h">Waiting for a decision <span class="meta">\(2\)</span>', r.text)
    going = row(r.text, out_id)
    assert "张小明" in going and "随父母搬家" in going and "网格1" in going and "网格2" in going
    assert f'title="{GRID_B}"' in going and "Waiting for a decision" in going and "by test" in going
    assert f'action="/transfers/{out_id}/cancel"' in going
    assert "/accept" not in going and "/reject" not in going
    assert "Waiting for the receiving side to decide; you may cancel your request." in going
    assert f'href="/households/{world["h"]}#person-{world["child"]}"' in going  # my own household: a link
    coming = row(r.text, in_id)
    assert "王远" in coming and "投靠子女" in coming and "born 1980" in coming
    assert f'action="/transfers/{in_id}/accept"' in coming and f'action="/transfers/{in_id}/reject"' in coming
    assert "/cancel" not in coming and "/households/" not in coming  # their household is not mine to open
    assert "幸福路1号" in coming  # my grid's households, to take the person into
    assert re.search(r"\d{6}\*+\d{3}[\dX]", coming)  # the ID number masked as the service masks it
    # The other side sees the mirror image.
    r = client.get("/transfers", headers=world["worker_b"])
    assert f'action="/transfers/{out_id}/accept"' in row(r.text, out_id)
    assert f'action="/transfers/{in_id}/cancel"' in row(r.text, in_id)
    assert "/accept" not in row(r.text, in_id)
    # Someone who reads both grids but may not write: the transfers, no actions.
    r = client.get("/transfers", headers=world["official"])
    assert r.status_code == 200 and f'id="transfer-{out_id}"' in r.text and f'id="transfer-{in_id}"' in r.text
    assert "/accept" not in r.text and "/cancel" not in r.text and "Waiting for the receiving side to decide." in r.text
    # Decided transfers leave the default list and show under "all".
    transfers.cancel_transfer(session, SYSTEM, out_id)
    session.commit()
    r = client.get("/transfers", headers=world["worker"])
    assert f'id="transfer-{out_id}"' not in r.text and f'id="transfer-{in_id}"' in r.text
    r = client.get("/transfers", params={"status": "all"}, headers=world["worker"])
    assert "Cancelled by the requesting side" in row(r.text, out_id) and "/cancel" not in row(r.text, out_id)
    r = client.get("/transfers", params={"status": "cancelled"}, headers=world["worker"])
    assert f'id="transfer-{out_id}"' in r.text and f'id="transfer-{in_id}"' not in r.text
    assert client.get("/transfers", params={"status": "lost"}, headers=world["worker"]).status_code == 422


def test_links_to_the_pages(client, world):
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert f'href="/persons/{world["child"]}/transfer"' in page.text
    assert "Ask another area to take in 张小明" in page.text
    assert f'href="/households/{world["h"]}/transfer"' in page.text
    assert 'href="/transfers"' in client.get(f"/areas/{GRID}/residents", headers=world["worker"]).text
    # Without the permission to write, no links to the forms.
    page = client.get(f"/households/{world['h']}", headers=world["official"])
    assert "/transfer" not in page.text


def test_request_from_the_person_page(client, session, world):
    url = f"/persons/{world['child']}/transfer"
    page = client.get(url, headers=world["worker"])
    assert page.status_code == 200 and "Ask another area to take in 张小明" in page.text
    assert 'name="csrf_token"' in page.text and '<label for="to_area_code">' in page.text
    assert f'href="/persons/{world["child"]}/move"' in page.text
    before = count(session)
    bad = [
        ("", 422, "Give the code of the grid that is to take them in"),
        ("220102001001099", 422, "grid 220102001001099 does not exist or is retired"),  # no such grid
        ("220102001", 422, "a transfer goes to a grid (15 digits)"),
        (GRID, 422, "they already live in that grid"),
    ]
    for code, status, message in bad:
        r = client.post(url, data={"to_area_code": code, "reason": "搬到女儿家"}, headers=world["worker"])
        assert r.status_code == status, (code, r.text)
        assert message in r.text and "Nothing was saved:" in r.text and 'role="alert"' in r.text
        assert 'aria-describedby="form-errors"' in r.text
        assert f'value="{code}"' in r.text and "搬到女儿家</textarea>" in r.text  # what was typed is kept
    r = client.post(url, data={"to_area_code": GRID_B, "reason": "长" * 301}, headers=world["worker"])
    assert r.status_code == 422 and "at most 300 characters" in r.text
    assert count(session) == before
    r = client.post(
        url,
        data={"to_area_code": f" {GRID_B} ", "reason": "搬到女儿家"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    tr = session.scalars(select(TransferRequest).order_by(TransferRequest.id.desc())).first()
    assert (tr.person_id, tr.to_area, tr.status, tr.reason) == (world["child"], GRID_B, "pending", "搬到女儿家")
    assert r.headers["location"] == f"/transfers?done=requested#transfer-{tr.id}"
    page = client.get(r.headers["location"], headers=world["worker"])
    assert (
        'role="status"' in page.text and "The request was sent." in page.text and f'id="transfer-{tr.id}"' in page.text
    )
    # A second request while the first waits: refused, shown on the form.
    r = client.post(url, data={"to_area_code": GRID_B}, headers=world["worker"])
    assert r.status_code == 409 and "already pending" in r.text and count(session) == before + 1


def test_request_for_a_whole_household(client, session, world):
    url = f"/households/{world['h']}/transfer"
    page = client.get(url, headers=world["worker"])
    assert page.status_code == 200 and "3 members" in page.text
    r = client.post(url, data={"to_area_code": "22010200100200"}, headers=world["worker"])
    assert r.status_code == 422 and 'value="22010200100200"' in r.text
    r = client.post(
        url, data={"to_area_code": GRID_B, "reason": "整户搬迁"}, headers=world["worker"], follow_redirects=False
    )
    assert r.status_code == 303, r.text
    tr = session.scalars(select(TransferRequest).where(TransferRequest.household_id == world["h"])).one()
    page = client.get("/transfers", headers=world["worker_b"])
    card = row(page.text, tr.id)
    assert "Household of 张伟" in card and "3 members" in card and "整户搬迁" in card
    # The receiving side accepts: the household and its members now live in grid B.
    r = client.post(f"/transfers/{tr.id}/accept", data={"note": ""}, headers=world["worker_b"], follow_redirects=False)
    assert r.status_code == 303, r.text
    session.expire_all()
    assert session.get(Household, world["h"]).area_code == GRID_B
    assert {p.area_code for p in session.scalars(select(Person).where(Person.household_id == world["h"]))} == {GRID_B}


def test_accept_by_the_receiving_side_moves_the_person(client, session, world):
    tid = ask(session, person_id=world["child"], to_area_code=GRID_B, reason="随父母搬家")
    url = f"/transfers/{tid}/accept"
    # A relation without a household, or a household outside grid B: refused on the list, nothing moves.
    r = client.post(url, data={"relation": "child", "note": "欢迎"}, headers=world["worker_b"])
    assert r.status_code == 422 and "only together with the household" in r.text
    assert 'aria-describedby="form-errors"' in row(r.text, tid) and 'value="欢迎"' in row(r.text, tid)
    assert "<details open>" in row(r.text, tid)
    assert status_of(session, tid) == "pending"
    r = client.post(url, data={"household_id": "abc"}, headers=world["worker_b"])
    assert r.status_code == 422 and status_of(session, tid) == "pending"
    # The requesting side may not accept (403, the list says why).
    r = client.post(url, data={"note": ""}, headers=world["worker"])
    assert r.status_code == 403 and "only the receiving side" in r.text and status_of(session, tid) == "pending"
    r = client.post(
        url,
        data={"household_id": str(world["other"]), "relation": "grandchild", "note": "欢迎", "list_status": "all"},
        headers=world["worker_b"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/transfers?status=all&done=accepted"
    session.expire_all()
    child = session.get(Person, world["child"])
    assert (child.area_code, child.household_id, child.relation) == (codes.pad(GRID_B), world["other"], "grandchild")
    tr = session.get(TransferRequest, tid)
    assert (tr.status, tr.decided_by, tr.decision_note) == ("accepted", "gw2", "欢迎")
    page = client.get(r.headers["location"], headers=world["worker_b"])
    assert "The transfer was accepted and the move recorded." in page.text
    assert "Accepted: moved" in row(page.text, tid) and "欢迎" in row(page.text, tid)
    # Deciding again: a conflict, shown; nothing changes.
    r = client.post(f"/transfers/{tid}/reject", data={"note": "晚了"}, headers=world["worker_b"])
    assert r.status_code == 409 and "already accepted" in r.text and status_of(session, tid) == "accepted"


def test_reject_with_a_reason(client, session, world):
    tid = ask(session, person_id=world["child"], to_area_code=GRID_B)
    r = client.post(
        f"/transfers/{tid}/reject", data={"note": "查无此地址"}, headers=world["worker_b"], follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/transfers?done=rejected"
    tr = session.get(TransferRequest, tid)
    session.refresh(tr)
    assert (tr.status, tr.decision_note) == ("rejected", "查无此地址")
    session.expire_all()
    assert session.get(Person, world["child"]).area_code == GRID  # nothing moved
    page = client.get("/transfers?status=rejected", headers=world["worker"])
    assert "Rejected by the receiving side" in row(page.text, tid) and "查无此地址" in row(page.text, tid)


def test_cancel_by_the_requesting_side(client, session, world):
    tid = ask(session, person_id=world["child"], to_area_code=GRID_B)
    # The receiving side may not cancel.
    r = client.post(f"/transfers/{tid}/cancel", headers=world["worker_b"])
    assert r.status_code == 403 and "only the requesting side" in r.text and status_of(session, tid) == "pending"
    r = client.post(
        f"/transfers/{tid}/cancel", data={"list_page": "2"}, headers=world["worker"], follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/transfers?page=2&done=cancelled"
    assert status_of(session, tid) == "cancelled"
    page = client.get("/transfers?done=cancelled", headers=world["worker"])
    assert "The request was cancelled; nothing moved." in page.text
    # Once cancelled, a new request may be made.
    assert ask(session, person_id=world["child"], to_area_code=GRID_B) != tid


def test_outside_both_areas_404_and_without_the_permission_403(client, session, world):
    tid = ask(session, person_id=world["child"], to_area_code=GRID_B)
    page = client.get("/transfers", headers=world["outsider"])
    assert page.status_code == 200 and f"transfer-{tid}" not in page.text and "No transfers" in page.text
    for action in ("accept", "reject", "cancel"):
        r = client.post(f"/transfers/{tid}/{action}", data={"note": "x"}, headers=world["outsider"])
        assert r.status_code == 404, (action, r.text)
        assert "Not found, or outside your areas." in r.text and f"transfer {tid} does not exist" in r.text
    assert client.get(f"/persons/{world['child']}/transfer", headers=world["outsider"]).status_code == 404
    before = count(session)
    r = client.post(f"/persons/{world['child']}/transfer", data={"to_area_code": GRID_C}, headers=world["outsider"])
    assert r.status_code == 404
    r = client.post(f"/households/{world['h']}/transfer", data={"to_area_code": GRID_C}, headers=world["outsider"])
    assert r.status_code == 404
    # The official sees the transfer but may not decide it, nor ask for one.
    assert client.post(f"/transfers/{tid}/accept", headers=world["official"]).status_code == 403
    assert client.post(f"/persons/{world['child']}/transfer", data={"to_area_code": GRID_B},
                       headers=world["official"]).status_code == 403  # fmt: skip
    assert status_of(session, tid) == "pending" and count(session) == before
    session.expire_all()
    assert session.get(Person, world["child"]).area_code == GRID


def test_forms_without_the_csrf_token_are_refused(client, session, world):
    from tests.factories import csrf_of, login

    tid = ask(session, person_id=world["child"], to_area_code=GRID_B)
    assert login(client, "gw1", "Passw0rd-test").status_code == 303
    client.cookies.set("linli_lang", "en")
    page = client.get("/transfers")
    csrf = csrf_of(session, world["users"]["worker"])
    assert f'name="csrf_token" value="{csrf}"' in row(page.text, tid)
    r = client.post(f"/transfers/{tid}/cancel", data={})
    assert r.status_code == 403 and status_of(session, tid) == "pending"
    r = client.post(f"/transfers/{tid}/cancel", data={"csrf_token": "wrong"})
    assert r.status_code == 403 and status_of(session, tid) == "pending"
    before = count(session)
    r = client.post(f"/households/{world['h']}/transfer", data={"to_area_code": GRID_B})
    assert r.status_code == 403 and count(session) == before
    r = client.post(f"/transfers/{tid}/cancel", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and status_of(session, tid) == "cancelled"


def test_pages_in_chinese_by_default_and_in_english(client, session, world):
    tid = ask(session, person_id=world["far"], to_area_code=GRID, reason="投靠子女")
    client.cookies.delete("linli_lang")
    page = client.get("/transfers", headers=world["worker"])
    assert '<html lang="zh-CN"' in page.text
    assert "转移申请" in page.text and "同意：接收迁入" in row(page.text, tid) and "等待处理" in row(page.text, tid)
    assert "Accept" not in page.text.split("<main")[1]
    form = client.get(f"/persons/{world['child']}/transfer", headers=world["worker"])
    assert "申请其他地方接收张小明" in form.text and "接收网格的编码" in form.text
    r = client.post(f"/persons/{world['child']}/transfer", data={"to_area_code": ""}, headers=world["worker"])
    assert r.status_code == 422 and "请填写接收网格的编码" in r.text and "未保存：" in r.text
    client.cookies.set("linli_lang", "en")
    page = client.get("/transfers", headers=world["worker"])
    assert '<html lang="en"' in page.text and "Accept: take them in" in row(page.text, tid)
    assert "转移申请" not in page.text.split("<main")[1]
