"""JSON API of the funding of villages and communities (/api/v1/funding): budget lines, the subsidies
paid against them, and the report of an area and year as JSON, XLSX and a printable PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.funding import documents, reads, report, service
from linli.funding.schemas import LineDetail, LineIn, LineOut, PaymentIn, ReportOut
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.pdf import PDF_MEDIA_TYPE
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1/funding", tags=["funding"])
Reader = Annotated[Principal, Depends(Require(Permission.funding_read))]
Manager = Annotated[Principal, Depends(Require(Permission.funding_manage))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREA = Query(min_length=2, max_length=9, description="a township, county, city or the province")
YEAR = Query(ge=2000, le=2100)


@router.get("/lines", response_model=Page[LineOut], summary="Budget lines of the villages and communities in reach")
def list_lines(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, max_length=12, description="area code: lines of it or beneath it"),
    year: int | None = Query(None, ge=2000, le=2100),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.lines(session, principal, area, year, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/lines", response_model=LineDetail, status_code=201, summary="Enter a budget line")
def add_line(body: LineIn, principal: Manager, session: DbSession):
    return reads.detail(session, service.add_line(session, principal, body))


@router.get("/lines/{line_id}", response_model=LineDetail, summary="A budget line with its payments")
def get_line(line_id: Id, principal: Reader, session: DbSession):
    return reads.detail(session, reads.readable_line(session, principal, line_id))


@router.post("/lines/{line_id}/payments", response_model=LineDetail, status_code=201, summary="Record a subsidy paid")
def pay(line_id: Id, body: PaymentIn, principal: Manager, session: DbSession):
    service.pay(session, principal, line_id, body)
    return reads.detail(session, reads.readable_line(session, principal, line_id))


@router.get("/report", response_model=ReportOut, summary="Budgeted and paid, by payer, kind and area")
def get_report(principal: Reader, session: DbSession, area: str = AREA, year: int = YEAR):
    return report.report(session, principal, area, year)


@router.get("/report.xlsx", summary="The report as a spreadsheet")
def report_xlsx(principal: Reader, session: DbSession, area: str = AREA, year: int = YEAR):
    body = documents.report_xlsx(session, report.report(session, principal, area, year))
    disposition = f'attachment; filename="funding-{area}-{year}.xlsx"'
    return Response(body, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.get("/report.pdf", summary="The report, printable")
def report_pdf(principal: Reader, session: DbSession, area: str = AREA, year: int = YEAR):
    return Response(documents.report_pdf(session, report.report(session, principal, area, year)),
                    media_type=PDF_MEDIA_TYPE)  # fmt: skip
