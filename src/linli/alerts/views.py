"""Web pages of warnings: an area's warnings, a warning page with its message chain, and the forms to
issue, update (raise/lower) and lift a warning for those holding warnings.issue; the confirm form for
the workers it was sent to, and its live progress by area (an HTMX fragment polled every 5 s)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from linli.alerts import confirm, repository, service
from linli.alerts.checks import may_issue_type
from linli.alerts.kinds import CAP_VALUE_LABELS, COLOURS, TYPES
from linli.alerts.models import WarningMessage
from linli.alerts.schemas import AreaIn, LiftIn, UpdateIn, WarningIn
from linli.areas.pages import area_in_reach, crumbs, reader_place
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission, refusal
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.db.session import unit_of_work
from linli.kit import codes
from linli.kit.errors import Forbidden, InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import BEIJING
from linli.web.forms import attempt
from linli.web.nav import NavLink, at_first_area
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [NavLink(40, N_("Warnings"), at_first_area(Permission.warnings_read, "/areas/{code}/warnings"))]
READ = Require(Permission.warnings_read)
ISSUE = Require(Permission.warnings_issue)
Reader = Annotated[Principal, Depends(READ)]
Issuer = Annotated[Principal, Depends(ISSUE)]
PAGE = 50
MSG_LABELS = {"Alert": N_("Issued"), "Update": N_("Updated"), "Cancel": N_("Lifted")}


def type_label(key: str) -> str:
    return gettext(TYPES[key].en) if key in TYPES else key


def colour_label(key: str) -> str:
    c = COLOURS.get(key)
    return f"{gettext(c.en)} · {c.level} ({gettext(c.level_en)})" if c else key


def cap_label(value: str) -> str:
    """A value of CAP's closed lists (severity, urgency, certainty, status, scope) in words."""
    label = CAP_VALUE_LABELS.get(value)
    return gettext(label) if label else value


def _choices(principal: Principal | None = None, area_code: str | None = None):
    """The form's choices; with a principal and area, only the warning types they may issue there."""
    offered = [k for k in TYPES if principal is None or area_code is None or may_issue_type(principal, k, [area_code])]
    return {
        "types": [(k, type_label(k)) for k in offered],
        "colours": [(k, colour_label(k)) for k in COLOURS],
        "type_label": type_label,
        "colour_label": colour_label,
        "msg_type_label": lambda m: gettext(MSG_LABELS.get(m.msg_type, m.msg_type)),
        "cap_label": cap_label,
        "cst": BEIJING,
    }


def _when(value: str) -> datetime | None:
    """A datetime-local form value, taken as Beijing time."""
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=BEIJING)
    except ValueError:
        raise InvalidInput(t("{value!r} is not a date and time", value=value)) from None


@router.get("/areas/{code}/warnings", response_class=HTMLResponse)
def warnings_list(code: str, request: Request, principal: Reader, session: DbSession, current: str = ""):
    area = area_in_reach(session, principal, code, Permission.warnings_read)
    # One row per warning (its current message), not per message: an updated, then lifted warning is one.
    items, total = repository.list_messages(
        session, principal, area_code=code, current=True if current == "1" else None, one_per_warning=True, limit=PAGE
    )
    return render(
        request,
        "alerts/list.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "current": current,
            "can_issue": principal.can(Permission.warnings_issue, code),
            "breadcrumb": crumbs(session, principal, area, "warnings"),
            **_choices(),
        },
    )


def _new_page(request, session, principal, area, *, errors=(), form=None, status=200):
    choices = _choices(principal, area.code)
    return render(
        request,
        "alerts/new.html",
        {
            "area": area,
            "errors": list(errors),
            "form": form or {},
            "breadcrumb": crumbs(session, principal, area, "warnings"),
            "tile_url": get_settings().map_tile_url,
            **choices,
            # Some types were left out: the meteorological service's, which this reader may not issue.
            "weather_elsewhere": len(choices["types"]) < len(TYPES),
        },
        status_code=status,
    )


@router.get("/areas/{code}/warnings/new", response_class=HTMLResponse)
def new_form(
    code: str,
    request: Request,
    principal: Issuer,
    session: DbSession,
):
    area = area_in_reach(session, principal, code, Permission.warnings_issue)
    return _new_page(request, session, principal, area, form={"area_codes": code})


@router.post("/areas/{code}/warnings/new", response_class=HTMLResponse)
def issue_form(
    code: str,
    request: Request,
    principal: Issuer,
    session: DbSession,
    sender_name: str = Form(""),
    agency_code: str = Form(""),
    event_type: str = Form(""),
    colour: str = Form(""),
    headline: str = Form(""),
    description: str = Form(""),
    instruction: str = Form(""),
    effective: str = Form(""),
    expires: str = Form(""),
    area_codes: str = Form(""),
    polygon: str = Form(""),
):
    area = area_in_reach(session, principal, code, Permission.warnings_issue)
    form = dict(
        sender_name=sender_name,
        agency_code=agency_code,
        event_type=event_type,
        colour=colour,
        headline=headline,
        description=description,
        instruction=instruction,
        effective=effective,
        expires=expires,
        area_codes=area_codes,
        polygon=polygon,
    )
    with attempt(session) as tried:
        data = WarningIn(
            sender_name=sender_name,
            agency_code=agency_code,
            event_type=event_type,
            colour=colour,
            headline=headline or None,
            description=description,
            instruction=instruction or None,
            effective=_when(effective),
            expires=_when(expires),
            areas=[
                AreaIn(
                    area_desc=area.name,
                    area_codes=area_codes.replace(",", " ").split(),
                    polygons=[polygon.strip()] if polygon.strip() else [],
                )
            ],
        )
        message = service.issue(session, principal, data)
    if tried.refused:
        return _new_page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/warnings/{message.identifier}?done=issued", status_code=303)


def _overdue(request: Request, session, principal, m: WarningMessage, code: str) -> list[confirm.OverdueWorker]:
    """The overdue workers of the progress shown; the phone numbers shown in full in call links are
    audited — on a page read in a short transaction of its own (a read request's does not write)."""
    workers = confirm.overdue_workers(session, principal, m, code)
    if any(w.call for w in workers):
        if request.method in ("GET", "HEAD"):
            with unit_of_work(request.app.state.session_factory) as own:
                confirm.record_phone_reveals(own, principal, m.identifier, workers)
        else:
            confirm.record_phone_reveals(session, principal, m.identifier, workers)
    return workers


def _progress_context(session, principal, m: WarningMessage, asked: str | None, request: Request | None = None):
    code = confirm.progress_area(principal, m, asked)
    if code is None:
        return {"progress": None}
    p = confirm.progress(session, m, code)
    overdue = _overdue(request, session, principal, m, code) if request is not None and p.total.overdue else []
    parent = None
    top = codes.unpad(m.area_code)
    if code != top and len(code) > len(top) and code.startswith(top):
        up = next((a for a in reversed(codes.ancestors(code)) if len(a) >= len(top)), top)
        parent = up if confirm.can_see_progress(principal, up) else None
    return {
        "progress": p,
        "progress_parent": parent,
        "overdue": overdue,
        "kind_labels": confirm.KINDS,
        "channel_label": lambda ch: gettext(confirm.CHANNEL_LABELS.get(ch, ch)),
    }


def _warning_page(request, session, principal, m: WarningMessage, *, errors=(), failed="", status=200, area=None):
    msgs = repository.chain(session, m, principal)
    cov = repository.coverage_of(session, [x.id for x in msgs])
    current = msgs[-1] if msgs else m
    names = repository.area_names(session, cov[m.id])
    can_issue = not current.lifted and may_issue_type(principal, current.event_type, cov[current.id])
    # An official over the place of a meteorological warning: relays and follows it, does not change it.
    relay_only = (
        not current.lifted
        and not can_issue
        and all(principal.can(Permission.warnings_issue, c) for c in cov[current.id])
    )
    recipient = confirm.recipient_area(session, m.thread, principal.user_id)
    mine = repository.confirmations_of(session, m.thread, principal.user_id) if recipient else []
    return render(
        request,
        "alerts/warning.html",
        {
            "m": m,
            "current": current,
            "chain": msgs,
            "areas": [(c, names.get(c, c)) for c in cov[m.id]],
            "can_issue": can_issue,
            "relay_only": relay_only,
            "can_confirm": recipient is not None and not current.lifted,
            "mine": mine,
            "mine_kinds": {c.kind for c in mine if c.message_id == current.id},
            "errors": list(errors),
            "failed": failed,
            **_progress_context(session, principal, m, area, request),
            "kind_labels": confirm.KINDS,
            **_map_of(session, principal, m, recipient),
            **_choices(),
        },
        status_code=status,
    )


MAP_OUTLINES = 20  # a map of more divisions than this reads badly; the list above names them all


def _map_of(session, principal: Principal, m: WarningMessage, recipient: str | None) -> dict:
    """What the warning page's map draws, and its caption saying exactly that: the message's polygons
    and circles (CAP text); the outlines of the areas it names by code that the reader may see; the
    reader's own place (their grid as a recipient, else the area of their grant), when it has one."""
    shapes = repository.areas_of(session, m)
    named = [c for c in repository.geocoded_areas(session, m.id) if principal.visible.contains(c)][:MAP_OUTLINES]
    place = reader_place(session, principal, codes.unpad(recipient) if recipient else None)
    polygons = [p for a in shapes for p in a.polygons]
    circles = [c for a in shapes for c in a.circles]
    caption = []
    if polygons or circles:
        caption.append(t("Red: the area drawn with the warning."))
    if named:
        caption.append(t("Blue lines: the divisions it names."))
    if place is not None and place.has_boundary:
        caption.append(t("Black dashed line: your place, {name}.", name=place.name))
    else:
        place = None
    return {
        "map_polygons": polygons,
        "map_circles": circles,
        "map_outlines": [f"/api/v1/areas/{c}/boundaries?level={codes.level_of(c).value}" for c in named],
        "map_place": f"/api/v1/areas/{place.code}/outlines" if place is not None else "",
        "map_caption": " ".join(caption),
        "tile_url": get_settings().map_tile_url,
    }


@router.get("/warnings/{identifier}", response_class=HTMLResponse)
def warning_page(identifier: str, request: Request, principal: Reader, session: DbSession, area: str = ""):
    m = repository.get_visible(session, principal, identifier)
    return _warning_page(request, session, principal, m, area=area or None)


@router.get("/warnings/{identifier}/progress", response_class=HTMLResponse)
def progress_fragment(identifier: str, request: Request, principal: Reader, session: DbSession, area: str = ""):
    """The progress table alone, polled by the warning page every few seconds."""
    m = repository.get_visible(session, principal, identifier)
    ctx = _progress_context(session, principal, m, area or None)
    if ctx["progress"] is None:
        raise Forbidden(refusal(Permission.deliveries_manage))
    return render(request, "alerts/_progress.html", {"m": m, "oob": True, **ctx})


COORDINATES = N_("longitude and latitude are numbers, e.g. 125.18 and 44.43")


def _coordinates(lon: str, lat: str) -> tuple[float | None, float | None]:
    """The coordinates of a danger found, if both are given."""
    if not (lon.strip() and lat.strip()):
        return None, None
    try:
        return float(lon), float(lat)
    except ValueError:
        raise InvalidInput(t(COORDINATES)) from None


@router.post("/warnings/{identifier}/confirm", response_class=HTMLResponse)
def confirm_form(
    identifier: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    kind: str = Form(""),
    note: str = Form(""),
    lon: str = Form(""),
    lat: str = Form(""),
):
    m = repository.get_visible(session, principal, identifier)
    with attempt(session) as tried:
        x, y = _coordinates(lon, lat)
        confirm.confirm(session, principal, identifier, kind, note=note or None, lon=x, lat=y)
    if isinstance(tried.error, NotFound):
        raise tried.error
    if isinstance(tried.error, ValidationError):  # the event a danger files would not take the note
        return _warning_page(request, session, principal, m, errors=[t(COORDINATES)], failed="confirm", status=422)
    if tried.refused:
        status = tried.error.status  # type: ignore[union-attr]
        return _warning_page(request, session, principal, m, errors=tried.errors, failed="confirm", status=status)
    return RedirectResponse(f"/warnings/{identifier}?done=confirmed#confirm", status_code=303)


@router.post("/warnings/{identifier}/update", response_class=HTMLResponse)
def update_form(
    identifier: str,
    request: Request,
    principal: Issuer,
    session: DbSession,
    colour: str = Form(""),
    headline: str = Form(""),
    description: str = Form(""),
    instruction: str = Form(""),
    expires: str = Form(""),
):
    m = repository.get_visible(session, principal, identifier)
    with attempt(session) as tried:
        changes = UpdateIn(
            colour=colour or None,
            headline=headline or None,
            description=description or None,
            instruction=instruction or None,
            expires=_when(expires),
        )
        new = service.update(session, principal, identifier, changes)
    if tried.refused:
        return _warning_page(request, session, principal, m, errors=tried.errors, failed="update", status=422)
    return RedirectResponse(f"/warnings/{new.identifier}?done=updated", status_code=303)


@router.post("/warnings/{identifier}/lift", response_class=HTMLResponse)
def lift_form(identifier: str, request: Request, principal: Issuer, session: DbSession, description: str = Form("")):
    m = repository.get_visible(session, principal, identifier)
    with attempt(session) as tried:
        new = service.lift(session, principal, identifier, LiftIn(description=description or None))
    if tried.refused:
        return _warning_page(request, session, principal, m, errors=tried.errors, failed="lift", status=422)
    return RedirectResponse(f"/warnings/{new.identifier}?done=lifted", status_code=303)
