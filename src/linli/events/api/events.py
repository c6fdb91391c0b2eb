"""JSON API of events: report, list, detail, transitions, supervision, "me too", photos, stats, map."""

from __future__ import annotations

import gzip
import json
from typing import Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse

from linli.authz.deps import DbSession
from linli.config import get_settings
from linli.events import catalog, photos, reporting, service
from linli.events import intake as intake_mod
from linli.events.api.common import Manager, Reader, Reporter, ReporterLater
from linli.events.repository import reads
from linli.events.schemas import (
    ContactOut,
    Duplicate,
    EventDetail,
    EventOut,
    NoteIn,
    PhotoOut,
    ReportIn,
    ReportOut,
    ReportPlaceOut,
    StatsOut,
    TimelineEntry,
    TransitionIn,
)
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["events"])


@router.post("/event-photos", response_model=PhotoOut, status_code=201, summary="Upload a photo (EXIF is removed)")
async def upload_photo(
    principal: Reporter,
    session: DbSession,
    file: UploadFile = File(..., description="JPEG, PNG or WebP"),
):
    limit = get_settings().event_photo_max_bytes
    raw = await file.read(limit + 1)
    photo = photos.upload(session, principal, raw)
    point = [photo.exif_lon, photo.exif_lat] if photo.exif_lon is not None else None
    return PhotoOut(
        id=photo.id,
        stage=None,
        url=f"/api/v1/event-photos/{photo.id}",
        width=photo.width,
        height=photo.height,
        exif_point=point,
    )


@router.get("/event-photos/{photo_id}", summary="A photo of an event one may see (or one's own upload)")
def get_photo(photo_id: Id, principal: Reader, session: DbSession):
    photo = photos.readable(session, principal, photo_id)
    return FileResponse(photos.path_of(photo), media_type=photo.media_type, headers={"Cache-Control": "private"})


@router.post("/events", response_model=ReportOut, status_code=201, summary="Report an event")
async def report(
    request: Request,
    body: ReportIn,
    who: ReporterLater,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    # The busiest route: a bearer token is checked with the report, in the intake's batch (see
    # linli.events.intake); without batching (tests), in a transaction of the report's own.
    intake = request.app.state.intake
    if intake is not None:
        content, created = await intake.submit(who, body, idempotency_key)
    else:
        factory = request.app.state.session_factory
        content, created = await run_in_threadpool(intake_mod.report_alone, factory, who, body, idempotency_key)
    # Answered directly, not through response_model (which validates the model a second time): every
    # report passes here. A repeated Idempotency-Key gets the first answer again, with 200.
    return JSONResponse(content, status_code=201 if created else 200)


@router.get("/events", response_model=Page[EventOut], summary="Events, filtered; newest first")
def list_events(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, description="area code: events in its subtree"),
    state: list[str] = Query(default=[], description="one or more states"),
    category: str | None = Query(None, description="category code (a 大类 includes its 小类)"),
    unit_id: Id | None = Query(None),
    overdue: bool | None = Query(None),
    mine: bool = Query(False, description="only events I reported"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.list_events(
        session,
        principal,
        area_code=area,
        states=state,
        category=category,
        unit_id=unit_id,
        overdue=overdue,
        mine=mine,
        offset=pp.offset,
        limit=pp.size,
    )
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.get(
    "/events/duplicates",
    response_model=list[Duplicate],
    summary="Open events of the category within 250 m in the last 30 days (before reporting)",
)
def duplicates(
    principal: Reporter,
    session: DbSession,
    category: str = Query(...),
    lon: float = Query(...),
    lat: float = Query(...),
):
    cat = catalog.reportable_category(session, category)
    reporting.locate_for_report(session, principal, lon, lat)
    return reporting.possible_duplicates(session, principal, cat.code, lon, lat)


@router.get("/events/stats", response_model=StatsOut, summary="Counts by state and overdue rate, per child area")
def stats(principal: Reader, session: DbSession, area: str = Query(...)):
    return reads.stats(session, principal, area)


@router.get("/events/map", summary="GeoJSON of the open events of an area")
def events_map(
    principal: Reader,
    session: DbSession,
    area: str = Query(...),
    limit: int = Query(5000, ge=1, le=20000),
) -> dict[str, Any]:
    return reads.open_events_geojson(session, principal, area, limit)


@router.get(
    "/events/map-points",
    summary="The open events of an area for the clustered map, compactly (columns of differences; see docs/events.md)",
)
def events_map_points(request: Request, principal: Reader, session: DbSession, area: str = Query(...)) -> Response:
    return _json_compressed(request, reads.open_events_points(session, principal, area))


def _json_compressed(request: Request, data: dict[str, Any]) -> Response:
    """JSON, gzip-compressed when the client accepts it (the map's points shrink to about a third)."""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {"Vary": "Accept-Encoding"}
    if len(body) > 1024 and "gzip" in request.headers.get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=5)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="application/json", headers=headers)


@router.get(
    "/events/report-place",
    response_model=ReportPlaceOut,
    summary="Before reporting: whether a point lies in an area one may report in, and the grid's name",
)
def report_place(
    principal: Reporter,
    session: DbSession,
    lon: float = Query(..., description="longitude, -180…180 (WGS 84)"),
    lat: float = Query(..., description="latitude, -90…90 (WGS 84)"),
):
    return reporting.report_place(session, principal, lon, lat)


@router.get("/events/{event_id}", response_model=EventDetail, summary="An event with its full timeline")
def get_event(event_id: Id, principal: Reader, session: DbSession):
    return service.detail(session, principal, event_id)


@router.post(
    "/events/{event_id}/contact/reveal",
    response_model=ContactOut,
    summary="The reporter's phone and e-mail in clear (needs events.reveal_contact; audited)",
)
def reveal_contact(
    event_id: Id,
    response: Response,
    principal: Reader,
    session: DbSession,
):
    response.headers["Cache-Control"] = "no-store"
    return service.reveal_contact(session, principal, event_id)


@router.post(
    "/events/{event_id}/transitions",
    response_model=EventOut,
    summary="Take a step: register, reject, cancel, merge, dispatch, accept, return, handle, verify, close, "
    "evaluate, reopen (409 lists the allowed steps)",
)
def transition(
    event_id: Id,
    body: TransitionIn,
    principal: Reader,
    session: DbSession,
):
    event = service.transition(session, principal, event_id, body)
    return service.event_out(session, principal, event, with_actions=True)


@router.post(
    "/events/{event_id}/supervision", response_model=TimelineEntry, status_code=201, summary="A supervision note (督办)"
)
def supervise(
    event_id: Id,
    body: NoteIn,
    principal: Manager,
    session: DbSession,
):
    step = service.supervise(session, principal, event_id, body.note)
    return TimelineEntry(
        at=step.at,
        action=step.action,
        from_state=step.from_state,
        to_state=step.to_state,
        actor=step.actor,
        note=step.note,
    )


@router.post("/events/{event_id}/me-too", response_model=EventOut, summary="'Me too': the same problem affects me")
def me_too(event_id: Id, principal: Reporter, session: DbSession):
    return service.event_out(session, principal, reporting.me_too(session, principal, event_id))
