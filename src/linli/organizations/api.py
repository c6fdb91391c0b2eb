"""JSON API of organizations and social forces: the registry (/api/v1/organizations), alliances and their
three lists (/api/v1/alliances, /api/v1/org-needs, /api/v1/org-resources, /api/v1/org-projects), dual
reporting (/api/v1/member-reports, /api/v1/service-records, /api/v1/service-summary), pairings
(/api/v1/pairings) and the counts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.organizations import counts, matching, reads, service
from linli.organizations.models import (
    Alliance,
    Need,
    Organization,
    Pairing,
    PairingActivity,
    Project,
    Resource,
    ServiceRecord,
)
from linli.organizations.schemas import (
    ActivityIn,
    ActivityOut,
    AllianceIn,
    AllianceOut,
    ClaimIn,
    ContactIn,
    ContactOut,
    CountsOut,
    CountsRowOut,
    MemberIn,
    MemberOut,
    MemberReportIn,
    NeedIn,
    NeedOut,
    OrganizationIn,
    OrganizationOut,
    OrganizationUpdate,
    PairingEndIn,
    PairingIn,
    PairingOut,
    ProjectOut,
    RatingIn,
    ReportOut,
    ResourceIn,
    ResourceOut,
    ResultIn,
    ServiceRecordIn,
    ServiceRecordOut,
    SuggestionOut,
    SummaryOut,
    UnitReportIn,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])
Reader = Annotated[Principal, Depends(Require(Permission.orgs_read))]
Manager = Annotated[Principal, Depends(Require(Permission.orgs_manage))]
Actor = Annotated[Principal, Depends(Require(Permission.orgs_act))]
AREA = Query(None, max_length=15, description="area code: rows at it or beneath it")
YEAR = Query(None, ge=2000, le=2100, description="the year (default: this year)")


def org_out(o: Organization) -> OrganizationOut:
    fields = {k: getattr(o, k) for k in OrganizationOut.model_fields if k != "area_code"}
    return OrganizationOut(area_code=codes.unpad(o.area_code), **fields)


def alliance_out(a: Alliance, members: int) -> AllianceOut:
    return AllianceOut(
        id=a.id, area_code=codes.unpad(a.area_code), name=a.name, lead_org_id=a.lead_org_id, signed_on=a.signed_on,
        ends_on=a.ends_on, status=a.status, members=members, generated=a.generated,
    )  # fmt: skip


def _out(model, row, **extra):
    fields = {k: getattr(row, k) for k in model.model_fields if k not in ("area_code", *extra)}
    return model(area_code=codes.unpad(row.area_code), **fields, **extra)


def need_out(n: Need) -> NeedOut:
    return _out(NeedOut, n)


def resource_out(r: Resource) -> ResourceOut:
    return _out(ResourceOut, r)


def project_out(p: Project) -> ProjectOut:
    return _out(ProjectOut, p)


def record_out(r: ServiceRecord) -> ServiceRecordOut:
    return _out(ServiceRecordOut, r)


# --- the registry ----------------------------------------------------------------------------------


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


@router.post("/organizations/{org_id}/reports", response_model=ReportOut, status_code=201, summary="Unit reports")
def report_unit(org_id: Id, body: UnitReportIn, principal: Actor, session: DbSession):
    r = service.reporting.report_unit(session, principal, org_id, body)
    return ReportOut(
        id=r.id, organization_id=r.organization_id, area_code=codes.unpad(r.area_code), reported_on=r.reported_on
    )


@router.post("/member-reports", response_model=ReportOut, status_code=201, summary="A Party member reports")
def report_member(body: MemberReportIn, principal: Manager, session: DbSession):
    r = service.reporting.report_member(session, principal, body)
    return ReportOut(
        id=r.id, organization_id=r.organization_id, area_code=codes.unpad(r.area_code), reported_on=r.reported_on,
        person_id=r.person_id,
    )  # fmt: skip


@router.post("/service-records", response_model=ServiceRecordOut, status_code=201, summary="Log a service")
def log_service(body: ServiceRecordIn, principal: Actor, session: DbSession):
    return record_out(service.reporting.log_service(session, principal, body))


@router.get(
    "/organizations/{org_id}/service-records", response_model=list[ServiceRecordOut], summary="A unit's services"
)
def service_records(org_id: Id, principal: Reader, session: DbSession, year: int | None = YEAR):
    return [record_out(r) for r in reads.service_records(session, principal, org_id, year or date.today().year)]


@router.get("/service-summary", response_model=list[SummaryOut], summary="The year's service by unit and member")
def service_summary(
    principal: Reader, session: DbSession, area: str = Query(..., max_length=15), year: int | None = YEAR
):
    return [SummaryOut(**vars(s)) for s in reads.summary(session, principal, area, year or date.today().year)]


def counts_row(row: counts.Row) -> CountsRowOut:
    return CountsRowOut(
        area_code=row.code, **row.figures, residents=row.residents, social_orgs_per_10k=row.social_orgs_per_10k
    )


@router.get("/org-counts", response_model=CountsOut, summary="Alliances, units, projects, needs by child area")
def org_counts(principal: Reader, session: DbSession, area: str = Query(..., max_length=15)):
    rows, total = reads.counts(session, principal, area)
    return CountsOut(area_code=area, rows=[counts_row(r) for r in rows], total=counts_row(total))


# --- pairings --------------------------------------------------------------------------------------


def pairing_out(p: Pairing, activities: int = 0) -> PairingOut:
    return _out(PairingOut, p, activities=activities)


def activity_out(a: PairingActivity) -> ActivityOut:
    return ActivityOut(**{k: getattr(a, k) for k in ActivityOut.model_fields})


@router.get("/pairings", response_model=Page[PairingOut], summary="Pairings of the communities in an area")
def list_pairings(
    principal: Reader, session: DbSession, area: str = Query(..., max_length=15), pp: PageParams = Depends(page_params)
):
    items, total, counts_ = reads.pairings(session, principal, area, offset=pp.offset, limit=pp.size)
    return Page(items=[pairing_out(p, counts_.get(p.id, 0)) for p in items], total=total, page=pp.page, size=pp.size)


@router.post("/pairings", response_model=PairingOut, status_code=201, summary="Pair a unit with a community")
def create_pairing(body: PairingIn, principal: Manager, session: DbSession):
    return pairing_out(service.pairings.create(session, principal, body))


@router.get("/pairings/{pairing_id}", response_model=PairingOut, summary="A pairing")
def get_pairing(pairing_id: Id, principal: Reader, session: DbSession):
    p = reads.pairing(session, principal, pairing_id)
    return pairing_out(p, len(reads.activities(session, principal, pairing_id)))


@router.post("/pairings/{pairing_id}/end", response_model=PairingOut, summary="End a pairing")
def end_pairing(pairing_id: Id, body: PairingEndIn, principal: Manager, session: DbSession):
    return pairing_out(service.pairings.end(session, principal, pairing_id, body))


@router.get("/pairings/{pairing_id}/activities", response_model=list[ActivityOut], summary="Its activities")
def list_activities(pairing_id: Id, principal: Reader, session: DbSession):
    return [activity_out(a) for a in reads.activities(session, principal, pairing_id)]


@router.post(
    "/pairings/{pairing_id}/activities", response_model=ActivityOut, status_code=201, summary="Log an activity"
)
def log_activity(pairing_id: Id, body: ActivityIn, principal: Actor, session: DbSession):
    return activity_out(service.pairings.log_activity(session, principal, pairing_id, body))
