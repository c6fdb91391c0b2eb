"""JSON API of warnings (/api/v1/warnings) and the CAP endpoints (/cap/…): documents, feeds, the push.

The CAP documents and feeds of public warnings (scope Public, status Actual) are public; anything
else answers 404 there. The push takes a CAP document from a warning agency's system, authenticated
by an API token of an account holding warnings.issue at the warning's areas.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from linli.alerts import cap, confirm, repository, service
from linli.alerts.kinds import COLOURS
from linli.alerts.models import WarningMessage
from linli.alerts.schemas import (
    Accepted,
    AreaOut,
    AreaProgressOut,
    ChannelCountsOut,
    ConfirmationOut,
    ConfirmIn,
    LiftIn,
    MessageOut,
    ProgressOut,
    UpdateIn,
    WarningDetail,
    WarningIn,
)
from linli.authz.deps import DbSession, Require, public
from linli.authz.permissions import Permission, refusal
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Forbidden, NotFound
from linli.kit.i18n import t
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.time import utcnow

router = APIRouter(tags=["warnings"])
READ = Require(Permission.warnings_read)
ISSUE = Require(Permission.warnings_issue)
Reader = Annotated[Principal, Depends(READ)]
Issuer = Annotated[Principal, Depends(ISSUE)]
CAP_TYPE = "application/cap+xml"


def message_out(m: WarningMessage, area_codes: list[str]) -> MessageOut:
    return MessageOut(
        identifier=m.identifier,
        thread=m.thread,
        msg_type=m.msg_type,
        status=m.status,
        scope=m.scope,
        sender=m.sender,
        sender_name=m.sender_name,
        agency_code=m.agency_code,
        event_type=m.event_type,
        event=m.event,
        colour=m.colour,
        level=COLOURS[m.colour].level,
        severity=m.severity,
        urgency=m.urgency,
        certainty=m.certainty,
        headline=m.headline,
        description=m.description,
        instruction=m.instruction,
        sent=m.sent,
        effective=m.effective,
        onset=m.onset,
        expires=m.expires,
        references=m.references,
        is_current=m.is_current,
        lifted=m.lifted,
        area_codes=area_codes,
        generated=m.generated,
        cap_url=f"/cap/alerts/{m.identifier}.xml",
    )


def detail(session: Session, m: WarningMessage, principal: Principal) -> WarningDetail:
    msgs = repository.chain(session, m, principal)
    cov = repository.coverage_of(session, [x.id for x in msgs])
    areas = [
        AreaOut(area_desc=a.area_desc, polygons=a.polygons, circles=a.circles, geocodes=a.geocodes)
        for a in repository.areas_of(session, m)
    ]
    return WarningDetail(
        **message_out(m, cov[m.id]).model_dump(),
        areas=areas,
        chain=[message_out(x, cov[x.id]) for x in msgs],
    )


@router.get("/api/v1/warnings", response_model=Page[MessageOut], summary="Warning messages, newest first")
def list_warnings(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, description="area code: warnings covering it, its ancestors or its subtree"),
    current: bool | None = Query(None, description="true: warnings in force (latest message, not lifted)"),
    type: str | None = Query(None, description="warning type, e.g. lightning"),
    pp: PageParams = Depends(page_params),
):
    items, total = repository.list_messages(
        session, principal, area_code=area, current=current, event_type=type, offset=pp.offset, limit=pp.size
    )
    cov = repository.coverage_of(session, [m.id for m in items])
    return Page(items=[message_out(m, cov[m.id]) for m in items], total=total, page=pp.page, size=pp.size)


@router.post("/api/v1/warnings", response_model=WarningDetail, status_code=201, summary="Issue a warning (Alert)")
def issue_warning(body: WarningIn, principal: Issuer, session: DbSession):
    return detail(session, service.issue(session, principal, body), principal)


@router.get("/api/v1/warnings/{identifier}", response_model=WarningDetail, summary="A message with its warning's chain")
def get_warning(identifier: str, principal: Reader, session: DbSession):
    return detail(session, repository.get_visible(session, principal, identifier), principal)


@router.post(
    "/api/v1/warnings/{identifier}/updates",
    response_model=WarningDetail,
    status_code=201,
    summary="Update the warning, or raise or lower its colour (an Update message)",
)
def update_warning(
    identifier: str,
    body: UpdateIn,
    principal: Issuer,
    session: DbSession,
):
    return detail(session, service.update(session, principal, identifier, body), principal)


@router.post(
    "/api/v1/warnings/{identifier}/lift",
    response_model=WarningDetail,
    status_code=201,
    summary="Lift (解除) the warning (a Cancel message)",
)
def lift_warning(
    identifier: str,
    body: LiftIn,
    principal: Issuer,
    session: DbSession,
):
    return detail(session, service.lift(session, principal, identifier, body), principal)


def confirmation_out(c) -> ConfirmationOut:
    return ConfirmationOut(
        id=c.id,
        thread=c.thread,
        message_id=c.message_id,
        user_id=c.user_id,
        area_code=codes.unpad(c.area_code),
        kind=c.kind,
        note=c.note,
        event_id=c.event_id,
        at=c.at,
    )


@router.post(
    "/api/v1/warnings/{identifier}/confirmations",
    response_model=ConfirmationOut,
    status_code=201,
    summary="Confirm a warning one was sent (received / patrolled_ok / danger_found, which files an event)",
)
def confirm_warning(
    identifier: str,
    body: ConfirmIn,
    principal: Reader,
    session: DbSession,
):
    row, created = confirm.confirm(
        session,
        principal,
        identifier,
        body.kind,
        note=body.note,
        lon=body.lon,
        lat=body.lat,
        category_code=body.category_code,
    )
    out = confirmation_out(row)
    return out if created else JSONResponse(out.model_dump(mode="json"), status_code=200)


@router.get(
    "/api/v1/warnings/{identifier}/confirmations",
    response_model=list[ConfirmationOut],
    summary="Confirmations of a warning: one's own and those in one's deliveries.manage scope",
)
def list_confirmations(identifier: str, principal: Reader, session: DbSession):
    return [confirmation_out(c) for c in confirm.list_confirmations(session, principal, identifier)]


def _area_progress_out(a) -> AreaProgressOut:
    return AreaProgressOut(
        area_code=a.code,
        name=a.name,
        staff=a.staff,
        reached=a.reached,
        confirmed=a.confirmed,
        patrolled_ok=a.patrolled_ok,
        danger_found=a.danger_found,
        overdue=a.overdue,
        residents={
            ch: ChannelCountsOut(total=c.total, delivered=c.delivered, failed=c.failed, pending=c.pending)
            for ch, c in a.residents.items()
        },
    )


@router.get(
    "/api/v1/warnings/{identifier}/progress",
    response_model=ProgressOut,
    summary="How far a warning got, by child area: staff reached, confirmed, overdue; residents by channel",
)
def warning_progress(
    identifier: str,
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, description="area code (default: the warning's area)"),
):
    m = repository.get_visible(session, principal, identifier)
    code = confirm.progress_area(principal, m, area)
    if code is None:
        raise Forbidden(refusal(Permission.deliveries_manage))
    p = confirm.progress(session, m, code)
    return ProgressOut(
        area_code=p.area_code,
        confirm_minutes=p.minutes,
        total=_area_progress_out(p.total),
        areas=[_area_progress_out(a) for a in p.rows],
    )


def _receive(session: Session, principal: Principal, body: bytes) -> tuple[WarningMessage, bool]:
    return service.receive(session, principal, cap.parse(body), source="pushed")


@router.post(
    "/cap/push",
    response_model=Accepted,
    status_code=201,
    summary="Push a CAP 1.2 document (201 new, 200 already known, 422 with the schema errors)",
    openapi_extra={"requestBody": {"required": True, "content": {CAP_TYPE: {"schema": {"type": "string"}}}}},
)
async def push(
    request: Request,
    principal: Issuer,
    session: DbSession,
):
    # The body is no parameter: FastAPI would read all of it before the token is checked. Here the
    # dependencies (the token) come first, then the body streams in under LINLI_CAP_PUSH_MAX_KB, which
    # the body-limit middleware enforces for this route (linli.web.body_limit, class "cap").
    body = await request.body()
    message, created = await run_in_threadpool(_receive, session, principal, body)
    out = Accepted(identifier=message.identifier, created=created)
    return out if created else JSONResponse(out.model_dump(), status_code=200)


@router.get(
    "/cap/alerts/{identifier}.xml", dependencies=[Depends(public)], summary="A public warning message as CAP 1.2"
)
def cap_document(identifier: str, session: DbSession):
    m = repository.by_identifier(session, identifier)
    if m is None or not m.public:
        raise NotFound(t("warning {identifier} does not exist", identifier=identifier))
    return Response(cap.to_cap_xml(session, m), media_type=CAP_TYPE)


@router.get(
    "/cap/{area_code}.atom",
    dependencies=[Depends(public)],
    summary="Atom feed of the public warnings in force for an area (its ancestors' and subtree's too)",
)
def cap_feed(area_code: str, request: Request, session: DbSession):
    area = repository.area(session, area_code) if codes.is_valid(area_code) else None
    if area is None:
        raise NotFound(t("area {code} does not exist", code=area_code))
    now = utcnow()
    items = repository.feed_messages(session, area_code, now=now)
    body = cap.atom_feed(items, area_code=area_code, area_name=area.name, base_url=str(request.base_url), now=now)
    return Response(body, media_type="application/atom+xml")
