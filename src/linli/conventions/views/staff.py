"""Staff pages of the conventions: an area's conventions (and a new one), a convention with its versions
and the forms of the working version's next step, the diff of two versions, the filing setting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.conventions import diff, repository, rules, service
from linli.conventions.models import OPEN
from linli.conventions.schemas import AdoptIn
from linli.conventions.views.public import body_label
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Require(Permission.conventions_read))]
Writer = Annotated[Principal, Depends(Require(Permission.conventions_write))]
Reviewer = Annotated[Principal, Depends(Require(Permission.conventions_review))]


def _day(value: str, label: str) -> date:
    return date_field(value, label, required=True)


def _count(value: str, label: str, *, optional: bool = False) -> int | None:
    if optional and not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(t("{label} must be a whole number", label=label)) from None


def _helpers() -> dict:
    return {
        "step_label": lambda s: gettext(service.STEP_NAMES.get(s, s)),
        "body_label": body_label,
        "code_of": codes.unpad,
    }


@router.get("/areas/{code}/conventions", response_class=HTMLResponse)
def list_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, Permission.conventions_read)
    rows = repository.in_area(session, principal, code)
    prefetch(request, [codes.unpad(c.area_code) for c, _ in rows])
    ctx = {
        "area": area,
        "rows": rows,
        "today": repository.today(),
        "can_write": area.level == "village" and principal.can(Permission.conventions_write, code),
        "can_settings": principal.can(Permission.conventions_review, code),
        "breadcrumb": crumbs(session, principal, area, "conventions"),
        "errors": [],
        "form": {},
    }
    return render(request, "conventions/list.html", {**ctx, **_helpers()})


@router.post("/areas/{code}/conventions/new", response_class=HTMLResponse)
def create_post(
    code: str, request: Request, principal: Writer, session: DbSession, title: str = Form(""), text: str = Form("")
):
    area = area_in_reach(session, principal, code, Permission.conventions_write)
    with attempt(session) as tried:
        c = service.create(session, principal, code, title, text)
    if tried.refused:
        ctx = {"area": area, "rows": repository.in_area(session, principal, code), "today": repository.today()}
        ctx |= {"can_write": True, "can_settings": principal.can(Permission.conventions_review, code)}
        ctx |= {"errors": tried.errors, "form": {"title": title, "text": text}}
        ctx["breadcrumb"] = crumbs(session, principal, area, "conventions")
        return render(request, "conventions/list.html", {**ctx, **_helpers()}, status_code=422)
    return RedirectResponse(f"/conventions/{c.id}?done=created", status_code=303)


def _page(request, session, principal, convention, *, errors=(), form=None, status=200):
    area = area_in_reach(session, principal, codes.unpad(convention.area_code), Permission.conventions_read)
    versions = repository.versions_of(session, convention.id)
    working = next((v for v in versions if v.status in OPEN), None)
    ctx = {
        "area": area,
        "c": convention,
        "versions": versions,
        "working": working,
        "opinions": repository.opinions_of(session, working.id) if working else [],
        "counts": repository.opinion_counts(session, [v.id for v in versions]),
        "bodies": [(k, gettext(v)) for k, v in rules.BODY_NAMES.items()],
        "meetings": service.adopting_meetings(session, working) if working and working.status == "approved" else [],
        "meeting_id_of": service.meeting_id_of,
        "today": repository.today(),
        "can_write": principal.can(Permission.conventions_write, convention.area_code),
        "can_review": principal.can(Permission.conventions_review, convention.area_code),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "conventions"),
    }
    return render(request, "conventions/convention.html", {**ctx, **_helpers()}, status_code=status)


@router.get("/conventions/{convention_id}", response_class=HTMLResponse)
def convention_page(convention_id: Id, request: Request, principal: Reader, session: DbSession):
    return _page(request, session, principal, repository.convention_for_staff(session, principal, convention_id))


@router.post("/conventions/{convention_id}/revise", response_class=HTMLResponse)
def revise_post(convention_id: Id, request: Request, principal: Writer, session: DbSession):
    c = repository.convention_for_staff(session, principal, convention_id)
    with attempt(session) as tried:
        service.revise(session, principal, convention_id)
    if tried.refused:
        return _page(request, session, principal, c, errors=tried.errors, status=tried.error.status)
    return RedirectResponse(f"/conventions/{c.id}?done=revised", status_code=303)


def _step(request, session, principal, version_id: int, done: str, form: dict, call: Callable[[], object]):
    """Run a step of the working version; on a refusal the convention's page again with the form kept."""
    v = repository.version(session, version_id)
    if v is None or not principal.can(Permission.conventions_read, v.area_code):
        raise repository.version_missing(version_id)
    c = repository.convention(session, v.convention_id)
    with attempt(session) as tried:
        call()
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _page(request, session, principal, c, errors=tried.errors, form=form, status=status)
    return RedirectResponse(f"/conventions/{c.id}?done={done}", status_code=303)


@router.post("/conventions/versions/{version_id}/opinions", response_class=HTMLResponse)
def opinion_post(
    version_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    text: str = Form(""),
    source: str = Form(""),
):
    form = {"opinion": text, "source": source}
    return _step(request, session, principal, version_id, "opinion", form,
                 lambda: service.give_opinion(session, principal, version_id, text, source))  # fmt: skip


@router.post("/conventions/versions/{version_id}/draft", response_class=HTMLResponse)
def draft_post(version_id: Id, request: Request, principal: Writer, session: DbSession, text: str = Form("")):
    return _step(request, session, principal, version_id, "drafted", {"text": text},
                 lambda: service.save_draft(session, principal, version_id, text))  # fmt: skip


@router.post("/conventions/versions/{version_id}/submit", response_class=HTMLResponse)
def submit_post(version_id: Id, request: Request, principal: Writer, session: DbSession):
    return _step(request, session, principal, version_id, "submitted", {},
                 lambda: service.submit(session, principal, version_id))  # fmt: skip


@router.post("/conventions/versions/{version_id}/review", response_class=HTMLResponse)
def review_post(
    version_id: Id, request: Request, principal: Reviewer, session: DbSession,
    decision: str = Form(""), note: str = Form(""),
):  # fmt: skip
    return _step(request, session, principal, version_id, decision or "reviewed", {"note": note},
                 lambda: service.review(session, principal, version_id, decision, note))  # fmt: skip


@router.post("/conventions/versions/{version_id}/adopt", response_class=HTMLResponse)
def adopt_post(
    version_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    body: str = Form(""),
    adopted_on: str = Form(""),
    attendance_expected: str = Form(""),
    attendance_present: str = Form(""),
    women_present: str = Form(""),
    meeting_ref: str = Form(""),
    meeting_id: str = Form(""),
):
    form = {"body": body, "adopted_on": adopted_on, "attendance_expected": attendance_expected}
    form |= {"attendance_present": attendance_present, "women_present": women_present, "meeting_ref": meeting_ref}
    form |= {"meeting_id": meeting_id}

    def call():
        if meeting_id.strip():
            return service.adopt_at_meeting(session, principal, version_id, _count(meeting_id, gettext("Meeting")))
        data = AdoptIn(
            body=body,
            adopted_on=_day(adopted_on, gettext("Date of the meeting")),
            attendance_expected=_count(attendance_expected, gettext("Entitled to attend"), optional=True),
            attendance_present=_count(attendance_present, gettext("Present")),
            women_present=_count(women_present, gettext("Women present")),
            meeting_ref=meeting_ref or None,
        )
        return service.adopt(session, principal, version_id, data)

    return _step(request, session, principal, version_id, "adopted", form, call)


@router.post("/conventions/versions/{version_id}/file", response_class=HTMLResponse)
def file_post(version_id: Id, request: Request, principal: Writer, session: DbSession, filed_on: str = Form("")):
    def call():
        return service.file(session, principal, version_id, _day(filed_on, gettext("Date of filing")))

    return _step(request, session, principal, version_id, "filed", {"filed_on": filed_on}, call)


@router.post("/conventions/versions/{version_id}/receive", response_class=HTMLResponse)
def receive_post(version_id: Id, request: Request, principal: Reviewer, session: DbSession):
    return _step(request, session, principal, version_id, "received", {},
                 lambda: service.receive(session, principal, version_id))  # fmt: skip


@router.post("/conventions/versions/{version_id}/publish", response_class=HTMLResponse)
def publish_post(version_id: Id, request: Request, principal: Writer, session: DbSession):
    return _step(request, session, principal, version_id, "published", {},
                 lambda: service.publish(session, principal, version_id))  # fmt: skip


@router.get("/conventions/versions/{version_id}/diff", response_class=HTMLResponse)
def diff_page(version_id: Id, request: Request, principal: Reader, session: DbSession, against: int = 0):
    v = repository.version(session, version_id)
    if v is None or not principal.can(Permission.conventions_read, v.area_code):
        raise repository.version_missing(version_id)
    c = repository.convention(session, v.convention_id)
    versions = repository.versions_of(session, c.id)
    others = [o for o in versions if o.id != v.id]
    base = next((o for o in others if o.id == against), None)
    if base is None:  # the version in force, else the one before it
        base = next((o for o in others if o.id == c.in_force_version_id), None) or next(
            (o for o in others if o.number < v.number), None
        )
    lines = diff.compare(base.text if base else "", v.text)
    area = area_in_reach(session, principal, codes.unpad(c.area_code), Permission.conventions_read)
    ctx = {"area": area, "c": c, "v": v, "base": base, "others": others, "lines": lines, "changed": diff.changed(lines)}
    ctx["breadcrumb"] = crumbs(session, principal, area, "conventions")
    return render(request, "conventions/diff.html", {**ctx, **_helpers()})


@router.get("/areas/{code}/conventions/settings", response_class=HTMLResponse)
def settings_form(code: str, request: Request, principal: Reviewer, session: DbSession):
    area = area_in_reach(session, principal, code, Permission.conventions_review)
    ctx = {"area": area, "days": repository.filing_days(session, code), "errors": [], "form": {}}
    ctx["breadcrumb"] = crumbs(session, principal, area, "conventions")
    return render(request, "conventions/settings.html", ctx)


@router.post("/areas/{code}/conventions/settings", response_class=HTMLResponse)
def settings_post(code: str, request: Request, principal: Reviewer, session: DbSession, days: str = Form("")):
    area = area_in_reach(session, principal, code, Permission.conventions_review)
    with attempt(session) as tried:
        service.save_filing_days(session, principal, code, _count(days, gettext("Days to file")) or 0)
    if tried.refused:
        ctx = {
            "area": area,
            "days": repository.filing_days(session, code),
            "errors": tried.errors,
            "form": {"days": days},
        }
        ctx["breadcrumb"] = crumbs(session, principal, area, "conventions")
        return render(request, "conventions/settings.html", ctx, status_code=422)
    return RedirectResponse(f"/areas/{code}/conventions/settings?done=saved", status_code=303)
