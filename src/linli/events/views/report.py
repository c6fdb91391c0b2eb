"""The report form: category, title, a point on the map (or a photo with its GPS position). Before a report
is filed the reporter sees the open reports near the point ("me too" instead of a duplicate): as a fragment
fetched when the point changes, and, without scripts, as a step of the form's post."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from linli.areas.pages import reader_place
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.config import get_settings
from linli.events import photos, pickers, reporting
from linli.events import repository as repo
from linli.events.repository import reads
from linli.events.schemas import ReportIn
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.residents import accounts
from linli.web.forms import attempt
from linli.web.templating import render

from .common import Reporter, crumbs, error_lines, state_label

router = APIRouter(include_in_schema=False)


EMPTY_FORM = {
    "category_code": "",
    "title": "",
    "description": "",
    "lon": "",
    "lat": "",
    "address": "",
    "photo_id": "",
    "nearby_seen": "",
}


def _focus(session, principal, area):
    """Where the report form's map starts: the page's grid, else the reporter's own grid (a resident's
    registration) when it lies in the page's area, else the page's area."""
    if area.level != "grid":
        own = accounts.home_grid(session, principal)
        if own and own.startswith(area.code) and principal.can(Permission.events_report, own):
            return reader_place(session, principal, own) or area
    return area


def _report_page(request, session, principal, area, form: dict, errors=None, status=200, nearby=None):
    focus = _focus(session, principal, area)
    return render(
        request,
        "events/new.html",
        {
            "area": area,
            "form": {**EMPTY_FORM, **form},
            "categories": repo.active_subcategories(session),
            "errors": errors or [],
            "nearby": nearby,
            "state_label": state_label,
            "radius": round(get_settings().event_duplicate_radius_m),
            "breadcrumb": [*crumbs(session, principal, area), {"name": t("Report an event"), "href": ""}],
            "tile_url": get_settings().map_tile_url,
            "focus": focus,
            "outlines_url": f"/api/v1/areas/{focus.code}/outlines",
        },
        status_code=status,
    )


def _seen_key(lon: float, lat: float, category: str) -> str:
    """What the nearby reports were shown for: the point (to about a metre) and the category."""
    return f"{lon:.5f},{lat:.5f},{category}"


@router.get("/areas/{code}/events/nearby", response_class=HTMLResponse)
def nearby_fragment(
    code: str,
    request: Request,
    principal: Reporter,
    session: DbSession,
    lon: str = Query("", max_length=30),
    lat: str = Query("", max_length=30),
    category_code: str = Query("", max_length=10),
):
    """The open reports near a point, as the piece of the report form that lists them (fetched by htmx when
    the point or the category changes); empty while the point is incomplete or not a number."""
    reads.check_area(session, principal, code)
    found, key = None, ""
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        x = y = None
    if x is not None and -180 <= x <= 180 and -90 <= y <= 90:
        found = pickers.report_nearby(session, principal, x, y, category_code.strip())
        key = _seen_key(x, y, category_code.strip())
    context = {"nearby": found, "seen_key": key, "state_label": state_label, "oob": True}
    context["radius"] = round(get_settings().event_duplicate_radius_m)
    return render(request, "events/_nearby.html", context)


@router.get("/areas/{code}/events/new", response_class=HTMLResponse)
def report_form(
    code: str,
    request: Request,
    principal: Reporter,
    session: DbSession,
):
    area = reads.check_area(session, principal, code)
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
    principal: Reporter,
    session: DbSession,
    category_code: str = Form(""),
    title: str = Form(""),
    description: str = Form(""),
    lon: str = Form(""),
    lat: str = Form(""),
    address: str = Form(""),
    photo: UploadFile | None = File(None),
    photo_id: str = Form("", max_length=20),
    nearby_seen: str = Form("", max_length=100),
):
    area = reads.check_area(session, principal, code)
    form = {
        "category_code": category_code,
        "title": title,
        "description": description,
        "lon": lon,
        "lat": lat,
        "address": address,
        "photo_id": photo_id,
        "nearby_seen": nearby_seen,
    }
    nearby, done = None, None
    with attempt(session) as tried:
        if not title.strip():
            raise InvalidInput(t("Give the event a short title."))
        photo_ids = [int(photo_id)] if photo_id.strip().isdigit() else []
        if photo is not None and photo.filename:
            limit = get_settings().event_photo_max_bytes
            raw = await photo.read(limit + 1)
            photo_ids = [photos.upload(session, principal, raw).id]
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
        draft = reporting.prepare(session, principal, body, source="web")
        point = (draft.event.lon, draft.event.lat, draft.event.category_code)
        if nearby_seen != _seen_key(*point):
            nearby = pickers.report_nearby(session, principal, *point)
        if not nearby:
            done = reporting.file(session, draft)
    if tried.refused:  # (a photo uploaded by this post went with the savepoint; one kept from a step stays)
        return _report_page(request, session, principal, area, form, error_lines(tried.error), tried.error.status)
    if done is None:
        # The step before filing: the open reports nearby, each with "me too"; posting again files the report.
        form.update(photo_id=str(photo_ids[0]) if photo_ids else "", nearby_seen=_seen_key(*point))
        return _report_page(request, session, principal, area, form, nearby=nearby)
    return RedirectResponse(f"/events/{done.event.id}?reported=1", status_code=303)
