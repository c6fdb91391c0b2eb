"""An area's event list with its filters (state, category, overdue, text, reported between two dates, grid),
kept in the URL and its pages, and the same list as an XLSX file (audited)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from linli.authz.deps import DbSession
from linli.authz.principal import Principal
from linli.db.session import unit_of_work
from linli.events import export
from linli.events import repository as repo
from linli.events.repository import reads
from linli.events.workflow import STATES
from linli.kit import codes
from linli.kit.errors import DomainError, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING
from linli.kit.types import PageNumber
from linli.web import display
from linli.web.templating import render

from .area import links
from .common import PAGE, Reader, crumbs, pages, state_label

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRID_OPTIONS = 300  # more grids than this make a select nobody can use: narrow to a street or community first


@dataclass(frozen=True)
class Filters:
    """The list's filters as typed (the URL's parameters, `from`/`to` as YYYY-MM-DD in Beijing time)."""

    state: str = ""
    category: str = ""
    overdue: str = ""
    q: str = ""
    grid: str = ""
    date_from: str = ""
    date_to: str = ""

    def query(self) -> str:
        """The URL's query string of the filters set (for the pages' and the export's links)."""
        names = {"date_from": "from", "date_to": "to"}
        return urlencode({names.get(k, k): v for k, v in asdict(self).items() if v})

    def audit(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


def _day(value: str, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            t("{what}: {value!r} is not a date; write it as 2026-12-04.", what=what, value=value)
        ) from None


def _beijing_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BEIJING)


def _query(session: Session, principal: Principal, code: str, f: Filters):
    """The checked query of the list: the grid must lie under the area and in the reader's scope (404)."""
    start, end = _day(f.date_from, t("Reported from")), _day(f.date_to, t("Reported until"))
    if start and end and start > end:
        raise InvalidInput(
            t("The first date is after the second: the range {start} to {end} is empty.", start=start, end=end)
        )
    place = code
    if f.grid:
        if len(f.grid) != 15 or not codes.is_valid(f.grid) or not codes.is_ancestor(code, f.grid):
            raise NotFound(t("area {code} does not exist", code=f.grid))
        place = f.grid
    return reads.filtered_events(
        session,
        principal,
        area_code=place,
        states=[f.state] if f.state else [],
        category=f.category or None,
        overdue=True if f.overdue == "1" else None,
        text=f.q.strip() or None,
        since=_beijing_midnight(start) if start else None,
        until=_beijing_midnight(end + timedelta(days=1)) if end else None,
    )


def _filters(
    state: str = Query(""),
    category: str = Query(""),
    overdue: str = Query(""),
    q: str = Query("", max_length=100),
    grid: str = Query("", max_length=15),
    date_from: str = Query("", alias="from", max_length=10),
    date_to: str = Query("", alias="to", max_length=10),
) -> Filters:
    """The filters from the URL (a dependency of the list and its export)."""
    return Filters(state, category, overdue, q.strip(), grid.strip(), date_from.strip(), date_to.strip())


ListFilters = Annotated[Filters, Depends(_filters)]


@router.get("/areas/{code}/events", response_class=HTMLResponse)
def events_list(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    f: ListFilters,
    page: PageNumber = Query(1),
):
    area = reads.check_area(session, principal, code)
    error, status, items, total = "", 200, [], 0
    try:
        rows, total = repo.page(session, _query(session, principal, code, f), (page - 1) * PAGE, PAGE, reads.NEWEST)
        items = reads.outs(session, principal, rows)
    except DomainError as exc:
        error, status = exc.message, exc.status
    grids = reads.grid_options(session, principal, code, GRID_OPTIONS + 1) if len(code) < 15 else []
    display.prefetch(request, (e.area_code for e in items))
    return render(
        request,
        "events/list.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "page": page,
            "pages": pages(total),
            "filters": f,
            "filter_query": f.query(),
            "error": error,
            "states": [(s, state_label(s)) for s in STATES],
            "categories": [(c, n if p is None else f"— {n}") for c, n, p in repo.active_categories(session)],
            "grids": grids if len(grids) <= GRID_OPTIONS else None,
            "can_export": not error and 0 < total <= export.EXPORT_MAX,
            "export_max": export.EXPORT_MAX,
            "state_label": state_label,
            "breadcrumb": crumbs(session, principal, area),
            **links(principal, code),
        },
        status_code=status,
    )


@router.get("/areas/{code}/events.xlsx")
async def events_export(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    f: ListFilters,
):
    """The filtered list as XLSX. The rows are read in the request's read transaction and the audit entry is
    written in a short one of its own once the file is complete (as the residents' export: on SQLite a long
    read cannot turn into a write once another writer has committed)."""
    stmt = _query(session, principal, code, f)
    export.check_size(session, stmt)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        n = await run_in_threadpool(export.write_events, session, principal, stmt, path)
        await run_in_threadpool(_record_alone, request, principal, code, n, f.audit())
    except BaseException:
        os.unlink(path)
        raise
    name = f"events-{code}-{datetime.now(BEIJING):%Y%m%d-%H%M}.xlsx"
    return FileResponse(path, media_type=XLSX, filename=name, background=BackgroundTask(os.unlink, path))


def _record_alone(request: Request, principal: Principal, code: str, n: int, filters: dict[str, str]) -> None:
    with unit_of_work(request.app.state.session_factory) as session:
        export.record_export(session, principal, code, n, filters)
