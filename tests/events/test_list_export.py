"""An area's event list: filters by text, reported dates and grid beside state and category, kept in the URL
and its pages; and the filtered list as XLSX (names not codes, Beijing time, text as text, audited)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.audit.models import AuditEntry
from tests.factories import SYSTEM, VILLAGE_A, auth, square, token_for
from tests.factories_events import GRID, as_principal, events_world, report, step

GRID_B = VILLAGE_A + "002"


@pytest.fixture
def world(session, client):
    w = events_world(session)
    people = w["people"]
    lon, lat = w["point"]
    grids.create_grid(session, SYSTEM, GRID_B, "第二网格", GridKind.residential, square(lon + 0.01, lat))
    resident = as_principal(session, people["resident"])
    a = report(session, resident, (lon, lat), title="路灯不亮", description="东门口的路灯")
    b = report(session, resident, (lon + 0.0001, lat), title="垃圾堆积", description="楼下 13812345678")
    c = report(session, resident, (lon + 0.01, lat), title='=HYPERLINK("http://x")', category="0101")
    d = report(session, resident, (lon + 0.0002, lat), title="井盖缺失 100%_x")
    when = {a: (2026, 11, 3, 17, 0), b: (2026, 11, 3, 15, 59), c: (2026, 11, 20, 2, 0), d: (2026, 12, 1, 1, 0)}
    for e, at in when.items():  # UTC; Beijing is 8 hours ahead
        e.reported_at = datetime(*at, tzinfo=UTC)
    community = as_principal(session, people["community"])
    step(session, community, b.id, "register")
    step(session, community, b.id, "dispatch", unit_id=w["unit"].id)
    w.update(a=a.id, b=b.id, c=c.id, d=d.id)
    w["h"] = {k: auth(token_for(session, u)) for k, u in people.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/events/(\d+)">', html)]


def test_text_dates_and_grid_filter_the_list(client, world):
    h, url = world["h"]["community"], f"/areas/{VILLAGE_A}/events"
    assert _ids(client.get(url, headers=h).text) == [world["d"], world["c"], world["b"], world["a"]]
    assert _ids(client.get(url, params={"q": "路灯"}, headers=h).text) == [world["a"]]
    assert _ids(client.get(url, params={"q": "楼下"}, headers=h).text) == [world["b"]]  # in the description
    assert _ids(client.get(url, params={"q": "100%_"}, headers=h).text) == [world["d"]]  # % and _ are text
    # 2026-11-03 in Beijing: a at 01:00 on the 4th is out, b at 23:59 on the 3rd is in.
    r = client.get(url, params={"from": "2026-11-03", "to": "2026-11-03"}, headers=h)
    assert _ids(r.text) == [world["b"]]
    r = client.get(url, params={"from": "2026-11-04", "to": "2026-11-30"}, headers=h)
    assert _ids(r.text) == [world["c"], world["a"]]
    r = client.get(url, params={"grid": GRID_B}, headers=h)
    assert _ids(r.text) == [world["c"]]
    assert f'<option value="{GRID_B}" title="{GRID_B}" selected>' in r.text and "第二网格" in r.text
    r = client.get(url, params={"grid": GRID, "state": "dispatched", "category": "03"}, headers=h)
    assert _ids(r.text) == [world["b"]]


def test_bad_filters_are_said_and_kept(client, world):
    h, url = world["h"]["community"], f"/areas/{VILLAGE_A}/events"
    r = client.get(url, params={"from": "2026-13-01", "q": "路灯"}, headers=h)
    assert r.status_code == 422 and "is not a date" in r.text and 'value="路灯"' in r.text
    r = client.get(url, params={"from": "2026-12-01", "to": "2026-11-01"}, headers=h)
    assert r.status_code == 422 and "The first date is after the second" in r.text
    # A grid out of the area or the reader's scope reads like one that does not exist.
    assert client.get(url, params={"grid": "220103002001001"}, headers=h).status_code == 404
    assert client.get(url, params={"grid": "abc"}, headers=h).status_code == 404


def test_the_filters_stay_in_the_pages_links_and_the_export_link(client, session, world):
    community = as_principal(session, world["people"]["community"])
    lon, lat = world["point"]
    for i in range(51):
        report(session, community, (lon, lat), title=f"路灯{i}")
    session.commit()
    params = {"q": "路灯", "from": "2026-01-01"}
    r = client.get(f"/areas/{VILLAGE_A}/events", params=params, headers=world["h"]["community"])
    assert "Page 1 of 2" in r.text
    assert 'href="?q=%E8%B7%AF%E7%81%AF&amp;from=2026-01-01&amp;page=2"' in r.text
    assert f'href="/areas/{VILLAGE_A}/events.xlsx?q=%E8%B7%AF%E7%81%AF&amp;from=2026-01-01"' in r.text


def test_a_resident_finds_text_only_in_their_own_reports(client, session, world):
    """The public part of others' reports masks phone numbers: searching digits must not find them."""
    neighbour = as_principal(session, world["people"]["neighbour"])
    lon, lat = world["point"]
    report(session, neighbour, (lon, lat), title="邻居的", description="电话 13912345678")
    session.commit()
    url = f"/areas/{VILLAGE_A}/events"
    assert _ids(client.get(url, params={"q": "1391234"}, headers=world["h"]["resident"]).text) == []
    assert len(_ids(client.get(url, params={"q": "1391234"}, headers=world["h"]["community"]).text)) == 1
    assert _ids(client.get(url, params={"q": "路灯"}, headers=world["h"]["resident"]).text) == [world["a"]]


def _sheet(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_export_has_names_beijing_times_and_text_and_is_audited(client, session, world):
    h = world["h"]["community"]
    r = client.get(f"/areas/{VILLAGE_A}/events.xlsx", params={"grid": GRID, "to": "2026-11-30"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    rows = _sheet(r.content)
    assert rows[0][:4] == ["Number", "Title", "Category", "State"]
    by_id = {int(row[0]): row for row in rows[1:]}
    assert set(by_id) == {world["a"], world["b"]}
    b = by_id[world["b"]]
    assert b[1] == "垃圾堆积" and b[3] == "Dispatched"
    assert re.fullmatch(r"[^\d/]+ / [^\d/]+", b[2]), b[2]  # 大类 / 小类, by name
    assert b[4] == "第一网格" and b[5] and b[6] and not b[5].isdigit()  # grid, village, township names
    assert b[8] == "2026-11-03 23:59"  # Beijing time
    assert b[9] == world["unit"].name
    assert b[13] == "楼下 13812345678"  # staff over the place read the whole text
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "events.export")).all()[-1]
    assert entry.actor_id == world["people"]["community"].id and entry.area_code.startswith(VILLAGE_A)
    assert '"events": 2' in entry.after and '"grid": "' + GRID + '"' in entry.after


def test_the_export_writes_a_formula_as_text_and_stays_in_scope(client, world):
    r = client.get(f"/areas/{VILLAGE_A}/events.xlsx", params={"q": "HYPERLINK"}, headers=world["h"]["community"])
    ws = load_workbook(io.BytesIO(r.content)).active
    cell = ws.cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    assert client.get("/areas/220103/events.xlsx", headers=world["h"]["county"]).status_code == 404
    r = client.get(f"/areas/{VILLAGE_A}/events.xlsx", params={"from": "x"}, headers=world["h"]["community"])
    assert r.status_code == 422


def test_the_export_in_chinese(client, world):
    client.cookies.set("linli_lang", "zh-CN")
    r = client.get(f"/areas/{VILLAGE_A}/events.xlsx", params={"q": "垃圾"}, headers=world["h"]["community"])
    rows = _sheet(r.content)
    assert rows[0][0] == "编号" and rows[1][3] == "已派遣"


def test_a_list_too_long_to_download_says_so(client, world, monkeypatch):
    from linli.events import export

    monkeypatch.setattr(export, "EXPORT_MAX", 3)
    h, url = world["h"]["community"], f"/areas/{VILLAGE_A}/events"
    r = client.get(url, headers=h)
    assert 'id="export-link"' not in r.text and "More than 3 events match" in r.text
    r = client.get(url + ".xlsx", headers=h)
    assert r.status_code == 422 and "4 events match: at most 3 are exported at a time" in r.text
    assert 'id="export-link"' in client.get(url, params={"q": "路灯"}, headers=h).text
