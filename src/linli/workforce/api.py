"""JSON API of the workforce (/api/v1/workforce): workers, posts, levels, assessments, promotions, the
rules of an area and year, staffing against the rule, and the monthly pay run with its pay table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.pdf import PDF_MEDIA_TYPE
from linli.kit.types import Id
from linli.workforce import payroll, reads, repository, service
from linli.workforce.schemas import (
    ApplicantIn,
    ApplicantScoresIn,
    AssessmentIn,
    ExitIn,
    FlagOut,
    HireIn,
    PayRunIn,
    PayRunOut,
    PostIn,
    PromoteIn,
    RoundIn,
    RoundOut,
    ScoresIn,
    SettingIn,
    SettingOut,
    StaffingOut,
    WorkerDetail,
    WorkerIn,
    WorkerOut,
)

router = APIRouter(prefix="/api/v1/workforce", tags=["workforce"])
Reader = Annotated[Principal, Depends(Require(Permission.workforce_read))]
Manager = Annotated[Principal, Depends(Require(Permission.workforce_manage))]
Payer = Annotated[Principal, Depends(Require(Permission.workforce_pay))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/workers", response_model=Page[WorkerOut], summary="Community workers inside an area")
def list_workers(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, max_length=12, description="area code: workers serving it or beneath it"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.workers(session, principal, area, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/workers", response_model=WorkerDetail, status_code=201, summary="Register a community worker")
def register_worker(body: WorkerIn, principal: Manager, session: DbSession):
    return reads.detail(session, service.register_worker(session, principal, body))


@router.get("/me", response_model=WorkerDetail, summary="My own post, level, assessments and next promotion")
def my_record(principal: SignedIn, session: DbSession):
    return reads.detail(session, reads.my_worker(session, principal))


@router.get("/workers/{worker_id}", response_model=WorkerDetail, summary="A worker with posts, levels, assessments")
def get_worker(worker_id: Id, principal: Reader, session: DbSession):
    return reads.detail(session, reads.readable_worker(session, principal, worker_id))


@router.post("/workers/{worker_id}/posts", response_model=WorkerDetail, summary="Put a worker in a post at a level")
def assign_post(worker_id: Id, body: PostIn, principal: Manager, session: DbSession):
    service.assign_post(session, principal, worker_id, body)
    return reads.detail(session, reads.readable_worker(session, principal, worker_id))


@router.post("/workers/{worker_id}/exit", response_model=WorkerDetail, summary="Record that a worker left")
def exit_worker(worker_id: Id, body: ExitIn, principal: Manager, session: DbSession):
    return reads.detail(session, service.exit_worker(session, principal, worker_id, body))


@router.post("/workers/{worker_id}/assessments", response_model=WorkerDetail, summary="Record an annual assessment")
def record_assessment(worker_id: Id, body: AssessmentIn, principal: Manager, session: DbSession):
    service.record_assessment(session, principal, worker_id, body)
    return reads.detail(session, reads.readable_worker(session, principal, worker_id))


@router.post("/workers/{worker_id}/promotions", response_model=WorkerDetail, summary="Promote one level from 1 Jan")
def promote(worker_id: Id, body: PromoteIn, principal: Manager, session: DbSession):
    service.promote(session, principal, worker_id, body)
    return reads.detail(session, reads.readable_worker(session, principal, worker_id))


@router.get("/staffing", response_model=list[StaffingOut], summary="Communities' staffing against the county rule")
def staffing(principal: Reader, session: DbSession, area: str = Query(max_length=12)):
    return reads.staffing(session, principal, area)


@router.get("/settings", response_model=list[SettingOut], summary="The rules of one's areas and above them")
def list_settings(principal: Reader, session: DbSession):
    rows = repository.settings_in(session, principal.scope(Permission.workforce_read))
    return [reads.setting_out(session, s) for s in rows]


@router.put("/settings", response_model=SettingOut, summary="Set the rules of an area for a year")
def save_setting(body: SettingIn, principal: Manager, session: DbSession):
    return reads.setting_out(session, service.save_setting(session, principal, body))


@router.post("/pay-runs/preview", response_model=PayRunOut, summary="The month's pay lines, explained, unsaved")
def preview_pay(body: PayRunIn, principal: Payer, session: DbSession):
    return reads.run_out(session, payroll.compute(session, principal, body.county, body.month))


@router.post("/pay-runs", response_model=PayRunOut, status_code=201, summary="Confirm the month's pay run")
def confirm_pay(body: PayRunIn, principal: Payer, session: DbSession):
    saved = payroll.confirm(session, principal, body.county, body.month)
    _, run = reads.saved_run(session, principal, saved.id)
    return reads.run_out(session, run, saved.id)


@router.get("/pay-runs/{run_id}", response_model=PayRunOut, summary="A confirmed pay run")
def get_pay_run(run_id: Id, principal: Payer, session: DbSession):
    saved, run = reads.saved_run(session, principal, run_id)
    return reads.run_out(session, run, saved.id)


@router.get("/pay-runs/{run_id}/table.xlsx", summary="The pay table as a spreadsheet")
def pay_table_xlsx(run_id: Id, principal: Payer, session: DbSession):
    saved, run = reads.saved_run(session, principal, run_id)
    body = reads.pay_table_xlsx(session, reads.run_out(session, run, saved.id))
    disposition = f'attachment; filename="pay-{codes.unpad(saved.area_code)}-{saved.month}.xlsx"'
    return Response(body, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get("/pay-runs/{run_id}/table.pdf", summary="The pay table, printable")
def pay_table_pdf(run_id: Id, principal: Payer, session: DbSession):
    saved, run = reads.saved_run(session, principal, run_id)
    return Response(reads.pay_table_pdf(session, reads.run_out(session, run, saved.id)), media_type=PDF_MEDIA_TYPE)


@router.post("/workers/{worker_id}/scores", response_model=WorkerDetail, summary="The raters' scores of a year")
def record_scores(worker_id: Id, body: ScoresIn, principal: Manager, session: DbSession):
    service.record_scores(session, principal, worker_id, body)
    return reads.detail(session, reads.readable_worker(session, principal, worker_id))


@router.get("/flags", response_model=list[FlagOut], summary="Workers to review for dismissal by the county rule")
def dismissal_flags(principal: Reader, session: DbSession, area: str = Query(max_length=12)):
    return reads.flags(session, principal, area)


@router.get("/rounds", response_model=list[RoundOut], summary="Recruitment rounds inside an area")
def list_rounds(principal: Reader, session: DbSession, area: str = Query(max_length=12)):
    return reads.rounds(session, principal, area)


@router.post("/rounds", response_model=RoundOut, status_code=201, summary="Open a recruitment round")
def open_round(body: RoundIn, principal: Manager, session: DbSession):
    return reads.round_out(session, service.open_round(session, principal, body))


@router.get("/rounds/{round_id}", response_model=RoundOut, summary="A round with its applicants")
def get_round(round_id: Id, principal: Reader, session: DbSession):
    return reads.round_out(session, reads.readable_round(session, principal, round_id))


@router.post("/rounds/{round_id}/applicants", response_model=RoundOut, status_code=201, summary="Add an applicant")
def add_applicant(round_id: Id, body: ApplicantIn, principal: Manager, session: DbSession):
    service.add_applicant(session, principal, round_id, body)
    return reads.round_out(session, reads.readable_round(session, principal, round_id))


@router.post("/applicants/{applicant_id}/scores", response_model=RoundOut, summary="An applicant's two scores")
def score_applicant(applicant_id: Id, body: ApplicantScoresIn, principal: Manager, session: DbSession):
    row = service.score_applicant(session, principal, applicant_id, body)
    return reads.round_out(session, reads.readable_round(session, principal, row.round_id))


@router.post("/rounds/{round_id}/publish", response_model=RoundOut, summary="Rank, pass and publish the results")
def publish_round(round_id: Id, principal: Manager, session: DbSession):
    return reads.round_out(session, service.publish(session, principal, round_id))


@router.post(
    "/applicants/{applicant_id}/hire", response_model=WorkerDetail, status_code=201,
    summary="Register a passed applicant as a worker in their post",
)  # fmt: skip
def hire(applicant_id: Id, body: HireIn, principal: Manager, session: DbSession):
    return reads.detail(session, service.hire(session, principal, applicant_id, body))
