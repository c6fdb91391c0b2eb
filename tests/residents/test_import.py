"""Importing the register from CSV and XLSX, the template, export, and uploads that are refused early."""

from __future__ import annotations

import asyncio
import io
import threading
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text

from linli.audit.models import AuditEntry
from linli.kit.errors import ImportRejected
from linli.residents import pii
from linli.residents.export import export_register, write_template
from linli.residents.idcard import make_id
from linli.residents.importer import import_register
from linli.residents.models import Household, Person, PersonTag
from linli.residents.sheet import COLUMNS, BadColumns, NotASpreadsheet
from tests.factories import SYSTEM, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, SIBLING_GRID, make_family, make_grids, new_id

HEADER = [c.header for c in COLUMNS]


def ids(n: int) -> list[str]:
    return [new_id(date(1950 + i, 1 + i % 12, 1 + i % 28)) for i in range(n)]


# Fixed numbers, so that the same rows can be imported twice; odd sequence → male, even → female.
A, B, C, D = (make_id("220102", date(1950, 1, 1), 11), make_id("220102", date(1951, 2, 2), 13),
              make_id("220102", date(1952, 3, 3), 22), make_id("220102", date(1953, 4, 4), 15))  # fmt: skip


def good_rows() -> list[list[str]]:
    a, b, c, d = A, B, C, D
    return [
        ["A1", GRID, "户籍", "幸福路1号", "户主", "刘备", a, "", "", "汉族", "13900000001", "", "是", "退役军人"],
        ["A1", GRID, "户籍", "幸福路1号", "配偶", "孙尚香", c, "", "", "汉族", "", "", "否", ""],
        ["A2", GRID_B, "流动", "", "户主", "关羽", b, "男", "1951-02-02", "", "", "", "", "独居老人;低保"],
        ["A2", GRID_B, "流动", "", "子女", "关平", d, "", "", "", "", "2020-01-01", "", ""],
    ]  # fmt: skip


def as_csv(rows, header=HEADER, encoding="utf-8") -> io.BytesIO:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode(encoding))


def as_xlsx(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.fixture
def world(session, areas):
    make_grids(session, SIBLING_GRID, load_areas=False)
    session.commit()


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_clean_csv_imports_and_reimport_changes_nothing(session, world):
    report = import_register(session, SYSTEM, as_csv(good_rows()), name="r.csv")
    assert (report.persons_added, report.households_added, report.unchanged) == (4, 2, 0)
    session.expire_all()
    guan = session.scalar(select(Person).where(Person.name == "关羽"))
    assert guan.area_code == GRID_B and guan.relation == "head"
    assert session.get(Household, guan.household_id).head_person_id == guan.id
    assert pii.open_id(guan.id_number_enc, reveal=True) == B
    tags = sorted(session.scalars(select(PersonTag.tag).where(PersonTag.person_id == guan.id)))
    assert tags == ["elderly_alone", "subsistence"]
    liu = session.scalar(select(Person).where(Person.name == "刘备"))
    assert liu.party_member and pii.open_phone(liu.phone_enc, reveal=True) == "13900000001"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "residents.import")).all()
    assert len(entries) == 1 and entries[0].area_code == "220102001000000"
    again = import_register(session, SYSTEM, as_csv(good_rows()), name="r.csv")
    assert (again.persons_added, again.households_added, again.unchanged) == (0, 0, 4)
    assert count(session, Person) == 4 and count(session, Household) == 2


def test_dry_run_writes_nothing(session, world):
    report = import_register(session, SYSTEM, as_csv(good_rows()), dry_run=True)
    assert (report.persons_added, report.households_added) == (4, 2)
    assert count(session, Person) == 0 and count(session, AuditEntry) == count(session, AuditEntry)
    assert count(session, Household) == 0


def test_every_bad_row_is_reported_and_nothing_written(session, world):
    h, (head, _, _) = make_family(session)
    session.commit()
    existing = pii.open_id(head.id_number_enc, reveal=True)
    rows = good_rows()
    bad_checksum = rows[0][6][:17] + ("0" if rows[0][6][17] != "0" else "1")
    b1, b2, b3 = ids(3)
    wrong_birth = "1999-09-09"
    rows += [
        ["B1", GRID, "", "", "户主", "坏号", bad_checksum, "", "", "", "", "", "", ""],
        ["B2", "220102009009009", "", "", "户主", "无网格", b1, "", "", "", "", "", "", ""],
        ["B3", GRID, "", "", "户主", "重复", rows[1][6], "", "", "", "", "", "", ""],
        ["B4", GRID, "", "", "户主", "生日", b2, "", wrong_birth, "", "", "", "", ""],
        ["B5", GRID, "", "", "户主", "两户", existing, "", "", "", "", "", "", ""],
        ["A1", GRID, "户籍", "", "户主", "二主", b3, "", "", "", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_register(session, SYSTEM, as_csv(rows))
    reasons = {r["row"]: r["reason"] for r in exc.value.rows}
    assert sorted(reasons) == [6, 7, 8, 9, 10, 11]
    assert "check digit" in reasons[6]
    assert "does not exist" in reasons[7]
    assert "duplicate person" in reasons[8] and "row 3" in reasons[8]
    assert "birth date 1999-09-09 does not agree" in reasons[9]
    assert "in two households" in reasons[10]
    assert "second head" in reasons[11]
    assert count(session, Person) == 3  # the family made above, nothing else
    report = import_register(session, SYSTEM, as_csv(rows), skip_bad_rows=True)
    assert report.persons_added == 4 and len(report.bad_rows) == 6
    assert count(session, Person) == 7


def test_xlsx_from_the_template(session, world, tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path)
    wb = load_workbook(path)
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADER and "说明 Notes" in wb.sheetnames
    for r in good_rows():
        ws.append(r)
    wb.save(path)
    with path.open("rb") as fh:
        report = import_register(session, SYSTEM, fh, name="t.xlsx")
    assert report.persons_added == 4


def test_gbk_csv_as_excel_writes_it(session, world):
    report = import_register(session, SYSTEM, as_csv(good_rows(), encoding="gb18030"))
    assert report.persons_added == 4
    session.expire_all()
    assert session.scalar(select(Person.name).where(Person.name == "孙尚香")) == "孙尚香"


@pytest.mark.parametrize("which", ["missing", "renamed"])
def test_missing_or_renamed_columns(session, world, which):
    header = list(HEADER)
    if which == "missing":
        header.remove("公民身份号码")
        rows = [r[:6] + r[7:] for r in good_rows()]
    else:
        header[header.index("姓名")] = "名字"
        rows = good_rows()
    with pytest.raises(BadColumns) as exc:
        import_register(session, SYSTEM, as_xlsx(rows, header))
    assert "missing column(s): " + ("公民身份号码" if which == "missing" else "姓名") in exc.value.message
    if which == "renamed":
        assert "unknown column(s): 名字" in exc.value.message
    assert count(session, Person) == 0


@pytest.mark.parametrize(
    "data, words",
    [
        (b"%PDF-1.4 something", "not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        (b"", "empty"),
        ("zip", "not an .xlsx workbook"),
    ],
)
def test_files_that_are_not_spreadsheets(session, world, data, words):
    if data == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "hi")
        data = buf.getvalue()
    with pytest.raises(NotASpreadsheet) as exc:
        import_register(session, SYSTEM, io.BytesIO(data))
    assert words in exc.value.message


def test_grid_worker_imports_only_into_their_grid(session, world):
    user = make_user(session, "gworker", "grid_worker", GRID)
    with pytest.raises(ImportRejected) as exc:
        import_register(session, principal(user, ("grid_worker", GRID)), as_csv(good_rows()))
    assert {r["row"] for r in exc.value.rows} == {4, 5}  # the rows in GRID_B


def test_upload_over_the_api_and_audit_has_no_personal_data(client, session, world):
    tok = auth(token_for(session, make_user(session, "cworker", "community_worker", "220102001")))
    session.commit()
    r = client.post("/api/v1/residents/import", files={"file": ("r.csv", as_csv(good_rows()).getvalue())}, headers=tok)
    assert r.status_code == 200 and r.json()["persons_added"] == 4, r.text
    raw = client.post(
        "/api/v1/residents/import?filename=r.csv&dry_run=true", content=as_csv(good_rows()).getvalue(), headers=tok
    )
    assert raw.status_code == 200 and raw.json()["unchanged"] == 4
    log = str(session.execute(text("SELECT * FROM audit_log")).all())
    for row in good_rows():
        assert row[6] not in log and (not row[10] or row[10] not in log)
    assert client.get("/api/v1/residents/template.xlsx", headers=tok).headers["content-type"].endswith("sheet")


def test_upload_over_the_limit_is_refused_while_streaming(client, session, world, monkeypatch):
    monkeypatch.setenv("LINLI_IMPORT_MAX_MB", "1")
    from linli.config import get_settings

    get_settings.cache_clear()
    tok = auth(token_for(session, make_user(session, "cworker", "community_worker", "220102001")))
    session.commit()
    produced = 0

    def body():
        nonlocal produced
        for _ in range(64):  # 4 MB offered, no Content-Length
            produced += 1
            yield b"x" * 65536

    r = client.post("/api/v1/residents/import", content=body(), headers=tok)
    assert r.status_code == 413 and "larger than the 1 MB" in r.json()["error"]["message"]
    assert count(session, Person) == 0


def test_declared_500_mb_upload_is_refused_before_the_body_is_read(app, session, world):
    """The ASGI app gets a Content-Length of 500 MB and a body it must not start reading."""
    tok = token_for(session, make_user(session, "cworker", "community_worker", "220102001"))
    session.commit()
    chunks_read = 0
    messages = []

    async def receive():
        nonlocal chunks_read
        chunks_read += 1
        return {"type": "http.request", "body": b"x" * (1 << 20), "more_body": True}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/api/v1/residents/import", "raw_path": b"/api/v1/residents/import", "query_string": b"",
        "root_path": "", "server": ("testserver", 80), "client": ("127.0.0.1", 1234),
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {tok}".encode()),
                    (b"content-type", b"multipart/form-data; boundary=xyz"), (b"content-length", b"524288000")],
    }  # fmt: skip
    # In its own thread: the browser tests' Playwright keeps an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    runner.start()
    runner.join()
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    assert start["status"] == 413 and b"file_too_large" in body
    assert chunks_read <= 1


def test_export_is_masked_unless_revealed_with_permission(client, session, world, tmp_path):
    import_register(session, SYSTEM, as_csv(good_rows()))
    session.commit()
    first_id = good_rows()[0][6]
    path = tmp_path / "e.xlsx"
    n = export_register(session, SYSTEM, "220102", path)
    ws = load_workbook(path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert n == 4 and values[0] == HEADER
    flat = str(values)
    assert first_id not in flat and first_id[:6] + "********" + first_id[-4:] in flat and "139****0001" in flat
    n = export_register(session, SYSTEM, "220102", path, reveal=True)
    assert first_id in str([[c.value for c in r] for r in load_workbook(path).active.iter_rows()])
    # Round trip: a revealed export imports back as "unchanged".
    with path.open("rb") as fh:
        assert import_register(session, SYSTEM, fh).unchanged == 4
    gw = auth(token_for(session, make_user(session, "gworker", "grid_worker", GRID)))
    session.commit()
    r = client.get(f"/api/v1/areas/{GRID}/residents.xlsx", headers=gw)
    assert r.status_code == 200
    got = [[c.value for c in row] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows()]
    assert len(got) == 3  # header + the two persons of the worker's grid
    assert client.get(f"/api/v1/areas/{GRID}/residents.xlsx?reveal=true", headers=gw).status_code == 403
    assert client.get("/api/v1/areas/220102/residents.xlsx", headers=gw).status_code == 404
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("residents.export%"))).all()
    assert "residents.export_revealed" in actions
