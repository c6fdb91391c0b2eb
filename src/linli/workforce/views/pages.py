"""Web pages of the workforce that read: one's own post and level (/workforce), an area's staffing
against the rule with its workers and those flagged for dismissal review (/areas/{code}/workforce), and a
county's monthly pay run: the explained preview, then confirm, then the pay table (/areas/{code}/workforce/pay)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, SignedIn
from linli.authz.permissions import Permission
from linli.kit.errors import NotFound
from linli.kit.time import utcnow
from linli.web.display import prefetch
from linli.web.forms import attempt
from linli.web.templating import render
from linli.workforce import payroll, reads
from linli.workforce.schemas import PayRunIn
from linli.workforce.views.common import MANAGE, Payer, Reader, labels

router = APIRouter(include_in_schema=False)


@router.get("/workforce", response_class=HTMLResponse)
def my_page(request: Request, principal: SignedIn, session: DbSession):
    try:
        me = reads.detail(session, reads.my_worker(session, principal))
    except NotFound:
        me = None
    return render(request, "workforce/me.html", {"me": me, **labels()})


@router.get("/areas/{code}/workforce", response_class=HTMLResponse)
def area_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, Permission.workforce_read)
    staffing = reads.staffing(session, principal, code)
    workers, total = reads.workers(session, principal, code, 0, 100)
    flags = reads.flags(session, principal, code)
    prefetch(request, [s.area_code for s in staffing] + [w.area_code for w in workers] + [f.area_code for f in flags])
    return render(
        request, "workforce/area.html",
        {"area": area, "staffing": staffing, "workers": workers, "total": total,
         "can_pay": len(code) == 6 and principal.can(Permission.workforce_pay, code), "flags": flags,
         "can_manage": principal.can(MANAGE, code), "is_county": len(code) == 6,
         "month": utcnow().strftime("%Y-%m"), "breadcrumb": crumbs(session, principal, area, "workforce"),
         **labels()},
    )  # fmt: skip


def _pay_page(request, session, principal, area, month: str, errors=(), status=200):
    """The confirmed run of the month when there is one, else the preview (or why it cannot be made)."""
    run = None
    if not errors:
        with attempt(session) as tried:
            body = PayRunIn(county=area.code, month=month)
            saved = reads.run_of_month(session, principal, area.code, body.month)
            if saved is not None:
                run = reads.run_out(session, reads.saved_run(session, principal, saved)[1], saved)
            else:
                run = reads.run_out(session, payroll.compute(session, principal, area.code, body.month))
        errors = tried.errors
        status = 422 if errors else status
    if run:
        prefetch(request, [x.area_code for x in run.lines])
    return render(
        request, "workforce/pay.html",
        {"area": area, "month": month, "run": run, "errors": errors,
         "breadcrumb": crumbs(session, principal, area, "workforce"), **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/workforce/pay", response_class=HTMLResponse)
def pay_preview(code: str, request: Request, principal: Payer, session: DbSession, month: str = ""):
    area = area_in_reach(session, principal, code, Permission.workforce_pay)
    return _pay_page(request, session, principal, area, month[:7] or utcnow().strftime("%Y-%m"))


@router.post("/areas/{code}/workforce/pay", response_class=HTMLResponse)
def pay_confirm(code: str, request: Request, principal: Payer, session: DbSession, month: str = Form("")):
    area = area_in_reach(session, principal, code, Permission.workforce_pay)
    with attempt(session) as tried:
        body = PayRunIn(county=code, month=month)
        payroll.confirm(session, principal, code, body.month)
    if tried.errors:
        return _pay_page(request, session, principal, area, month[:7], errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/workforce/pay?month={month}", status_code=303)
