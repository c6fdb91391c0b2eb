#!/usr/bin/env python3
"""Benchmark: point-in-grid lookup with linli.areas.index.PolygonIndex, compared with PostGIS.

Builds ~100,000 grid polygons over Jilin province (Voronoi cells of random seed points inside the
real county boundaries, clipped to each county), then measures the index build (time and memory),
single-point lookups in a Python loop, a vectorised batch of 1,000,000 points, and checks the
answers against a brute-force shapely test. The same polygons are then loaded into a throw-away
PostGIS database and the same lookups are timed there.

A benchmark, not a test: it prints figures and the targets next to them and asserts nothing.

    python bench/bench_locate.py            # full run (about 2-4 minutes, most of it PostGIS)
    python bench/bench_locate.py --quick    # smoke run, well under 30 s
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("linli") is None:
    sys.path.insert(0, str(ROOT / "src"))

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402
import shapely  # noqa: E402

from linli.areas.index import PolygonIndex  # noqa: E402

COUNTY_FILES = [
    ROOT / "src" / "linli" / "data" / "counties-22.geojson",
    Path("/work/shared/data/jilin/counties-22.geojson"),
]
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

TARGET_SINGLE_PER_S = 60_000
TARGET_BATCH_S = 1.5
TARGET_BUILD_S = 10.0


# ---------------------------------------------------------------------------------------------- helpers


def rss_bytes() -> int:
    """Resident set size of this process (includes GEOS memory, which tracemalloc cannot see)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f} MiB"


def target_line(label: str, ok: bool, text: str) -> str:
    return f"    target {label}: {text}  [{'met' if ok else 'MISSED'}]"


def header(title: str) -> None:
    print()
    print(f"== {title} " + "=" * max(0, 96 - len(title)))


# ------------------------------------------------------------------------------------------- grid data


def load_counties() -> tuple[list[str], list[shapely.Geometry], Path]:
    for path in COUNTY_FILES:
        if path.exists():
            break
    else:
        raise SystemExit(f"counties-22.geojson not found in any of: {', '.join(map(str, COUNTY_FILES))}")
    data = json.loads(path.read_text(encoding="utf-8"))
    codes, geoms = [], []
    for feature in data["features"]:
        codes.append(str(feature["properties"]["adcode"]))
        geoms.append(shapely.from_geojson(json.dumps(feature["geometry"])))
    return codes, geoms, path


def approx_km2(geom: shapely.Geometry) -> float:
    """Equal-area approximation: degrees squared scaled by cos(latitude) at the centroid."""
    lat = shapely.get_y(shapely.centroid(geom))
    return shapely.area(geom) * 111.32 * 111.32 * math.cos(math.radians(lat))


def allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` proportionally to `weights` (largest remainder), at least one each."""
    raw = weights / weights.sum() * total
    counts = np.maximum(np.floor(raw).astype(np.int64), 1)
    rest = total - counts.sum()
    if rest > 0:
        for i in np.argsort(-(raw - np.floor(raw)))[:rest]:
            counts[i] += 1
    return counts


def random_points_in(geom: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    shapely.prepare(geom)
    x0, y0, x1, y1 = geom.bounds
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        m = max(1000, 2 * (n - have))
        xs = rng.uniform(x0, x1, m)
        ys = rng.uniform(y0, y1, m)
        ok = shapely.contains_xy(geom, xs, ys)
        pts = np.column_stack([xs[ok], ys[ok]])
        out.append(pts)
        have += len(pts)
    return np.concatenate(out)[:n]


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygon parts of an intersection result (drops stray lines or points)."""
    if shapely.get_type_id(geom) in (3, 6):  # Polygon, MultiPolygon
        return geom
    parts = [g for g in shapely.get_parts(geom) if shapely.get_type_id(g) in (3, 6)]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def build_grids(n_cells: int, seed: int) -> tuple[list[str], np.ndarray, dict]:
    county_codes, county_geoms, path = load_counties()
    rng = np.random.default_rng(seed)
    areas = np.array([approx_km2(g) for g in county_geoms])
    per_county = allocate(n_cells, areas)
    codes: list[str] = []
    polys: list[shapely.Geometry] = []
    clipped = 0
    for code, county, n in zip(county_codes, county_geoms, per_county, strict=True):
        seeds = random_points_in(county, int(n), rng)
        cells = shapely.get_parts(
            shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=shapely.envelope(county))
        )
        # Cells wholly inside the county need no clipping; intersect only the ones on its border.
        inside = shapely.within(cells, county)
        border = ~inside
        clipped += int(border.sum())
        cells = cells.copy()
        cells[border] = [polygonal(g) for g in shapely.intersection(cells[border], county)]
        cells = cells[~shapely.is_empty(cells)]
        for i, cell in enumerate(cells):
            codes.append(f"{code}{i + 1:09d}")
            polys.append(cell)
    info = {
        "source": str(path),
        "counties": len(county_codes),
        "clipped": clipped,
        "province_km2": float(areas.sum()),
    }
    return codes, np.asarray(polys, dtype=object), info


# ------------------------------------------------------------------------------------------- linli part


def brute_force_lowest(
    codes: np.ndarray, polys: np.ndarray, bounds: np.ndarray, x: float, y: float
) -> tuple[str | None, int]:
    """Lowest code among all polygons that contain the point (boundary included): bbox filter + GEOS."""
    cand = np.nonzero((bounds[:, 0] <= x) & (x <= bounds[:, 2]) & (bounds[:, 1] <= y) & (y <= bounds[:, 3]))[0]
    if len(cand) == 0:
        return None, 0
    hit = cand[shapely.intersects_xy(polys[cand], x, y)]
    if len(hit) == 0:
        return None, 0
    return min(codes[hit]), len(hit)


def cross_check(index: PolygonIndex, n: int, bbox: tuple[float, float, float, float], seed: int) -> dict:
    """Compare locate() and locate_indices() with a brute-force answer, including points on edges."""
    rng = np.random.default_rng(seed + 7)
    codes = np.asarray(index.codes, dtype=object)
    polys = index.polygons
    bounds = shapely.bounds(polys)
    n_vertex = n // 10
    n_random = n - n_vertex
    xs = list(rng.uniform(bbox[0], bbox[2], n_random))
    ys = list(rng.uniform(bbox[1], bbox[3], n_random))
    # A tenth of the points are polygon vertices: they lie on edges shared by 2-3 cells, where the
    # index must answer the lowest code.
    for i in rng.choice(len(polys), n_vertex, replace=False):
        ring = shapely.get_coordinates(polys[i])
        x, y = ring[rng.integers(len(ring))]
        xs.append(float(x))
        ys.append(float(y))
    xs_a, ys_a = np.asarray(xs), np.asarray(ys)
    batch = index.locate_indices(xs_a, ys_a)
    mism_single = mism_batch = hits = multi = 0
    examples = []
    for k, (x, y) in enumerate(zip(xs, ys, strict=True)):
        expected, n_match = brute_force_lowest(codes, polys, bounds, x, y)
        hits += n_match > 0
        multi += n_match > 1
        single = index.locate(x, y)
        got_batch = codes[batch[k]] if batch[k] >= 0 else None
        if single != expected:
            mism_single += 1
            if len(examples) < 5:
                examples.append(("locate", x, y, expected, single))
        if got_batch != expected:
            mism_batch += 1
            if len(examples) < 5:
                examples.append(("locate_indices", x, y, expected, got_batch))
    return {
        "points": n,
        "random": n_random,
        "vertices": n_vertex,
        "hits": hits,
        "multi": multi,
        "mismatch_single": mism_single,
        "mismatch_batch": mism_batch,
        "examples": examples,
    }


# ----------------------------------------------------------------------------------------- PostGIS part


def postgis_part(
    args: argparse.Namespace,
    codes: list[str],
    polys: np.ndarray,
    single_pts: np.ndarray,
    batch_pts: np.ndarray,
    linli_batch_codes: np.ndarray,
) -> dict | None:
    try:
        import psycopg
        from psycopg.conninfo import make_conninfo
    except ImportError:
        print("psycopg not importable: PostGIS comparison skipped")
        return None
    try:
        admin = psycopg.connect(args.pg_url, autocommit=True)
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {args.pg_url}: {exc}".strip())
        print("PostGIS comparison skipped")
        return None
    res: dict = {}
    dbname = f"linli_bench_{secrets.token_hex(5)}"
    conn = None
    try:
        res["server_version"] = admin.execute("SHOW server_version").fetchone()[0]
        avail = admin.execute("SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'")
        row = avail.fetchone()
        if row is None:
            print("PostGIS not available: apt-get install postgresql-15-postgis-3")
            return None
        admin.execute(f'CREATE DATABASE "{dbname}"')
        print(f"created database {dbname}")
        conn = psycopg.connect(make_conninfo(args.pg_url, dbname=dbname), autocommit=True)
        try:
            conn.execute("CREATE EXTENSION postgis")
        except psycopg.Error as exc:
            print(f"PostGIS not available: apt-get install postgresql-15-postgis-3 ({exc})".strip())
            return None
        res["postgis_version"] = conn.execute("SELECT postgis_lib_version()").fetchone()[0]
        res["geos_version"] = conn.execute("SELECT postgis_geos_version()").fetchone()[0]
        res["parallel_workers"] = conn.execute("SHOW max_parallel_workers_per_gather").fetchone()[0]
        print(
            f"PostgreSQL {res['server_version']}, PostGIS {res['postgis_version']} "
            f"(GEOS {res['geos_version']}), max_parallel_workers_per_gather={res['parallel_workers']}"
        )

        # -- load the polygons: COPY of hex EWKB (SRID 4326), then GiST index and ANALYZE
        ewkb = shapely.to_wkb(shapely.set_srid(polys, 4326), hex=True, include_srid=True)
        t0 = time.perf_counter()
        conn.execute("CREATE TABLE grids (code varchar(15) PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL)")
        with conn.cursor() as cur, cur.copy("COPY grids (code, geom) FROM STDIN") as cp:
            step = 20_000
            for a in range(0, len(codes), step):
                chunk = "".join(f"{c}\t{h}\n" for c, h in zip(codes[a : a + step], ewkb[a : a + step], strict=True))
                cp.write(chunk.encode())
        t1 = time.perf_counter()
        conn.execute("CREATE INDEX grids_geom_gist ON grids USING gist (geom)")
        t2 = time.perf_counter()
        conn.execute("ANALYZE grids")
        t3 = time.perf_counter()
        res["load_s"], res["gist_s"], res["analyze_s"] = t1 - t0, t2 - t1, t3 - t2
        size = conn.execute("SELECT pg_total_relation_size('grids'), pg_relation_size('grids_geom_gist')").fetchone()
        res["table_bytes"], res["gist_bytes"] = size
        print(
            f"grids: COPY {res['load_s']:.2f} s, GiST {res['gist_s']:.2f} s, "
            f"ANALYZE {res['analyze_s']:.2f} s; "
            f"table+indexes {mib(size[0])}, GiST {mib(size[1])}"
        )

        # -- single lookups: one connection, a prepared statement, one query per point
        pred = "ST_Intersects" if args.pg_predicate == "intersects" else "ST_Contains"
        res["predicate"] = pred
        sql = f"SELECT code FROM grids WHERE {pred}(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) ORDER BY code LIMIT 1"
        n_single = min(args.pg_single, len(single_pts))
        pts = single_pts[:n_single].tolist()
        with conn.cursor() as cur:
            for x, y in pts[:200]:  # warm-up (plan cache, buffers)
                cur.execute(sql, (x, y), prepare=True)
                cur.fetchone()
            t0 = time.perf_counter()
            hits = 0
            for x, y in pts:
                cur.execute(sql, (x, y), prepare=True)
                hits += cur.fetchone() is not None
            dt = time.perf_counter() - t0
            cur.execute("EXPLAIN " + sql.replace("%s", "{}").format(*pts[0]))
            plan = [r[0] for r in cur.fetchall()]
        res["single_n"], res["single_s"], res["single_hits"] = n_single, dt, hits
        res["single_per_s"] = n_single / dt
        print(f"single: {n_single:,} queries in {dt:.2f} s = {n_single / dt:,.0f} lookups/s (hits {hits:,})")
        print(f"  query: {sql}")
        print("  plan: " + "\n        ".join(plan))

        # -- batch: the same points in a table, one join
        res["batch"] = {}
        for kind in args.pg_points_tables:
            res["batch"][kind] = pg_batch(conn, kind, pred, batch_pts, linli_batch_codes, args.pg_batch_runs)
        return res
    finally:
        if conn is not None:
            conn.close()
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            if res.get("server_version"):
                print(f"dropped database {dbname} (if created)")
        finally:
            admin.close()


def pg_batch(conn, kind: str, pred: str, batch_pts: np.ndarray, linli_codes: np.ndarray, runs: int) -> dict:
    """Load the batch points into a TEMP or UNLOGGED table and join them to the grids once per run."""
    table = f"pts_{kind}"
    create = "CREATE TEMP TABLE" if kind == "temp" else "CREATE UNLOGGED TABLE"
    n = len(batch_pts)
    pts = shapely.set_srid(shapely.points(batch_pts[:, 0], batch_pts[:, 1]), 4326)
    ewkb = shapely.to_wkb(pts, hex=True, include_srid=True)  # hex EWKB, SRID 4326
    del pts
    t0 = time.perf_counter()
    conn.execute(f"{create} {table} (id integer NOT NULL, geom geometry(Point, 4326) NOT NULL)")
    with conn.cursor() as cur, cur.copy(f"COPY {table} (id, geom) FROM STDIN") as cp:
        step = 100_000
        for a in range(0, n, step):
            chunk = "".join(f"{a + i}\t{h}\n" for i, h in enumerate(ewkb[a : a + step].tolist()))
            cp.write(chunk.encode())
    conn.execute(f"ANALYZE {table}")
    load_s = time.perf_counter() - t0
    query = f"SELECT p.id, g.code FROM {table} p JOIN grids g ON {pred}(g.geom, p.geom)"
    times = []
    rows: list = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(query)
            rows = cur.fetchall()
        times.append(time.perf_counter() - t0)
    with conn.cursor() as cur:
        cur.execute("EXPLAIN " + query)
        plan = [r[0] for r in cur.fetchall()]
    # Lowest code per point (a point on a shared edge joins 2+ cells), compared with the index answer.
    best: dict[int, str] = {}
    for pid, code in rows:
        if pid not in best or code < best[pid]:
            best[pid] = code
    pg_codes = np.full(n, None, dtype=object)
    if best:
        ids = np.fromiter(best.keys(), dtype=np.int64, count=len(best))
        pg_codes[ids] = np.asarray(list(best.values()), dtype=object)
    mismatches = int(np.sum(pg_codes != linli_codes))
    out = {
        "table": f"{create.split()[1]} table {table}",
        "n": n,
        "load_s": load_s,
        "runs": times,
        "best_s": min(times),
        "median_s": statistics.median(times),
        "rows": len(rows),
        "points_hit": len(best),
        "mismatches": mismatches,
        "plan": plan,
    }
    print(
        f"batch ({out['table']}): load {load_s:.2f} s (COPY + ANALYZE); join {pred} "
        f"runs {', '.join(f'{t:.2f}' for t in times)} s "
        f"(best {out['best_s']:.2f}, median {out['median_s']:.2f}); "
        f"{len(rows):,} rows, {len(best):,} points hit, mismatches vs linli {mismatches}"
    )
    print("  plan: " + "\n        ".join(plan))
    conn.execute(f"DROP TABLE {table}")
    return out


# ------------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cells", type=int, default=100_000, help="number of grid polygons (default 100,000)")
    p.add_argument("--single", type=int, default=200_000, help="points for the locate() loop (default 200,000)")
    p.add_argument("--batch", type=int, default=1_000_000, help="points for locate_indices (default 1,000,000)")
    p.add_argument("--batch-runs", type=int, default=3, help="runs of the batch (default 3)")
    p.add_argument("--check", type=int, default=2_000, help="points cross-checked by brute force (default 2,000)")
    p.add_argument("--seed", type=int, default=20241129, help="random seed (default 20241129)")
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL), help="admin URL")
    p.add_argument("--no-postgis", action="store_true", help="skip the PostGIS comparison")
    p.add_argument("--pg-single", type=int, default=20_000, help="single PostGIS queries (default 20,000)")
    p.add_argument("--pg-batch-runs", type=int, default=2, help="runs of the PostGIS join (default 2)")
    p.add_argument(
        "--pg-points-tables",
        default="temp,unlogged",
        help="tables for the PostGIS batch, comma-separated from temp,unlogged (default both: a TEMP\n"
        "table is parallel-restricted in PostgreSQL, an UNLOGGED one lets the planner use workers)",
    )
    p.add_argument(
        "--pg-predicate",
        choices=["intersects", "contains"],
        default="intersects",
        help="ST_Intersects (boundary included, the index's semantics; default) or ST_Contains",
    )
    p.add_argument("--quick", action="store_true", help="small smoke run (10k cells, 100k batch), < 30 s")
    args = p.parse_args(argv)
    if args.quick:
        args.cells = min(args.cells, 10_000)
        args.single = min(args.single, 20_000)
        args.batch = min(args.batch, 100_000)
        args.check = min(args.check, 300)
        args.pg_single = min(args.pg_single, 2_000)
        args.pg_batch_runs = 1
    args.pg_points_tables = [k.strip() for k in args.pg_points_tables.split(",") if k.strip()]
    for k in args.pg_points_tables:
        if k not in ("temp", "unlogged"):
            p.error(f"--pg-points-tables: unknown kind {k!r}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print("=" * 100)
    print(
        "linli benchmark: point-in-grid lookup (PolygonIndex vs brute force vs PostGIS)"
        + (" [QUICK]" if args.quick else "")
    )
    print("=" * 100)
    print(
        f"machine: {platform.machine()} {platform.system()} {platform.release()}, "
        f"os.cpu_count()={os.cpu_count()}, "
        f"affinity={len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}"
    )
    print(
        f"python {platform.python_version()}, shapely {shapely.__version__} "
        f"(GEOS {shapely.geos_version_string}), "
        f"numpy {np.__version__}, sqlite {sqlite3.sqlite_version}"
    )
    print(
        f"options: cells={args.cells:,} single={args.single:,} batch={args.batch:,} x{args.batch_runs} "
        f"check={args.check:,} seed={args.seed} postgis={'no' if args.no_postgis else args.pg_url}"
    )

    # -- data
    header("grid polygons")
    t0 = time.perf_counter()
    codes, polys, info = build_grids(args.cells, args.seed)
    gen_s = time.perf_counter() - t0
    wkb_bytes = int(sum(len(b) for b in shapely.to_wkb(polys)))
    n_vertices = int(shapely.get_num_coordinates(polys).sum())
    n_multi = int(np.sum(shapely.get_type_id(polys) == 6))
    bbox = tuple(float(v) for v in shapely.total_bounds(polys))
    print(
        f"{len(codes):,} polygons ({n_multi:,} multi, {info['clipped']:,} clipped to a county border) "
        f"from {info['counties']} counties of {info['source']}"
    )
    print(f"generated in {gen_s:.2f} s; {n_vertices:,} vertices; WKB size {mib(wkb_bytes)}")
    print(f"province bbox lon {bbox[0]:.4f}..{bbox[2]:.4f}, lat {bbox[1]:.4f}..{bbox[3]:.4f}")
    print(f"codes e.g. {codes[0]}, {codes[len(codes) // 2]}, {codes[-1]}")

    # -- build: timed without tracemalloc (it slows allocation), RSS delta measured around it
    header("index build")
    gc.collect()
    rss0 = rss_bytes()
    t0 = time.perf_counter()
    index = PolygonIndex(codes, list(polys))
    build_s = time.perf_counter() - t0
    gc.collect()
    rss_delta = rss_bytes() - rss0
    # A second, throw-away build under tracemalloc for the Python-heap figures.
    gc.collect()
    tracemalloc.start()
    scratch = PolygonIndex(codes, list(polys))
    tm_current, tm_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del scratch
    gc.collect()
    # GEOS builds a prepared geometry's internal index lazily, on its first predicate: query every
    # polygon once (a point inside each) and measure RSS again for the warmed-up footprint.
    inner = shapely.point_on_surface(index.polygons)
    t0 = time.perf_counter()
    warm = index.locate_indices(shapely.get_x(inner), shapely.get_y(inner))
    warm_s = time.perf_counter() - t0
    warm_ok = int(np.sum(warm == np.arange(len(index))))
    del inner, warm
    gc.collect()
    rss_warm = rss_bytes() - rss0
    print(f"build: {build_s:.2f} s for {len(index):,} polygons (sort + arrays + shapely.prepare + STRtree)")
    print(f"memory: process RSS delta {mib(rss_delta)} (includes GEOS prepared geometries and the tree)")
    print(
        f"        process RSS delta after querying every polygon once {mib(rss_warm)} "
        f"(warm-up {warm_s:.2f} s, {warm_ok:,}/{len(index):,} answered with their own polygon)"
    )
    print(f"        tracemalloc current {mib(tm_current)}, peak {mib(tm_peak)} (Python allocator only)")
    print(f"        reference: WKB of the polygons {mib(wkb_bytes)}")
    print(target_line("build", build_s <= TARGET_BUILD_S, f"<= {TARGET_BUILD_S:.0f} s, got {build_s:.2f} s"))

    rng = np.random.default_rng(args.seed + 1)

    # -- single lookups
    header("single lookups: Python loop over index.locate(lon, lat)")
    sx = rng.uniform(bbox[0], bbox[2], args.single)
    sy = rng.uniform(bbox[1], bbox[3], args.single)
    locate = index.locate
    for x, y in zip(sx[:2000].tolist(), sy[:2000].tolist(), strict=True):  # warm-up (lazy GEOS prep)
        locate(x, y)
    t0 = time.perf_counter()
    single_hits = 0
    for x, y in zip(sx.tolist(), sy.tolist(), strict=True):
        if locate(x, y) is not None:
            single_hits += 1
    single_s = time.perf_counter() - t0
    single_rate = args.single / single_s
    print(
        f"{args.single:,} points uniform in the bbox: {single_s:.2f} s = {single_rate:,.0f} lookups/s "
        f"({1e6 / single_rate:.1f} us each), hit rate {single_hits / args.single:.1%}"
    )
    print(
        target_line(
            "single",
            single_rate >= TARGET_SINGLE_PER_S,
            f">= {TARGET_SINGLE_PER_S:,}/s, got {single_rate:,.0f}/s",
        )
    )

    # -- batch
    header("batch: index.locate_indices(lons, lats)")
    bx = rng.uniform(bbox[0], bbox[2], args.batch)
    by = rng.uniform(bbox[1], bbox[3], args.batch)
    batch_times = []
    result = None
    for _ in range(args.batch_runs):
        t0 = time.perf_counter()
        result = index.locate_indices(bx, by)
        batch_times.append(time.perf_counter() - t0)
    assert result is not None
    batch_best, batch_median = min(batch_times), statistics.median(batch_times)
    batch_hit_rate = float(np.mean(result >= 0))
    print(
        f"{args.batch:,} points, {args.batch_runs} runs: {', '.join(f'{t:.3f}' for t in batch_times)} s "
        f"(best {batch_best:.3f}, median {batch_median:.3f}) = {args.batch / batch_best:,.0f} points/s; "
        f"hit rate {batch_hit_rate:.1%}"
    )
    scaled = "" if args.batch == 1_000_000 else f" (scaled from {args.batch:,})"
    best_per_m = batch_best * 1_000_000 / args.batch
    print(
        target_line(
            "batch",
            best_per_m <= TARGET_BATCH_S,
            f"1,000,000 <= {TARGET_BATCH_S} s, got {best_per_m:.3f} s{scaled}",
        )
    )

    # -- cross-check
    header("cross-check against brute force (bbox filter + shapely.intersects_xy over all polygons)")
    t0 = time.perf_counter()
    chk = cross_check(index, args.check, bbox, args.seed)
    print(
        f"{chk['points']:,} points ({chk['random']:,} random in the bbox + "
        f"{chk['vertices']:,} polygon vertices "
        f"on shared edges): {chk['hits']:,} inside some polygon, {chk['multi']:,} inside 2+ polygons "
        f"(expected answer: the lowest code)"
    )
    print(
        f"mismatches: locate {chk['mismatch_single']}, locate_indices {chk['mismatch_batch']} "
        f"({time.perf_counter() - t0:.1f} s)"
    )
    for ex in chk["examples"]:
        print(f"  e.g. {ex[0]} at ({ex[1]!r}, {ex[2]!r}): expected {ex[3]}, got {ex[4]}")

    # -- PostGIS
    pg = None
    if not args.no_postgis:
        header("PostGIS comparison")
        codes_arr = np.asarray(index.codes, dtype=object)
        linli_codes = np.where(result >= 0, codes_arr[np.maximum(result, 0)], None)
        pg = postgis_part(
            args,
            list(index.codes),
            index.polygons,
            np.column_stack([sx, sy]),
            np.column_stack([bx, by]),
            linli_codes,
        )

    # -- summary
    header("SUMMARY (bench_locate)" + (" [QUICK]" if args.quick else ""))
    lines = [
        f"polygons                  {len(index):,} over {info['counties']} counties (seed {args.seed}), "
        f"WKB {mib(wkb_bytes)}",
        f"build                     {build_s:.2f} s   (target <= {TARGET_BUILD_S:.0f} s)",
        f"memory                    RSS +{mib(rss_delta)} after build, +{mib(rss_warm)} warmed; "
        f"tracemalloc current {mib(tm_current)}, "
        f"peak {mib(tm_peak)}",
        f"single locate()           {single_rate:,.0f} lookups/s over {args.single:,} points "
        f"(target >= {TARGET_SINGLE_PER_S:,}/s)",
        f"batch locate_indices()    {args.batch:,} points: best {batch_best:.3f} s, "
        f"median {batch_median:.3f} s "
        f"(target 1M <= {TARGET_BATCH_S} s)",
        f"hit rate                  {batch_hit_rate:.1%} of bbox points fall in a grid",
        f"cross-check mismatches    locate {chk['mismatch_single']}, locate_indices {chk['mismatch_batch']} "
        f"of {chk['points']:,} ({chk['multi']:,} on shared edges)",
    ]
    if pg is not None:
        lines.append(
            f"PostGIS single            {pg['single_per_s']:,.0f} lookups/s ({pg['predicate']}, "
            f"prepared, {pg['single_n']:,} queries) -> linli {single_rate / pg['single_per_s']:.1f}x faster"
        )
        lines.append(
            f"PostGIS grids load        COPY {pg['load_s']:.2f} s + GiST {pg['gist_s']:.2f} s + "
            f"ANALYZE {pg['analyze_s']:.2f} s = {pg['load_s'] + pg['gist_s'] + pg['analyze_s']:.2f} s "
            f"(linli build {build_s:.2f} s)"
        )
        for b in pg["batch"].values():
            lines.append(
                f"PostGIS batch {b['table'].split()[0]:8s}    load {b['load_s']:.2f} s; "
                f"join best {b['best_s']:.2f} s (rows fetched) "
                f"-> linli {b['best_s'] / batch_best:.1f}x faster; "
                f"mismatches {b['mismatches']}"
            )
    elif not args.no_postgis:
        lines.append("PostGIS                   skipped (see above)")
    for line in lines:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
