"""Pages of the responsibility lists: a township's list (its duties by kind, versions, change requests,
what discharges each duty; the forms to request a change and to link a duty), and above a township the
report and the county's review queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.duties import kinds, repository, service
from linli.duties.schemas import ChangeIn, DutyIn, LinkIn, ReviewIn
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.nav import NavLink, at_first_area
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
READ, WRITE, REVIEW = Permission.duties_read, Permission.duties_write, Permission.duties_review
Reader = Annotated[Principal, Depends(Require(READ))]
Writer = Annotated[Principal, Depends(Require(WRITE))]
Reviewer = Annotated[Principal, Depends(Require(REVIEW))]
DUTY_FIELDS = tuple(DutyIn.model_fields)

NAV = [NavLink(58, N_("Responsibility lists"), at_first_area(READ, "/areas/{code}/duties"), more=True)]


def _helpers() -> dict[str, Any]:
    return {
        "kind_label": lambda k: kinds.label(kinds.KINDS, k),
        "category_label": lambda c: kinds.label(kinds.CATEGORIES, c),
        "action_label": lambda a: kinds.label(kinds.ACTIONS, a),
        "state_label": lambda s: kinds.label(kinds.STATES, s),
        "proposed": repository.proposed,
        "code_of": codes.unpad,
        "kinds": [(k, gettext(v)) for k, v in kinds.KINDS.items()],
        "categories": [(k, gettext(v)) for k, v in kinds.CATEGORIES.items()],
        "actions": [(k, gettext(v)) for k, v in kinds.ACTIONS.items()],
    }


def _town_page(request, session, principal, area, *, errors=(), form=None, status=200):
    row = repository.list_at(session, area.code)
    version = request.query_params.get("version", "")
    shown, duties = None, []
    if row is not None:
        shown = int(version) if version.isdigit() and 1 <= int(version) <= row.version else None
        duties = (
            repository.duties_at_version(session, row.id, shown)
            if shown
            else repository.current_duties(session, row.id)
        )
    context = {
        "area": area,
        "row": row,
        "shown": shown,
        "duties": duties,
        "versions": repository.versions(session, row.id) if row else [],
        "changes": repository.changes_of_list(session, row.id) if row else [],
        "links": repository.links_of(session, area.code),
        "can_write": row is not None and principal.can(WRITE, area.code),
        "can_review": principal.can(REVIEW, codes.parent_of(area.code) or area.code),
        "event_categories": repository.event_categories(session),
        "service_items": repository.service_items_for(session, area.code),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "duties"),
        **_helpers(),
    }
    return render(request, "duties/list.html", context, status_code=status)


def _report_page(request, session, principal, area):
    scope = principal.scope(READ)
    items = repository.items_by_list(session, scope, area.code)
    by_town: dict[str, dict[str, int]] = {}
    for town, kind, _category, n in items:
        by_town.setdefault(town, {"basic": 0, "assisting": 0, "taken_back": 0})[kind] += n
    by_category: dict[str, int] = {}
    for _town, _kind, category, n in items:
        by_category[category] = by_category.get(category, 0) + n
    # A township without a list has every category it is sent outside a list: one line each, with the
    # events sent there, instead of a line per category (the demo county's report ran to 300 lines).
    unlisted, without_list = [], {}
    for town, category, name, n in repository.unlisted_dispatches(session, scope, area.code):
        if town in by_town:
            unlisted.append((town, category, name, n))
        else:
            without_list[town] = without_list.get(town, 0) + n
    prefetch(request, [*by_town, *(u[0] for u in unlisted), *without_list])
    context = {
        "area": area,
        "by_town": sorted(by_town.items()),
        "by_category": sorted(by_category.items()),
        "changes": repository.changes_by_month(session, scope, area.code),
        "unlisted": unlisted,
        "without_list": sorted(without_list.items()),
        "pending": len(repository.pending_queue(session, scope, area.code)),
        "breadcrumb": crumbs(session, principal, area, "duties"),
        **_helpers(),
    }
    return render(request, "duties/report.html", context)


@router.get("/areas/{code}/duties", response_class=HTMLResponse)
def duties_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, READ)
    if area.level == "township":
        return _town_page(request, session, principal, area)
    return _report_page(request, session, principal, area)


def _duty_from(form: dict[str, str]) -> DutyIn | None:
    if not form.get("content", "").strip() and form.get("action") == "cancel":
        return None
    return DutyIn(**{k: form.get(k, "") for k in DUTY_FIELDS})


@router.post("/areas/{code}/duties/changes", response_class=HTMLResponse)
def change_post(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    action: str = Form("add"),
    duty_code: str = Form(""),
    kind: str = Form("basic"),
    category: str = Form("other"),
    content: str = Form(""),
    legal_basis: str = Form(""),
    lead_unit: str = Form(""),
    cooperating_units: str = Form(""),
    upper_department: str = Form(""),
    upper_duty: str = Form(""),
    assisting_duty: str = Form(""),
    receiving_department: str = Form(""),
    working_mode: str = Form(""),
    reason: str = Form(""),
):
    area = area_in_reach(session, principal, code, WRITE)
    form = {
        "action": action, "duty_code": duty_code, "code": duty_code, "kind": kind, "category": category,
        "content": content, "legal_basis": legal_basis, "lead_unit": lead_unit, "cooperating_units": cooperating_units,
        "upper_department": upper_department, "upper_duty": upper_duty, "assisting_duty": assisting_duty,
        "receiving_department": receiving_department, "working_mode": working_mode, "reason": reason,
    }  # fmt: skip
    with attempt(session) as tried:
        data = ChangeIn(action=action or "add", duty_code=duty_code, duty=_duty_from(form), reason=reason)
        service.file_change(session, principal, code, data)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _town_page(request, session, principal, area, errors=tried.errors, form=form, status=status)
    return RedirectResponse(f"/areas/{code}/duties?done=filed#changes", status_code=303)


@router.post("/areas/{code}/duties/links", response_class=HTMLResponse)
def link_post(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    duty_code: str = Form(""),
    target: str = Form(""),
):
    area = area_in_reach(session, principal, code, WRITE)
    form = {"link_duty": duty_code, "link_target": target}
    with attempt(session) as tried:
        kind, _, value = target.partition(":")
        if kind == "item" and value.isdigit():
            data = LinkIn(duty_code=duty_code, service_item_id=int(value))
        elif kind == "cat" and value:
            data = LinkIn(duty_code=duty_code, event_category_code=value)
        else:
            raise InvalidInput(t("choose an event category or a service item"))
        service.link(session, principal, code, data)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _town_page(request, session, principal, area, errors=tried.errors, form=form, status=status)
    return RedirectResponse(f"/areas/{code}/duties?done=linked#links", status_code=303)


# --- the county's review queue ------------------------------------------------------------------------


def _queue_page(request, session, principal, area, *, errors=(), form=None, status=200):
    changes = repository.pending_queue(session, principal.scope(READ), area.code)
    prefetch(request, [codes.unpad(c.area_code) for c in changes])
    context = {
        "area": area,
        "changes": changes,
        "current": {c.id: repository.current_duty(session, c.list_id, c.duty_code) for c in changes},
        "today": service.today(),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "duties"),
        **_helpers(),
    }
    return render(request, "duties/review.html", context, status_code=status)


@router.get("/areas/{code}/duties/review", response_class=HTMLResponse)
def review_page(code: str, request: Request, principal: Reviewer, session: DbSession):
    area = area_in_reach(session, principal, code, REVIEW)
    return _queue_page(request, session, principal, area)


@router.post("/areas/{code}/duties/review/{change_id}", response_class=HTMLResponse)
def review_post(
    code: str,
    change_id: Id,
    request: Request,
    principal: Reviewer,
    session: DbSession,
    decision: str = Form(""),
    note: str = Form(""),
    effective_from: str = Form(""),
):
    area = area_in_reach(session, principal, code, REVIEW)
    form = {"change_id": change_id, "note": note, "effective_from": effective_from}
    with attempt(session) as tried:
        change = repository.change(session, change_id)
        if change is None or not codes.in_subtree(change.area_code, area.code):
            raise repository_missing(change_id)
        when = date_field(effective_from, gettext("Effective from"))
        service.review(session, principal, change_id, ReviewIn(decision=decision, note=note, effective_from=when))
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        if status == 404:
            raise tried.error
        return _queue_page(request, session, principal, area, errors=tried.errors, form=form, status=status)
    return RedirectResponse(f"/areas/{code}/duties/review?done={decision}", status_code=303)


def repository_missing(change_id: int) -> NotFound:
    return NotFound(t("change request {id} does not exist", id=change_id))
