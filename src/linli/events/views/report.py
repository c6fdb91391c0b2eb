"""The report form: category, title, a point on the map (or a photo with its GPS position)."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from linli.areas.pages import reader_place
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.config import get_settings
from linli.events import photos, reporting
from linli.events import repository as repo
from linli.events.repository import reads
from linli.events.schemas import ReportIn
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.residents import accounts
from linli.web.forms import attempt
from linli.web.templating import render

from .common import Reporter, crumbs, error_lines

router = APIRouter(include_in_schema=False)


def _focus(session, principal, area):
    """Where the report form's map starts: the page's grid, else the reporter's own grid (a resident's
    registration) when it lies in the page's area, else the page's area."""
    if area.level != "grid":
        own = accounts.home_grid(session, principal)
        if own and own.startswith(area.code) and principal.can(Permission.events_report, own):
            return reader_place(session, principal, own) or area
    return area


def _report_page(request, session, principal, area, form: dict, errors=None, status=200):
    focus = _focus(session, principal, area)
    return render(
        request,
        "events/new.html",
        {
            "area": area,
            "form": {"category_code": "", "title": "", "description": "", "lon": "", "lat": "", "address": "", **form},
            "categories": repo.active_subcategories(session),
            "errors": errors or [],
            "breadcrumb": [*crumbs(session, principal, area), {"name": t("Report an event"), "href": ""}],
            "tile_url": get_settings().map_tile_url,
            "focus": focus,
            "outlines_url": f"/api/v1/areas/{focus.code}/outlines",
        },
        status_code=status,
    )


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
):
    area = reads.check_area(session, principal, code)
    form = {
        "category_code": category_code,
        "title": title,
        "description": description,
        "lon": lon,
        "lat": lat,
        "address": address,
    }
    with attempt(session) as tried:
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
        done = reporting.report(session, principal, body, source="web")
    if tried.refused:
        return _report_page(request, session, principal, area, form, error_lines(tried.error), tried.error.status)
    return RedirectResponse(f"/events/{done.event.id}?reported=1", status_code=303)
