"""Handling units' pages: the units of an area to pick one, and a unit's work queue (phone-first)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from linli.areas.pages import area_trail
from linli.authz.deps import DbSession
from linli.events import catalog
from linli.events.repository import reads
from linli.events.schemas import DeadlineOut
from linli.kit import codes
from linli.kit.i18n import t
from linli.kit.types import Id, PageNumber
from linli.web import display
from linli.web.templating import render

from .common import PAGE, Reader, Verifier, crumbs, pages, state_label, unit_kind_label

router = APIRouter(include_in_schema=False)


def time_left(deadline: DeadlineOut | None) -> str:
    """The time left (or overdue) in working hours, as a person reads it."""
    if deadline is None:
        return ""
    hours = abs(deadline.remaining_working_hours)
    amount = f"{hours:.0f}" if hours >= 10 else f"{hours:.1f}"
    if deadline.overdue:
        return t("overdue by {hours} working hours", hours=amount)
    return t("{hours} working hours left", hours=amount)


@router.get("/areas/{code}/units", response_class=HTMLResponse)
def units_page(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    page: PageNumber = Query(1),
):
    units, total = reads.units_of_area(session, principal, code, (page - 1) * PAGE, PAGE)
    area = reads.area(session, code)
    return render(
        request,
        "events/units.html",
        {
            "area": area,
            "units": units,
            "mine": reads.my_units(session, principal),
            "total": total,
            "page": page,
            "pages": pages(total, PAGE),
            "unpad": codes.unpad,
            "unit_kind_label": unit_kind_label,
            "breadcrumb": [
                *area_trail(session, principal, area),
                {"name": area.name, "href": f"/areas/{code}"},
                {"name": t("Handling units"), "href": ""},
            ],
        },
    )


@router.get("/units/{unit_id}/queue", response_class=HTMLResponse)
def queue_page(
    unit_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
    page: PageNumber = Query(1),
):
    unit = catalog.get_unit(session, principal, unit_id)
    items, total = reads.unit_queue(session, principal, unit_id, (page - 1) * PAGE, PAGE)
    area = reads.area(session, codes.unpad(unit.area_code))
    trail = area_trail(session, principal, area) if area is not None else []
    if area is not None:
        trail.append({"name": area.name, "href": f"/areas/{area.code}"})
        trail.append({"name": t("Handling units"), "href": f"/areas/{area.code}/units"})
    display.prefetch(request, (e.area_code for e in items))
    return render(
        request,
        "events/queue.html",
        {
            "unit": unit,
            "kind": unit_kind_label(unit.kind),
            "items": items,
            "total": total,
            "page": page,
            "pages": pages(total, PAGE),
            "first": (page - 1) * PAGE + 1,
            "time_left": time_left,
            "state_label": state_label,
            "breadcrumb": [*trail, {"name": unit.name, "href": ""}],
        },
    )


@router.get("/areas/{code}/events/verify", response_class=HTMLResponse)
def verification_queue(
    code: str,
    request: Request,
    principal: Verifier,
    session: DbSession,
    page: PageNumber = Query(1),
):
    """The handled events waiting for the on-site check where the reader verifies, the nearest deadline
    first: each one tap from its verify form (made for a grid worker's phone)."""
    items, total = reads.verification_queue(session, principal, code, (page - 1) * PAGE, PAGE)
    area = reads.area(session, code)
    return render(
        request,
        "events/verify_queue.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "page": page,
            "pages": pages(total, PAGE),
            "first": (page - 1) * PAGE + 1,
            "time_left": time_left,
            "breadcrumb": [*crumbs(session, principal, area), {"name": t("To verify"), "href": ""}],
        },
    )
