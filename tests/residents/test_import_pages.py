"""The import page's "skip bad rows" choice, the bad-row table with names and every problem, its XLSX to
correct and import again, and the template's drop-down lists."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.residents.export import CHOICES, write_template
from linli.residents.models import Person
from linli.residents.sheet import COLUMNS, PROBLEMS_HEADER
from tests.factories import auth, token_for
from tests.factories_residents import GRID, GRID_B, make_staff, new_id

HEADER = "户编号,网格编码,与户主关系,姓名,公民身份号码,联系电话,性别"


@pytest.fixture
def world(session, grids, client):
    staff = make_staff(session, "worker")
    session.commit()
    client.cookies.set("linli_lang", "en")
    return {"worker": auth(token_for(session, staff["worker"]))}


def persons(session) -> int:
    return session.scalar(select(func.count()).select_from(Person))


def bad_check_digit(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def register_csv() -> tuple[str, dict[str, str]]:
    numbers = {k: new_id(date(1980 + i, 1, 1)) for i, k in enumerate(("good", "fine", "bad", "far"))}
    rows = [
        f"N1,{GRID},户主,好人,{numbers['good']},13800001111,",
        f"N2,{GRID},户主,坏人,{bad_check_digit(numbers['bad'])},123,女",  # two problems in one row
        f"N3,{GRID_B},户主,远人,{numbers['far']},,",  # not the grid worker's grid
        f"N4,{GRID},户主,也好,{numbers['fine']},,",
    ]
    return HEADER + "\n" + "\n".join(rows) + "\n", numbers


def post(client, world, csv: str, *, dry_run=False, skip=False, hx=False, url="/residents/import"):
    headers = {**world["worker"], **({"HX-Request": "true"} if hx else {})}
    return client.post(
        url,
        params={"dry_run": "true"} if dry_run else {},
        data={"skip_bad_rows": "1"} if skip else {},
        files={"file": ("register.csv", csv.encode())},
        headers=headers,
    )


def test_skip_bad_rows_imports_the_good_and_lists_the_bad_with_names_and_every_problem(client, session, world):
    csv, _ = register_csv()
    before = persons(session)
    page = client.get("/residents/import", headers=world["worker"])
    assert 'name="skip_bad_rows"' in page.text and 'formaction="/residents/import/bad-rows.xlsx"' in page.text
    # Without the choice: refused as a whole, but the table already names the rows' people.
    r = post(client, world, csv)
    assert r.status_code == 422 and "2 bad rows; nothing was written" in r.text and persons(session) == before
    assert "<td>坏人</td>" in r.text and "<td>远人</td>" in r.text
    # Every problem of a row, not the first only.
    row2 = r.text.split("<td>坏人</td>")[1].split("</tr>")[0]
    assert "check digit" in row2 and "phone" in row2
    # A dry run with the choice says what would be left out.
    r = post(client, world, csv, dry_run=True, skip=True, hx=True)
    assert r.status_code == 200 and "would add 2 persons" in r.text and "2 bad rows would be left out" in r.text
    assert persons(session) == before
    r = post(client, world, csv, skip=True)
    assert r.status_code == 200 and "Imported: 2 persons" in r.text and "2 bad rows were left out." in r.text
    assert "<td>坏人</td>" in r.text and 'name="skip_bad_rows" value="1" checked' in r.text
    assert persons(session) == before + 2
    names = set(session.scalars(select(Person.name)))
    assert {"好人", "也好"} <= names and not {"坏人", "远人"} & names


def test_the_bad_rows_download_is_corrected_and_imported(client, session, world):
    csv, numbers = register_csv()
    lookups = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "persons.id_lookup")
    audited = session.scalar(lookups)
    r = post(client, world, csv, url="/residents/import/bad-rows.xlsx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert session.scalar(lookups) == audited + 1  # the check looked the numbers up: audited
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.worksheets[0]
    values = [list(row) for row in ws.iter_rows(values_only=True)]
    assert values[0] == [c.header for c in COLUMNS] + [PROBLEMS_HEADER]
    assert [(v[5], v[-1].split(":")[0]) for v in values[1:]] == [("坏人", "row 3"), ("远人", "row 4")]
    assert "check digit" in values[1][-1]
    # Correct the two rows where they are and import the sheet as it is (the problems column is skipped).
    ws.cell(row=2, column=7).value = numbers["bad"]
    ws.cell(row=2, column=11).value = "13900002222"
    ws.cell(row=2, column=8).value = None  # the gender typed may not agree with the number: leave it to the number
    ws.cell(row=3, column=2).value = GRID
    fixed = io.BytesIO()
    wb.save(fixed)
    r = client.post("/residents/import", files={"file": ("fixed.xlsx", fixed.getvalue())}, headers=world["worker"])
    assert r.status_code == 200 and "Imported: 2 persons" in r.text, r.text
    # A clean file has no bad rows to download: the page says so.
    r = post(
        client,
        world,
        HEADER + f"\nN9,{GRID},户主,再好,{new_id(date(1970, 2, 2))},,\n",
        url="/residents/import/bad-rows.xlsx",
    )
    assert r.status_code == 200 and "The file has no bad rows" in r.text


def test_the_bad_rows_download_refuses_what_is_not_a_register(client, world):
    r = client.post(
        "/residents/import/bad-rows.xlsx", files={"file": ("x.pdf", b"%PDF-1.4 ...")}, headers=world["worker"]
    )
    assert r.status_code == 422 and "not a spreadsheet" in r.text


def test_template_has_drop_down_lists():
    buf = io.BytesIO()
    write_template(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    headers = [c.value for c in ws[1]]
    lists = {}
    for dv in ws.data_validations.dataValidation:
        column = headers[next(iter(dv.sqref.ranges)).min_col - 1]
        lists[column] = (dv.formula1.strip('"').split(","), dv.showErrorMessage)
    assert lists["与户主关系"] == (
        ["户主", "配偶", "子女", "父母", "孙子女", "祖父母", "兄弟姐妹", "儿媳女婿", "其他"],
        True,
    )
    assert lists["户籍类型"] == (["户籍", "常住", "流动"], True)
    assert lists["性别"] == (["男", "女"], True) and lists["党员"] == (["是", "否"], True)
    assert lists["标签"][1] is False and "独居老人" in lists["标签"][0]  # several tags may be typed
    assert set(lists) == {header for header, _, _ in CHOICES}
