"""Exporting residents from the area's residents page: the page's filters applied, masked unless asked for
in clear by one who may reveal, in the import layout, every export audited."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from linli.audit.models import AuditEntry
from linli.residents import pii
from linli.residents.importer import import_register
from linli.residents.models import Person
from linli.residents.sheet import COLUMNS
from tests.factories import SYSTEM, VILLAGE_A, auth, token_for
from tests.factories_residents import GRID, GRID_B, make_household, make_person, make_staff

EXPORT = f"/areas/{VILLAGE_A}/residents/export"


@pytest.fixture
def world(session, family, client):
    h, (head, _, _) = family
    floating = make_household(session, GRID, register_type="floating", address="流动路3号")
    make_person(session, floating, name="马六", phone="13500002222", tags=("subsistence",))
    other = make_household(session, GRID_B, address="远方路9号")
    make_person(session, other, name="王远")
    staff = make_staff(session, "worker", "community")
    session.commit()
    client.cookies.set("linli_lang", "en")
    return {
        "head": head.id,
        "worker": auth(token_for(session, staff["worker"])),
        "chief": auth(token_for(session, staff["community"])),
    }


def rows(content: bytes) -> list[dict[str, str]]:
    ws = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == [c.header for c in COLUMNS]  # the import template's columns
    return [dict(zip(values[0], v, strict=True)) for v in values[1:]]


def exports(session) -> list[AuditEntry]:
    return session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("residents.export%")).order_by(AuditEntry.seq)
    ).all()


def test_the_page_offers_the_export_with_its_filters(client, world):
    page = client.get(f"/areas/{VILLAGE_A}/residents", params={"tag": "subsistence"}, headers=world["chief"])
    assert page.status_code == 200 and f'action="{EXPORT}"' in page.text
    assert '<input type="hidden" name="tag" value="subsistence">' in page.text and "马六" in page.text
    assert "Export these residents (XLSX)" in page.text and 'name="reveal"' in page.text
    # A grid worker may not reveal: the choice is not offered.
    page = client.get(f"/areas/{GRID}/residents", headers=world["worker"])
    assert 'name="reveal"' not in page.text and "Export all present residents (XLSX)" in page.text


def test_export_masked_filtered_and_audited(client, session, world):
    r = client.post(EXPORT, data={"register_type": "floating"}, headers=world["worker"])
    assert r.status_code == 404  # the village is not the grid worker's
    r = client.post(f"/areas/{GRID}/residents/export", data={"register_type": "floating"}, headers=world["worker"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    got = rows(r.content)
    assert [g["姓名"] for g in got] == ["马六"]
    assert got[0]["联系电话"] == "135****2222" and "*" in got[0]["公民身份号码"] and got[0]["标签"] == "低保"
    entry = exports(session)[-1]
    assert entry.action == "residents.export" and entry.actor == "gw1"
    after = json.loads(entry.after) if isinstance(entry.after, str) else entry.after
    assert after["persons"] == 1 and after["revealed"] is False and after["filters"] == {"register_type": "floating"}


def test_unmasked_only_when_asked_by_one_who_may_reveal(client, session, world):
    head = session.get(Person, world["head"])
    clear = pii.open_id(head.id_number_enc, reveal=True)
    r = client.post(EXPORT, data={"q": "张伟"}, headers=world["chief"])  # not asked: masked
    assert [g["公民身份号码"] for g in rows(r.content)] == [clear[:6] + "********" + clear[-4:]]
    r = client.post(EXPORT, data={"q": "张伟", "reveal": "1"}, headers=world["chief"])
    assert [g["公民身份号码"] for g in rows(r.content)] == [clear]
    assert exports(session)[-1].action == "residents.export_revealed"
    # Asked by hand without the permission: refused, and no file.
    r = client.post(f"/areas/{GRID}/residents/export", data={"reveal": "1"}, headers=world["worker"])
    assert r.status_code == 403


def test_an_export_imports_again_unchanged(client, session, world, tmp_path):
    r = client.post(EXPORT, data={}, headers=world["chief"])
    got = rows(r.content)
    assert {g["姓名"] for g in got} == {"张伟", "李娜", "张小明", "马六"}  # not the other village's 王远
    path = tmp_path / "export.xlsx"
    path.write_bytes(r.content)
    r = client.post(EXPORT, data={"reveal": "1"}, headers=world["chief"])
    path.write_bytes(r.content)
    with open(path, "rb") as fh:
        report = import_register(session, SYSTEM, fh, name="export.xlsx", dry_run=True, skip_bad_rows=True)
    # Every row reads back (columns, ID numbers, phones, tags): the register knows them all already.
    assert report.persons_added == 0 and report.total == 4
    assert all("already registered" in r["reason"] for r in report.bad_rows), report.bad_rows


def test_bad_filter_values_are_refused(client, world):
    assert client.post(EXPORT, data={"tag": "nobody"}, headers=world["chief"]).status_code == 422
    r = client.get(f"/areas/{VILLAGE_A}/residents", params={"register_type": "x"}, headers=world["chief"])
    assert r.status_code == 422
