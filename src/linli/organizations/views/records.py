"""Form posts of an alliance's records (a co-construction agreement with its signed file, a meeting, a year's
review) on the alliance's page, and of a community's annual evaluation on a reported unit's page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from linli.authz.deps import DbSession
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.organizations import service
from linli.organizations.schemas.records import AgreementIn, EvaluationIn, MeetingIn, ReviewIn
from linli.organizations.views.alliances import alliance_page
from linli.organizations.views.common import Manager, opt_int, req_date
from linli.organizations.views.registry import org_page
from linli.web.forms import attempt

router = APIRouter(include_in_schema=False)


async def _form(request: Request) -> tuple[dict[str, str], UploadFile | None]:
    data = await request.form()
    upload = data.get("file")
    fields = {k: v for k, v in data.items() if isinstance(v, str)}
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    return fields, upload if has_file else None  # type: ignore[return-value]


@router.post("/alliances/{alliance_id}/agreements", response_class=HTMLResponse)
async def add_agreement(alliance_id: Id, request: Request, principal: Manager, session: DbSession):
    form, upload = await _form(request)
    with attempt(session) as tried:
        data = AgreementIn(
            title=form.get("title", ""), signed_on=req_date(form.get("signed_on", ""), t("signed on")),
            starts_on=req_date(form.get("starts_on", ""), t("agreement starts on")),
            ends_on=req_date(form.get("ends_on", ""), t("agreement ends on")),
        )  # fmt: skip
        fh = upload.file if upload is not None else None
        name = upload.filename or "" if upload is not None else ""
        service.records.add_agreement(session, principal, alliance_id, data, fh, name)
    if tried.refused:
        form = {f"agreement_{k}": v for k, v in form.items()}
        return alliance_page(request, session, principal, alliance_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/alliances/{alliance_id}?done=agreement#agreements", status_code=303)


@router.post("/alliances/{alliance_id}/meetings", response_class=HTMLResponse)
async def add_meeting(alliance_id: Id, request: Request, principal: Manager, session: DbSession):
    form, _upload = await _form(request)
    with attempt(session) as tried:
        data = MeetingIn(
            held_on=req_date(form.get("held_on", ""), t("meeting date")), title=form.get("title", ""),
            attendees=opt_int(form.get("attendees", ""), t("attendees")) or 0, minutes=form.get("minutes", ""),
        )  # fmt: skip
        service.records.add_meeting(session, principal, alliance_id, data)
    if tried.refused:
        form = {f"meeting_{k}": v for k, v in form.items()}
        return alliance_page(request, session, principal, alliance_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/alliances/{alliance_id}?done=meeting#meetings", status_code=303)


@router.post("/alliances/{alliance_id}/reviews", response_class=HTMLResponse)
async def add_review(alliance_id: Id, request: Request, principal: Manager, session: DbSession):
    form, _upload = await _form(request)
    with attempt(session) as tried:
        data = ReviewIn(
            year=opt_int(form.get("year", ""), t("the year")) or 0, grade=form.get("grade", ""),
            summary=form.get("summary", ""),
        )  # fmt: skip
        service.records.review(session, principal, alliance_id, data)
    if tried.refused:
        form = {f"review_{k}": v for k, v in form.items()}
        return alliance_page(request, session, principal, alliance_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/alliances/{alliance_id}?done=review#reviews", status_code=303)


@router.post("/organizations/{org_id}/evaluations", response_class=HTMLResponse)
async def evaluate(org_id: Id, request: Request, principal: Manager, session: DbSession):
    form, _upload = await _form(request)
    with attempt(session) as tried:
        data = EvaluationIn(
            area_code=form.get("area_code", ""), year=opt_int(form.get("year", ""), t("the year")) or 0,
            grade=form.get("grade", ""), comment=form.get("comment", ""),
        )  # fmt: skip
        service.records.evaluate(session, principal, org_id, data)
    if tried.refused:
        form = {f"evaluation_{k}": v for k, v in form.items()}
        return org_page(request, session, principal, org_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/organizations/{org_id}?done=evaluated#evaluations", status_code=303)
