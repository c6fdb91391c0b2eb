#!/usr/bin/env python3
"""Benchmark: the events pages' pickers, filters and download with 1,000,000 events on PostgreSQL.

The same scratch database as bench_events_queries.py (N events under Changchun, about 14 % open, spread
over 0.3° × 0.3°: some 1,200 events per km², a dense city). Times, warm, through the functions the pages
call, as an official of the province:

- the merge picker of an open event (`pickers.merge_choices`: open events within 1 km, same category first);
- the open reports near a point before reporting (`pickers.report_nearby`: 250 m, the last 30 days);
- a page (50) of the city's list with its total: no filter; a text that matches nothing (the worst case: every
  row of the city read); a week of reports; one grid;
- the download of the city's last 30 days (`export.write_events` into memory), rows per second.

A benchmark, not a test: it prints figures and asserts nothing.

    python bench/bench_events_pickers.py            # 1,000,000 events (about 3 minutes)
    python bench/bench_events_pickers.py --quick    # 100,000 events
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

from _events_common import DEFAULT_PG_URL, scratch_database  # noqa: E402
from bench_events_queries import fill, timed  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--seed", type=int, default=20261129)
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--quick", action="store_true", help="100,000 events")
    args = p.parse_args(argv)
    n = 100_000 if args.quick else args.rows

    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker

    from linli.authz.permissions import Permission
    from linli.authz.principal import principal_for
    from linli.db.engine import make_engine
    from linli.events import export, pickers
    from linli.events import repository as repo
    from linli.events.models import Event
    from linli.events.repository import reads
    from linli.kit import codes

    with scratch_database(args.pg_url, "linli_bench_events_pick") as url:
        print(f"filling {n:,} events under 2201 (Changchun) ...", flush=True)
        info = fill(url, n, args.seed)
        print(f"loaded {info['rows']:,} rows in {info['load_s']:.1f} s")
        engine = make_engine(url)
        session = sessionmaker(bind=engine)()
        official = principal_for(1, "bench-official", [("official", "22")])
        ev = session.scalar(select(Event).where(Event.state == "registered").order_by(Event.id).limit(1))
        grid = ev.area_code[:15]
        results = {}

        def listed(**filters):
            stmt = reads.filtered_events(session, official, area_code="2201", states=[], **filters)
            return repo.page(session, stmt, 0, 50, reads.NEWEST)

        now = datetime.now(UTC)
        scope = official.scope(Permission.events_read)
        cases = {
            "merge picker (1 km)": lambda: pickers.merge_choices(session, official, ev.id),
            "nearby reports (250 m, 30 days)": lambda: pickers.report_nearby(
                session, official, ev.lon, ev.lat, ev.category_code
            ),
            "list page, no filter": lambda: listed(),
            "list page, text matching nothing": lambda: listed(text="路灯不亮"),
            "list page, one week": lambda: listed(since=now - timedelta(days=14), until=now - timedelta(days=7)),
            # (the bench's grids are not areas of their own: the grid's filter is read without its area check)
            "list page, one grid": lambda: repo.page(
                session, repo.filtered(scope, area_code=codes.unpad(grid), now=now), 0, 50, reads.NEWEST
            ),
        }
        for name, fn in cases.items():
            results[name] = timed(fn, args.runs)
        stmt = reads.filtered_events(session, official, area_code="2201", states=[], since=now - timedelta(days=30))
        rows = export.check_size(session, stmt)
        t0 = time.perf_counter()
        buf = io.BytesIO()
        written = export.write_events(session, official, stmt, buf)
        export_s = time.perf_counter() - t0
        session.close()
        engine.dispose()

    print(f"\nPostgreSQL, {n:,} events, warm cache, {args.runs} runs each:")
    for name, (times, result) in results.items():
        size = len(result) if isinstance(result, list) else f"{len(result[0])} of {result[1]:,}"
        print(f"  {name:<36s} median {statistics.median(times):7.1f} ms  best {min(times):7.1f} ms  ({size})")
    print(
        f"  download, city 2201, last 30 days: {written:,} rows (counted {rows:,}) in {export_s:.2f} s = "
        f"{written / export_s:,.0f} rows/s, {len(buf.getvalue()) / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
