"""Generate plausible demo township, village and grid polygons inside a real county boundary.

Pure geometry (no database): townships, villages and grids are nested Voronoi partitions of the county, so
every level is a gap-free, overlap-free coverage of its parent. The same input and seed give the same output.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely

from linli.areas.kinds import GridKind

GRID_SIZE = 1e-6  # output coordinates are snapped to 6 decimals (~0.1 m) when that keeps every piece intact
MIN_GRIDS, MAX_GRIDS = 3, 12
_CANDIDATES = 8  # best-candidate sampling: more candidates give more even cell sizes
_CN_DIGITS = "零一二三四五六七八九"
_EXCLUSIVE_NAMES = {
    GridKind.exclusive_commercial: "商圈专属网格",
    GridKind.exclusive_hospital: "医院专属网格",
    GridKind.exclusive_school: "学校专属网格",
    GridKind.exclusive_industrial_park: "产业园区专属网格",
}
_TUN_PREFIXES = "东西南北前后上下大小新老"  # 12 distinct, enough for one 屯 per grid


@dataclass(frozen=True)
class VillageSpec:
    code: str  # 12 digits
    name: str
    kind: str  # community | village | virtual_living_area | other


@dataclass(frozen=True)
class TownshipSpec:
    code: str  # 9 digits
    name: str
    villages: Sequence[VillageSpec] = ()


@dataclass(frozen=True)
class GeneratedGrid:
    code: str  # village code + "001".."012"
    name: str
    kind: GridKind
    village_code: str
    polygon: shapely.Polygon


@dataclass(frozen=True)
class GeneratedCounty:
    townships: dict[str, shapely.Geometry]  # township code -> Polygon/MultiPolygon
    villages: dict[str, shapely.Geometry]  # village code -> Polygon/MultiPolygon
    grids: list[GeneratedGrid]


def cn_numeral(n: int) -> str:
    """Chinese numeral for 1..99 (一, 十, 十二, 二十三), as used in names like 第十二网格."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


def grid_count(village_code: str) -> int:
    """Number of grids of a village (3..12), fixed by its code alone so it does not move with the seed."""
    return random.Random(int(village_code)).randint(MIN_GRIDS, MAX_GRIDS)


def _sample(region: shapely.Geometry, m: int, rng: np.random.Generator) -> np.ndarray:
    """m random points strictly inside region: rejection sampling in its bounds, random chords for slivers."""
    minx, miny, maxx, maxy = region.bounds
    fill = max(region.area / max((maxx - minx) * (maxy - miny), 1e-300), 1e-3)
    got: list[np.ndarray] = []
    have = 0
    for _ in range(8):
        k = int(1.5 * (m - have) / fill) + 16
        xy = rng.uniform((minx, miny), (maxx, maxy), (k, 2))
        xy = xy[shapely.contains_xy(region, xy[:, 0], xy[:, 1])]
        got.append(xy)
        have += len(xy)
        if have >= m:
            return np.concatenate(got)[:m]
    for _ in range(8):  # very thin regions: points on random horizontal chords always hit the region
        k = 4 * (m - have) + 16
        ys = rng.uniform(miny, maxy, k)
        ends = np.stack([np.full(k, minx - 1), ys, np.full(k, maxx + 1), ys], 1).reshape(k, 2, 2)
        chords = shapely.intersection(shapely.linestrings(ends), region)
        chords = chords[shapely.length(chords) > 0]
        pts = shapely.line_interpolate_point(chords, rng.random(len(chords)), normalized=True)
        pts = shapely.get_coordinates(pts)
        got.append(pts[shapely.contains_xy(region, pts[:, 0], pts[:, 1])])
        have += len(got[-1])
        if have >= m:
            return np.concatenate(got)[:m]
    raise ValueError(f"cannot place {m} points inside a region of area {region.area:g}")


def _spread_points(region: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """n well-spread points inside region (Mitchell's best candidate), so sibling cells get similar sizes."""
    pool = _sample(region, n * _CANDIDATES, rng)
    scale = np.array([math.cos(math.radians(pool[:, 1].mean())), 1.0])  # a degree of longitude is shorter
    chosen = pool[:1]
    for i in range(1, n):
        cand = pool[i * _CANDIDATES : (i + 1) * _CANDIDATES]
        d2 = ((((cand[:, None, :] - chosen[None, :, :]) * scale) ** 2).sum(-1)).min(1)
        chosen = np.vstack([chosen, cand[d2.argmax()]])
    return chosen


def _voronoi_cells(pts: np.ndarray, region: shapely.Geometry) -> np.ndarray:
    """Voronoi cells of pts clipped to region, in the order of pts."""
    mp = shapely.multipoints(pts)
    try:
        cells = shapely.get_parts(shapely.voronoi_polygons(mp, extend_to=region, ordered=True))
    except TypeError:  # shapely < 2.1 has no ordered=: match each cell to the seed it contains
        cells = shapely.get_parts(shapely.voronoi_polygons(mp, extend_to=region))
        pi, ci = shapely.STRtree(cells).query(shapely.points(pts), predicate="within")
        cells = cells[ci[np.argsort(pi)]]
    return shapely.intersection(cells, region)


def _merge_fragments(cells: list[shapely.Geometry], pts: np.ndarray) -> list[shapely.Geometry]:
    """Give each cell's pieces cut off by a concave outline to the sibling sharing the longest edge with them.

    Pieces that touch no sibling along an edge (separate parts of a MultiPolygon county) stay where they are.
    """
    for i in range(len(cells)):
        if shapely.get_num_geometries(cells[i]) < 2:
            continue
        parts = shapely.get_parts(cells[i])
        home = shapely.intersects(parts, shapely.points(pts[i]))
        home = int(home.argmax()) if home.any() else int(shapely.area(parts).argmax())
        keep = [parts[home]]
        for j, part in enumerate(parts):
            if j == home:
                continue
            shared = shapely.length(shapely.intersection(part.boundary, shapely.boundary(cells)))
            shared[i] = 0
            if shared.max() > 0:
                cells[int(shared.argmax())] = shapely.union(cells[int(shared.argmax())], part)
            else:
                keep.append(part)
        cells[i] = keep[0] if len(keep) == 1 else shapely.multipolygons(keep)
    return cells


def _split(region: shapely.Geometry, n: int, rng: np.random.Generator, attempts: int = 1) -> list:
    """Split region into n cells around spread random seeds, re-sampling a few times while a cell is split."""
    if n <= 1:
        return [region] * n
    best = None
    for _ in range(attempts):
        pts = _spread_points(region, n, rng)
        cells = _voronoi_cells(pts, region)
        multi = int((shapely.get_num_geometries(cells) > 1).sum())
        if best is None or multi < best[0]:
            best = (multi, pts, cells)
        if multi == 0:
            break
    return _merge_fragments(list(best[2]), best[1])


def _split_grids(village: shapely.Geometry, n: int, rng: np.random.Generator) -> list:
    """Split a village into grids; each disconnected piece gets grids of its own, so grids stay Polygons."""
    parts = shapely.get_parts(village)
    if len(parts) == 1:
        return _split(village, n, rng, attempts=4)
    areas, counts = shapely.area(parts), [1] * len(parts)
    for _ in range(n - len(parts)):  # D'Hondt: the remaining grids go to pieces in proportion to area
        counts[int((areas / counts).argmax())] += 1
    return [cell for part, k in zip(parts, counts, strict=True) for cell in _split(part, k, rng, attempts=4)]


def _nw_to_se(cell: shapely.Geometry) -> float:
    """Sort key numbering grids from the north-west corner to the south-east one."""
    p = shapely.point_on_surface(cell)
    return p.x - p.y


def _base_name(village_name: str) -> str:
    """Village name without qualifiers and its 村委会/村 suffix, to prefix natural-village (屯) names."""
    name = re.sub(r"(（[^）]*）)+$", "", village_name)
    for suffix in ("村民委员会", "村委会", "委员会", "村", "屯"):
        name = name.removesuffix(suffix)
    return name


def _labels(village: VillageSpec, n: int, rng: random.Random) -> list[tuple[GridKind, str]]:
    """Kinds and Chinese names of a village's n grids in code order."""
    if village.kind == "village":
        tuns = iter(rng.sample(_TUN_PREFIXES, n))
        out, group = [], 0
        for _ in range(n):
            if rng.random() < 0.3:
                out.append((GridKind.rural_natural_village, f"{_base_name(village.name)}{next(tuns)}屯"))
            else:
                group += 1
                out.append((GridKind.rural_villagers_group, f"第{cn_numeral(group)}村民小组"))
        return out
    out = [(GridKind.residential, f"第{cn_numeral(i)}网格") for i in range(1, n + 1)]
    if village.kind == "community" and rng.random() < 0.25:  # about one community in four has a 专属网格
        kind = rng.choice(list(_EXCLUSIVE_NAMES))
        out[-1] = (kind, _EXCLUSIVE_NAMES[kind])
    return out


def _round_coverage(pieces: list[shapely.Geometry]) -> list[shapely.Geometry] | None:
    """Snap a coverage to GRID_SIZE as one noded linework, so neighbours keep identical shared edges.

    Rounding pieces one by one would let shared edges drift apart (overlaps and gaps of ~1e-8 deg²).
    Returns None if any piece would become invalid, empty or change its number of parts.
    """
    arr = np.array(pieces, dtype=object)
    lines = shapely.union_all(shapely.boundary(arr), grid_size=GRID_SIZE)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    tree = shapely.STRtree(arr)
    owner = np.full(len(faces), -1)
    fi, oi = tree.query(shapely.point_on_surface(faces), predicate="within")
    owner[fi] = oi
    # a sliver whose inner point lies on an old edge goes to the piece it overlaps most
    for f in np.flatnonzero(owner < 0):
        cand = tree.query(faces[f], predicate="intersects")
        share = shapely.area(shapely.intersection(faces[f], arr[cand]))
        if len(cand) and share.max() > 0.5 * faces[f].area:  # else a hole in the county, not a piece
            owner[f] = cand[share.argmax()]
    groups: list[list] = [[] for _ in pieces]
    for f, o in enumerate(owner):
        if o >= 0:
            groups[o].append(faces[f])
    out = np.array([g[0] if len(g) == 1 else shapely.coverage_union_all(g) for g in groups])
    ok = (
        shapely.is_valid(out).all()
        and (shapely.area(out) > 0).all()
        and (shapely.get_num_geometries(out) == shapely.get_num_geometries(arr)).all()
        # snap rounding moves each edge by at most ~0.7 GRID_SIZE, so areas may change only that much
        and (np.abs(shapely.area(out) - shapely.area(arr)) <= GRID_SIZE * shapely.length(arr)).all()
    )
    return list(out) if ok else None


def _round_levels(
    townships: Sequence[TownshipSpec], tcells: list, grid_villages: list[str], grid_cells: list
) -> tuple[list, dict, list] | None:
    """Round grids (and townships without villages) to GRID_SIZE and rebuild villages and townships from them.

    Parents are exact coverage unions of their rounded children, so all levels share identical edges.
    """
    empty = [i for i, t in enumerate(townships) if not t.villages]
    if not grid_cells and not empty:
        return None
    rounded = _round_coverage(grid_cells + [tcells[i] for i in empty])
    if rounded is None:
        return None
    grids, tcells = rounded[: len(grid_cells)], list(tcells)
    by_village: dict[str, list] = {}
    for code, cell in zip(grid_villages, grids, strict=True):
        by_village.setdefault(code, []).append(cell)
    vcells = {code: shapely.coverage_union_all(cells) for code, cells in by_village.items()}
    for i, cell in zip(empty, rounded[len(grid_cells) :], strict=True):
        tcells[i] = cell
    for i, town in enumerate(townships):
        if town.villages:
            tcells[i] = shapely.coverage_union_all([vcells[v.code] for v in town.villages])
    parents = np.array([*tcells, *vcells.values()])
    if not (shapely.is_valid(parents).all() and (shapely.area(parents) > 0).all()):
        return None
    return tcells, vcells, grids


def generate_county(
    county: shapely.Geometry, townships: Sequence[TownshipSpec], *, seed: int | None = None
) -> GeneratedCounty:
    """Generate township, village and grid polygons covering county; same inputs and seed, same output."""
    if county.is_empty or not county.is_valid or county.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError("county must be a non-empty valid Polygon or MultiPolygon")
    if seed is None:  # stable across runs (unlike hash()), and changes when the division list changes
        codes = "|".join(t.code + ":" + ",".join(v.code for v in t.villages) for t in townships)
        seed = int.from_bytes(hashlib.sha256(codes.encode()).digest()[:8], "big")
    seed %= 2**64
    shapely.prepare(county)
    tcells = _split(county, len(townships), np.random.default_rng([seed, 0]))
    vcells: dict[str, shapely.Geometry] = {}
    grid_specs: list[tuple[VillageSpec, int, GridKind, str]] = []
    grid_cells: list[shapely.Geometry] = []
    for town, tcell in zip(townships, tcells, strict=True):
        villages = list(town.villages)
        shapely.prepare(tcell)
        for village, vcell in zip(villages, _split(tcell, len(villages), _rng(seed, town.code)), strict=True):
            vcells[village.code] = vcell
            cells = _split_grids(vcell, grid_count(village.code), _rng(seed, village.code))
            cells.sort(key=_nw_to_se)
            labels = _labels(village, len(cells), random.Random(int(village.code) + 1))
            grid_specs += [(village, n, *label) for n, label in enumerate(labels, 1)]
            grid_cells += cells
    rounded = _round_levels(townships, tcells, [v.code for v, *_ in grid_specs], grid_cells)
    if rounded is not None:
        tcells, vcells, grid_cells = rounded
    grids = [
        GeneratedGrid(f"{v.code}{n:03d}", name, kind, v.code, cell)
        for (v, n, kind, name), cell in zip(grid_specs, grid_cells, strict=True)
    ]
    return GeneratedCounty(
        townships={t.code: c for t, c in zip(townships, tcells, strict=True)},
        villages={v.code: vcells[v.code] for t in townships for v in t.villages},
        grids=grids,
    )


def _rng(seed: int, code: str) -> np.random.Generator:
    """Per-area generator, so editing one village does not reshuffle every other village's grids."""
    return np.random.default_rng([seed, int(code)])
