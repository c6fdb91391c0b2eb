"""The spreadsheet layout of the register (Chinese column headers) and reading it from CSV or XLSX.

Files are read as streams, row by row, so a file of a million persons never sits whole in memory.
The layout is documented in docs/residents-import.md; the template is written from COLUMNS below.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from linli.kit.errors import DomainError, InvalidInput
from linli.kit.i18n import t
from linli.kit.sheets import csv_value
from linli.residents.kinds import REGISTER_LABELS, RELATION_LABELS, TAG_LABELS


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool
    note: str
    example: str


COLUMNS = (
    Column("户编号", "household_key", True, "本文件内区分各户的编号（同一网格内唯一）；同户成员填相同编号", "A001"),
    Column("网格编码", "grid", True, "15位网格编码", "220102001001001"),
    Column("户籍类型", "register_type", False, "、".join(REGISTER_LABELS.values()) + "（默认户籍）", "户籍"),
    Column("地址", "address", False, "户的住址", "幸福路1号3单元302室"),
    Column("与户主关系", "relation", True, "、".join(RELATION_LABELS.values()) + "；每户一名户主", "户主"),
    Column("姓名", "name", True, "", "张伟"),
    Column("公民身份号码", "id_number", True, "18位，末位可为X；请将本列设为文本格式", "11010519491231002X"),
    Column("性别", "gender", False, "男/女；可空（由身份号码推出），填写时须一致", "女"),
    Column("出生日期", "birth_date", False, "YYYY-MM-DD；可空（由身份号码推出），填写时须一致", "1949-12-31"),
    Column("民族", "ethnicity", False, "", "汉族"),
    Column("联系电话", "phone", False, "手机11位或带区号的固定电话", "13812345678"),
    Column("迁入日期", "moved_in_on", False, "YYYY-MM-DD", "2020-05-01"),
    Column("党员", "party_member", False, "是/否", "否"),
    Column("标签", "tags", False, "、".join(TAG_LABELS.values()) + "；多个用顿号或分号分隔", "独居老人、低保"),
)
HEADERS = {c.header: c for c in COLUMNS}
# The last column of a bad-row sheet (residents.importer.bad_rows_sheet): read past, so that the corrected
# sheet imports as it is.
PROBLEMS_HEADER = "导入问题"
REQUIRED = [c.header for c in COLUMNS if c.required]


class NotASpreadsheet(InvalidInput):
    code = "not_a_spreadsheet"


class BadColumns(InvalidInput):
    code = "bad_columns"


class FileTooLarge(DomainError):
    status = 413
    code = "file_too_large"


def _check_headers(raw: list[Any]) -> list[str | None]:
    """The key of each column of the header row; missing and unknown (renamed) columns are refused together."""
    headers = [str(h).strip() if h is not None else "" for h in raw]
    while headers and not headers[-1]:
        headers.pop()
    unknown = [h for h in headers if h and h not in HEADERS and h != PROBLEMS_HEADER]
    missing = [h for h in REQUIRED if h not in headers]
    dup = sorted({h for h in headers if h and headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(t("missing column(s): {columns}", columns="、".join(missing)))
    if unknown:
        problems.append(
            t("unknown column(s): {columns} (renamed? use the template's headers)", columns="、".join(unknown))
        )
    if dup:
        problems.append(t("repeated column(s): {columns}", columns="、".join(dup)))
    if problems:
        raise BadColumns(
            t(
                "{problems}. The template's columns are: {columns}",
                problems="; ".join(problems),
                columns="、".join(c.header for c in COLUMNS),
            ),
            details={"missing": missing, "unknown": unknown, "repeated": dup},
        )
    return [HEADERS[h].key if h in HEADERS else None for h in headers]


def _sniff(head: bytes, name: str) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotASpreadsheet(t("this is an old Excel (.xls) file: save it as .xlsx or .csv and try again"))
    if b"\x00" in head[:4096] or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8", b"GIF8")):
        raise NotASpreadsheet(
            t("{name} is not a spreadsheet: upload an .xlsx or .csv file", name=name or t("the file"))
        )
    return "csv"


def _csv_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) or GB 18030, which Excel in China writes by default."""
    sample = head[:65536]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise NotASpreadsheet(t("the file is neither UTF-8 nor GB 18030 text, and not an .xlsx file")) from None


def read_rows(fh: IO[bytes], name: str = "") -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as Excel shows it, {column key: value}) for every non-empty data row."""
    head = fh.read(65536)
    fh.seek(0)
    if not head.strip():
        raise NotASpreadsheet(t("the file is empty"))
    kind = _sniff(head, name)
    rows = _xlsx_rows(fh) if kind == "xlsx" else _csv_rows(fh, _csv_encoding(head))
    try:
        header = next(rows)
    except StopIteration:
        raise NotASpreadsheet(t("the file has no header row")) from None
    keys = _check_headers(list(header))
    for n, values in enumerate(rows, start=2):
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        yield n, {k: v for k, v in zip(keys, values, strict=False) if k}


def _csv_rows(fh: IO[bytes], encoding: str) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(fh, encoding=encoding, newline="")
    try:
        for row in csv.reader(text):
            yield [csv_value(v) for v in row]  # what an export neutralised ('=…) reads back as written
    except (csv.Error, UnicodeDecodeError) as exc:
        raise NotASpreadsheet(t("the CSV file cannot be read: {error}", error=exc)) from None
    finally:
        if not text.closed:  # an abandoned reader may be finalised after its upload was closed
            text.detach()  # leave the caller's file open


def _xlsx_rows(fh: IO[bytes]) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise NotASpreadsheet(t("the file is a ZIP archive but not an .xlsx workbook ({error})", error=exc)) from None
    try:
        yield from wb.worksheets[0].iter_rows(values_only=True)
    finally:
        wb.close()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell_date(value: Any) -> date | None:
    """A date cell: a real date, or text YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYYMMDD."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value).replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    raise ValueError(t("{text!r} is not a date (YYYY-MM-DD)", text=text))
