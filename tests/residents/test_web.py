"""Web pages of the residents register: a grid worker's households, add/edit/move a person, reveal, import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.residents.models import Person
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_residents import GRID, GRID_B, make_household, make_person, make_staff, new_id


@pytest.fixture
def world(session, family, client):
    h, (head, spouse, child) = family
    other = make_household(session, GRID_B, address="远方路9号")
    make_person(session, other, name="王远")
    staff = make_staff(session, "worker", "community")
    w = {
        "h": h.id,
        "head": head.id,
        "child": child.id,
        "other": other.id,
        "worker": auth(token_for(session, staff["worker"])),
        "chief": auth(token_for(session, staff["community"])),
    }
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def persons(session) -> int:
    return session.scalar(select(func.count()).select_from(Person))


def test_grid_worker_sees_own_grid_and_not_another(client, world):
    r = client.get(f"/grids/{GRID}/households", headers=world["worker"])
    assert r.status_code == 200, r.text
    assert "幸福路1号" in r.text and "张伟" in r.text and "3 members" in r.text and "Veteran" in r.text
    assert "远方路9号" not in r.text
    assert client.get(f"/grids/{GRID_B}/households", headers=world["worker"]).status_code == 404
    assert client.get(f"/households/{world['other']}", headers=world["worker"]).status_code == 404
    r = client.get(f"/grids/{GRID}/households", params={"q": "小明"}, headers=world["worker"])
    assert "1 person found" in r.text and f"/households/{world['h']}#person-{world['child']}" in r.text
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert page.status_code == 200 and "李娜" in page.text and "Spouse" in page.text
    assert "138****5678" in page.text and "13812345678" not in page.text
    assert "Household registered" in page.text  # the history timeline
    # The grid page links to the households; the navigation to the residents page.
    grid = client.get(f"/grids/{GRID}", headers=world["worker"])
    assert f"/grids/{GRID}/households" in grid.text and f"/areas/{GRID}/residents" in grid.text


def test_add_person_shows_errors_inline_and_writes_nothing(client, session, world):
    before = persons(session)
    good = new_id(date(2001, 2, 3))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    url = f"/households/{world['h']}/persons/new"
    r = client.post(url, data={"name": "张三", "id_number": bad, "relation": "child"}, headers=world["worker"])
    assert r.status_code == 422, r.text
    assert "The ID number is not valid." in r.text and "check digit" in r.text and 'value="张三"' in r.text
    r = client.post(
        url,
        data={"name": "张三", "id_number": good, "relation": "child", "birth_date": "2001-02-04"},
        headers=world["worker"],
    )
    assert r.status_code == 422 and "The birth date does not match the ID number." in r.text
    r = client.post(
        url, data={"name": "张三", "id_number": good, "relation": "child", "phone": "123"}, headers=world["worker"]
    )
    assert r.status_code == 422 and "The phone number is not valid." in r.text
    assert persons(session) == before
    r = client.post(
        url,
        data={"name": "张三", "id_number": good, "relation": "child", "tags": ["disabled"], "phone": "13900001111"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert persons(session) == before + 1
    page = client.get(r.headers["location"], headers=world["worker"])
    assert "张三" in page.text and "Disabled" in page.text and "139****1111" in page.text
    # The same person again: already registered (in a household), refused.
    r = client.post(url, data={"name": "张三", "id_number": good, "relation": "child"}, headers=world["worker"])
    assert r.status_code == 409 and "already registered" in r.text
    assert persons(session) == before + 1


def test_edit_and_move_out(client, session, world):
    r = client.post(
        f"/persons/{world['child']}/edit",
        data={"name": "张小明", "ethnicity": "满族", "relation": "grandchild"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    r = client.post(f"/persons/{world['child']}/edit", data={"name": "张小明", "phone": "999"}, headers=world["worker"])
    assert r.status_code == 422 and "The phone number is not valid." in r.text
    # A move to a grid out of the worker's reach reads like a missing grid; nothing changes.
    r = client.post(
        f"/persons/{world['child']}/move", data={"kind": "grid", "to_area_code": GRID_B}, headers=world["worker"]
    )
    assert r.status_code == 404 and "does not exist" in r.text
    r = client.post(
        f"/persons/{world['child']}/move",
        data={"kind": "away", "on": date.today().isoformat(), "destination": "北京"},
        headers=world["worker"],
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    session.expire_all()
    child = session.get(Person, world["child"])
    assert child.status == "moved_out" and child.household_id is None and child.ethnicity == "满族"
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert "Moved away" in page.text and "Left the household" in page.text


def test_reveal_needs_the_permission_and_is_audited(client, session, world):
    page = client.get(f"/households/{world['h']}", headers=world["worker"])
    assert "/reveal" not in page.text
    assert client.post(f"/persons/{world['head']}/reveal", headers=world["worker"]).status_code == 403
    page = client.get(f"/households/{world['h']}", headers=world["chief"])
    assert f'action="/persons/{world["head"]}/reveal"' in page.text
    r = client.post(f"/persons/{world['head']}/reveal", headers=world["chief"])
    assert r.status_code == 200 and "13812345678" in r.text and "recorded in the audit log" in r.text
    assert r.text.count("13812345678") == 1  # only the revealed person
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action == "persons.reveal")).all()
    assert actions == ["persons.reveal"]


def test_area_residents_page(client, world):
    r = client.get(f"/areas/{VILLAGE_A}/residents", params={"q": "李"}, headers=world["chief"])
    assert r.status_code == 200, r.text
    assert "1 person found" in r.text and "Veteran" in r.text and "3 present residents" in r.text
    assert client.get("/areas/220103/residents", headers=world["worker"]).status_code == 404


def test_import_dry_run_lists_bad_rows(client, session, world):
    header = "户编号,网格编码,与户主关系,姓名,公民身份号码"
    good = new_id(date(1990, 1, 1))
    rows = [
        f"N1,{GRID},户主,好人,{good}",
        f"N2,{GRID},户主,坏人,220102199001011234",
        f"N3,{GRID_B},户主,远人,{new_id()}",
    ]
    csv = header + "\n" + "\n".join(rows) + "\n"
    before = persons(session)
    page = client.get("/residents/import", headers=world["worker"])
    assert page.status_code == 200 and "template.xlsx" in page.text and "<progress" in page.text
    r = client.post(
        "/residents/import",
        params={"dry_run": "true"},
        files={"file": ("r.csv", csv.encode())},
        headers=world["worker"],
    )
    assert r.status_code == 422, r.text
    assert "2 bad rows; nothing was written" in r.text
    assert '<td class="num">3</td>' in r.text and '<td class="num">4</td>' in r.text
    assert '<td class="num">2</td>' not in r.text
    # Through HTMX: the fragment, answered 200 so that it is shown.
    r = client.post(
        "/residents/import",
        files={"file": ("r.csv", f"{header}\nN1,{GRID},户主,好人,{good}\n".encode())},
        params={"dry_run": "true"},
        headers={**world["worker"], "HX-Request": "true"},
    )
    assert r.status_code == 200 and "The file is clean" in r.text and "<html" not in r.text
    assert persons(session) == before
    r = client.post(
        "/residents/import",
        files={"file": ("r.csv", f"{header}\nN1,{GRID},户主,好人,{good}\n".encode())},
        headers=world["worker"],
    )
    assert r.status_code == 200 and "Imported: 1 persons" in r.text
    assert persons(session) == before + 1
