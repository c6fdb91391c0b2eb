"""Which grid is this point in: an in-process index kept in step with the database, and the answers
for a principal (`locate`, `locate_batch`: the deepest grid or area they may see).

Every change to grids or boundaries writes a new random version into `meta` in the same
transaction; each process compares it before answering and rebuilds its index when it differs,
so several app processes stay correct without talking to each other.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy.orm import Session

from linli.areas import repository as repo
from linli.areas.index import PolygonIndex
from linli.areas.schemas import LocateOut
from linli.authz.principal import Principal
from linli.db.meta import bump_version, register_version_key, version_of
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

VERSION_KEY = register_version_key("grid_index_version")


def mark_changed(session: Session) -> None:
    bump_version(session, VERSION_KEY)


def _build(pairs: list[tuple[str, str]]) -> PolygonIndex:
    if not pairs:
        return PolygonIndex([], [])
    area_codes = [c for c, _ in pairs]
    polys = shapely.from_geojson(np.array([g for _, g in pairs], dtype=object))
    return PolygonIndex(area_codes, list(polys))


@dataclass
class Indexes:
    version: str | None
    grids: PolygonIndex
    boundaries: dict[int, PolygonIndex]  # code length (level) → index, deepest first


class GridLocator:
    """Holds the current indexes of this process; `for_session` rebuilds them when stale."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Indexes | None = None

    def for_session(self, session: Session) -> Indexes:
        version = version_of(session, VERSION_KEY)
        current = self._current
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._current is not None and self._current.version == version:
                return self._current
            others = repo.non_grid_boundaries(session)
            by_len: dict[int, list[tuple[str, str]]] = {}
            for code, geo in others:
                by_len.setdefault(len(code), []).append((code, geo))
            self._current = Indexes(
                version=version,
                grids=_build(repo.live_grids_with_boundary(session)),
                boundaries={n: _build(by_len[n]) for n in sorted(by_len, reverse=True)},
            )
            return self._current

    def invalidate(self) -> None:
        self._current = None


LOCATOR = GridLocator()


def deepest_code(ix: Indexes, lon: float, lat: float) -> tuple[str | None, str]:
    """(code, how): the grid containing the point, else the deepest bounded area, else (None, 'none')."""
    code = ix.grids.locate(lon, lat)
    if code is not None:
        return code, "grid"
    for index in ix.boundaries.values():
        code = index.locate(lon, lat)
        if code is not None:
            return code, "boundary"
    return None, "none"


def deepest_codes(ix: Indexes, lons: np.ndarray, lats: np.ndarray) -> list[tuple[str | None, str]]:
    n = len(lons)
    out: list[tuple[str | None, str]] = [(None, "none")] * n
    idx = ix.grids.locate_indices(lons, lats)
    missing = np.nonzero(idx < 0)[0]
    for i in np.nonzero(idx >= 0)[0]:
        out[i] = (ix.grids.codes[idx[i]], "grid")
    for index in ix.boundaries.values():
        if len(missing) == 0:
            break
        sub = index.locate_indices(lons[missing], lats[missing])
        for j in np.nonzero(sub >= 0)[0]:
            out[missing[j]] = (index.codes[sub[j]], "boundary")
        missing = missing[sub < 0]
    return out


# --- for a principal ------------------------------------------------------------------------------


def _check_point(lon: float, lat: float) -> None:
    if not -180.0 <= lon <= 180.0:
        raise InvalidInput(
            t("longitude {lon} is outside the valid range -180…180", lon=lon), code="invalid_coordinates"
        )
    if not -90.0 <= lat <= 90.0:
        raise InvalidInput(t("latitude {lat} is outside the valid range -90…90", lat=lat), code="invalid_coordinates")


def locate(session: Session, principal: Principal, lon: float, lat: float) -> LocateOut:
    _check_point(lon, lat)
    ix = LOCATOR.for_session(session)
    code, how = deepest_code(ix, lon, lat)
    chain = repo.visible_chain(session, principal, code)
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
        grid = repo.ref(deepest)
    else:
        how = "boundary"
        msg = f"in no grid; the deepest area containing it is {deepest.name} ({deepest.level})"
        grid = None
    return LocateOut(
        lon=lon,
        lat=lat,
        matched=how,
        area=repo.ref(deepest),
        grid=grid,
        ancestors=[repo.ref(a) for a in chain[:-1]],
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
