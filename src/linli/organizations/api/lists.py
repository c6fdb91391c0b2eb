"""Needs, resources and projects (/api/v1/org-needs, /api/v1/org-resources, /api/v1/org-projects)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.organizations import reads, service
from linli.organizations.api.common import (
    Actor,
    Manager,
    Reader,
    need_out,
    project_out,
    resource_out,
)
from linli.organizations.schemas import (
    ClaimIn,
    NeedIn,
    NeedOut,
    ProjectOut,
    RatingIn,
    ResourceOut,
    ResultIn,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


@router.get("/org-needs", response_model=Page[NeedOut], summary="Needs raised in an area")
def list_needs(
    principal: Reader,
    session: DbSession,
    area: str = Query(..., max_length=15),
    status: str | None = Query(None, pattern="^(open|claimed|met|closed)$"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.needs(session, principal, area, status=status, offset=pp.offset, limit=pp.size)
    return Page(items=[need_out(n) for n in items], total=total, page=pp.page, size=pp.size)


@router.post("/org-needs", response_model=NeedOut, status_code=201, summary="Record a need (from an event too)")
def create_need(body: NeedIn, principal: Manager, session: DbSession):
    return need_out(service.lists.record_need(session, principal, body))


@router.get("/org-needs/{need_id}", response_model=NeedOut, summary="A need")
def get_need(need_id: Id, principal: Reader, session: DbSession):
    return need_out(reads.need(session, principal, need_id))


@router.post("/org-needs/{need_id}/close", response_model=NeedOut, summary="Close an open need")
def close_need(need_id: Id, principal: Manager, session: DbSession):
    return need_out(service.lists.close_need(session, principal, need_id))


@router.post("/org-needs/{need_id}/claim", response_model=ProjectOut, status_code=201, summary="Claim a need")
def claim_need(need_id: Id, body: ClaimIn, principal: Actor, session: DbSession):
    return project_out(service.lists.claim(session, principal, need_id, body))


@router.post("/org-resources/{resource_id}/withdraw", response_model=ResourceOut, summary="Withdraw a resource")
def withdraw_resource(resource_id: Id, principal: Actor, session: DbSession):
    return resource_out(service.lists.withdraw_resource(session, principal, resource_id))


@router.get("/org-projects/{project_id}", response_model=ProjectOut, summary="A project")
def get_project(project_id: Id, principal: Reader, session: DbSession):
    return project_out(reads.project(session, principal, project_id))


@router.post("/org-projects/{project_id}/result", response_model=ProjectOut, summary="Record the result")
def project_result(project_id: Id, body: ResultIn, principal: Actor, session: DbSession):
    return project_out(service.lists.record_result(session, principal, project_id, body))


@router.post("/org-projects/{project_id}/drop", response_model=ProjectOut, summary="Give the project up")
def drop_project(project_id: Id, principal: Actor, session: DbSession):
    return project_out(service.lists.drop_project(session, principal, project_id))


@router.post("/org-projects/{project_id}/rating", response_model=ProjectOut, summary="Residents' rating (1–5)")
def rate_project(project_id: Id, body: RatingIn, principal: Manager, session: DbSession):
    return project_out(service.lists.rate(session, principal, project_id, body))


# --- dual reporting and counts ---------------------------------------------------------------------
