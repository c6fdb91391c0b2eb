"""JSON API of the facilities domain (/api/v1): facilities with rooms, hours, accessibility and photos;
the report per area (communities over 500 and 1,000 m², villages' average); happy-community sites and
their reviews; elderly university branches, classes and enrolments (at the desk, or one's own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from linli.authz.deps import DbSession, Require, public
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.facilities import files, reads, repository, service
from linli.facilities.schemas import (
    BranchIn,
    BranchOut,
    ClassDetail,
    ClassIn,
    EnrolmentIn,
    FacilityIn,
    FacilityOut,
    HappyReviewIn,
    HappySiteIn,
    HappySiteOut,
    ReportOut,
)
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["facilities"])
Reader = Annotated[Principal, Depends(Require(Permission.facilities_read))]
Manager = Annotated[Principal, Depends(Require(Permission.facilities_manage))]
Enroller = Annotated[Principal, Depends(Require(Permission.facilities_enrol))]
Area = Query(None, max_length=12, description="area code: rows in it or beneath it")


@router.get("/facilities", response_model=Page[FacilityOut], summary="Service facilities inside an area")
def list_facilities(
    principal: Reader, session: DbSession, area: str | None = Area, pp: PageParams = Depends(page_params)
):
    items, total = reads.facilities(session, principal, area, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/facilities", response_model=FacilityOut, status_code=201, summary="Record a service facility")
def create_facility(body: FacilityIn, principal: Manager, session: DbSession):
    return reads.facility_outs(session, [service.create_facility(session, principal, body)])[0]


@router.get("/facilities/report", response_model=ReportOut, summary="Facility figures of an area, per child area")
def facility_report(principal: Reader, session: DbSession, area: str = Query(max_length=12)):
    return reads.report(session, principal, area)


@router.get("/facilities/{facility_id}", response_model=FacilityOut, summary="A service facility")
def get_facility(facility_id: Id, principal: Reader, session: DbSession):
    return reads.facility_outs(session, [reads.readable_facility(session, principal, facility_id)])[0]


@router.put("/facilities/{facility_id}", response_model=FacilityOut, summary="Replace a facility's description")
def update_facility(facility_id: Id, body: FacilityIn, principal: Manager, session: DbSession):
    return reads.facility_outs(session, [service.update_facility(session, principal, facility_id, body)])[0]


@router.post(
    "/facilities/{facility_id}/photos", response_model=FacilityOut, status_code=201,
    summary="Add a photo (multipart field 'file': JPEG or PNG)",
)  # fmt: skip
async def add_photo(
    facility_id: Id, principal: Manager, session: DbSession, file: UploadFile = File(..., description="JPEG or PNG")
):
    await run_in_threadpool(service.add_photo, session, principal, facility_id, file.file, file.filename or "")
    facility = await run_in_threadpool(reads.readable_facility, session, principal, facility_id)
    return (await run_in_threadpool(reads.facility_outs, session, [facility]))[0]


@router.get("/facility-photos/{photo_id}", dependencies=[Depends(public)], summary="A facility's photo (public)")
def get_photo(photo_id: Id, session: DbSession):
    photo = repository.photo(session, photo_id)
    if photo is None or not files.path_of(photo.sha256).exists():
        raise NotFound(t("photo {id} does not exist", id=photo_id))
    return FileResponse(files.path_of(photo.sha256), media_type=photo.content_type,
                        headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip


@router.get(
    "/public/places/{code}/facilities", response_model=list[FacilityOut], dependencies=[Depends(public)],
    summary="The facilities of a community or village, with opening hours (public)",
)  # fmt: skip
def public_facilities(code: str, session: DbSession):
    return reads.public_place(session, code)["facilities"]


@router.get("/happy-sites", response_model=list[HappySiteOut], summary="Happy-community demonstration sites")
def list_sites(principal: Reader, session: DbSession, area: str | None = Area):
    return reads.site_outs(session, repository.happy_sites(session, principal.scope(service.READ), area))


@router.post("/happy-sites", response_model=HappySiteOut, status_code=201, summary="Designate a site (county)")
def designate_site(body: HappySiteIn, principal: Manager, session: DbSession):
    return reads.site_outs(session, [service.designate_site(session, principal, body)])[0]


@router.post(
    "/happy-sites/{site_id}/reviews", response_model=HappySiteOut, status_code=201, summary="Record a site's review"
)
def review_site(site_id: Id, body: HappyReviewIn, principal: Manager, session: DbSession):
    service.review_site(session, principal, site_id, body)
    return reads.site_outs(session, [repository.get_happy_site(session, principal.scope(service.READ), site_id)])[0]


@router.get("/elder-branches", response_model=list[BranchOut], summary="Elderly university branches and classes")
def list_branches(principal: Reader, session: DbSession, area: str | None = Area):
    return reads.branch_outs(session, repository.branches(session, principal.scope(service.READ), area))


@router.post("/elder-branches", response_model=BranchOut, status_code=201, summary="Open an elderly university branch")
def create_branch(body: BranchIn, principal: Manager, session: DbSession):
    return reads.branch_outs(session, [service.create_branch(session, principal, body)])[0]


@router.post("/elder-branches/{branch_id}/classes", response_model=ClassDetail, status_code=201, summary="Add a class")
def add_class(branch_id: Id, body: ClassIn, principal: Manager, session: DbSession):
    return reads.class_detail(session, principal, service.add_class(session, principal, branch_id, body).id)


@router.get("/elder-classes/{class_id}", response_model=ClassDetail, summary="A class with its enrolments")
def get_class(class_id: Id, principal: Reader, session: DbSession):
    return reads.class_detail(session, principal, class_id)


@router.post(
    "/elder-classes/{class_id}/enrolments", response_model=ClassDetail, status_code=201,
    summary="Enrol someone at the desk (refused when the class is full)",
)  # fmt: skip
def enrol_at_desk(class_id: Id, body: EnrolmentIn, principal: Manager, session: DbSession):
    service.enrol_at_desk(session, principal, class_id, body)
    return reads.class_detail(session, principal, class_id)


@router.post(
    "/elder-classes/{class_id}/enrol", response_model=list[BranchOut], status_code=201,
    summary="Enrol oneself (a resident of the branch's township); answers the classes one may join",
)  # fmt: skip
def enrol_self(class_id: Id, principal: Enroller, session: DbSession):
    service.enrol_self(session, principal, class_id)
    return reads.my_classes(session, principal)["branches"]


@router.post(
    "/elder-classes/{class_id}/withdraw", response_model=list[BranchOut], summary="Withdraw one's own enrolment"
)
def withdraw_self(class_id: Id, principal: Enroller, session: DbSession):
    service.withdraw_self(session, principal, class_id)
    return reads.my_classes(session, principal)["branches"]
