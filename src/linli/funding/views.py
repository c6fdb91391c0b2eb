"""Web pages of the funding: an area's report for a year (a township, county, city or the province:
budgeted and paid by kind, payer and area, with the XLSX and PDF), and a village's or community's own
lines with their payments, where the county's civil-affairs staff enter lines and record payments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.funding import reads, report, service
from linli.funding.kinds import KINDS, PAYERS
from linli.funding.schemas import LineIn, PaymentIn
from linli.kit.i18n import N_, gettext
from linli.kit.time import utcnow
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.nav import NavLink
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Require(Permission.funding_read))]
Manager = Annotated[Principal, Depends(Require(Permission.funding_manage))]
YEAR = Query(None, ge=2000, le=2100)


def _href(principal: Principal) -> str | None:
    code = principal.first_area_with(Permission.funding_read)
    return f"/areas/{code}/funding" if code is not None else None


NAV = [NavLink(76, N_("Funding"), _href, more=True)]


def _labels() -> dict:
    return {"kinds": {k: gettext(v) for k, v in KINDS.items()}, "payers": {k: gettext(v) for k, v in PAYERS.items()}}


def _village_page(request, session, principal, area, year: int, errors=(), form=None, status=200):
    lines = reads.details_of(session, principal, area.code, year)
    can_enter = principal.can(Permission.funding_manage, area.code[:6])
    return render(
        request, "funding/village.html",
        {"area": area, "year": year, "lines": lines, "can_enter": can_enter, "errors": errors, "form": form or {},
         "today": utcnow().date().isoformat(), "breadcrumb": crumbs(session, principal, area, "funding"),
         **_labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/funding", response_class=HTMLResponse)
def area_page(code: str, request: Request, principal: Reader, session: DbSession, year: int | None = YEAR):
    area = area_in_reach(session, principal, code, Permission.funding_read)
    year = year or utcnow().year
    if len(code) >= 12:
        return _village_page(request, session, principal, area, year)
    out = report.report(session, principal, code, year)
    prefetch(request, [c.area_code for c in out.children])
    return render(
        request, "funding/report.html",
        {"area": area, "year": year, "report": out, "breadcrumb": crumbs(session, principal, area, "funding"),
         **_labels()},
    )  # fmt: skip


@router.post("/areas/{code}/funding/lines", response_class=HTMLResponse)
def add_line(
    code: str, request: Request, principal: Manager, session: DbSession, year: str = Form(""), kind: str = Form(""),
    payer: str = Form(""), amount: str = Form(""), basis: str = Form(""),
):  # fmt: skip
    area = area_in_reach(session, principal, code, Permission.funding_read)
    service.check_county_staff(principal, code)
    form = {"year": year, "kind": kind, "payer": payer, "amount": amount, "basis": basis}
    with attempt(session) as tried:
        service.add_line(session, principal, LineIn(area_code=code, **form))
    shown = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else utcnow().year
    if tried.errors:
        return _village_page(request, session, principal, area, shown, tried.errors, form, status=422)
    return RedirectResponse(f"/areas/{code}/funding?year={shown}", status_code=303)


@router.post("/areas/{code}/funding/lines/{line_id}/payments", response_class=HTMLResponse)
def pay(
    code: str, line_id: Id, request: Request, principal: Manager, session: DbSession, paid_on: str = Form(""),
    amount: str = Form(""), voucher: str = Form(""),
):  # fmt: skip
    area = area_in_reach(session, principal, code, Permission.funding_read)
    line = reads.readable_line(session, principal, line_id, under=code)
    service.check_county_staff(principal, code)
    form = {"line": line_id, "paid_on": paid_on, "amount": amount, "voucher": voucher}
    with attempt(session) as tried:
        day = date_field(paid_on, gettext("Paid on"), required=True)
        service.pay(session, principal, line_id, PaymentIn(paid_on=day, amount=amount, voucher=voucher))
    if tried.errors:
        return _village_page(request, session, principal, area, line.year, tried.errors, form, status=422)
    return RedirectResponse(f"/areas/{code}/funding?year={line.year}", status_code=303)
