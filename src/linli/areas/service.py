"""Changing areas: grids created, edited, retired and staffed (the hierarchy above them comes from
the imports, linli.areas.importer). Every change is checked against the principal's grants, validated
(a grid lies in its county and overlaps no live sibling) and audited."""

from __future__ import annotations

from typing import Any

import shapely
from sqlalchemy.orm import Session

from linli.accounts import repository as accounts
from linli.accounts.service import grant_role
from linli.areas import geometry, locate
from linli.areas import repository as repo
from linli.areas.kinds import GridKind
from linli.areas.models import Area, GridAssignment
from linli.audit.service import record
from linli.authn.models import User
from linli.authz.permissions import ROLE_PERMISSIONS, Permission, Role
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow


def _snapshot(g: Area) -> dict[str, Any]:
    return {"code": g.code, "name": g.name, "kind": g.kind, "retired_at": g.retired_at, "bbox": g.bbox}


def _county_boundary(session: Session, grid_code: str) -> tuple[Area | None, shapely.Geometry | None]:
    county = repo.get_areas(session, [grid_code[:6]]).get(grid_code[:6])
    if county is None:
        return None, None
    text = repo.boundary_of(session, county.code)
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


def check_grid_code(session: Session, principal: Principal, code: str) -> Area:
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
    check_grid_code(session, principal, code)
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
    grid = repo.get_grid(session, principal, code)
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
    grid = repo.get_grid(session, principal, code)
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
    grid = repo.get_grid(session, principal, code)
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
    if not any(
        codes.in_subtree(codes.pad(code), codes.unpad(ac)) and Permission.areas_read in ROLE_PERMISSIONS[Role(r)]
        for r, ac in repo.user_grants(session, user_id)
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
    repo.get_grid(session, principal, code)
    principal.check(Permission.grids_assign, code, what=t("grid {code}", code=code))
    a = repo.assignment(session, code, user_id)
    if a is None:
        raise NotFound(t("user {user_id} is not assigned to grid {code}", user_id=user_id, code=code))
    session.delete(a)
    session.flush()
    record(session, principal, "grid.unassign", "grid", code, code, before={"user_id": user_id, "duty": a.duty})


# Moved to linli.areas.repository.visible_area (a read); the name stays here only for
# linli.residents.views.area until it calls the repository, then this line goes.
get_area = repo.visible_area
