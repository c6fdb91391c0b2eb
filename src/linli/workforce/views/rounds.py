"""Recruitment rounds of a county: the list and a form to open one (/areas/{code}/workforce/rounds), and a
round's page (/workforce/rounds/{id}) with its applicants, their scores, publishing the results and
registering a passed applicant as a worker. A refusal shows the page again (422) with what was typed."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.web.forms import attempt, date_field
from linli.web.templating import render
from linli.workforce import kinds, reads, repository, service
from linli.workforce.schemas import ApplicantIn, ApplicantScoresIn, HireIn, RoundIn
from linli.workforce.views.common import MANAGE, Form, Manager, Reader, build, labels

router = APIRouter(include_in_schema=False)


def _list_page(request, session, principal, area, *, errors=(), form=None, status=200):
    return render(
        request, "workforce/rounds.html",
        {"area": area, "rounds": reads.rounds(session, principal, area.code), "errors": errors, "form": form or {},
         "can_open": len(area.code) == 6 and principal.can(MANAGE, area.code), "year": reads.today().year,
         "breadcrumb": crumbs(session, principal, area, "workforce"), **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/areas/{code}/workforce/rounds", response_class=HTMLResponse)
def rounds_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, reads.READ)
    return _list_page(request, session, principal, area)


@router.post("/areas/{code}/workforce/rounds", response_class=HTMLResponse)
def open_round(code: str, request: Request, principal: Manager, session: DbSession, form: Form):
    area = area_in_reach(session, principal, code, MANAGE)
    with attempt(session) as tried:
        values = {k: form.get(k, "") for k in ("year", "title", "conditions", "written_weight", "interview_weight",
                                                 "pass_mark")}  # fmt: skip
        values |= {"county": code, "posts": {p: form[f"places_{p}"] for p in kinds.POSTS if form.get(f"places_{p}")}}
        found = service.open_round(session, principal, build(RoundIn, values))
    if tried.errors:
        return _list_page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/workforce/rounds/{found.id}", status_code=303)


def _round_page(request, session, principal, round_id: int, *, errors=(), form=None, which="", status=200):
    found = reads.round_out(session, reads.readable_round(session, principal, round_id))
    return render(
        request, "workforce/round.html",
        {"r": found, "can_manage": principal.can(MANAGE, found.county), "errors": errors, "form": form or {},
         "which": which, "communities": reads.communities(session, found.county), "today": reads.today(),
         **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/workforce/rounds/{round_id}", response_class=HTMLResponse)
def round_page(round_id: Id, request: Request, principal: Reader, session: DbSession):
    return _round_page(request, session, principal, round_id)


def _done(request, session, principal, round_id: int, tried, form: dict, which: str):
    if tried.errors:
        return _round_page(request, session, principal, round_id, errors=tried.errors, form=form, which=which,
                           status=422)  # fmt: skip
    return RedirectResponse(f"/workforce/rounds/{round_id}#{which}", status_code=303)


def _round_of(session, principal, applicant_id: int) -> int:
    row = repository.applicant(session, applicant_id)
    if row is None or repository.get_round(session, principal.scope(reads.READ), row.round_id) is None:
        raise NotFound(t("applicant {id} does not exist", id=applicant_id))
    return row.round_id


@router.post("/workforce/rounds/{round_id}/applicants", response_class=HTMLResponse)
def add_applicant(round_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    with attempt(session) as tried:
        values = {k: form.get(k, "") for k in ("name", "education", "political_status", "post")}
        service.add_applicant(session, principal, round_id, build(ApplicantIn, values))
    return _done(request, session, principal, round_id, tried, form, "add")


@router.post("/workforce/applicants/{applicant_id}/scores", response_class=HTMLResponse)
def score_applicant(applicant_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    round_id = _round_of(session, principal, applicant_id)
    with attempt(session) as tried:
        values = {k: form.get(k, "") for k in ("written", "interview")}
        service.score_applicant(session, principal, applicant_id, build(ApplicantScoresIn, values))
    return _done(request, session, principal, round_id, tried, form | {"applicant": applicant_id}, "scores")


@router.post("/workforce/rounds/{round_id}/publish", response_class=HTMLResponse)
def publish(round_id: Id, request: Request, principal: Manager, session: DbSession):
    with attempt(session) as tried:
        service.publish(session, principal, round_id)
    return _done(request, session, principal, round_id, tried, {}, "results")


@router.post("/workforce/applicants/{applicant_id}/hire", response_class=HTMLResponse)
def hire(applicant_id: Id, request: Request, principal: Manager, session: DbSession, form: Form):
    round_id = _round_of(session, principal, applicant_id)
    with attempt(session) as tried:
        start = date_field(form.get("start"), t("from"), required=True)
        area = form.get("area_code", "")
        if area and not codes.is_valid(area):
            area = ""
        worker = service.hire(session, principal, applicant_id, build(HireIn, {"area_code": area, "start": start}))
    if tried.errors:
        return _done(request, session, principal, round_id, tried, form | {"applicant": applicant_id}, "hire")
    return RedirectResponse(f"/workforce/workers/{worker.id}?registered=1", status_code=303)
