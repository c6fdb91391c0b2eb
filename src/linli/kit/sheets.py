"""Writing what people typed into spreadsheets as text, never as a formula (CSV and XLSX injection).

A cell whose text starts with "=" is a live formula to Excel, LibreOffice and WPS: a name like
`=HYPERLINK(...)` would run when the file is opened. In XLSX a cell has a type of its own, so text
cells are written with the string type and keep their value exactly. CSV has no types: the OWASP
rule prefixes an apostrophe to a value starting with = + - @ tab or CR (the spreadsheet shows the
value without it) and every field is quoted; `csv_value` undoes the prefix when such a file is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_FORMAT = "@"  # Excel's "Text" number format: what is typed into the cell later stays text too


def text_cell(ws, value: Any) -> WriteOnlyCell:
    """A cell of a write-only sheet holding `value` as text (the string type, never a formula)."""
    cell = WriteOnlyCell(ws, value=None if value is None else str(value))
    if value is not None:
        cell.data_type = "s"  # openpyxl types a string starting with "=" as a formula; this one is text
    cell.number_format = TEXT_FORMAT
    return cell


def set_text(cell, value: Any) -> None:
    """Put `value` into a cell of an ordinary (not write-only) sheet as text."""
    cell.value = None if value is None else str(value)
    if value is not None:
        cell.data_type = "s"


def _prefixed(text: str) -> bool:
    # Apostrophes already in front count too, so that reading back gives exactly what was written.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def csv_field(value: Any) -> str:
    """A CSV field that no spreadsheet reads as a formula (OWASP: prefix an apostrophe)."""
    text = "" if value is None else str(value)
    return "'" + text if _prefixed(text) else text


def csv_value(text: str) -> str:
    """The value of a field `csv_field` wrote (its apostrophe removed), for reading such a file back."""
    return text[1:] if text.startswith("'") and _prefixed(text) else text


def write_csv(target: IO[bytes], rows: Iterable[Iterable[Any]], *, bom: bool = True) -> None:
    """Rows as UTF-8 CSV (with a BOM, so Excel opens it as UTF-8), every field quoted and neutralised."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        for row in rows:
            writer.writerow([csv_field(v) for v in row])
        text.flush()
    finally:
        text.detach()
