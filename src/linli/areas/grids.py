"""Grids as GeoJSON files: export the grids under an area, import (create or update) grids from a
FeatureCollection. The single-grid changes are linli.areas.service's, the reads linli.areas.repository's."""

from __future__ import annotations

import json
from typing import Any

import shapely
from sqlalchemy.orm import Session

from linli.areas import geometry, service
from linli.areas import repository as repo
from linli.areas.importer import ImportReport, load_features
from linli.areas.kinds import GridKind
from linli.authz.principal import Principal
from linli.kit.errors import Conflict, ImportRejected, InvalidInput, NotFound, RowError
from linli.kit.i18n import t

# Moved: the grid reads to linli.areas.repository, the grid changes to linli.areas.service. These
# names stay here for the callers in other domains and tests until they call the public modules.
get_grid, grid_out = repo.get_grid, repo.grid_out
create_grid, update_grid, retire_grid = service.create_grid, service.update_grid, service.retire_grid
assign_worker, unassign_worker = service.assign_worker, service.unassign_worker
validate_grid_shape = service.validate_grid_shape


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
            service.check_grid_code(session, principal, code)
            if code in seen:
                raise InvalidInput(t("duplicate code {code} (first in feature {first})", code=code, first=seen[code]))
            if not isinstance(name, str) or not name.strip():
                raise InvalidInput(t("the feature has no name"))
            try:
                kind = GridKind(kind).value
            except ValueError:
                raise InvalidInput(t("unknown grid kind {kind!r}", kind=kind)) from None
            geom = geometry.parse_or_422(f.get("geometry"))
            problems = service.validate_grid_shape(
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
    boundaries = repo.boundaries_of(session, list(existing))
    for n, (_, code, name, kind, geom) in enumerate(good, 1):
        old = existing.get(code)
        if old is None:
            service.create_grid(session, principal, code, name, GridKind(kind), json.loads(geometry.to_geojson(geom)))
            report.inserted += 1
        else:
            text = geometry.to_geojson(geom)
            cur = boundaries.get(code)
            if old.retired_at is None and (old.name, old.kind, cur) == (name, kind, text):
                report.unchanged += 1
            elif old.retired_at is not None:
                raise Conflict(t("grid {code} is retired; its code cannot be imported again", code=code))
            else:
                service.update_grid(
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
