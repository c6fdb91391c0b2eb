"""The event page (details, timeline, map), its step forms, the supervision note (督办) and "me too"."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.duties import repository as duties
from linli.events import contacts, pickers, reporting, service
from linli.events.repository import reads
from linli.events.schemas import ContactOut, NoteIn, TransitionIn
from linli.events.workflow import ACTIONS, OPEN_STATES
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.web.forms import Attempt, attempt
from linli.web.templating import render

from .common import Manager, Reader, Reporter, action_label, crumbs, error_lines, source_label, state_label

router = APIRouter(include_in_schema=False)


def _responsibility(session: Session, principal: Principal, ev) -> dict[str, Any] | None:
    """What the responsibility list of the event's street or township says of its category: the duty it
    discharges (who is responsible), or that the list holds none, so that a unit of the township sent it
    would carry a duty pushed down without a list entry. None where the township has no list."""
    town = codes.township_of(ev.area_code)
    if town is None or duties.list_at(session, town) is None:
        return None
    return {
        "town": town,
        "duty": duties.duty_for_category(session, town, ev.category_code),
        "readable": principal.can(Permission.duties_read, town),
    }


def _event_context(
    session: Session, principal: Principal, event_id: Id, *, revealed: ContactOut | None = None, unit_q: str = ""
) -> dict[str, Any]:
    ev = service.detail(session, principal, event_id)
    allowed = ev.allowed_actions or []
    area = reads.area(session, ev.area_code)
    trail = crumbs(session, principal, area) if area is not None else []
    is_open = ev.state in OPEN_STATES and ev.merged_into_id is None
    is_reporter = principal.user_id is not None and principal.user_id == ev.reporter_id
    return {
        "ev": ev,
        "area": area,
        "state_label": state_label,
        "source_label": source_label,
        "action_label": action_label,
        "actions": [(a, action_label(a), ACTIONS[a].requires) for a in ev.allowed_actions or []],
        "breadcrumb": [*trail, {"name": f"#{ev.id} {ev.title}", "href": ""}],
        "tile_url": get_settings().map_tile_url,
        # The two forms that do not change the state: a supervision note, and "me too" for others
        # who have the same problem (the reporter has no use for it).
        "can_supervise": is_open and principal.can(Permission.events_manage, ev.area_code),
        "can_me_too": is_open and not is_reporter and principal.can(Permission.events_report, ev.area_code),
        # The masked contact can be shown in full (audited) to those who must call the reporter back.
        "can_reveal_contact": not is_reporter
        and revealed is None
        and bool(ev.contact_phone or ev.contact_email)
        and contacts.may_reveal(session, principal, service.get_event(session, principal, event_id)),
        "revealed": revealed,
        "responsibility": _responsibility(session, principal, ev),
        # Pickers instead of typed ids: the units to dispatch to, by area; the open events nearby to merge into.
        "unit_groups": pickers.dispatch_choices(session, principal, event_id, unit_q) if "dispatch" in allowed else [],
        "unit_q": unit_q,
        "merge_choices": pickers.merge_choices(session, principal, event_id) if "merge" in allowed else [],
        "merge_radius": int(pickers.MERGE_RADIUS_M),
        "errors": [],
        "chosen_unit": "",
        "chosen_into": "",
        "failed_action": "",
        "note": "",
    }


def _form_failed(
    request: Request, session: Session, principal: Principal, event_id: Id, action: str, tried: Attempt, **form
):
    """The event page again with the error next to the form that failed; the step changed nothing."""
    ctx = _event_context(session, principal, event_id)
    ctx.update(errors=error_lines(tried.error), failed_action=action, **form)
    return render(request, "events/event.html", ctx, status_code=tried.error.status)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    event_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
    unit_q: str = Query("", max_length=100),
):
    return render(request, "events/event.html", _event_context(session, principal, event_id, unit_q=unit_q))


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
    event_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
    action: str = Form(""),
    reason: str = Form(""),
    note: str = Form(""),
    report: str = Form(""),
    unit_id: str = Form(""),
    into_id: str = Form(""),
    passed: str = Form(""),
    satisfaction: str = Form(""),
    comment: str = Form(""),
):
    with attempt(session) as tried:
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
    if tried.refused:
        chosen = {"chosen_unit": unit_id.strip(), "chosen_into": into_id.strip()}
        return _form_failed(request, session, principal, event_id, action, tried, **chosen)
    return RedirectResponse(f"/events/{event_id}?done={action}", status_code=303)


@router.post("/events/{event_id}/contact", response_class=HTMLResponse)
def reveal_contact(
    event_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
):
    """The event page with the reporter's phone and e-mail in clear, this once (audited, not cached)."""
    revealed = service.reveal_contact(session, principal, event_id)
    response = render(request, "events/event.html", _event_context(session, principal, event_id, revealed=revealed))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/events/{event_id}/supervise", response_class=HTMLResponse)
def supervise(
    event_id: Id,
    request: Request,
    principal: Manager,
    session: DbSession,
    note: str = Form(""),
):
    with attempt(session) as tried:
        service.get_event(session, principal, event_id)  # an unknown event is 404 before a bad note is 422
        try:
            body = NoteIn(note=note.strip())
        except ValidationError:
            raise InvalidInput(t("Write the supervision note (at most 2000 characters).")) from None
        service.supervise(session, principal, event_id, body.note)
    if tried.refused:
        return _form_failed(request, session, principal, event_id, "supervise", tried, note=note)
    return RedirectResponse(f"/events/{event_id}?done=supervise", status_code=303)


@router.post("/events/{event_id}/me-too", response_class=HTMLResponse)
def me_too(
    event_id: Id,
    request: Request,
    principal: Reporter,
    session: DbSession,
):
    with attempt(session) as tried:
        reporting.me_too(session, principal, event_id)
    if tried.refused:
        return _form_failed(request, session, principal, event_id, "me_too", tried)
    return RedirectResponse(f"/events/{event_id}?done=me_too", status_code=303)
