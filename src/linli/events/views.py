"""Web pages of grid events: an area's events list, an event page with its timeline, map and steps, a report form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.areas import service as area_service
from linli.areas.models import Area
from linli.authz.deps import Require, get_db
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.events import photos, queries, reporting, service
from linli.events.models import EventCategory
from linli.events.schemas import ReportIn, TransitionIn
from linli.events.workflow import ACTIONS, STATES
from linli.kit.errors import DomainError, InvalidInput
from linli.kit.i18n import gettext, t
from linli.web.labels import N_
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
READ = Require(Permission.events_read)
REPORT = Require(Permission.events_report)
PAGE = 50

STATE_LABELS = {
    "reported": N_("Reported"),
    "registered": N_("Registered"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
    "merged": N_("Merged"),
    "dispatched": N_("Dispatched"),
    "returned": N_("Returned"),
    "accepted": N_("Accepted"),
    "handled": N_("Handled"),
    "verified": N_("Verified"),
    "closed": N_("Closed"),
    "evaluated": N_("Evaluated"),
}
ACTION_LABELS = {
    "report": N_("Report"),
    "register": N_("Register"),
    "reject": N_("Reject"),
    "cancel": N_("Cancel"),
    "merge": N_("Merge"),
    "dispatch": N_("Dispatch"),
    "accept": N_("Accept"),
    "return": N_("Return"),
    "handle": N_("Handle"),
    "verify": N_("Verify"),
    "close": N_("Close"),
    "evaluate": N_("Evaluate"),
    "reopen": N_("Reopen"),
    "supervise": N_("Supervise"),
    "me_too": N_("Me too"),
    "escalate": N_("Escalate"),
}


def state_label(state: str | None) -> str:
    return gettext(STATE_LABELS[state]) if state in STATE_LABELS else (state or "")


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def _crumbs(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    try:
        trail = [
            {"name": a.name, "href": f"/areas/{a.code}"} for a in area_service.breadcrumb(session, principal, area.code)
        ]
    except DomainError:
        trail = []
    return [*trail, {"name": area.name, "href": f"/areas/{area.code}/events"}]


def _categories(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(EventCategory.code, EventCategory.name)
        .where(EventCategory.parent_code.is_not(None), EventCategory.active.is_(True))
        .order_by(EventCategory.code)
    ).all()
    return [(c, n) for c, n in rows]


def _all_categories(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(EventCategory.code, EventCategory.name, EventCategory.parent_code)
        .where(EventCategory.active.is_(True))
        .order_by(EventCategory.code)
    ).all()
    return [(c, n if p is None else f"— {n}") for c, n, p in rows]


def _error_lines(exc: DomainError) -> list[str]:
    return [exc.message]


@router.get("/areas/{code}/events", response_class=HTMLResponse)
def events_list(
    code: str,
    request: Request,
    state: str = Query(""),
    category: str = Query(""),
    overdue: str = Query(""),
    page: int = Query(1, ge=1),
    principal: Principal = Depends(READ),
    session: Session = Depends(get_db, scope="function"),
):
    area = queries.check_area(session, principal, code)
    error = ""
    items: list = []
    total = 0
    try:
        items, total = queries.list_events(
            session,
            principal,
            area_code=code,
            states=[state] if state else [],
            category=category or None,
            unit_id=None,
            overdue=True if overdue == "1" else None,
            mine=False,
            offset=(page - 1) * PAGE,
            limit=PAGE,
        )
    except DomainError as exc:
        error = exc.message
    filters = {"state": state, "category": category, "overdue": overdue}
    base = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "events/list.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "filters": filters,
            "filter_query": base,
            "error": error,
            "states": [(s, state_label(s)) for s in STATES],
            "categories": _all_categories(session),
            "state_label": state_label,
            "breadcrumb": _crumbs(session, principal, area),
            "can_report": principal.can(Permission.events_report, code),
        },
        status_code=422 if error else 200,
    )


def _event_context(session: Session, principal: Principal, event_id: int) -> dict[str, Any]:
    ev = service.detail(session, principal, event_id)
    area = session.get(Area, ev.area_code)
    crumbs = _crumbs(session, principal, area) if area is not None else []
    return {
        "ev": ev,
        "area": area,
        "state_label": state_label,
        "action_label": action_label,
        "actions": [(a, action_label(a), ACTIONS[a].requires) for a in ev.allowed_actions or []],
        "breadcrumb": [*crumbs, {"name": f"#{ev.id} {ev.title}", "href": ""}],
        "tile_url": get_settings().map_tile_url,
        "errors": [],
        "failed_action": "",
    }


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    event_id: int,
    request: Request,
    principal: Principal = Depends(READ),
    session: Session = Depends(get_db, scope="function"),
):
    return render(request, "events/event.html", _event_context(session, principal, event_id))


def _opt_int(value: str, what: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(t("{what} must be a whole number.", what=what)) from None


@router.post("/events/{event_id}/step", response_class=HTMLResponse)
def event_step(
    event_id: int,
    request: Request,
    action: str = Form(""),
    reason: str = Form(""),
    note: str = Form(""),
    report: str = Form(""),
    unit_id: str = Form(""),
    into_id: str = Form(""),
    passed: str = Form(""),
    satisfaction: str = Form(""),
    comment: str = Form(""),
    principal: Principal = Depends(READ),
    session: Session = Depends(get_db, scope="function"),
):
    try:
        try:
            body = TransitionIn(
                action=action,
                reason=reason.strip() or None,
                note=note.strip() or None,
                report=report.strip() or None,
                unit_id=_opt_int(unit_id, "unit_id"),
                into_id=_opt_int(into_id, "into_id"),
                passed={"yes": True, "no": False}.get(passed),
                satisfaction=_opt_int(satisfaction, "satisfaction"),
                comment=comment.strip() or None,
            )
        except ValidationError as exc:
            raise InvalidInput("; ".join(e["msg"] for e in exc.errors())) from None
        service.transition(session, principal, event_id, body)
    except DomainError as exc:
        session.rollback()
        ctx = _event_context(session, principal, event_id)
        ctx.update(errors=_error_lines(exc), failed_action=action)
        return render(request, "events/event.html", ctx, status_code=exc.status)
    return RedirectResponse(f"/events/{event_id}?done={action}", status_code=303)


# --- reporting ---------------------------------------------------------------------------------


def _report_page(request, session, principal, area, form: dict, errors=None, status=200):
    return render(
        request,
        "events/new.html",
        {
            "area": area,
            "form": {"category_code": "", "title": "", "description": "", "lon": "", "lat": "", "address": "", **form},
            "categories": _categories(session),
            "errors": errors or [],
            "breadcrumb": [*_crumbs(session, principal, area), {"name": t("Report an event"), "href": ""}],
            "tile_url": get_settings().map_tile_url,
        },
        status_code=status,
    )


@router.get("/areas/{code}/events/new", response_class=HTMLResponse)
def report_form(
    code: str,
    request: Request,
    principal: Principal = Depends(REPORT),
    session: Session = Depends(get_db, scope="function"),
):
    area = queries.check_area(session, principal, code)
    principal.check(Permission.events_report, code, what=t("area {code}", code=code))
    return _report_page(request, session, principal, area, {})


def _opt_float(value: str, what: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise InvalidInput(t("{what} must be a number.", what=what)) from None


@router.post("/areas/{code}/events/new", response_class=HTMLResponse)
async def report_submit(
    code: str,
    request: Request,
    category_code: str = Form(""),
    title: str = Form(""),
    description: str = Form(""),
    lon: str = Form(""),
    lat: str = Form(""),
    address: str = Form(""),
    photo: UploadFile | None = File(None),
    principal: Principal = Depends(REPORT),
    session: Session = Depends(get_db, scope="function"),
):
    area = queries.check_area(session, principal, code)
    form = {
        "category_code": category_code,
        "title": title,
        "description": description,
        "lon": lon,
        "lat": lat,
        "address": address,
    }
    try:
        if not title.strip():
            raise InvalidInput(t("Give the event a short title."))
        photo_ids = []
        if photo is not None and photo.filename:
            limit = get_settings().event_photo_max_bytes
            raw = await photo.read(limit + 1)
            photo_ids.append(photos.upload(session, principal, raw).id)
        try:
            body = ReportIn(
                category_code=category_code,
                title=title.strip(),
                description=description,
                lon=_opt_float(lon, t("Longitude")),
                lat=_opt_float(lat, t("Latitude")),
                address=address,
                photo_ids=photo_ids,
            )
        except ValidationError as exc:
            raise InvalidInput("; ".join(e["msg"] for e in exc.errors())) from None
        done = reporting.report(session, principal, body)
    except DomainError as exc:
        session.rollback()
        return _report_page(request, session, principal, area, form, _error_lines(exc), status=exc.status)
    return RedirectResponse(f"/events/{done.event.id}?reported=1", status_code=303)
