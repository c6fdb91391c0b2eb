"""Alliances (/api/v1/alliances): member units, the three lists seen from the alliance, matching."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.organizations import matching, reads, service
from linli.organizations.api.common import (
    AREA,
    Actor,
    Manager,
    Reader,
    alliance_out,
    need_out,
    project_out,
    resource_out,
)
from linli.organizations.schemas import (
    AllianceIn,
    AllianceOut,
    MemberIn,
    MemberOut,
    NeedOut,
    ProjectOut,
    ResourceIn,
    ResourceOut,
    SuggestionOut,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


@router.get("/alliances", response_model=Page[AllianceOut], summary="Party-building alliances in one's areas")
def list_alliances(
    principal: Reader, session: DbSession, area: str | None = AREA, pp: PageParams = Depends(page_params)
):
    items, total, members = reads.alliances(session, principal, area, offset=pp.offset, limit=pp.size)
    out = [alliance_out(a, members.get(a.id, 0)) for a in items]
    return Page(items=out, total=total, page=pp.page, size=pp.size)


@router.post("/alliances", response_model=AllianceOut, status_code=201, summary="Found an alliance with its lead unit")
def create_alliance(body: AllianceIn, principal: Manager, session: DbSession):
    return alliance_out(service.alliances.create(session, principal, body), 1)


@router.get("/alliances/{alliance_id}", response_model=AllianceOut, summary="An alliance")
def get_alliance(alliance_id: Id, principal: Reader, session: DbSession):
    a = reads.alliance(session, principal, alliance_id)
    return alliance_out(a, len(reads.members(session, principal, alliance_id)))


@router.get("/alliances/{alliance_id}/members", response_model=list[MemberOut], summary="Its member units")
def list_members(alliance_id: Id, principal: Reader, session: DbSession):
    return [
        MemberOut(
            organization_id=o.id,
            name=o.name,
            kind=o.kind,
            area_code=codes.unpad(o.area_code),
            role=m.role,
            joined_on=m.joined_on,
            cross_area=m.cross_area,
        )  # fmt: skip
        for m, o in reads.members(session, principal, alliance_id)
    ]


@router.post("/alliances/{alliance_id}/members", status_code=204, summary="Admit a member unit")
def add_member(alliance_id: Id, body: MemberIn, principal: Manager, session: DbSession):
    service.alliances.add_member(session, principal, alliance_id, body)
    return Response(status_code=204)


@router.get("/alliances/{alliance_id}/needs", response_model=Page[NeedOut], summary="Needs in the alliance's area")
def alliance_needs(
    alliance_id: Id,
    principal: Reader,
    session: DbSession,
    status: str | None = Query(None, pattern="^(open|claimed|met|closed)$"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.alliance_needs(session, principal, alliance_id, status=status, offset=pp.offset, limit=pp.size)
    return Page(items=[need_out(n) for n in items], total=total, page=pp.page, size=pp.size)


@router.get("/alliances/{alliance_id}/resources", response_model=list[ResourceOut], summary="Resources its units offer")
def alliance_resources(alliance_id: Id, principal: Reader, session: DbSession):
    return [resource_out(r) for r in reads.resources(session, principal, alliance_id)]


@router.post(
    "/alliances/{alliance_id}/resources", response_model=ResourceOut, status_code=201, summary="Offer a resource"
)
def offer_resource(alliance_id: Id, body: ResourceIn, principal: Actor, session: DbSession):
    return resource_out(service.lists.offer_resource(session, principal, alliance_id, body))


@router.get("/alliances/{alliance_id}/projects", response_model=list[ProjectOut], summary="Its projects")
def alliance_projects(alliance_id: Id, principal: Reader, session: DbSession):
    return [project_out(p) for p in reads.projects(session, principal, alliance_id)]


def _suggestions(rows: list[matching.Suggestion]) -> list[SuggestionOut]:
    return [SuggestionOut(**vars(s)) for s in rows]


@router.get(
    "/alliances/{alliance_id}/suggestions",
    response_model=list[SuggestionOut],
    summary="Open needs and the resources that fit them, nearest first",
)
def alliance_suggestions(alliance_id: Id, principal: Reader, session: DbSession):
    return _suggestions(reads.suggestions(session, principal, alliance_id=alliance_id))


@router.get("/org-suggestions", response_model=list[SuggestionOut], summary="Matching suggestions in an area")
def area_suggestions(principal: Reader, session: DbSession, area: str = Query(..., max_length=15)):
    return _suggestions(reads.suggestions(session, principal, area_code=area))


# --- needs, resources, projects --------------------------------------------------------------------
