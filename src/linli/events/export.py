"""An area's filtered event list as XLSX, for people: names instead of codes (places, categories, states,
units), times in Beijing time, typed text written as text. Written row by row (openpyxl's write-only
mode) from the database in batches, so a large list is never held whole in memory."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from openpyxl import Workbook
from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.events import contacts
from linli.events import repository as repo
from linli.events.kinds import state_label
from linli.events.models import Event
from linli.events.service import category_names, sees_personal, unit_names
from linli.events.workflow import OPEN_STATES
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.sheets import FORMULA_STARTS, text_cell
from linli.kit.time import BEIJING, as_utc, utcnow

EXPORT_MAX = 50_000  # rows in one file, about 40 s of writing (bench_events_pickers.py); more: narrow the filters
BATCH = 1000
TIME = "%Y-%m-%d %H:%M"


def headers() -> list[str]:
    return [
        t("Number"),
        t("Title"),
        t("Category"),
        t("State"),
        t("Grid"),
        t("Community or village"),
        t("Street or township"),
        t("Address"),
        t("Reported at (Beijing time)"),
        t("Handling unit"),
        t("Deadline (Beijing time)"),
        t("Overdue"),
        t("Me too"),
        t("Description"),
    ]


def check_size(session: Session, stmt: Select) -> int:
    """How many events the export would hold; refused past EXPORT_MAX (before any work is done)."""
    n = repo.count(session, stmt)
    if n > EXPORT_MAX:
        raise InvalidInput(
            t(
                "{n} events match: at most {max} are exported at a time. Narrow the filters (a date range, a grid).",
                n=f"{n:,}",
                max=f"{EXPORT_MAX:,}",
            ),
            code="export_too_large",
        )
    return n


def write_events(session: Session, principal: Principal, stmt: Select, target: str | Path | IO[bytes]) -> int:
    """Write the events of `stmt` (a checked list query), newest first, to an XLSX file; returns how many."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("Events"))
    ws.append([text_cell(ws, h) for h in headers()])
    names = category_names(session)
    places: dict[str, str] = {}
    now = utcnow()
    n = 0
    for batch in repo.in_batches(session, stmt, (Event.id.desc(),), BATCH):
        _learn_places(session, places, batch)
        units = unit_names(session, {e.unit_id for e in batch if e.unit_id})
        for e in batch:
            ws.append([_cell(ws, v) for v in _row(principal, e, names, places, units, now)])
        n += len(batch)
    wb.save(target)
    return n


def _cell(ws, value):
    """A value as it is, except text that a spreadsheet could take for a formula: a text cell (a styled cell
    for every value would cost three times the time of the whole export)."""
    return text_cell(ws, value) if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _learn_places(session: Session, places: dict[str, str], batch: list[Event]) -> None:
    """The names of the batch's places and the areas above them down from the township (one query)."""
    wanted = set()
    for e in batch:
        code = codes.unpad(e.area_code)
        wanted |= {c for c in [*codes.ancestors(code), code] if len(c) >= 9}
    missing = sorted(wanted - places.keys())
    if missing:
        found = area_repo.get_areas(session, missing)
        places.update({c: (found[c].name if c in found else c) for c in missing})


def _row(principal: Principal, e: Event, names: dict, places: dict, units: dict, now) -> list:
    full = sees_personal(principal, e)
    code = codes.unpad(e.area_code)
    at = {len(c): places.get(c, "") for c in [*codes.ancestors(code), code]}
    family = names.get(e.category_code[:2], "")
    category = names.get(e.category_code, e.category_code)
    due = as_utc(e.stage_deadline) if e.stage_deadline is not None and e.state in OPEN_STATES else None
    return [
        e.id,
        e.title if full else contacts.public_text(e.title),
        f"{family} / {category}" if family and family != category else category,
        state_label(e.state),
        at.get(15, ""),
        at.get(12, ""),
        at.get(9, ""),
        e.address,
        as_utc(e.reported_at).astimezone(BEIJING).strftime(TIME),
        units.get(e.unit_id, "") if e.unit_id else "",
        due.astimezone(BEIJING).strftime(TIME) if due else "",
        (t("yes") if due < now else t("no")) if due else "",
        e.me_too_count,
        e.description if full else contacts.public_text(e.description),
    ]


def record_export(session: Session, principal: Principal, code: str, n: int, filters: dict[str, str]) -> None:
    """The audit entry of an export: who, where, how many events and by which filters (no event data)."""
    record(session, principal, "events.export", "area", code, code, after={"events": n, "filters": filters})
