"""The register template, and exporting a subtree's households and persons to XLSX (masked unless revealed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound, RowError
from linli.kit.i18n import t
from linli.kit.sheets import text_cell, write_csv
from linli.residents import pii
from linli.residents import repository as repo
from linli.residents.kinds import GENDER_LABELS, REGISTER_LABELS, RELATION_LABELS, TAG_LABELS
from linli.residents.models import Household, Person
from linli.residents.service import REVEAL, R
from linli.residents.sheet import COLUMNS, PROBLEMS_HEADER, cell_text, read_rows

TEXT_COLUMNS = {"公民身份号码", "联系电话", "网格编码", "户编号"}
GENERATED_NOTE = "说明 Notes"
BATCH = 2000  # persons read and written at a time
Row = tuple[Person, Household | None]


@dataclass(frozen=True)
class ExportFilter:
    """Which present persons an export writes: name containing, tag held today, household's register type."""

    name: str = ""
    tag: str | None = None
    register_type: str | None = None


def write_template(target: str | Path | IO[bytes], fmt: str = "xlsx") -> None:
    """An empty register in the import layout: the header row, and for XLSX a sheet explaining each column."""
    if fmt == "csv":
        if isinstance(target, str | Path):
            with open(target, "wb") as fh:
                write_csv(fh, [[c.header for c in COLUMNS]])
        else:
            write_csv(target, [[c.header for c in COLUMNS]])
        return
    if fmt != "xlsx":
        raise InvalidInput(t("the template comes as xlsx or csv, not {format!r}", format=fmt))
    wb = Workbook()
    ws = wb.active
    ws.title = "居民登记"
    ws.append([c.header for c in COLUMNS])
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True, color="C00000" if c.required else "000000")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(10, len(c.example) + 4)
        if c.header in TEXT_COLUMNS:
            for row in range(2, 2001):  # text format, so Excel keeps all 18 digits of an ID number
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"
    _add_choices(ws)
    notes = wb.create_sheet(GENERATED_NOTE)
    notes.append(["列名", "必填", "说明", "示例"])
    for c in COLUMNS:
        notes.append([c.header, "是" if c.required else "否", c.note, c.example])
    notes.append([])
    notes.append(["红色列名为必填。导入时只读第一个工作表；表头必须与模板一致。"])
    wb.save(target)


# The columns with a closed list, offered as drop-downs: (header, choices, only these). Tags may be several
# (独居老人、低保), so their list helps without refusing what it does not hold.
CHOICES = (
    ("户籍类型", list(REGISTER_LABELS.values()), True),
    ("与户主关系", list(RELATION_LABELS.values()), True),
    ("性别", list(GENDER_LABELS.values()), True),
    ("党员", ["是", "否"], True),
    ("标签", list(TAG_LABELS.values()), False),
)
TEMPLATE_ROWS = 10_000  # rows of the template that carry the drop-downs


def _add_choices(ws) -> None:
    """Drop-down lists (data validation) on the columns with a closed vocabulary."""
    letters = {c.header: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    for header, choices, strict in CHOICES:
        dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        dv.showErrorMessage = strict
        dv.error = "请从下拉列表中选择：" + "、".join(choices)
        dv.prompt = ("可选：" if strict else "可多选，用顿号分隔：") + "、".join(choices)
        dv.showInputMessage = True
        dv.add(f"{letters[header]}2:{letters[header]}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(dv)


def _label(labels: dict, value: str | None) -> str:
    if not value:
        return ""
    for member, label in labels.items():
        if member.value == value:
            return label
    return value


def export_register(
    session: Session,
    principal: Principal,
    code: str,
    target: str | Path | IO[bytes],
    *,
    reveal: bool = False,
    progress: Callable[[int], None] | None = None,
    audit: bool = True,
    filters: ExportFilter | None = None,
) -> int:
    """Write the present persons under `code` (within the principal's scope, matching `filters`) to XLSX,
    a batch at a time (a write-only workbook: rows go to the file, not to memory); returns how many.

    ID and phone numbers are masked unless `reveal`, which needs residents.reveal at the area and is audited
    (here, or with `audit=False` by the caller through `record_export`, in a transaction of its own).
    """
    scope = _export_scope(principal, code, reveal)
    today = date.today()
    f = filters or ExportFilter()
    rows = repo.present_persons_with_households(
        session, code, scope, batch=BATCH, name=f.name or None, tag=f.tag, register_type=f.register_type, today=today
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民登记")
    ws.append([c.header for c in COLUMNS])
    n = 0
    for chunk in _chunks(rows, BATCH):
        _write_rows(session, ws, chunk, today, reveal=reveal)
        n += len(chunk)
        if progress and len(chunk) == BATCH:
            progress(n)
    wb.save(target)
    if audit:
        record_export(session, principal, code, n, reveal=reveal)
    return n


def _export_scope(principal: Principal, code: str, reveal: bool) -> AreaScope:
    """Where the export reads: the principal's scope of residents.read, or of residents.reveal to reveal
    (which they must hold at the area)."""
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(R, code, what=t("area {code}", code=code))
    scope = principal.scope(REVEAL if reveal else R)
    if reveal:
        principal.check(REVEAL, code, what=t("area {code}", code=code))
    return scope


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write_rows(session: Session, ws, rows: list[Row], today: date, *, reveal: bool) -> None:
    """One batch of persons as sheet rows, their current tags read in one query."""
    tags: dict[int, list[str]] = {}
    for pid, tag in repo.current_tag_names(session, [p.id for p, _ in rows], today):
        tags.setdefault(pid, []).append(_label(TAG_LABELS, tag))
    for p, h in rows:
        values = _values(p, h, tags.get(p.id, []), reveal=reveal)
        ws.append([text_cell(ws, v) for v in values])  # text, never a formula


def _values(p: Person, h: Household | None, tags: list[str], *, reveal: bool) -> list[str]:
    """A person's row, in the order of COLUMNS."""
    return [
        (h.import_key or f"H{h.id}") if h else f"P{p.id}",
        p.area_code,
        _label(REGISTER_LABELS, h.register_type) if h else "",
        h.address if h else "",
        _label(RELATION_LABELS, p.relation) if p.relation else "",
        p.name,
        pii.open_id(p.id_number_enc, reveal=reveal),
        _label(GENDER_LABELS, p.gender),
        p.birth_date.isoformat(),
        p.ethnicity,
        pii.open_phone(p.phone_enc, reveal=reveal) or "",
        p.moved_in_on.isoformat() if p.moved_in_on else "",
        "是" if p.party_member else "否",
        "、".join(tags),
    ]


def record_export(
    session: Session, principal: Principal, code: str, n: int, *, reveal: bool, filters: ExportFilter | None = None
) -> None:
    """The audit entry of an export of `n` persons under `code`: masked or not, and the filters it applied."""
    asked = {k: v for k, v in asdict(filters or ExportFilter()).items() if v}
    record(
        session,
        principal,
        "residents.export_revealed" if reveal else "residents.export",
        "area",
        code,
        code,
        after={"persons": n, "revealed": reveal} | ({"filters": asked} if asked else {}),
    )


def bad_rows_sheet(fh: IO[bytes], file_name: str, bad_rows: list[RowError], target: IO[bytes]) -> None:
    """The bad rows of a file as they were typed, in the import layout, each with its problems in a last
    column the importer skips (PROBLEMS_HEADER): corrected, the sheet is imported as it is."""
    reasons = {r["row"]: r["reason"] for r in bad_rows}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("待修改")
    ws.append([c.header for c in COLUMNS] + [PROBLEMS_HEADER])
    fh.seek(0)
    for n, raw in read_rows(fh, file_name):
        if n in reasons:
            values = [_as_typed(raw.get(c.key)) for c in COLUMNS] + [t("row {row}: {reason}", row=n, reason=reasons[n])]
            ws.append([text_cell(ws, v) for v in values])  # as text, never a formula
    wb.save(target)


def _as_typed(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return cell_text(value)
