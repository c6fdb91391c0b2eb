"""The registry (/api/v1/organizations) and the accounts that act for an organization."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from linli.authz.deps import DbSession
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.organizations import reads, service
from linli.organizations.api.common import (
    AREA,
    Manager,
    Reader,
    org_out,
)
from linli.organizations.schemas import (
    ContactIn,
    ContactOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


@router.get("/organizations", response_model=Page[OrganizationOut], summary="Organizations in one's areas")
def list_organizations(
    principal: Reader,
    session: DbSession,
    area: str | None = AREA,
    kind: str | None = Query(None, max_length=32),
    q: str | None = Query(None, max_length=100, description="words of the name"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.organizations(session, principal, area, kind=kind, q=q, offset=pp.offset, limit=pp.size)
    return Page(items=[org_out(o) for o in items], total=total, page=pp.page, size=pp.size)


@router.post("/organizations", response_model=OrganizationOut, status_code=201, summary="Register an organization")
def create_organization(body: OrganizationIn, principal: Manager, session: DbSession):
    return org_out(service.registry.create(session, principal, body))


@router.get("/organizations/{org_id}", response_model=OrganizationOut, summary="An organization")
def get_organization(org_id: Id, principal: Reader, session: DbSession):
    return org_out(reads.organization(session, principal, org_id))


@router.patch("/organizations/{org_id}", response_model=OrganizationOut, summary="Change an organization")
def update_organization(org_id: Id, body: OrganizationUpdate, principal: Manager, session: DbSession):
    return org_out(service.registry.update(session, principal, org_id, body))


@router.get("/organizations/{org_id}/contacts", response_model=list[ContactOut], summary="Who acts for it")
def list_contacts(org_id: Id, principal: Reader, session: DbSession):
    rows = reads.contacts(session, principal, org_id)
    return [ContactOut(user_id=i, username=u, display_name=d) for i, u, d in rows]


@router.post("/organizations/{org_id}/contacts", response_model=ContactOut, status_code=201, summary="Link a contact")
def add_contact(org_id: Id, body: ContactIn, principal: Manager, session: DbSession):
    link = service.registry.add_contact(session, principal, org_id, body.username)
    found = {i: (u, d) for i, u, d in reads.contacts(session, principal, org_id)}
    username, display = found[link.user_id]
    return ContactOut(user_id=link.user_id, username=username, display_name=display)


@router.delete("/organizations/{org_id}/contacts/{user_id}", status_code=204, summary="Unlink a contact")
def remove_contact(org_id: Id, user_id: Id, principal: Manager, session: DbSession):
    service.registry.remove_contact(session, principal, org_id, user_id)
    return Response(status_code=204)


# --- alliances -------------------------------------------------------------------------------------
