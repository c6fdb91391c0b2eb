"""Grids under a village: create, edit, retire, staff, and GeoJSON import/export."""

from __future__ import annotations

import json
from typing import Any

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.accounts import repository as accounts
from linli.accounts.service import grant_role
from linli.areas import geometry, locate
from linli.areas import repository as repo
from linli.areas.importer import ImportReport, load_features
from linli.areas.kinds import GridKind
from linli.areas.models import Area, GridAssignment
from linli.areas.schemas import GridOut, Worker
from linli.areas.service import area_out
from linli.audit.service import record
from linli.authn.models import User
from linli.authz.models import Grant
from linli.authz.permissions import ROLE_PERMISSIONS, Permission, Role
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Conflict, ImportRejected, InvalidInput, NotFound, RowError
from linli.kit.i18n import t
from linli.kit.time import utcnow


def _snapshot(g: Area) -> dict[str, Any]:
    return {"code": g.code, "name": g.name, "kind": g.kind, "retired_at": g.retired_at, "bbox": g.bbox}


def _county_boundary(session: Session, grid_code: str) -> tuple[Area | None, shapely.Geometry | None]:
    county = repo.get_areas(session, [grid_code[:6]]).get(grid_code[:6])
    if county is None:
        return None, None
    text = session.scalar(select(Area.boundary).where(Area.code == county.code))
    return county, shapely.from_geojson(text) if text else None


def validate_grid_shape(
    session: Session,
    code: str,
    geom: shapely.Geometry,
    *,
    extra_siblings: list[tuple[str, shapely.Geometry]] = (),
) -> list[str]:
    """Problems with a grid polygon: outside its county, or overlapping live sibling grids."""
    settings = get_settings()
    problems = []
    county, boundary = _county_boundary(session, code)
    if boundary is not None:
        outside = geometry.area_m2(shapely.difference(geom, boundary))
        if outside > settings.grid_outside_tolerance_m2:
            problems.append(
                t(
                    "the grid extends {outside:,.0f} m² outside the boundary of {name} ({code})",
                    outside=outside,
                    name=county.name,
                    code=county.code,
                )
            )
    siblings = [
        (s.code, shapely.from_geojson(s.boundary)) for s in repo.sibling_grids(session, code[:12], code) if s.boundary
    ]
    for other_code, other in [*siblings, *extra_siblings]:
        if other_code == code or not shapely.intersects(geom, other):
            continue
        overlap = geometry.area_m2(shapely.intersection(geom, other))
        if overlap > settings.grid_overlap_tolerance_m2:
            problems.append(
                t("the grid overlaps grid {other_code} by {overlap:,.0f} m²", other_code=other_code, overlap=overlap)
            )
    return problems


def _check_code(session: Session, principal: Principal, code: str) -> Area:
    """The village the new grid goes under (404 outside the principal's view, 403 without grids.write)."""
    if not isinstance(code, str) or len(code) != 15 or not codes.is_valid(code):
        raise InvalidInput(
            t("a grid code has 15 digits (the village's 12 and a sequence 001–999), not {code!r}", code=code)
        )
    village_code = code[:12]
    principal.check(Permission.grids_write, village_code, what=t("village {village_code}", village_code=village_code))
    village = repo.get_areas(session, [village_code]).get(village_code)
    if village is None:
        raise NotFound(t("village {village_code} does not exist", village_code=village_code))
    if village.level != Level.village.value or village.retired_at is not None:
        raise InvalidInput(t("{village_code} is not a live village", village_code=village_code))
    return village


def grid_out(session: Session, principal: Principal, grid: Area, *, with_polygon: bool = True) -> GridOut:
    base = area_out(session, principal, grid)
    out = GridOut(**base.model_dump())
    if with_polygon and grid.boundary:
        out.polygon = json.loads(grid.boundary)
    users = {}
    assigns = repo.assignments_for(session, [grid.code])
    if assigns:
        users = {u.id: u for u in session.scalars(select(User).where(User.id.in_([a.user_id for a in assigns])))}
    out.workers = [
        Worker(
            user_id=a.user_id,
            username=users[a.user_id].username,
            display_name=users[a.user_id].display_name,
            duty=a.duty,
        )
        for a in assigns
        if a.user_id in users
    ]
    return out


def get_grid(session: Session, principal: Principal, code: str) -> Area:
    grid = repo.get_area(session, code, principal.visible, with_boundary=True)
    if grid is None or grid.level != Level.grid.value:
        raise NotFound(t("grid {code} does not exist", code=code))
    return grid


def create_grid(
    session: Session,
    principal: Principal,
    code: str,
    name: str,
    kind: GridKind,
    polygon: Any,
    *,
    generated: bool = False,
) -> Area:
    _check_code(session, principal, code)
    geom = geometry.parse_or_422(polygon)
    existing = repo.get_areas(session, [code]).get(code)
    if existing is not None:
        if existing.retired_at:
            raise Conflict(t("code {code} is already used by a retired grid ({name})", code=code, name=existing.name))
        raise Conflict(t("code {code} is already used by another grid ({name})", code=code, name=existing.name))
    problems = validate_grid_shape(session, code, geom)
    if problems:
        raise InvalidInput("; ".join(problems), details=problems, code="invalid_grid")
    grid = Area(
        code=code,
        area_code=codes.pad(code),
        parent_code=code[:12],
        name=name.strip(),
        level=Level.grid.value,
        kind=GridKind(kind).value,
        boundary=geometry.to_geojson(geom),
        generated=generated,
        **geometry.describe(geom),
    )
    session.add(grid)
    session.flush()
    locate.mark_changed(session)
    record(session, principal, "grid.create", "grid", code, code, after=_snapshot(grid))
    return grid


def update_grid(
    session: Session,
    principal: Principal,
    code: str,
    *,
    name: str | None = None,
    kind: GridKind | None = None,
    polygon: Any = None,
) -> Area:
    grid = get_grid(session, principal, code)
    principal.check(Permission.grids_write, code, what=t("grid {code}", code=code))
    if grid.retired_at is not None:
        raise Conflict(t("grid {code} is retired and can no longer be edited", code=code))
    before = _snapshot(grid)
    if polygon is not None:
        geom = geometry.parse_or_422(polygon)
        problems = validate_grid_shape(session, code, geom)
        if problems:
            raise InvalidInput("; ".join(problems), details=problems, code="invalid_grid")
        grid.boundary = geometry.to_geojson(geom)
        for k, v in geometry.describe(geom).items():
            setattr(grid, k, v)
        locate.mark_changed(session)
    if name is not None:
        grid.name = name.strip()
    if kind is not None:
        grid.kind = GridKind(kind).value
    session.flush()
    after = _snapshot(grid)
    if after != before or polygon is not None:
        record(session, principal, "grid.update", "grid", code, code, before=before, after=after)
    return grid


def retire_grid(session: Session, principal: Principal, code: str) -> Area:
    grid = get_grid(session, principal, code)
    principal.check(Permission.grids_write, code, what=t("grid {code}", code=code))
    if grid.retired_at is not None:
        raise Conflict(t("grid {code} is already retired", code=code))
    before = _snapshot(grid)
    grid.retired_at = utcnow()
    session.flush()
    locate.mark_changed(session)
    record(session, principal, "grid.retire", "grid", code, code, before=before, after=_snapshot(grid))
    return grid


def assign_worker(session: Session, principal: Principal, code: str, user_id: int, duty: str) -> GridAssignment:
    grid = get_grid(session, principal, code)
    principal.check(Permission.grids_assign, code, what=t("grid {code}", code=code))
    if grid.retired_at is not None:
        raise Conflict(t("grid {code} is retired", code=code))
    # The account must be in reach (home and every grant inside the assigner's grids): assigning is granting.
    user = session.get(User, user_id)
    if user is None or not accounts.reachable(session, principal.scope(Permission.grids_assign), user_id):
        raise NotFound(t("user {user_id} does not exist", user_id=user_id))
    if repo.assignment(session, code, user_id) is not None:
        raise Conflict(t("{username} is already assigned to grid {code}", username=user.username, code=code))
    if duty == "chief":
        chief = repo.grid_chief(session, code)
        if chief is not None:
            raise Conflict(
                t(
                    "grid {code} already has a chief (user {user_id}); unassign them first",
                    code=code,
                    user_id=chief.user_id,
                )
            )
    # A worker needs to see their grid: grant grid_worker there unless a grant already covers it. That
    # is a grant like any other (no-escalation: the assigner must hold every permission of grid_worker).
    has_view = session.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user_id)).all()
    if not any(
        codes.in_subtree(codes.pad(code), codes.unpad(ac)) and Permission.areas_read in ROLE_PERMISSIONS[Role(r)]
        for r, ac in has_view
    ):
        grant_role(session, principal, user_id, Role.grid_worker.value, code, authority=Permission.grids_assign)
    a = GridAssignment(grid_code=code, user_id=user_id, duty=duty, area_code=codes.pad(code))
    session.add(a)
    session.flush()
    record(
        session,
        principal,
        "grid.assign",
        "grid",
        code,
        code,
        after={"user_id": user_id, "username": user.username, "duty": duty},
    )
    return a


def unassign_worker(session: Session, principal: Principal, code: str, user_id: int) -> None:
    get_grid(session, principal, code)
    principal.check(Permission.grids_assign, code, what=t("grid {code}", code=code))
    a = repo.assignment(session, code, user_id)
    if a is None:
        raise NotFound(t("user {user_id} is not assigned to grid {code}", user_id=user_id, code=code))
    session.delete(a)
    session.flush()
    record(session, principal, "grid.unassign", "grid", code, code, before={"user_id": user_id, "duty": a.duty})


# --- GeoJSON import / export ------------------------------------------------------------------


def export_geojson(session: Session, principal: Principal, code: str) -> dict[str, Any]:
    area = repo.get_area(session, code, principal.visible)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    feats = []
    for g in repo.grids_in_subtree(session, code, principal.visible):
        feats.append(
            {
                "type": "Feature",
                "id": g.code,
                "properties": {
                    "code": g.code,
                    "name": g.name,
                    "kind": g.kind,
                    "village_code": g.parent_code,
                    "generated": g.generated,
                },
                "geometry": json.loads(g.boundary) if g.boundary else None,
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def import_geojson(
    session: Session, principal: Principal, raw: bytes | str, *, skip_bad_rows: bool = False, progress=None
) -> ImportReport:
    """Create or update grids from a FeatureCollection (properties: code, name, kind)."""
    feats = load_features(raw, t("grids"))
    errors: list[RowError] = []
    good: list[tuple[int, str, str, str, shapely.Geometry]] = []
    seen: dict[str, int] = {}
    for i, f in enumerate(feats, 1):
        props = f.get("properties") if isinstance(f, dict) else None
        props = props if isinstance(props, dict) else {}
        code, name, kind = str(props.get("code", "")), props.get("name"), props.get("kind", "residential")
        try:
            _check_code(session, principal, code)
            if code in seen:
                raise InvalidInput(t("duplicate code {code} (first in feature {first})", code=code, first=seen[code]))
            if not isinstance(name, str) or not name.strip():
                raise InvalidInput(t("the feature has no name"))
            try:
                kind = GridKind(kind).value
            except ValueError:
                raise InvalidInput(t("unknown grid kind {kind!r}", kind=kind)) from None
            geom = geometry.parse_or_422(f.get("geometry"))
            problems = validate_grid_shape(
                session, code, geom, extra_siblings=[(c, g) for _, c, _, _, g in good if c[:12] == code[:12]]
            )
            if problems:
                raise InvalidInput("; ".join(problems))
        except (InvalidInput, NotFound) as exc:
            errors.append(RowError(i, exc.message, code or None))
            continue
        seen[code] = i
        good.append((i, code, name.strip(), kind, geom))
    if errors and not skip_bad_rows:
        raise ImportRejected(t("{count} bad feature(s); nothing was imported", count=len(errors)), errors)
    report = ImportReport(total=len(feats), skipped=errors)
    existing = repo.get_areas(session, [c for _, c, _, _, _ in good])
    for n, (_, code, name, kind, geom) in enumerate(good, 1):
        old = existing.get(code)
        if old is None:
            create_grid(session, principal, code, name, GridKind(kind), json.loads(geometry.to_geojson(geom)))
            report.inserted += 1
        else:
            text = geometry.to_geojson(geom)
            cur = session.scalar(select(Area.boundary).where(Area.code == code))
            if old.retired_at is None and (old.name, old.kind, cur) == (name, kind, text):
                report.unchanged += 1
            elif old.retired_at is not None:
                raise Conflict(t("grid {code} is retired; its code cannot be imported again", code=code))
            else:
                update_grid(
                    session,
                    principal,
                    code,
                    name=name,
                    kind=GridKind(kind),
                    polygon=json.loads(text) if cur != text else None,
                )
                report.updated += 1
        if progress:
            progress(n, len(good))
    return report
