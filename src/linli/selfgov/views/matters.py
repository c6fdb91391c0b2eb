"""A matter's page: its six steps with their meetings and disclosures, the form of its next step, and the
township's suspension and resumption."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import crumbs
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.selfgov import repository as repo
from linli.selfgov.models import STEPS
from linli.selfgov.schemas import Step, StepIn
from linli.selfgov.service import disclosures, matters, meetings
from linli.selfgov.views.common import Reader, Supervisor, Writer, day, helpers, required_day
from linli.selfgov.views.places import meeting_form, meeting_in
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _page(request, session, principal, matter_id, *, errors=(), form=None, status=200):
    m = repo.matter_readable(session, principal, matter_id)
    area = repo.area_of(session, m.area_code)
    steps = repo.steps_of(session, m.id)
    linked = {mt.id: mt for mt in repo.meetings_of_matter(session, m.id)}
    kinds = [
        k
        for k in matters.STEP_MEETINGS.get(m.step, ())
        if k in (meetings.COMMUNITY_KINDS if area.kind == "community" else meetings.VILLAGE_KINDS)
    ]
    ctx = {
        "m": m,
        "area": area,
        "steps": steps,
        "linked": linked,
        "step_names": list(range(len(STEPS))),
        "next_kinds": kinds,
        "next_needs_meeting": m.step in matters.STEP_MEETINGS,
        "next_meeting": steps.get(m.step) and linked.get(steps[m.step].meeting_id),
        "disclosure_step": m.step in matters.DISCLOSURE_STEPS,
        "board": disclosures.has_board(session, m),
        "items": {i: disclosures.linked_item(session, steps.get(i)) for i in matters.DISCLOSURE_STEPS},
        "consultations": disclosures.consultations_of(session, m),
        "suspensions": repo.suspensions_of(session, m.id),
        "can_write": principal.can(Permission.selfgov_write, m.area_code),
        "can_supervise": principal.can(Permission.selfgov_supervise, m.area_code),
        "suspension_kinds": list(matters.SUSPENSION_LABELS),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "selfgov"),
        **helpers(),
    }
    return render(request, "selfgov/matter.html", ctx, status_code=status)


@router.get("/selfgov/matters/{matter_id}", response_class=HTMLResponse)
def matter_page(matter_id: Id, request: Request, principal: Reader, session: DbSession):
    return _page(request, session, principal, matter_id)


@router.post("/selfgov/matters/{matter_id}/meetings", response_class=HTMLResponse)
def call_step_meeting(
    matter_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    kind: str = Form(""),
    base: str = Form(""),
    title: str = Form(""),
    place: str = Form(""),
    notice_on: str = Form(""),
    held_on: str = Form(""),
    materials_on: str = Form(""),
    official: str = Form(""),
):
    m = repo.matter_readable(session, principal, matter_id)
    form = meeting_form(kind, base, title, place, notice_on, held_on, materials_on, official, "")
    with attempt(session) as tried:
        meeting = matters.call_step_meeting(session, principal, m.id, meeting_in(codes.unpad(m.area_code), form, m.id))
    if tried.refused:
        return _page(request, session, principal, matter_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/selfgov/meetings/{meeting.id}", status_code=303)


@router.post("/selfgov/matters/{matter_id}/steps/{step}", response_class=HTMLResponse)
def complete_step(
    matter_id: Id,
    step: Step,
    request: Request,
    principal: Writer,
    session: DbSession,
    done_on: str = Form(""),
    note: str = Form(""),
    disclosed_on: str = Form(""),
    disclosure_place: str = Form(""),
    disclosure_ref: str = Form(""),
):
    form = {
        "done_on": done_on,
        "note": note,
        "disclosed_on": disclosed_on,
        "disclosure_place": disclosure_place,
        "disclosure_ref": disclosure_ref,
    }
    with attempt(session) as tried:
        data = StepIn(
            done_on=required_day(done_on, "done on"),
            note=note,
            disclosed_on=day(disclosed_on, "disclosed on"),
            disclosure_place=disclosure_place,
            disclosure_ref=disclosure_ref or None,
        )
        matters.complete(session, principal, matter_id, step, data)
    if tried.refused:
        return _page(request, session, principal, matter_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/selfgov/matters/{matter_id}", status_code=303)


@router.post("/selfgov/matters/{matter_id}/suspend", response_class=HTMLResponse)
def suspend(
    matter_id: Id,
    request: Request,
    principal: Supervisor,
    session: DbSession,
    kind: str = Form(""),
    reason: str = Form(""),
):
    with attempt(session) as tried:
        matters.suspend(session, principal, matter_id, kind, reason)
    if tried.refused:
        return _page(request, session, principal, matter_id, errors=tried.errors, form={"reason": reason}, status=422)
    return RedirectResponse(f"/selfgov/matters/{matter_id}", status_code=303)


@router.post("/selfgov/matters/{matter_id}/resume", response_class=HTMLResponse)
def resume(matter_id: Id, request: Request, principal: Supervisor, session: DbSession, note: str = Form("")):
    with attempt(session) as tried:
        matters.resume(session, principal, matter_id, note)
    if tried.refused:
        return _page(request, session, principal, matter_id, errors=tried.errors, form={"note": note}, status=422)
    return RedirectResponse(f"/selfgov/matters/{matter_id}", status_code=303)


@router.post("/selfgov/matters/{matter_id}/steps/{step}/disclose", response_class=HTMLResponse)
def disclose_step(
    matter_id: Id,
    step: Step,
    request: Request,
    principal: Writer,
    session: DbSession,
    item_id: str = Form(""),
    occurred_on: str = Form(""),
):
    """Write the step's item on the village's board (prefilled from the matter), or pick one written there."""
    form = {"item_id": item_id, "occurred_on": occurred_on}
    with attempt(session) as tried:
        picked = None
        if item_id.strip():
            if not item_id.strip().isdigit():
                raise InvalidInput(t("give the number of the disclosure item"))
            picked = int(item_id.strip())
        done = disclosures.disclose(
            session, principal, matter_id, step, item_id=picked, occurred_on=day(occurred_on, "completed on")
        )
    if tried.refused:
        return _page(request, session, principal, matter_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/disclosure/items/{done.item.id}", status_code=303)
