"""The GeoJSON the maps draw: the boundaries of one level under an area, and a place's outlines (its
own, its neighbours', its children's), simplified for the map's scale and cached per boundary version."""

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


# --- a place's outlines: what every map draws around the reader's place ---------------------------

_SHAPE_CACHE: OrderedDict[tuple, str] = OrderedDict()
_SHAPE_CACHE_SIZE = 8192


def _shape(version: str | None, area: Area, tol: float) -> str:
    """The area's outline as GeoJSON geometry text, simplified by `tol` degrees; cached per version."""
    key = (version, area.code, tol)
    cached = _SHAPE_CACHE.get(key)
    if cached is not None:
        _SHAPE_CACHE.move_to_end(key)
        return cached
    text = area.boundary or "null"
    if tol:
        g = shapely.simplify(shapely.from_geojson(area.boundary), tol, preserve_topology=True)
        text = shapely.to_geojson(shapely.set_precision(g, 1e-5) if g.is_valid else g)
    _SHAPE_CACHE[key] = text
    while len(_SHAPE_CACHE) > _SHAPE_CACHE_SIZE:
        _SHAPE_CACHE.popitem(last=False)
    return text


# Simplification steps (degrees): few, so that cached shapes are shared between places of a size.
_STEPS = (0.01, 0.003, 0.001, 0.0003, 0.0001)


def _tolerance(area: Area) -> float:
    """About a pixel of a map fitted to the area (its extent over 2,000): nothing lost that shows."""
    if area.bbox is None:
        return _STEPS[0]  # a province without an outline: a map of its counties
    extent = max(area.bbox[2] - area.bbox[0], area.bbox[3] - area.bbox[1]) / 2000
    return next((step for step in _STEPS if step <= extent), 0.0)


def _children_with_boundaries(session: Session, principal: Principal, area: Area) -> list[Area]:
    """The area's children with outlines, or (a province drawn by its counties) the first of the next two
    levels down that has some; only those the principal may see."""
    order = [lvl.value for lvl in codes.LEVEL_LENGTHS]
    for lvl in order[order.index(area.level) + 1 :][:2]:
        rows = repo.subtree_with_boundaries(session, area.code, principal.visible, [lvl])
        if rows:
            return rows
    return []


def outlines_geojson(session: Session, principal: Principal, code: str, *, with_children: bool = True) -> bytes:
    """The outlines a map of the place `code` draws, as GeoJSON text: the place itself (role "own"), its
    children ("child"), and the other children of its parent ("neighbour").

    A place without an outline of its own gets its nearest outlined ancestor ("context"), where its map
    starts. The place must be visible to the principal (else 404). A neighbour (or context) the
    principal may not see is given as an outline and a name only (no code, nothing to open): which
    community lies next door, or which county one's village is in, is public knowledge and orients the
    reader; nothing else of it is sent. `bbox` is the place's extent (or its context's).
    """
    area = repo.visible_area(session, principal, code, with_boundary=True)
    version = get_meta(session, VERSION_KEY)
    tol = _tolerance(area)
    features = []
    if area.boundary:
        features.append(_feature(area, "own", _shape(version, area, tol), True))
    for child in _children_with_boundaries(session, principal, area) if with_children else []:
        features.append(_feature(child, "child", _shape(version, child, tol), True))
    for other in repo.siblings_with_boundaries(session, code):
        seen = principal.visible.contains(other.code)
        features.append(_feature(other, "neighbour", _shape(version, other, tol), seen))
    bbox_of = area.bbox
    if not area.boundary:
        context = _outlined_ancestor(session, area)
        if context is not None:
            seen = principal.visible.contains(context.code)
            features.append(_feature(context, "context", _shape(version, context, _tolerance(context)), seen))
            bbox_of = bbox_of or context.bbox
    bbox = f',"bbox":{json.dumps(bbox_of)}' if bbox_of else ""
    return ('{"type":"FeatureCollection"' + bbox + ',"features":[' + ",".join(features) + "]}").encode()


def _outlined_ancestor(session: Session, area: Area) -> Area | None:
    """The nearest ancestor with an outline (a village without one: its county), where its map starts."""
    found = repo.get_areas(session, codes.ancestors(area.code))
    for code in reversed(codes.ancestors(area.code)):
        if code in found and found[code].has_boundary:
            return repo.get_area_unscoped_with_boundary(session, code)
    return None


def _feature(a: Area, role: str, geometry: str, seen: bool) -> str:
    props: dict = {"role": role, "name": a.name, "level": a.level}
    if seen:
        props.update(code=a.code, generated=a.generated or a.boundary_generated)
    fid = f',"id":{json.dumps(a.code)}' if seen else ""
    return f'{{"type":"Feature"{fid},"properties":{json.dumps(props, ensure_ascii=False)},"geometry":{geometry}}}'
