"""In-memory STRtree index of polygons answering "which polygon is this point in".

Built from (code, polygon) pairs; one point costs one tree query with a prepared `within` test,
a batch sorts the points spatially (so neighbouring queries touch the same tree nodes) and
splits them across threads (shapely releases the GIL in its vectorised calls).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from shapely import STRtree

_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1), thread_name_prefix="locate")
    return _POOL


class PolygonIndex:
    def __init__(self, codes: Sequence[str], polygons: Sequence[shapely.Geometry]):
        if len(codes) != len(polygons):
            raise ValueError("codes and polygons differ in length")
        # Sorted by code, so "lowest index" and "lowest code" agree when a point is on a shared edge.
        order = sorted(range(len(codes)), key=codes.__getitem__)
        self.codes = np.asarray([codes[i] for i in order], dtype=object)
        self.polygons = np.asarray([polygons[i] for i in order], dtype=object)
        shapely.prepare(self.polygons)
        self.tree = STRtree(self.polygons)

    def __len__(self) -> int:
        return len(self.codes)

    def locate(self, lon: float, lat: float) -> str | None:
        """Code of the polygon containing the point (boundary included), or None."""
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        # Adjacent polygons share edges: a point exactly on a shared edge belongs to the lowest code.
        return self.codes[hits.min()]

    def locate_indices(self, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Index of the containing polygon for each point, -1 where none."""
        lons = np.asarray(lons, dtype=float)
        lats = np.asarray(lats, dtype=float)
        n = len(lons)
        result = np.full(n, -1, dtype=np.int64)
        if n == 0 or len(self.codes) == 0:
            return result
        # Sort spatially (strips of 0.05 degrees, then latitude) for cache locality in the tree.
        order = np.lexsort((lats, np.floor(lons * 20.0)))
        xs, ys = lons[order], lats[order]
        workers = _pool()._max_workers if n >= 20_000 else 1
        bounds = np.linspace(0, n, workers + 1, dtype=np.int64)

        def run(i: int) -> None:
            a, b = bounds[i], bounds[i + 1]
            x, y = xs[a:b], ys[a:b]
            inp, cand = self.tree.query(shapely.points(x, y))
            ok = shapely.intersects_xy(self.polygons[cand], x[inp], y[inp])
            inp, cand = inp[ok], cand[ok]
            # On a shared edge several polygons match: keep the lowest index (reverse assignment).
            local = np.full(b - a, -1, dtype=np.int64)
            rev = np.argsort(cand)[::-1]
            local[inp[rev]] = cand[rev]
            result[order[a:b]] = local

        if workers == 1:
            run(0)
        else:
            list(_pool().map(run, range(workers)))
        return result

    def locate_many(self, lons: np.ndarray, lats: np.ndarray) -> list[str | None]:
        idx = self.locate_indices(lons, lats)
        return [self.codes[i] if i >= 0 else None for i in idx]
