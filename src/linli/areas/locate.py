"""Which grid is this point in: an in-process index kept in step with the database.

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
from linli.db.meta import bump_version, register_version_key, version_of

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
