"""An area's events pages: the counts by state per child area, the map of open events (the filtered list is
in .listing)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.events.repository import reads
from linli.events.schemas import StatsRow
from linli.events.workflow import OPEN_STATES, STATES
from linli.kit.i18n import t
from linli.web.templating import render

from .common import PAGE, Reader, crumbs, state_label

router = APIRouter(include_in_schema=False)
CHART_BARS = 40  # more children than this make an unreadable chart; the table lists them all


def links(principal: Principal, code: str) -> dict[str, bool]:
    """Which of the area's events pages to link to (the units page needs a right to see a queue)."""
    return {
        "can_report": principal.can(Permission.events_report, code),
        "can_queues": principal.can(Permission.events_handle, code) or principal.can(Permission.events_manage, code),
    }


def _percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def _chart(children: list[StatsRow]) -> dict:
    """Stacked bars per child area: finished, open on time, overdue (the table has the same numbers)."""
    rows = children[:CHART_BARS]
    return {
        "names": [c.name for c in rows],
        "series": [
            {"name": t("Finished"), "color": "#6b6f73", "data": [c.total - c.open for c in rows]},
            {"name": t("Open, on time"), "color": "#0a4f99", "data": [c.open - c.overdue for c in rows]},
            {"name": t("Overdue"), "color": "#a1000f", "data": [c.overdue for c in rows]},
        ],
    }


@router.get("/areas/{code}/events/counts", response_class=HTMLResponse)
def events_counts(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
):
    stats = reads.stats(session, principal, code)
    area = reads.check_area(session, principal, code)
    rows = [stats.area, *stats.children]
    # Only the states that occur get a column: twelve mostly empty columns do not fit a phone.
    shown = [s for s in STATES if any(r.by_state.get(s) for r in rows)]
    return render(
        request,
        "events/counts.html",
        {
            "area": area,
            "stats": stats,
            "states": [(s, state_label(s)) for s in shown],
            "percent": _percent,
            "child_has_counts": lambda c: len(c) < 15,
            "chart": _chart(stats.children) if stats.children else None,
            "breadcrumb": [*crumbs(session, principal, area), {"name": t("Counts"), "href": ""}],
            **links(principal, code),
        },
    )


@router.get("/areas/{code}/events/map", response_class=HTMLResponse)
def events_map(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
):
    area = reads.check_area(session, principal, code)
    # The first page of the same events as text: what a screen reader (or a browser without scripts) gets.
    items, total = reads.list_events(
        session,
        principal,
        area_code=code,
        states=list(OPEN_STATES),
        category=None,
        unit_id=None,
        overdue=None,
        mine=False,
        offset=0,
        limit=PAGE,
    )
    labels = {s: state_label(s) for s in STATES}
    labels.update(overdue=t("overdue"), on_time=t("on time"), open_event=t("Open the event page"))
    return render(
        request,
        "events/map.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "source": f"/api/v1/events/map-points?area={area.code}",
            "outlines_url": f"/api/v1/areas/{area.code}/outlines",
            "labels": labels,
            "tile_url": get_settings().map_tile_url,
            "state_label": state_label,
            "breadcrumb": [*crumbs(session, principal, area), {"name": t("Map"), "href": ""}],
            **links(principal, code),
        },
    )
