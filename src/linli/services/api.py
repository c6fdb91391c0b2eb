"""JSON API of services (/api/v1/services): the public catalogue, the catalogue's administration and
XLSX, applications (submit, materials, transitions, the two printed documents) and the figures."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from linli.authz.deps import DbSession, Require, SignedIn, public
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.pdf import PDF_MEDIA_TYPE
from linli.kit.time import utcnow
from linli.kit.types import Id
from linli.services import documents, reads, repository, service, sheet, workflow
from linli.services.repository import Filters
from linli.services.schemas import (
    ApplicationDetail,
    ApplicationIn,
    ApplicationOut,
    ImportOut,
    ItemIn,
    ItemOut,
    OfferDetail,
    OfferIn,
    OfferOut,
    SeenIn,
    StatsRow,
    TransitionIn,
)

router = APIRouter(prefix="/api/v1/services", tags=["services"])
Reader = Annotated[Principal, Depends(Require(Permission.services_read))]
Handler = Annotated[Principal, Depends(Require(Permission.services_handle))]
Manager = Annotated[Principal, Depends(Require(Permission.services_manage))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/catalogue/{code}",
    response_model=list[OfferOut],
    dependencies=[Depends(public)],
    summary="The services enabled at an area (public)",
)
def catalogue(code: str, session: DbSession):
    return [reads.offer_out(o, i) for o, i in repository.offers_at(session, code)]


@router.get(
    "/offers/{offer_id}", response_model=OfferDetail, dependencies=[Depends(public)], summary="A service (public)"
)
def offer(offer_id: Id, session: DbSession):
    o, i = repository.public_offer(session, offer_id)
    return OfferDetail(**reads.offer_out(o, i).model_dump(), item=reads.item_out(i))


@router.post("/items", response_model=ItemOut, status_code=201, summary="Define or change an item (by basic code)")
def save_item(body: ItemIn, principal: Manager, session: DbSession):
    return reads.item_out(service.save_item(session, principal, body))


@router.post("/offers", response_model=OfferOut, status_code=201, summary="Enable an item at an area, localised")
def save_offer(body: OfferIn, principal: Manager, session: DbSession):
    o = service.save_offer(session, principal, body)
    return reads.offer_out(o, repository.item_by_id(session, o.item_id))


@router.get("/catalogue/{code}/catalogue.xlsx", summary="The catalogue of an area's subtree as XLSX")
def export_catalogue(code: str, principal: Manager, session: DbSession):
    data = sheet.export(session, principal, code)
    headers = {"Content-Disposition": 'attachment; filename="catalogue.xlsx"'}
    return Response(data, media_type=XLSX, headers=headers)


@router.post("/catalogue/import", response_model=ImportOut, summary="Import a catalogue XLSX: all of it or nothing")
def import_catalogue(principal: Manager, session: DbSession, file: UploadFile = File(..., description="XLSX")):
    items, offers = sheet.import_file(session, principal, io.BytesIO(file.file.read()))
    return ImportOut(items=items, offers=offers)


@router.get("/applications", response_model=Page[ApplicationOut], summary="Applications inside an area (staff)")
def list_applications(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, max_length=15, description="area code; all one's areas when left out"),
    state: str | None = Query(None, pattern="^(submitted|returned|rejected|in_process|decided|delivered|withdrawn)$"),
    item: Id | None = Query(None, description="item id"),
    overdue: bool = False,
    level: str | None = Query(None, pattern="^(community|township|county)$", description="in process at this level"),
    pp: PageParams = Depends(page_params),
):
    if area:
        reads.check_area(session, principal, area)
    f = Filters(area, state, item, overdue, level)
    rows, total = repository.list_for_area(session, principal, f, utcnow(), offset=pp.offset, limit=pp.size)
    return Page(items=reads.outs(session, rows), total=total, page=pp.page, size=pp.size)


@router.get("/applications/mine", response_model=Page[ApplicationOut], summary="My applications")
def my_applications(principal: SignedIn, session: DbSession, pp: PageParams = Depends(page_params)):
    rows, total = repository.list_mine(session, principal, offset=pp.offset, limit=pp.size)
    return Page(items=reads.outs(session, rows), total=total, page=pp.page, size=pp.size)


@router.post(
    "/applications", response_model=ApplicationDetail, status_code=201, summary="Apply, or register at the counter"
)
def submit(body: ApplicationIn, principal: SignedIn, session: DbSession):
    return reads.detail(session, principal, workflow.submit(session, principal, body))


@router.get("/applications/{application_id}", response_model=ApplicationDetail, summary="An application one may read")
def get_application(application_id: Id, principal: SignedIn, session: DbSession):
    return reads.detail(session, principal, repository.get_readable(session, principal, application_id))


@router.post("/applications/{application_id}/transitions", response_model=ApplicationDetail, summary="Take a step")
def transition(application_id: Id, body: TransitionIn, principal: SignedIn, session: DbSession):
    return reads.detail(session, principal, workflow.transition(session, principal, application_id, body))


@router.post(
    "/applications/{application_id}/materials/{position}",
    response_model=ApplicationDetail,
    summary="Hand in a material as a file (multipart field 'file': PDF, JPEG or PNG)",
)
async def upload(
    application_id: Id,
    position: Annotated[int, Path(ge=0, le=39, description="the item's material, by its place in the list")],
    principal: SignedIn,
    session: DbSession,
    file: UploadFile = File(..., description="PDF, JPEG or PNG"),
):
    app = await run_in_threadpool(
        workflow.upload_material, session, principal, application_id, position, file.file, file.filename or ""
    )
    return await run_in_threadpool(reads.detail, session, principal, app)


@router.post(
    "/applications/{application_id}/seen", response_model=ApplicationDetail, summary="A material seen at the counter"
)
def seen(application_id: Id, body: SeenIn, principal: Handler, session: DbSession):
    return reads.detail(session, principal, workflow.mark_seen(session, principal, application_id, body.position))


@router.get(
    "/applications/{application_id}/notice.pdf", summary="The one-time notice of what is missing (一次性告知书)"
)
def one_time_notice(application_id: Id, principal: SignedIn, session: DbSession):
    pdf = documents.one_time_notice(session, repository.get_readable(session, principal, application_id))
    return Response(pdf, media_type=PDF_MEDIA_TYPE)


@router.get("/applications/{application_id}/receipt.pdf", summary="The acceptance receipt (受理通知书)")
def receipt(application_id: Id, principal: SignedIn, session: DbSession):
    pdf = documents.receipt(session, repository.get_readable(session, principal, application_id))
    return Response(pdf, media_type=PDF_MEDIA_TYPE)


@router.get("/figures", response_model=list[StatsRow], summary="Volumes, on-time rate, working days, visits")
def figures(
    principal: Reader,
    session: DbSession,
    area: str = Query(..., max_length=15),
    by: str = Query("item", pattern="^(item|area)$"),
):
    return reads.figures(session, principal, area, by)
