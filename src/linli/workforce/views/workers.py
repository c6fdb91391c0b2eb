"""The county's forms on workers: register a worker in a community (/areas/{code}/workforce/workers/new),
and on a worker's page (/workforce/workers/{id}) put them in a post, record the year's assessment (a
result, or each rater's score weighted by the county's rule), promote them, record that they left. A
refusal shows the page again (422) with every line of it and what was typed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.templating import render
from linli.workforce import reads, service
from linli.workforce.schemas import AssessmentIn, ExitIn, PostIn, PromoteIn, ScoresIn, WorkerIn
from linli.workforce.views.common import MANAGE, Form, Manager, Reader, build, labels

router = APIRouter(include_in_schema=False)
DATES = {"qualified_on": "date of the qualification", "work_start": "work start", "contract_start": "contract start",
         "contract_end": "contract end"}  # fmt: skip


def _worker_page(request, session, principal: Principal, worker_id: int, *, errors=(), form=None, which="",
                 status=200):  # fmt: skip
    worker = reads.readable_worker(session, principal, worker_id)
    detail = reads.detail(session, worker)
    year = int(form["year"]) if form and form.get("year", "").isdigit() else reads.today().year
    weights = reads.rater_weights(session, worker, year)
    prefetch(request, [detail.area_code])
    return render(
        request, "workforce/worker.html",
        {"w": detail, "can_manage": principal.can(MANAGE, detail.area_code), "errors": errors,
         "form": form or {}, "which": which, "weights": weights, "year": year, **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/workforce/workers/{worker_id}", response_class=HTMLResponse)
def worker_page(worker_id: Id, request: Request, principal: Reader, session: DbSession):
    return _worker_page(request, session, principal, worker_id)


def _done(request, session, principal, worker_id: int, tried, form: dict, which: str):
    if tried.errors:
        return _worker_page(request, session, principal, worker_id, errors=tried.errors, form=form, which=which,
                            status=422)  # fmt: skip
    return RedirectResponse(f"/workforce/workers/{worker_id}#{which}", status_code=303)


@router.post("/workforce/workers/{worker_id}/posts", response_class=HTMLResponse)
def post_form(worker_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    with attempt(session) as tried:
        values = {k: form.get(k, "") for k in ("post", "start", "level")}
        values |= {k: k in form for k in ("party_building", "both_heads")}
        service.assign_post(session, principal, worker_id, build(PostIn, values))
    return _done(request, session, principal, worker_id, tried, form, "post")


@router.post("/workforce/workers/{worker_id}/assessments", response_class=HTMLResponse)
def assessment_form(worker_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    with attempt(session) as tried:
        data = build(AssessmentIn, {"year": form.get("year", ""), "result": form.get("result", "")})
        service.record_assessment(session, principal, worker_id, data)
    return _done(request, session, principal, worker_id, tried, form, "assessment")


@router.post("/workforce/workers/{worker_id}/scores", response_class=HTMLResponse)
def scores_form(worker_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    with attempt(session) as tried:
        scores = {k[6:]: v for k, v in form.items() if k.startswith("score_") and v}
        service.record_scores(session, principal, worker_id, build(ScoresIn, {"year": form.get("year", ""),
                                                                             "scores": scores}))  # fmt: skip
    return _done(request, session, principal, worker_id, tried, form, "scores")


@router.post("/workforce/workers/{worker_id}/promotions", response_class=HTMLResponse)
def promote_form(worker_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    with attempt(session) as tried:
        service.promote(session, principal, worker_id, build(PromoteIn, {"year": form.get("year", "")}))
    return _done(request, session, principal, worker_id, tried, form, "promote")


@router.post("/workforce/workers/{worker_id}/exit", response_class=HTMLResponse)
def exit_form(worker_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    with attempt(session) as tried:
        day = date_field(form.get("on"), t("date"), required=True)
        service.exit_worker(session, principal, worker_id, build(ExitIn, {"on": day, "reason": form.get("reason")}))
    return _done(request, session, principal, worker_id, tried, form, "exit")


def _new_page(request, session, principal, area, *, errors=(), form=None, status=200):
    return render(
        request, "workforce/worker_new.html",
        {"area": area, "communities": reads.communities(session, area.code), "errors": errors, "form": form or {},
         "breadcrumb": crumbs(session, principal, area, "workforce"), **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/workforce/workers/new", response_class=HTMLResponse)
def new_worker_page(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, MANAGE)
    return _new_page(request, session, principal, area)


@router.post("/areas/{code}/workforce/workers/new", response_class=HTMLResponse)
def new_worker(code: str, request: Request, principal: Manager, session: DbSession, form: Form):
    area = area_in_reach(session, principal, code, MANAGE)
    with attempt(session) as tried:
        values = {k: form.get(k, "") for k in ("area_code", "name", "education", "political_status", "qualification",
                                                 "source")}  # fmt: skip
        values |= {k: date_field(form.get(k), t(what), required=k == "work_start") for k, what in DATES.items()}
        if values["area_code"] and not values["area_code"].startswith(code):
            raise InvalidInput(t("choose a community of {name}", name=area.name))
        worker = service.register_worker(session, principal, build(WorkerIn, values))
    if tried.errors:
        return _new_page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/workforce/workers/{worker.id}?registered=1", status_code=303)
