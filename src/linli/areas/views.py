"""Web pages of areas and grids: the area page with map and search, grid pages and forms."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.accounts import repository as users
from linli.areas import repository as repo
from linli.areas import service
from linli.areas.kinds import GridKind
from linli.areas.models import Area
from linli.areas.pages import area_crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.types import Id, PageNumber
from linli.web.forms import attempt
from linli.web.labels import kind_label, level_label
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

READ = Require(Permission.areas_read)
Reader = Annotated[Principal, Depends(READ)]
GridWriter = Annotated[Principal, Depends(Require(Permission.grids_write))]
GridAssigner = Annotated[Principal, Depends(Require(Permission.grids_assign))]
PAGE = 50
MAX_POLYGON_UPLOAD = 5 * 1024 * 1024
# The breadcrumb of an area's own page (other domains' pages: linli.areas.pages.area_crumbs).
crumbs = area_crumbs


def _map_source(area: Area) -> str:
    if area.level == "village":
        return f"/api/v1/areas/{area.code}/grids"
    return f"/api/v1/areas/{area.code}/boundaries"


@router.get("/areas/{code}", response_class=HTMLResponse)
def area_page(code: str, request: Request, principal: Reader, session: DbSession, page: PageNumber = Query(1)):
    area = repo.visible_area(session, principal, code)
    if area.level == "grid":
        return RedirectResponse(f"/grids/{code}", status_code=303)
    children, total = repo.children(session, principal, code, (page - 1) * PAGE, PAGE)
    return render(
        request,
        "areas/area.html",
        {
            "area": area,
            "level": level_label(area.level),
            "kind": kind_label(area.kind),
            "children": children,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "kind_label": kind_label,
            "level_label": level_label,
            "breadcrumb": crumbs(session, principal, area),
            "map_source": _map_source(area),
            "tile_url": get_settings().map_tile_url,
            "can_add_grid": area.level == "village" and principal.can(Permission.grids_write, code),
            "chart": [{"name": c.name, "value": c.child_count} for c in children[:30]],
            "can_events": principal.can(Permission.events_read, code),
            "can_queues": principal.can(Permission.events_handle, code)
            or principal.can(Permission.events_manage, code),
        },
    )


@router.get("/areas/{code}/find", response_class=HTMLResponse)
def area_search(code: str, request: Request, principal: Reader, session: DbSession, q: str = Query("", max_length=100)):
    """Search by name within the subtree; the results fragment for HTMX, or a whole page without JS."""
    area = repo.visible_area(session, principal, code)
    results, error = [], ""
    if q.strip():
        results = repo.search(session, principal, code, q, 50)
    else:
        error = t("Type part of a name to search for.")
    ctx = {
        "area": area,
        "q": q,
        "results": results,
        "error": error,
        "level_label": level_label,
        "breadcrumb": crumbs(session, principal, area),
    }
    # The results alone for the area page's search (which pushes this URL, so a switch of language or a
    # reload keeps the query); the whole page otherwise, also when HTMX restores it from history.
    if request.headers.get("hx-request") and not request.headers.get("hx-history-restore-request"):
        return render(request, "areas/_results.html", ctx)
    return render(request, "areas/search.html", ctx)


# --- grids ------------------------------------------------------------------------------------


def _grid_context(session: Session, principal: Principal, grid: Area) -> dict[str, Any]:
    out = repo.grid_out(session, principal, grid)
    return {
        "grid": grid,
        "out": out,
        "kind": kind_label(grid.kind),
        "kinds": [(k.value, kind_label(k.value)) for k in GridKind],
        "breadcrumb": crumbs(session, principal, grid),
        "can_edit": grid.retired_at is None and principal.can(Permission.grids_write, grid.code),
        "can_assign": grid.retired_at is None and principal.can(Permission.grids_assign, grid.code),
        "polygon": grid.boundary or "",
        "tile_url": get_settings().map_tile_url,
        "siblings_url": f"/api/v1/areas/{grid.parent_code}/grids",
    }


@router.get("/grids/{code}", response_class=HTMLResponse)
def grid_page(code: str, request: Request, principal: Reader, session: DbSession):
    grid = repo.get_grid(session, principal, code)
    return render(request, "areas/grid.html", _grid_context(session, principal, grid))


async def polygon_from_form(polygon: str, upload: UploadFile | None) -> dict | None:
    """The polygon from an uploaded GeoJSON file, else from the drawn/pasted text; None when neither."""
    text = polygon.strip()
    if upload is not None and upload.filename:
        raw = await upload.read(MAX_POLYGON_UPLOAD + 1)
        if len(raw) > MAX_POLYGON_UPLOAD:
            raise InvalidInput(t("The file is larger than {mb} MB.", mb=MAX_POLYGON_UPLOAD // (1024 * 1024)))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(t("The file is not a GeoJSON text file.")) from None
    if not text:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise InvalidInput(t("The polygon is not valid GeoJSON.")) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features") or []
        if len(feats) != 1:
            raise InvalidInput(t("The file must hold exactly one polygon; it holds {n} features.", n=len(feats)))
        data = feats[0]
    return data


@router.get("/areas/{code}/grids/new", response_class=HTMLResponse)
def new_grid_form(code: str, request: Request, principal: GridWriter, session: DbSession):
    village = repo.visible_area(session, principal, code)
    principal.check(Permission.grids_write, code, what=t("area {code}", code=code))
    if village.level != "village":
        raise NotFound(t("Grids are created under a community or village."))
    return _new_grid_page(request, session, principal, village, {})


def _new_grid_page(request, session, principal, village, form: dict, errors: list[str] | None = None, status=200):
    seq = repo.free_grid_number(session, principal, village.code)
    return render(
        request,
        "areas/grid_new.html",
        {
            "village": village,
            "form": {"seq": seq, "name": "", "kind": "residential", "polygon": "", **form},
            "errors": errors or [],
            "kinds": [(k.value, kind_label(k.value)) for k in GridKind],
            "breadcrumb": [*crumbs(session, principal, village), {"name": t("New grid"), "href": ""}],
            "tile_url": get_settings().map_tile_url,
            "siblings_url": f"/api/v1/areas/{village.code}/grids",
            "county_url": f"/api/v1/areas/{village.code[:6]}/boundaries?level=county",
        },
        status_code=status,
    )


def _grid_fields(seq: str, name: str, kind: str) -> GridKind:
    """The new grid form's number, name and kind checked: its kind, or the refusal to show."""
    if not (seq.isdigit() and len(seq) == 3):
        raise InvalidInput(t("The grid number has three digits, 001 to 999."))
    if not name.strip():
        raise InvalidInput(t("Give the grid a name."))
    return _grid_kind(kind)


def _grid_kind(kind: str) -> GridKind:
    try:
        return GridKind(kind)
    except ValueError:
        raise InvalidInput(t("Choose a kind of grid.")) from None


@router.post("/areas/{code}/grids/new", response_class=HTMLResponse)
async def create_grid(
    code: str,
    request: Request,
    principal: GridWriter,
    session: DbSession,
    seq: str = Form(""),
    name: str = Form(""),
    kind: str = Form("residential"),
    polygon: str = Form(""),
    polygon_file: UploadFile | None = File(None),
):
    village = repo.visible_area(session, principal, code)
    form = {"seq": seq, "name": name, "kind": kind, "polygon": polygon}
    with attempt(session) as tried:
        grid_kind = _grid_fields(seq, name, kind)
        shape = await polygon_from_form(polygon, polygon_file)
        if shape is None:
            raise InvalidInput(t("Draw the grid on the map or upload its polygon as GeoJSON."))
        grid = service.create_grid(session, principal, village.code + seq, name, grid_kind, shape)
    if tried.refused:
        return _new_grid_page(request, session, principal, village, form, tried.errors, status=tried.error.status)
    return RedirectResponse(f"/grids/{grid.code}?created=1", status_code=303)


def _unchanged(shape: dict | None, grid: Area) -> bool:
    """Whether the submitted polygon is the grid's own (the form sends the current one back)."""
    return shape is not None and json.dumps(shape, sort_keys=True) == json.dumps(
        json.loads(grid.boundary or "null"), sort_keys=True
    )


@router.post("/grids/{code}/edit", response_class=HTMLResponse)
async def edit_grid(
    code: str,
    request: Request,
    principal: GridWriter,
    session: DbSession,
    name: str = Form(""),
    kind: str = Form(""),
    polygon: str = Form(""),
    polygon_file: UploadFile | None = File(None),
):
    grid = repo.get_grid(session, principal, code)
    with attempt(session) as tried:
        shape = await polygon_from_form(polygon, polygon_file)
        if _unchanged(shape, grid):
            shape = None
        grid_kind = _grid_kind(kind) if kind else None
        service.update_grid(session, principal, code, name=name or None, kind=grid_kind, polygon=shape)
    if tried.refused:
        ctx = _grid_context(session, principal, repo.get_grid(session, principal, code))
        ctx.update(errors=tried.errors, form={"name": name, "kind": kind, "polygon": polygon})
        return render(request, "areas/grid.html", ctx, status_code=tried.error.status)
    return RedirectResponse(f"/grids/{code}?saved=1", status_code=303)


@router.post("/grids/{code}/retire")
def retire_grid(code: str, principal: GridWriter, session: DbSession):
    service.retire_grid(session, principal, code)
    return RedirectResponse(f"/grids/{code}", status_code=303)


@router.post("/grids/{code}/workers", response_class=HTMLResponse)
def assign_worker(
    code: str,
    request: Request,
    principal: GridAssigner,
    session: DbSession,
    username: str = Form(""),
    duty: str = Form("worker"),
):
    grid = repo.get_grid(session, principal, code)
    with attempt(session) as tried:
        user = repo.user_named(session, username.strip())
        if user is None or not users.reachable(session, principal.scope(Permission.grids_assign), user.id):
            raise NotFound(t("There is no user {name} in your areas.", name=username.strip() or "—"))
        if duty not in ("chief", "worker"):
            raise InvalidInput(t("Choose grid worker or grid chief."))
        service.assign_worker(session, principal, code, user.id, duty)
    if tried.refused:
        ctx = _grid_context(session, principal, repo.get_grid(session, principal, code))
        ctx.update(assign_error=tried.error.message, assign_form={"username": username, "duty": duty})
        return render(request, "areas/grid.html", ctx, status_code=tried.error.status)
    return RedirectResponse(f"/grids/{grid.code}?assigned=1#workers", status_code=303)


@router.post("/grids/{code}/workers/{user_id}/remove")
def unassign_worker(code: str, user_id: Id, principal: GridAssigner, session: DbSession):
    service.unassign_worker(session, principal, code, user_id)
    return RedirectResponse(f"/grids/{code}#workers", status_code=303)
