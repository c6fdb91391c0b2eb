"""Staff pages of the disclosure boards: an area's items (a village's board to manage; above it, the
overdue report by child area with drill-down), the form of a new item, an item with its publish step
and the questions to answer, and an area's local settings."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.disclosure import periodic, repository, rules, service
from linli.disclosure.kinds import KIND_LABELS
from linli.disclosure.schemas import ItemIn
from linli.disclosure.views.public import helpers
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, gettext, t
from linli.kit.types import Id, PageNumber
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Require(Permission.disclosure_read))]
Writer = Annotated[Principal, Depends(Require(Permission.disclosure_write))]
Supervisor = Annotated[Principal, Depends(Require(Permission.disclosure_supervise))]
FLAGS = {"overdue": N_("Overdue"), "late": N_("Published late"), "draft": N_("Drafts")}
PAGE = 50


def _day(value: str, label: str) -> date | None:
    return date_field(value, label)


@router.get("/areas/{code}/disclosure", response_class=HTMLResponse)
def items_page(
    code: str, request: Request, principal: Reader, session: DbSession, flag: str = "", page: PageNumber = 1
):
    area = area_in_reach(session, principal, code, Permission.disclosure_read)
    today = repository.today()
    flag = flag if flag in FLAGS else ""
    items, total = repository.staff_items(session, principal, code, flag=flag, on=today, offset=(page - 1) * PAGE)
    report = []
    if area.level != "village":
        report = repository.overdue_report(session, principal.scope(Permission.disclosure_read), code, today)
    prefetch(request, [codes.unpad(i.area_code) for i in items] + [r.code for r in report])
    return render(
        request,
        "disclosure/items.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "flag": flag,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "flags": [(k, gettext(v)) for k, v in FLAGS.items()],
            "report": report,
            "today": today,
            "can_write": area.level == "village" and principal.can(Permission.disclosure_write, code),
            "can_settings": principal.can(Permission.disclosure_supervise, code),
            "questions": repository.unanswered(session, principal.scope(Permission.disclosure_read), code, today),
            "periods": periodic.next_periods(session, principal.scope(Permission.disclosure_read), code, today)
            if area.level == "village"
            else [],
            "breadcrumb": crumbs(session, principal, area, "disclosure"),
            "code_of": codes.unpad,
            **helpers(),
        },
    )


def _new_page(request, session, principal, area, *, errors=(), form=None, status=200):
    ctx = {
        "area": area,
        "errors": list(errors),
        "form": form or {"kind": "finances"},
        "kinds": [(k, gettext(v)) for k, v in KIND_LABELS.items()],
        "settings": repository.settings_for(session, area.code),
        "breadcrumb": crumbs(session, principal, area, "disclosure"),
    }
    return render(request, "disclosure/new.html", ctx, status_code=status)


@router.get("/areas/{code}/disclosure/new", response_class=HTMLResponse)
def new_form(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    kind: str = "",
    period_from: str = "",
    period_to: str = "",
):
    """`kind`, `period_from`, `period_to`: prefilled for a periodic item's next period (from the board's
    page); anything else is ignored, the form starts empty."""
    area = area_in_reach(session, principal, code, Permission.disclosure_write)
    form = None
    if kind in KIND_LABELS:
        form = {"kind": kind} | {k: v for k, v in (("period_from", period_from), ("period_to", period_to))
                                 if _is_day(v)}  # fmt: skip
    return _new_page(request, session, principal, area, form=form)


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@router.post("/areas/{code}/disclosure/new", response_class=HTMLResponse)
def new_post(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    kind: str = Form(""),
    title: str = Form(""),
    body: str = Form(""),
    period_from: str = Form(""),
    period_to: str = Form(""),
    occurred_on: str = Form(""),
    matter_ref: str = Form(""),
):
    area = area_in_reach(session, principal, code, Permission.disclosure_write)
    form = {"kind": kind, "title": title, "body": body, "period_from": period_from, "period_to": period_to}
    form |= {"occurred_on": occurred_on, "matter_ref": matter_ref}
    with attempt(session) as tried:
        data = ItemIn(
            area_code=code,
            kind=kind,
            title=title,
            body=body,
            period_from=_day(period_from, gettext("First day")),
            period_to=_day(period_to, gettext("Last day")),
            occurred_on=_day(occurred_on, gettext("Date of the act")),
            matter_ref=matter_ref or None,
        )
        item = service.create_item(session, principal, data)
    if tried.refused:
        return _new_page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/disclosure/items/{item.id}?done=saved", status_code=303)


def _item_page(request, session, principal, item, *, errors=(), form=None, status=200):
    area = area_in_reach(session, principal, codes.unpad(item.area_code), Permission.disclosure_read)
    ctx = {
        "area": area,
        "item": item,
        "today": repository.today(),
        "asked": repository.questions_of(session, [item.id])[item.id],
        "can_write": principal.can(Permission.disclosure_write, item.area_code),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "disclosure"),
    }
    return render(request, "disclosure/item.html", {**ctx, **helpers()}, status_code=status)


@router.get("/disclosure/items/{item_id}", response_class=HTMLResponse)
def item_page(item_id: Id, request: Request, principal: Reader, session: DbSession):
    return _item_page(request, session, principal, repository.item_for_staff(session, principal, item_id))


@router.post("/disclosure/items/{item_id}/publish", response_class=HTMLResponse)
def publish_post(item_id: Id, request: Request, principal: Writer, session: DbSession, late_reason: str = Form("")):
    item = repository.item_for_staff(session, principal, item_id)
    with attempt(session) as tried:
        service.publish(session, principal, item_id, late_reason=late_reason)
    if tried.refused:
        session.refresh(item)
        form = {"late_reason": late_reason}
        return _item_page(request, session, principal, item, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/disclosure/items/{item_id}?done=published", status_code=303)


@router.post("/disclosure/questions/{question_id}/answer", response_class=HTMLResponse)
def answer_post(question_id: Id, request: Request, principal: Writer, session: DbSession, answer: str = Form("")):
    with attempt(session) as tried:
        q = service.answer(session, principal, question_id, answer)
    if tried.refused:
        found = repository.question_for_update(session, question_id)
        if found is None or not principal.can(Permission.disclosure_read, found.area_code):
            raise tried.error  # out of reach: the same 404 as a missing question
        item = repository.item_for_staff(session, principal, found.item_id)
        form = {"answer": answer, "question_id": question_id}
        return _item_page(request, session, principal, item, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/disclosure/items/{q.item_id}?done=answered#questions", status_code=303)


# --- local settings --------------------------------------------------------------------------------


def _settings_page(request, session, principal, area, *, errors=(), form=None, status=200):
    current = repository.settings_for(session, area.code)
    ctx = {
        "area": area,
        "current": current,
        "own": repository.settings_row(session, area.code) is not None,
        "form": form or {k: getattr(current, k) for k in (*rules.LIMITS, "finances_monthly")},
        "limits": rules.LIMITS,
        "errors": list(errors),
        "breadcrumb": crumbs(session, principal, area, "disclosure"),
    }
    return render(request, "disclosure/settings.html", ctx, status_code=status)


@router.get("/areas/{code}/disclosure/settings", response_class=HTMLResponse)
def settings_form(code: str, request: Request, principal: Supervisor, session: DbSession):
    area = area_in_reach(session, principal, code, Permission.disclosure_supervise)
    return _settings_page(request, session, principal, area)


def _number(value: str, name: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(t("{field} must be a whole number", field=name)) from None


@router.post("/areas/{code}/disclosure/settings", response_class=HTMLResponse)
def settings_post(
    code: str,
    request: Request,
    principal: Supervisor,
    session: DbSession,
    period_days: str = Form(""),
    objection_days: str = Form(""),
    answer_days: str = Form(""),
    prompt_days: str = Form(""),
    after_period_days: str = Form(""),
    finances_monthly: str = Form(""),
):
    area = area_in_reach(session, principal, code, Permission.disclosure_supervise)
    raw = {"period_days": period_days, "objection_days": objection_days, "answer_days": answer_days}
    raw |= {"prompt_days": prompt_days, "after_period_days": after_period_days}
    form = {**raw, "finances_monthly": finances_monthly == "yes"}
    with attempt(session) as tried:
        values = rules.Settings(
            **{k: _number(v, k) for k, v in raw.items()}, finances_monthly=finances_monthly == "yes"
        )
        service.save_settings(session, principal, code, values)
    if tried.refused:
        return _settings_page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/areas/{code}/disclosure/settings?done=saved", status_code=303)
