"""Dual reporting (/api/v1/member-reports, /api/v1/service-records, /api/v1/service-summary) and the counts."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query

from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.types import Id
from linli.organizations import counts, reads, service
from linli.organizations.api.common import (
    YEAR,
    Actor,
    Manager,
    Reader,
    record_out,
)
from linli.organizations.schemas import (
    CountsOut,
    CountsRowOut,
    MemberReportIn,
    ReportOut,
    ServiceRecordIn,
    ServiceRecordOut,
    SummaryOut,
    UnitReportIn,
)

router = APIRouter(prefix="/api/v1", tags=["organizations"])


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
