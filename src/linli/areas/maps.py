"""The GeoJSON the area maps draw: the boundaries of one level under an area, simplified for the map's
scale and cached per boundary version."""

from __future__ import annotations

import json
from collections import OrderedDict

import shapely
from sqlalchemy.orm import Session

from linli.areas import repository as repo
from linli.areas.locate import VERSION_KEY
from linli.areas.models import Area
from linli.authz.principal import Principal
from linli.db.meta import get_meta
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

# Simplification tolerance (degrees) per level shown; about 1 px on a map of that extent.
SIMPLIFY = {"city": 0.01, "county": 0.004, "township": 0.001, "village": 0.0003, "grid": 0.0}

_MAP_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_MAP_CACHE_SIZE = 256


def boundaries_geojson(session: Session, principal: Principal, code: str, level: str | None) -> bytes:
    """Boundaries of one level under `code` as GeoJSON text, simplified for a map.

    Without a level: the children's level, or when those have no boundaries the first deeper level
    that has some (a province drawn by its counties), or else the area's own outline. Answers are
    cached per boundary version: a visible area's whole subtree is visible, so they do not depend on
    who asks.
    """
    area = repo.visible_area(session, principal, code)
    order = [lvl.value for lvl in codes.LEVEL_LENGTHS]
    if level is not None and level not in order:
        raise InvalidInput(t("unknown level {level}", level=level))
    key = (get_meta(session, VERSION_KEY), code, level)
    cached = _MAP_CACHE.get(key)
    if cached is not None:
        _MAP_CACHE.move_to_end(key)
        return cached
    candidates = [level] if level is not None else order[order.index(area.level) + 1 :] + [area.level]
    rows: list[Area] = []
    for lvl in candidates:
        rows = repo.subtree_with_boundaries(session, code, principal.visible, [lvl])
        if rows:
            level = lvl
            break
    body = _feature_collection(rows, SIMPLIFY.get(level or "", 0.0))
    _MAP_CACHE[key] = body
    while len(_MAP_CACHE) > _MAP_CACHE_SIZE:
        _MAP_CACHE.popitem(last=False)
    return body


def _feature_collection(rows: list[Area], tol: float) -> bytes:
    """The areas as a GeoJSON FeatureCollection, their outlines simplified by `tol` degrees."""
    features = []
    for a in rows:
        geom = a.boundary
        if tol:
            g = shapely.simplify(shapely.from_geojson(a.boundary), tol, preserve_topology=True)
            geom = shapely.to_geojson(shapely.set_precision(g, 1e-5) if g.is_valid else g)
        props = {
            "code": a.code,
            "name": a.name,
            "level": a.level,
            "kind": a.kind,
            "generated": a.generated or a.boundary_generated,
        }
        features.append(
            f'{{"type":"Feature","id":{json.dumps(a.code)},"properties":{json.dumps(props, ensure_ascii=False)},'
            f'"geometry":{geom}}}'
        )
    return ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
