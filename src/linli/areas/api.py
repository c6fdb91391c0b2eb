"""JSON API of areas, locate and grids: /api/v1/areas/..., /api/v1/grids/..."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from linli.areas import grids, maps, service
from linli.areas import locate as locating
from linli.areas import repository as repo
from linli.areas.importer import ImportReport
from linli.areas.schemas import (
    AreaOut,
    AssignIn,
    BatchLocateIn,
    BatchLocateOut,
    GridIn,
    GridOut,
    GridPatch,
    LocateOut,
)
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["areas"])
READ = Require(Permission.areas_read)
Reader = Annotated[Principal, Depends(READ)]
GridWriter = Annotated[Principal, Depends(Require(Permission.grids_write))]
GridAssigner = Annotated[Principal, Depends(Require(Permission.grids_assign))]
MAX_UPLOAD = 50 * 1024 * 1024


@router.get("/areas/locate", response_model=LocateOut, summary="Which grid (or deepest area) contains a point")
def locate(
    principal: Reader,
    session: DbSession,
    lon: float = Query(..., description="longitude, -180…180 (WGS 84)"),
    lat: float = Query(..., description="latitude, -90…90 (WGS 84)"),
):
    return locating.locate(session, principal, lon, lat)


@router.post("/areas/locate", response_model=BatchLocateOut, summary="Locate many points at once")
def locate_batch(body: BatchLocateIn, principal: Reader, session: DbSession):
    results = locating.locate_batch(session, principal, body.points)
    return BatchLocateOut(results=results, located=sum(r["code"] is not None for r in results), total=len(results))


@router.get("/areas/{code}", response_model=AreaOut)
def get_area(code: str, principal: Reader, session: DbSession):
    return repo.area_with_count(session, principal, code)


@router.get("/areas/{code}/children", response_model=Page[AreaOut])
def children(code: str, principal: Reader, session: DbSession, pp: PageParams = Depends(page_params)):
    items, total = repo.children(session, principal, code, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.get("/areas/{code}/search", response_model=list[AreaOut], summary="Find areas by name within a subtree")
def search(
    code: str,
    principal: Reader,
    session: DbSession,
    q: str = Query(..., min_length=1, max_length=100),
    limit: int = Query(50, ge=1, le=200),
):
    return repo.search(session, principal, code, q, limit)


@router.get("/areas/{code}/boundaries", summary="GeoJSON of the boundaries of one level under an area")
def boundaries(
    code: str,
    principal: Reader,
    session: DbSession,
    level: str | None = Query(None, description="default: the children's level"),
) -> Response:
    return Response(maps.boundaries_geojson(session, principal, code, level), media_type="application/geo+json")


@router.get(
    "/areas/{code}/outlines",
    summary="GeoJSON outlines around a place: its own, its children's and its neighbours' (the maps' context)",
)
def outlines(
    code: str,
    principal: Reader,
    session: DbSession,
    children: bool = Query(True, description="false: without the children (a page drawing them itself)"),
) -> Response:
    body = maps.outlines_geojson(session, principal, code, with_children=children)
    return Response(body, media_type="application/geo+json")


@router.get("/areas/{code}/grids", summary="GeoJSON of the live grids under an area")
def export_grids(code: str, principal: Reader, session: DbSession):
    return JSONResponse(grids.export_geojson(session, principal, code), media_type="application/geo+json")


# --- grids ------------------------------------------------------------------------------------


@router.post("/grids", response_model=GridOut, status_code=201, tags=["grids"])
def create_grid(body: GridIn, principal: GridWriter, session: DbSession):
    grid = service.create_grid(session, principal, body.code, body.name, body.kind, body.polygon)
    return repo.grid_out(session, principal, grid)


async def _read_upload(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(t("the file is larger than {mb} MB", mb=MAX_UPLOAD // (1024 * 1024)), code="file_too_large")
    return data


@router.post("/grids/import", tags=["grids"], summary="Create or update grids from a GeoJSON FeatureCollection")
async def import_grids(
    principal: GridWriter,
    session: DbSession,
    file: UploadFile = File(...),
    skip_bad_rows: bool = Query(False),
) -> dict[str, Any]:
    raw = await _read_upload(file)
    report: ImportReport = grids.import_geojson(session, principal, raw, skip_bad_rows=skip_bad_rows)
    return report.as_dict()


@router.get("/grids/{code}", response_model=GridOut, tags=["grids"])
def get_grid(code: str, principal: Reader, session: DbSession):
    return repo.grid_out(session, principal, repo.get_grid(session, principal, code))


@router.patch("/grids/{code}", response_model=GridOut, tags=["grids"])
def update_grid(code: str, body: GridPatch, principal: GridWriter, session: DbSession):
    grid = service.update_grid(session, principal, code, name=body.name, kind=body.kind, polygon=body.polygon)
    return repo.grid_out(session, principal, grid)


@router.post("/grids/{code}/retire", response_model=GridOut, tags=["grids"])
def retire_grid(code: str, principal: GridWriter, session: DbSession):
    grid = service.retire_grid(session, principal, code)
    return repo.grid_out(session, principal, grid)


@router.post("/grids/{code}/workers", response_model=GridOut, status_code=201, tags=["grids"])
def assign(code: str, body: AssignIn, principal: GridAssigner, session: DbSession):
    service.assign_worker(session, principal, code, body.user_id, body.duty)
    return repo.grid_out(session, principal, repo.get_grid(session, principal, code))


@router.delete("/grids/{code}/workers/{user_id}", status_code=204, tags=["grids"])
def unassign(code: str, user_id: Id, principal: GridAssigner, session: DbSession):
    service.unassign_worker(session, principal, code, user_id)
