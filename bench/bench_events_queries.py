#!/usr/bin/env python3
"""Benchmark: the events views' heaviest reads with 1,000,000 events on PostgreSQL.

Fills a scratch database with Jilin's divisions and N events (default 1,000,000), all under the
city of Changchun (2201, the worst case for "a city": every row is in its subtree), in grids
<village>001..009 of its real villages; states follow a realistic mix (about 14 % open), stage
deadlines straddle "now" so some open events are overdue, and units are spread over 200 handling
units. Then times, with a warm cache, through the service functions the API calls:

- counts by state and overdue rate for the city, per county (`repository.reads.stats`: a GROUP BY over the
  subtree range of the per-village counts table, plus the overdue open events read from the partial
  index of open events by deadline), as an official of the province;
- one page (50) of a unit's work queue (`repository.reads.unit_queue`), with its total.

Target: each ≤ 100 ms. A benchmark, not a test: it prints figures and asserts nothing.

    python bench/bench_events_queries.py            # 1,000,000 events (about 2 minutes)
    python bench/bench_events_queries.py --quick    # 100,000 events
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, ROOT, scratch_database  # noqa: E402

STATE_MIX = {
    "reported": 0.01,
    "registered": 0.01,
    "dispatched": 0.04,
    "accepted": 0.05,
    "handled": 0.02,
    "verified": 0.01,
    "closed": 0.45,
    "evaluated": 0.35,
    "rejected": 0.04,
    "cancelled": 0.02,
}
TARGET_MS = 100.0


def fill(url: str, n: int, seed: int) -> dict:
    import numpy as np
    import psycopg
    from sqlalchemy.orm import sessionmaker

    from linli.areas.importer import import_divisions
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.events.seed import seed_categories

    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        import_divisions(s, system_principal("bench"), (ROOT / "src/linli/data/divisions-22.json").read_bytes())
        seed_categories(s)
    import json

    divisions = json.loads((ROOT / "src/linli/data/divisions-22.json").read_text(encoding="utf-8"))["divisions"]
    villages = [d["code"] for d in divisions if d["level"] == "village" and d["code"].startswith("2201")]
    cats = [c[0] for c in __import__("linli.events.seed", fromlist=["CATEGORIES"]).CATEGORIES if len(c[0]) == 4]
    rng = np.random.default_rng(seed)
    grids = np.array([f"{v}{g:03d}" for v in villages for g in range(1, 10)], dtype=object)
    area = grids[rng.integers(0, len(grids), n)]
    states = np.array(list(STATE_MIX), dtype=object)[
        rng.choice(len(STATE_MIX), n, p=np.array(list(STATE_MIX.values())) / sum(STATE_MIX.values()))
    ]
    now = datetime.now(UTC)
    reported = [now - timedelta(days=float(d)) for d in rng.uniform(0, 365, n)]
    deadline_off = rng.normal(2, 3, n)  # days from now: about a quarter of open events are overdue
    units = rng.integers(1, 201, n)
    cat = np.array(cats, dtype=object)[rng.integers(0, len(cats), n)]
    lon, lat = rng.uniform(125.2, 125.5, n), rng.uniform(43.7, 44.0, n)
    pg_url = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(pg_url) as conn:
        with conn.cursor() as cur:
            cur.execute(
                "INSERT INTO handling_units (id, name, kind, active, generated, area_code, created_at, updated_at) "
                "SELECT i, 'bench unit ' || i, 'county_department', true, true, '220102000000000', now(), now() "
                "FROM generate_series(1, 200) i"
            )
            t0 = time.perf_counter()
            with cur.copy(
                "COPY events (category_code, state, title, description, lon, lat, address, source, unit_id, "
                "escalation_level, stage_deadline, reported_at, updated_at, me_too_count, generated, area_code) "
                "FROM STDIN"
            ) as copy:
                buf = io.StringIO()
                for i in range(n):
                    st = states[i]
                    dl = (now + timedelta(days=float(deadline_off[i]))).isoformat() if st in OPEN else "\\N"
                    r = reported[i].isoformat()
                    buf.write(
                        f"{cat[i]}\t{st}\tbench\t\t{lon[i]:.6f}\t{lat[i]:.6f}\t\tdemo\t{units[i]}\t0\t{dl}\t{r}\t{r}"
                        f"\t0\ttrue\t{area[i].ljust(15, '0')}\n"
                    )
                    if i % 50_000 == 49_999:
                        copy.write(buf.getvalue())
                        buf = io.StringIO()
                copy.write(buf.getvalue())
            load_s = time.perf_counter() - t0
        conn.commit()
    from linli.events.repository import rebuild_counts

    with unit_of_work(factory) as s:
        count_rows = rebuild_counts(s)  # the per-village counts the app keeps in step on every change
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE events")
        conn.execute("VACUUM ANALYZE event_counts")
    engine.dispose()
    return {"rows": n, "load_s": load_s, "grids": len(grids), "count_rows": count_rows}


OPEN = {"reported", "registered", "dispatched", "returned", "accepted", "handled", "verified"}


def timed(fn, runs: int) -> tuple[list[float], object]:
    fn()  # warm-up
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times, result


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--seed", type=int, default=20261129)
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--quick", action="store_true", help="100,000 events")
    args = p.parse_args(argv)
    n = 100_000 if args.quick else args.rows

    from sqlalchemy.orm import sessionmaker

    from linli.authz.principal import principal_for
    from linli.db.engine import make_engine
    from linli.events.repository import reads

    with scratch_database(args.pg_url, "linli_bench_events_q") as url:
        print(f"filling {n:,} events under 2201 (Changchun) ...", flush=True)
        info = fill(url, n, args.seed)
        print(
            f"loaded {info['rows']:,} rows over {info['grids']:,} grids in {info['load_s']:.1f} s; "
            f"{info['count_rows']:,} rows of per-village counts"
        )
        engine = make_engine(url)
        session = sessionmaker(bind=engine)()
        official = principal_for(1, "bench-official", [("official", "22")])
        stats_t, stats = timed(lambda: reads.stats(session, official, "2201"), args.runs)
        queue_t, (items, total) = timed(lambda: reads.unit_queue(session, official, 7, 0, 50), args.runs)
        page5_t, _ = timed(lambda: reads.unit_queue(session, official, 7, 200, 50), args.runs)
        session.close()
        engine.dispose()

    def line(name: str, times: list[float], extra: str) -> None:
        med = statistics.median(times)
        verdict = "meets" if med <= TARGET_MS else "MISSES"
        print(
            f"  {name:<40s} median {med:7.1f} ms  best {min(times):7.1f} ms  ({verdict} ≤ {TARGET_MS:.0f} ms)  {extra}"
        )

    print(f"\nPostgreSQL, {n:,} events, warm cache, {args.runs} runs each:")
    line(
        "state counts + overdue rate, city 2201",
        stats_t,
        f"total {stats.area.total:,}, open {stats.area.open:,}, overdue {stats.area.overdue:,}, "
        f"{len(stats.children)} counties",
    )
    line("unit work queue, page 1 (50)", queue_t, f"{len(items)} items of {total:,}")
    line("unit work queue, page 5 (50)", page5_t, "")


if __name__ == "__main__":
    main()
