"""Reading areas: one area with its breadcrumb, children, search, boundary maps, and locate."""

from __future__ import annotations

import json
from collections import OrderedDict

import numpy as np
import shapely
from sqlalchemy.orm import Session

from linli.areas import repository as repo
from linli.areas.locate import LOCATOR, VERSION_KEY, deepest_code, deepest_codes
from linli.areas.models import Area
from linli.areas.schemas import AreaOut, AreaRef, LocateOut
from linli.authz.principal import Principal
from linli.db.meta import get_meta
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t

# Simplification tolerance (degrees) per level shown; about 1 px on a map of that extent.
SIMPLIFY = {"city": 0.01, "county": 0.004, "township": 0.001, "village": 0.0003, "grid": 0.0}


def get_area(session: Session, principal: Principal, code: str, *, with_boundary: bool = False) -> Area:
    area = repo.get_area(session, code, principal.visible, with_boundary=with_boundary)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def ref(area: Area) -> AreaRef:
    return AreaRef(code=area.code, name=area.name, level=area.level)


def breadcrumb(session: Session, principal: Principal, code: str) -> list[AreaRef]:
    """Visible ancestors, root first (an official sees the trail from their own area down)."""
    found = repo.get_areas(session, codes.ancestors(code))
    return [ref(found[c]) for c in codes.ancestors(code) if c in found and principal.visible.contains(c)]


def area_out(session: Session, principal: Principal, area: Area, child_count: int | None = None) -> AreaOut:
    out = AreaOut.model_validate(area)
    out.rep_point = [area.rep_lon, area.rep_lat] if area.rep_lon is not None else None
    out.ancestors = breadcrumb(session, principal, area.code)
    out.child_count = child_count
    return out


def children(session: Session, principal: Principal, code: str, offset: int, limit: int):
    get_area(session, principal, code)
    rows, total = repo.children(session, code, principal.visible, offset=offset, limit=limit)
    counts = repo.child_counts(session, [a.code for a in rows], principal.visible)
    items = []
    for a in rows:
        out = AreaOut.model_validate(a)
        out.rep_point = [a.rep_lon, a.rep_lat] if a.rep_lon is not None else None
        out.child_count = counts.get(a.code, 0)
        items.append(out)
    return items, total


def search(session: Session, principal: Principal, code: str, q: str, limit: int) -> list[AreaOut]:
    q = q.strip()
    if not q:
        raise InvalidInput(t("type part of a name to search for"))
    get_area(session, principal, code)
    found = repo.search(session, code, principal.visible, q, limit=limit)
    return [area_out(session, principal, a) for a in found]


_MAP_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_MAP_CACHE_SIZE = 256


def boundaries_geojson(session: Session, principal: Principal, code: str, level: str | None) -> bytes:
    """Boundaries of one level under `code` as GeoJSON text, simplified for a map.

    Without a level: the children's level, or when those have no boundaries the first deeper level
    that has some (a province drawn by its counties), or else the area's own outline. Answers are
    cached per boundary version: a visible area's whole subtree is visible, so they do not depend on
    who asks.
    """
    area = get_area(session, principal, code)
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
    tol = SIMPLIFY.get(level or "", 0.0)
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
    body = ('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}").encode()
    _MAP_CACHE[key] = body
    while len(_MAP_CACHE) > _MAP_CACHE_SIZE:
        _MAP_CACHE.popitem(last=False)
    return body


def _check_point(lon: float, lat: float) -> None:
    if not -180.0 <= lon <= 180.0:
        raise InvalidInput(
            t("longitude {lon} is outside the valid range -180…180", lon=lon), code="invalid_coordinates"
        )
    if not -90.0 <= lat <= 90.0:
        raise InvalidInput(t("latitude {lat} is outside the valid range -90…90", lat=lat), code="invalid_coordinates")


def _visible_chain(session: Session, principal: Principal, code: str | None) -> list[Area]:
    """The located area and its ancestors that the principal may see, root first."""
    if code is None:
        return []
    chain = codes.ancestors(code) + [code]
    found = repo.get_areas(session, chain)
    return [found[c] for c in chain if c in found and principal.visible.contains(c)]


def locate(session: Session, principal: Principal, lon: float, lat: float) -> LocateOut:
    _check_point(lon, lat)
    ix = LOCATOR.for_session(session)
    code, how = deepest_code(ix, lon, lat)
    chain = _visible_chain(session, principal, code)
    if not chain:
        return LocateOut(
            lon=lon,
            lat=lat,
            matched="none",
            area=None,
            grid=None,
            ancestors=[],
            message="no area you can see contains this point",
        )
    deepest = chain[-1]
    if how == "grid" and deepest.code == code:
        msg = f"in grid {deepest.name}"
        grid = ref(deepest)
    else:
        how = "boundary"
        msg = f"in no grid; the deepest area containing it is {deepest.name} ({deepest.level})"
        grid = None
    return LocateOut(
        lon=lon,
        lat=lat,
        matched=how,
        area=ref(deepest),
        grid=grid,
        ancestors=[ref(a) for a in chain[:-1]],
        message=msg,
    )


def locate_batch(session: Session, principal: Principal, points: list[tuple[float, float]]) -> list[dict]:
    if len(points) > 100_000:
        raise InvalidInput(t("at most 100,000 points per request"))
    arr = np.asarray(points, dtype=float).reshape(-1, 2)
    bad = np.nonzero((np.abs(arr[:, 0]) > 180) | (np.abs(arr[:, 1]) > 90) | np.isnan(arr).any(axis=1))[0]
    if len(bad):
        i = int(bad[0])
        raise InvalidInput(
            t(
                "point {number} ({lon}, {lat}) is outside the valid coordinate range "
                "(longitude -180…180, latitude -90…90); {count} bad point(s) in all",
                number=i + 1,
                lon=arr[i, 0],
                lat=arr[i, 1],
                count=len(bad),
            ),
            code="invalid_coordinates",
        )
    ix = LOCATOR.for_session(session)
    results = []
    for code, how in deepest_codes(ix, arr[:, 0], arr[:, 1]):
        if code is not None and not principal.visible.contains(code):
            # Walk up to what the principal may see; grids and ancestors share the prefix rule.
            visible = [c for c in codes.ancestors(code) if principal.visible.contains(c)]
            code, how = (visible[-1], "boundary") if visible else (None, "none")
        results.append({"code": code, "matched": how})
    return results
