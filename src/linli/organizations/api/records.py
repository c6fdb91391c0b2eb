"""An alliance's co-construction agreements with their signed file, meetings and annual reviews
(/api/v1/alliances/{id}/agreements, /meetings, /reviews; /api/v1/org-agreements/{id}/file), and the
communities' annual evaluations of a reported unit (/api/v1/organizations/{id}/evaluations)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.types import Id
from linli.organizations import reads, service
from linli.organizations.api.common import Manager, Reader
from linli.organizations.models import Agreement, AllianceMeeting, AllianceReview, UnitEvaluation
from linli.organizations.schemas.records import (
    AgreementIn,
    AgreementOut,
    EvaluationIn,
    EvaluationOut,
    MeetingIn,
    MeetingOut,
    ReviewIn,
    ReviewOut,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


def _fields(model, row, **extra):
    return model(**{k: getattr(row, k) for k in model.model_fields if k not in extra}, **extra)


def agreement_out(a: Agreement) -> AgreementOut:
    return _fields(AgreementOut, a)


def meeting_out(m: AllianceMeeting) -> MeetingOut:
    return _fields(MeetingOut, m)


def review_out(r: AllianceReview) -> ReviewOut:
    return _fields(ReviewOut, r)


def evaluation_out(e: UnitEvaluation) -> EvaluationOut:
    return _fields(EvaluationOut, e, area_code=codes.unpad(e.area_code))


@router.get("/alliances/{alliance_id}/agreements", response_model=list[AgreementOut], summary="Its agreements")
def list_agreements(alliance_id: Id, principal: Reader, session: DbSession):
    return [agreement_out(a) for a in reads.agreements(session, principal, alliance_id)]


@router.post(
    "/alliances/{alliance_id}/agreements",
    response_model=AgreementOut,
    status_code=201,
    summary="File a co-construction agreement (multipart: its fields and the signed 'file', PDF, JPEG or PNG)",
)
async def add_agreement(
    alliance_id: Id,
    principal: Manager,
    session: DbSession,
    title: str = Form(..., max_length=200),
    signed_on: date = Form(...),
    starts_on: date = Form(...),
    ends_on: date = Form(...),
    file: UploadFile | None = File(None, description="the signed agreement: PDF, JPEG or PNG"),
):
    data = AgreementIn(title=title, signed_on=signed_on, starts_on=starts_on, ends_on=ends_on)
    fh, name = (file.file, file.filename or "") if file is not None else (None, "")
    row = await run_in_threadpool(service.records.add_agreement, session, principal, alliance_id, data, fh, name)
    return agreement_out(row)


@router.get("/org-agreements/{agreement_id}/file", summary="The signed agreement's file")
def agreement_file(agreement_id: Id, principal: Reader, session: DbSession):
    path, name, media = reads.agreement_file(session, principal, agreement_id)
    return FileResponse(path, media_type=media, filename=name)


@router.get("/alliances/{alliance_id}/meetings", response_model=list[MeetingOut], summary="Its meetings")
def list_meetings(alliance_id: Id, principal: Reader, session: DbSession):
    return [meeting_out(m) for m in reads.meetings(session, principal, alliance_id)]


@router.post(
    "/alliances/{alliance_id}/meetings", response_model=MeetingOut, status_code=201, summary="Record a meeting"
)
def add_meeting(alliance_id: Id, body: MeetingIn, principal: Manager, session: DbSession):
    return meeting_out(service.records.add_meeting(session, principal, alliance_id, body))


@router.get("/alliances/{alliance_id}/reviews", response_model=list[ReviewOut], summary="Its annual reviews")
def list_reviews(alliance_id: Id, principal: Reader, session: DbSession):
    return [review_out(r) for r in reads.reviews(session, principal, alliance_id)]


@router.post(
    "/alliances/{alliance_id}/reviews", response_model=ReviewOut, status_code=201, summary="Record a year's review"
)
def add_review(alliance_id: Id, body: ReviewIn, principal: Manager, session: DbSession):
    return review_out(service.records.review(session, principal, alliance_id, body))


@router.get(
    "/organizations/{org_id}/evaluations", response_model=list[EvaluationOut], summary="Its communities' evaluations"
)
def list_evaluations(org_id: Id, principal: Reader, session: DbSession):
    return [evaluation_out(e) for e in reads.evaluations(session, principal, org_id)]


@router.post(
    "/organizations/{org_id}/evaluations",
    response_model=EvaluationOut,
    status_code=201,
    summary="The community's annual evaluation of a unit reported to it",
)
def evaluate(org_id: Id, body: EvaluationIn, principal: Manager, session: DbSession):
    return evaluation_out(service.records.evaluate(session, principal, org_id, body))
