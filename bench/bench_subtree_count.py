#!/usr/bin/env python3
"""Benchmark: count the rows of an area subtree with the project's scope rule, on SQLite and PostgreSQL.

Fills a table of "scoped rows" (bench_rows: id, area_code varchar(15) indexed, payload) whose area
codes are padded 15-digit grid codes under the real Jilin village codes, then times

    select(func.count()).select_from(bench_rows).where(build_scope([code]).clause(bench_rows.c.area_code))

for a city (Changchun, 2201, >= 1,000,000 rows), a county and a township, with a warm cache, and
prints the query plans showing the index range scan.

Row distribution: the total (--rows, default 4,000,000) is split over the 9 cities in proportion to
their resident population (2020 census, rounded; Changchun holds about 37.7 %, so about 1.5 M rows),
then over each city's village-level units with weight 4 for an urban community and 1 for anything
else, times a lognormal jitter (sigma 0.5); each unit gets 1-9 grids (codes <village>001..009) and
each row a random grid of its unit.

A benchmark, not a test: it prints figures and the targets next to them and asserts nothing.

    python bench/bench_subtree_count.py            # full run (about 1-2 minutes)
    python bench/bench_subtree_count.py --quick    # smoke run, well under 30 s
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("linli") is None:
    sys.path.insert(0, str(ROOT / "src"))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402

import numpy as np  # noqa: E402
import sqlalchemy  # noqa: E402
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select  # noqa: E402

from linli.authz.scope import build_scope  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.kit import codes as area_codes  # noqa: E402

DIVISION_FILES = [
    ROOT / "src" / "linli" / "data" / "divisions-22.json",
    Path("/work/shared/data/jilin/divisions-22.json"),
]
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TARGET_MS = 50.0
RUNS = 7

# Resident population by city, 2020 census (rounded to thousands); only the proportions matter.
CITY_POPULATION = {
    "2201": 9_067_000,  # 长春市
    "2202": 3_624_000,  # 吉林市
    "2203": 1_815_000,  # 四平市
    "2204": 997_000,  # 辽源市
    "2205": 1_303_000,  # 通化市
    "2206": 952_000,  # 白山市
    "2207": 2_253_000,  # 松原市
    "2208": 1_551_000,  # 白城市
    "2224": 1_942_000,  # 延边朝鲜族自治州
}
KIND_WEIGHT = {"community": 4.0}  # everything else 1.0

metadata = MetaData()
bench_rows = Table(
    "bench_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("area_code", String(15), nullable=False),
    Column("payload", String(40), nullable=False),
)
INDEX_DDL = "CREATE INDEX ix_bench_rows_area_code ON bench_rows (area_code)"


def header(title: str) -> None:
    print()
    print(f"== {title} " + "=" * max(0, 96 - len(title)))


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f} MiB"


# ------------------------------------------------------------------------------------------------- data


def load_divisions() -> tuple[list[dict], Path]:
    for path in DIVISION_FILES:
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            return data["divisions"], path
    raise SystemExit(f"divisions-22.json not found in any of: {', '.join(map(str, DIVISION_FILES))}")


def make_rows(total: int, seed: int, order: str) -> tuple[np.ndarray, dict]:
    """Padded 15-character area codes, one per row, in insertion order (random or sorted)."""
    divisions, path = load_divisions()
    villages = [d for d in divisions if d["level"] == "village"]
    rng = np.random.default_rng(seed)
    pop = np.array(list(CITY_POPULATION.values()), dtype=float)
    city_rows = np.floor(pop / pop.sum() * total).astype(np.int64)
    city_rows[0] += total - city_rows.sum()  # rounding remainder to Changchun
    grid_codes: list[str] = []  # all (village, grid) codes, grouped by village
    parts: list[np.ndarray] = []
    for city, n_city in zip(CITY_POPULATION, city_rows, strict=True):
        units = [v for v in villages if v["code"].startswith(city)]
        w = np.array([KIND_WEIGHT.get(v["kind"], 1.0) for v in units]) * rng.lognormal(0.0, 0.5, len(units))
        per_unit = rng.multinomial(n_city, w / w.sum())
        n_grids = rng.integers(1, 10, len(units))  # 1..9 grids per unit
        for unit, n, k in zip(units, per_unit, n_grids, strict=True):
            base = len(grid_codes)
            grid_codes.extend(f"{unit['code']}{g:03d}" for g in range(1, k + 1))
            if n:
                parts.append(base + rng.integers(0, k, n))
    idx = np.concatenate(parts)
    if order == "random":
        rng.shuffle(idx)
    else:
        idx.sort()  # grid_codes is in code order within a city and cities are in code order
    codes = np.asarray(grid_codes, dtype=object)[idx]
    info = {
        "source": str(path),
        "villages": len(villages),
        "grids": len(grid_codes),
        "city_rows": dict(zip(CITY_POPULATION, city_rows.tolist(), strict=True)),
    }
    return codes, info


def expected_count(sorted_codes: np.ndarray, code: str) -> int:
    low, high = area_codes.subtree_range(code)
    return int(np.searchsorted(sorted_codes, high) - np.searchsorted(sorted_codes, low))


def pick_targets(
    args: argparse.Namespace, sorted_codes: np.ndarray, divisions: list[dict]
) -> list[tuple[str, str, str]]:
    names = {d["code"]: d["name"] for d in divisions}
    township = args.township
    if township is None:
        # The township of the chosen county holding the most rows.
        low, high = area_codes.subtree_range(args.county)
        a, b = np.searchsorted(sorted_codes, low), np.searchsorted(sorted_codes, high)
        counts = Counter(c[:9] for c in sorted_codes[a:b].tolist())
        township = counts.most_common(1)[0][0] if counts else args.county + "001"
    return [
        ("city", args.city, names.get(args.city, "?")),
        ("county", args.county, names.get(args.county, "?")),
        ("township", township, names.get(township, "?")),
    ]


def payloads(ids: range) -> list[str]:
    return [f"resident-{i:09d}" for i in ids]


# ------------------------------------------------------------------------------------------- measuring


def count_stmt(code: str):
    scope = build_scope([code])
    return select(func.count()).select_from(bench_rows).where(scope.clause(bench_rows.c.area_code))


def time_counts(engine: sqlalchemy.Engine, targets, runs: int, setup: str | None = None) -> list[dict]:
    out = []
    with engine.connect() as conn:
        if setup:
            conn.exec_driver_sql(setup)
        for level, code, name in targets:
            stmt = count_stmt(code)
            n = conn.execute(stmt).scalar_one()  # warm-up: pages into cache, statement compiled
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                n = conn.execute(stmt).scalar_one()
                times.append((time.perf_counter() - t0) * 1000)
            out.append(
                {
                    "level": level,
                    "code": code,
                    "name": name,
                    "range": area_codes.subtree_range(code),
                    "count": n,
                    "times_ms": times,
                    "median_ms": statistics.median(times),
                    "best_ms": min(times),
                }
            )
        conn.rollback()
    return out


def explain(engine: sqlalchemy.Engine, code: str) -> list[str]:
    stmt = count_stmt(code)
    compiled = stmt.compile(dialect=engine.dialect)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            params = tuple(compiled.params[k] for k in compiled.positiontup)
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params).fetchall()
            lines = [f"{r[3]}" for r in rows]
        else:
            rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), compiled.params).fetchall()
            lines = [r[0] for r in rows]
        conn.rollback()
    return [" ".join(str(compiled).split())] + lines


def report(engine_name: str, results: list[dict], expected: dict[str, int], plans: dict[str, list[str]]) -> None:
    for r in results:
        ok = "ok" if r["count"] == expected[r["code"]] else f"EXPECTED {expected[r['code']]:,}"
        print(
            f"{r['level']:8s} {r['code']:9s} {r['name']}: count {r['count']:,} ({ok}); "
            f"range [{r['range'][0]}, {r['range'][1]})"
        )
        print(
            f"         {RUNS} warm runs: {', '.join(f'{t:.2f}' for t in r['times_ms'])} ms -> "
            f"median {r['median_ms']:.2f} ms, best {r['best_ms']:.2f} ms  "
            f"[target <= {TARGET_MS:.0f} ms: {'met' if r['median_ms'] <= TARGET_MS else 'MISSED'}]"
        )
    for code, plan in plans.items():
        print(f"plan for {code} ({engine_name}):")
        print("    SQL: " + plan[0])
        for line in plan[1:]:
            print("    " + line)


# --------------------------------------------------------------------------------------------- engines


def run_sqlite(args, codes: np.ndarray, targets, expected) -> dict:
    header("SQLite")
    tmp = tempfile.mkdtemp(prefix="linli_bench_")
    path = os.path.join(tmp, "bench.db")
    engine = make_engine(f"sqlite:///{path}")  # the project's engine: WAL, synchronous=NORMAL
    try:
        metadata.create_all(engine)
        raw = engine.raw_connection()
        try:
            dbapi = raw.driver_connection
            print(
                "pragmas: journal_mode="
                + dbapi.execute("PRAGMA journal_mode").fetchone()[0]
                + f", synchronous={dbapi.execute('PRAGMA synchronous').fetchone()[0]}"
                + f", cache_size={dbapi.execute('PRAGMA cache_size').fetchone()[0]}"
                + f", page_size={dbapi.execute('PRAGMA page_size').fetchone()[0]}"
                + f", mmap_size={dbapi.execute('PRAGMA mmap_size').fetchone()[0]}"
            )
            if args.index_before_load:
                dbapi.execute(INDEX_DDL)
            t0 = time.perf_counter()
            dbapi.execute("BEGIN")
            step = 200_000
            n = len(codes)
            for a in range(0, n, step):
                b = min(n, a + step)
                dbapi.executemany(
                    "INSERT INTO bench_rows (id, area_code, payload) VALUES (?, ?, ?)",
                    zip(range(a + 1, b + 1), codes[a:b].tolist(), payloads(range(a + 1, b + 1)), strict=True),
                )
            dbapi.execute("COMMIT")
            t1 = time.perf_counter()
            if not args.index_before_load:
                dbapi.execute(INDEX_DDL)
            t2 = time.perf_counter()
            dbapi.execute("ANALYZE")
            dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            t3 = time.perf_counter()
        finally:
            raw.close()
        res = {
            "insert_s": t1 - t0,
            "index_s": t2 - t1,
            "analyze_s": t3 - t2,
            "file_bytes": os.path.getsize(path),
        }
        print(
            f"load: {len(codes):,} rows, executemany in one transaction, {args.order} order of area codes, "
            f"index {'before' if args.index_before_load else 'after'} the insert: "
            f"insert {res['insert_s']:.2f} s, CREATE INDEX {res['index_s']:.2f} s, "
            f"ANALYZE + checkpoint {res['analyze_s']:.2f} s; file {mib(res['file_bytes'])}"
        )
        res["results"] = time_counts(engine, targets, RUNS)
        res["plans"] = {t[1]: explain(engine, t[1]) for t in targets}
        report("SQLite", res["results"], expected, res["plans"])
        return res
    finally:
        engine.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def run_postgres(args, codes: np.ndarray, targets, expected) -> dict | None:
    header("PostgreSQL")
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        admin = psycopg.connect(args.pg_url, autocommit=True)
    except psycopg.Error as exc:
        print(f"PostgreSQL not reachable at {args.pg_url}: {exc}".strip())
        return None
    dbname = f"linli_bench_{secrets.token_hex(5)}"
    engine = None
    created = False
    try:
        version = admin.execute("SHOW server_version").fetchone()[0]
        admin.execute(f'CREATE DATABASE "{dbname}"')
        created = True
        print(f"created database {dbname}")
        conninfo = make_conninfo(args.pg_url, dbname=dbname)
        url = sqlalchemy.make_url(args.pg_url).set(drivername="postgresql+psycopg", database=dbname)
        engine = make_engine(url.render_as_string(hide_password=False))  # the project's engine factory
        metadata.create_all(engine)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            settings = {
                k: conn.execute(f"SHOW {k}").fetchone()[0]
                for k in ("lc_collate", "shared_buffers", "max_parallel_workers_per_gather", "jit")
            }
            print(f"PostgreSQL {version}; " + ", ".join(f"{k}={v}" for k, v in settings.items()))
            if args.index_before_load:
                conn.execute(INDEX_DDL)
            t0 = time.perf_counter()
            n = len(codes)
            with conn.cursor() as cur, cur.copy("COPY bench_rows (id, area_code, payload) FROM STDIN") as cp:
                step = 200_000
                for a in range(0, n, step):
                    b = min(n, a + step)
                    chunk = "".join(
                        f"{i}\t{c}\tresident-{i:09d}\n"
                        for i, c in zip(range(a + 1, b + 1), codes[a:b].tolist(), strict=True)
                    )
                    cp.write(chunk.encode())
            t1 = time.perf_counter()
            if not args.index_before_load:
                conn.execute(INDEX_DDL)
            t2 = time.perf_counter()
            conn.execute("VACUUM ANALYZE bench_rows")
            t3 = time.perf_counter()
            sizes = conn.execute(
                "SELECT pg_relation_size('bench_rows'), pg_relation_size('ix_bench_rows_area_code')"
            ).fetchone()
        res = {
            "version": version,
            "settings": settings,
            "copy_s": t1 - t0,
            "index_s": t2 - t1,
            "vacuum_s": t3 - t2,
            "table_bytes": sizes[0],
            "index_bytes": sizes[1],
        }
        print(
            f"load: {len(codes):,} rows, COPY (text) in {args.order} order of area codes, index "
            f"{'before' if args.index_before_load else 'after'} the COPY: COPY {res['copy_s']:.2f} s, "
            f"CREATE INDEX {res['index_s']:.2f} s, VACUUM ANALYZE {res['vacuum_s']:.2f} s; "
            f"heap {mib(sizes[0])}, area_code index {mib(sizes[1])}"
        )
        res["results"] = time_counts(engine, targets, RUNS)
        res["plans"] = {t[1]: explain(engine, t[1]) for t in targets}
        report("PostgreSQL", res["results"], expected, res["plans"])
        # Diagnostic: the city count without parallel workers (the planner picks a parallel
        # index-only scan for it; on a 2-CPU machine starting workers is not free).
        serial = time_counts(engine, targets[:1], RUNS, setup="SET max_parallel_workers_per_gather = 0")[0]
        res["serial_city"] = serial
        print(
            f"diagnostic: {serial['level']} {serial['code']} with max_parallel_workers_per_gather = 0: "
            f"{', '.join(f'{t:.2f}' for t in serial['times_ms'])} ms -> median {serial['median_ms']:.2f} ms, "
            f"best {serial['best_ms']:.2f} ms (count {serial['count']:,})"
        )
        return res
    finally:
        if engine is not None:
            engine.dispose()
        if created:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            print(f"dropped database {dbname}")
        admin.close()


# ------------------------------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--rows",
        type=int,
        default=4_000_000,
        help="total rows over the province (default 4,000,000: Changchun gets ~37.7%% = ~1.5 M)",
    )
    p.add_argument("--city", default="2201", help="city to count (default 2201 Changchun)")
    p.add_argument("--county", default="220102", help="county to count (default 220102 Nanguan)")
    p.add_argument("--township", default=None, help="township to count (default: the county's largest)")
    p.add_argument(
        "--order",
        choices=["random", "sorted"],
        default="random",
        help="insertion order of the area codes (default random: rows arrive in no area order)",
    )
    p.add_argument(
        "--index-before-load",
        action="store_true",
        help="create the area_code index before loading (default: after, as a bulk load would)",
    )
    p.add_argument("--seed", type=int, default=20241129, help="random seed (default 20241129)")
    p.add_argument("--engines", default="sqlite,postgresql", help="comma-separated (default sqlite,postgresql)")
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL), help="admin URL")
    p.add_argument("--quick", action="store_true", help="small smoke run (200,000 rows), < 30 s")
    args = p.parse_args(argv)
    if args.quick:
        args.rows = min(args.rows, 200_000)
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print("=" * 100)
    print(
        "linli benchmark: subtree count over scoped rows (AreaScope range on SQLite and PostgreSQL)"
        + (" [QUICK]" if args.quick else "")
    )
    print("=" * 100)
    print(f"machine: {platform.machine()} {platform.system()} {platform.release()}, os.cpu_count()={os.cpu_count()}")
    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
        f"SQLAlchemy {sqlalchemy.__version__}, "
        f"numpy {np.__version__}"
    )
    print(
        f"options: rows={args.rows:,} order={args.order} "
        f"index={'before' if args.index_before_load else 'after'} load "
        f"seed={args.seed} engines={','.join(args.engines)}"
    )

    header("data")
    t0 = time.perf_counter()
    codes, info = make_rows(args.rows, args.seed, args.order)
    divisions, _ = load_divisions()
    sorted_codes = np.sort(codes.astype("U15"))
    targets = pick_targets(args, sorted_codes, divisions)
    expected = {code: expected_count(sorted_codes, code) for _, code, _ in targets}
    print(
        f"{len(codes):,} rows over {info['grids']:,} grid codes under "
        f"{info['villages']:,} village-level units "
        f"of {info['source']} (generated in {time.perf_counter() - t0:.1f} s)"
    )
    print("rows by city: " + ", ".join(f"{c} {n:,}" for c, n in info["city_rows"].items()))
    print(f"example codes: {', '.join(codes[:3].tolist())}")
    for level, code, name in targets:
        print(
            f"target {level:8s} {code:9s} {name}: {expected[code]:,} rows; "
            f"scope clause on [{', '.join(area_codes.subtree_range(code))})"
        )
    if expected[targets[0][1]] < 1_000_000:
        print(f"note: the city holds fewer than 1,000,000 rows ({expected[targets[0][1]]:,}); raise --rows")

    results: dict[str, dict | None] = {}
    if "sqlite" in args.engines:
        results["SQLite " + sqlite3.sqlite_version] = run_sqlite(args, codes, targets, expected)
    if "postgresql" in args.engines:
        pg = run_postgres(args, codes, targets, expected)
        results["PostgreSQL " + (pg["version"].split()[0] if pg else "")] = pg

    header("SUMMARY (bench_subtree_count)" + (" [QUICK]" if args.quick else ""))
    print(
        f"  rows {len(codes):,} ({args.order} insert order, "
        f"index {'before' if args.index_before_load else 'after'} load)"
    )
    print(f"  target: median <= {TARGET_MS:.0f} ms per count on both engines (warm cache, {RUNS} runs)")
    for name, res in results.items():
        if res is None:
            print(f"  {name}: skipped")
            continue
        if "insert_s" in res:
            load = f"insert {res['insert_s']:.1f} s + index {res['index_s']:.1f} s + ANALYZE {res['analyze_s']:.1f} s"
        else:
            load = f"COPY {res['copy_s']:.1f} s + index {res['index_s']:.1f} s + VACUUM ANALYZE {res['vacuum_s']:.1f} s"
        print(f"  {name}: load {load}")
        for r in res["results"]:
            verdict = "met" if r["median_ms"] <= TARGET_MS else f"MISSED by {r['median_ms'] - TARGET_MS:.1f} ms"
            sane = "ok" if r["count"] == expected[r["code"]] else "WRONG"
            print(
                f"    {r['level']:8s} {r['code']:9s} {r['count']:>10,} rows ({sane})  "
                f"median {r['median_ms']:8.2f} ms  "
                f"best {r['best_ms']:8.2f} ms  [{verdict}]"
            )
        if "serial_city" in res:
            r = res["serial_city"]
            print(
                f"    {r['level']:8s} {r['code']:9s} {r['count']:>10,} rows (no parallel workers)  "
                f"median {r['median_ms']:8.2f} ms  best {r['best_ms']:8.2f} ms  (diagnostic)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
