"""JSON API of road and lane chiefs: roads (/api/v1/chief-roads), appointments (/api/v1/chiefs), patrols
(/api/v1/chief-patrols) and the figures (/api/v1/chief-counts)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.chiefs import reads, service
from linli.chiefs.models import Appointment, Coverage, Patrol, Road
from linli.chiefs.schemas import (
    AppointmentIn,
    AppointmentOut,
    CountRowOut,
    CountsOut,
    CoverageOut,
    EndIn,
    PatrolIn,
    PatrolOut,
    RoadIn,
    RoadOut,
)
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["chiefs"])
Reader = Annotated[Principal, Depends(Require(Permission.chiefs_read))]
Manager = Annotated[Principal, Depends(Require(Permission.chiefs_manage))]
Patroller = Annotated[Principal, Depends(Require(Permission.chiefs_patrol))]
AREA = Query(..., max_length=15, description="area code: rows at it or beneath it")


def road_out(r: Road) -> RoadOut:
    return RoadOut(
        id=r.id, area_code=codes.unpad(r.area_code), name=r.name, kind=r.kind,
        line=json.loads(r.line) if r.line else None, generated=r.generated,
    )  # fmt: skip


def appointment_out(a: Appointment, covers: list[Coverage]) -> AppointmentOut:
    fields = {k: getattr(a, k) for k in AppointmentOut.model_fields if k not in ("area_code", "covers")}
    out = [CoverageOut(area_code=codes.unpad(c.area_code), road_id=c.road_id) for c in covers]
    return AppointmentOut(area_code=codes.unpad(a.area_code), covers=out, **fields)


def patrol_out(p: Patrol) -> PatrolOut:
    fields = {k: getattr(p, k) for k in PatrolOut.model_fields if k != "area_code"}
    return PatrolOut(area_code=codes.unpad(p.area_code), **fields)


@router.get("/chief-roads", response_model=Page[RoadOut], summary="Roads of an area")
def list_roads(principal: Reader, session: DbSession, area: str = AREA, pp: PageParams = Depends(page_params)):
    items, total = reads.roads(session, principal, area, offset=pp.offset, limit=pp.size)
    return Page(items=[road_out(r) for r in items], total=total, page=pp.page, size=pp.size)


@router.post("/chief-roads", response_model=RoadOut, status_code=201, summary="Record a road of a grid or community")
def create_road(body: RoadIn, principal: Manager, session: DbSession):
    return road_out(service.create_road(session, principal, body))


@router.get("/chief-roads/{road_id}", response_model=RoadOut, summary="A road")
def get_road(road_id: Id, principal: Reader, session: DbSession):
    return road_out(reads.road(session, principal, road_id))


@router.get("/chiefs", response_model=Page[AppointmentOut], summary="Street, road and lane chiefs of an area")
def list_chiefs(
    principal: Reader,
    session: DbSession,
    area: str = AREA,
    status: str | None = Query(None, pattern="^(active|ended)$"),
    pp: PageParams = Depends(page_params),
):
    items, total, covers = reads.appointments(session, principal, area, status=status, offset=pp.offset, limit=pp.size)
    return Page(items=[appointment_out(a, covers[a.id]) for a in items], total=total, page=pp.page, size=pp.size)


@router.post("/chiefs", response_model=AppointmentOut, status_code=201, summary="Appoint a street, road or lane chief")
def appoint(body: AppointmentIn, principal: Manager, session: DbSession):
    a = service.appoint(session, principal, body)
    return appointment_out(*reads.appointment(session, principal, a.id))


@router.get("/chiefs/{appointment_id}", response_model=AppointmentOut, summary="An appointment")
def get_chief(appointment_id: Id, principal: Reader, session: DbSession):
    return appointment_out(*reads.appointment(session, principal, appointment_id))


@router.post("/chiefs/{appointment_id}/end", response_model=AppointmentOut, summary="End an appointment")
def end_chief(appointment_id: Id, body: EndIn, principal: Manager, session: DbSession):
    service.end(session, principal, appointment_id, body)
    return appointment_out(*reads.appointment(session, principal, appointment_id))


@router.get("/chief-patrols", response_model=Page[PatrolOut], summary="Patrols (of an area, a road or a chief)")
def list_patrols(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, max_length=15),
    road_id: Id | None = None,
    chief_id: Id | None = None,
    pp: PageParams = Depends(page_params),
):
    items, total = reads.patrols(
        session, principal, area=area, road_id=road_id, appointment_id=chief_id, offset=pp.offset, limit=pp.size
    )
    return Page(items=[patrol_out(p) for p in items], total=total, page=pp.page, size=pp.size)


@router.post("/chief-patrols", response_model=PatrolOut, status_code=201, summary="Record one's patrol of a road")
def record_patrol(body: PatrolIn, principal: Patroller, session: DbSession):
    return patrol_out(service.patrol(session, principal, body))


def count_row(row: reads.CountRow) -> CountRowOut:
    return CountRowOut(area_code=row.code, chiefs=row.chiefs, **row.levels, roads=row.roads, patrols=row.patrols)


@router.get("/chief-counts", response_model=CountsOut, summary="Chiefs by level, roads and patrols by child area")
def chief_counts(principal: Reader, session: DbSession, area: str = AREA):
    rows, total = reads.counts(session, principal, area)
    return CountsOut(area_code=area, rows=[count_row(r) for r in rows], total=count_row(total))
