#!/usr/bin/env python3
"""Benchmark: the workbench (`/`) of a township official and of a grid worker over 1,000,000 events.

Fills a scratch PostgreSQL database as bench_events_queries.py does (Jilin's divisions, N events under
Changchun 2201 in grids <village>001..009, a realistic mix of states, some open events overdue), adds
the accounts, their grants and API tokens, and requests the workbench page through the application
(in-process client: the server's time plus the client's few hundred microseconds), warm cache:

- a township official (the township with the most events): counts of reports to register and events to
  dispatch from the kept per-village counts, overdue events along the partial index of open events by
  deadline, transfers to decide, warnings awaiting them;
- a grid worker of one grid: handled events to verify, counted from the events of the grid;
- a county official and the city official, for scale.

Targets (issue 14): township ≤ 150 ms, grid worker ≤ 50 ms, p50 and p95. The to-dos read no table
of persons (transfers are their own table), so the size of the register does not enter these figures.

    python bench/bench_workbench.py            # 1,000,000 events (about 2 minutes to fill)
    python bench/bench_workbench.py --quick    # 100,000 events
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, scratch_database  # noqa: E402
from bench_events_queries import fill  # noqa: E402

TARGETS_MS = {"township official": 150.0, "grid worker": 50.0}


def busiest(url: str) -> tuple[str, str, str]:
    """(township, grid, county) with the most events: the worst case of each."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:

        def top(length: int) -> str:
            sql = f"SELECT substr(area_code, 1, {length}) c FROM events GROUP BY c ORDER BY count(*) DESC LIMIT 1"
            return conn.execute(sql).fetchone()[0]

        township, grid, county = top(9), top(15), top(6)
        # The bench's events sit in grids the divisions file does not have: the grid worker's one is made.
        conn.execute(
            "INSERT INTO areas (code, parent_code, area_code, name, level, kind, generated, boundary_generated, "
            "created_at, updated_at) "
            "VALUES (%s, %s, %s, 'bench grid', 'grid', 'residential', true, true, now(), now())",
            (grid, grid[:12], grid),
        )
        conn.commit()
        return township, grid, county


def accounts(url: str, who: dict[str, tuple[str, str]]) -> dict[str, str]:
    """An account per name with its one grant, and an API token: name → token secret."""
    from sqlalchemy.orm import sessionmaker

    from linli.accounts.service import create_token, create_user, grant_role
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work

    engine = make_engine(url)
    actor = system_principal("bench")
    tokens = {}
    with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as s:
        for name, (role, area) in who.items():
            user, _password = create_user(s, actor, f"bench-{role}-{area}", name, area)
            grant_role(s, actor, user.id, role, area)
            _token, tokens[name] = create_token(s, actor, user, "bench", 1)
    engine.dispose()
    return tokens


def timed(client, token: str, runs: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    r = client.get("/", headers=headers)
    assert r.status_code == 200, r.status_code
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get("/", headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=40)
    p.add_argument("--seed", type=int, default=20261204)
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--quick", action="store_true", help="100,000 events")
    args = p.parse_args(argv)
    n = 100_000 if args.quick else args.rows
    os.environ.setdefault("LINLI_PASSWORD_HASH_COST", "test")

    from fastapi.testclient import TestClient
    from sqlalchemy.orm import sessionmaker

    from linli.app import create_app
    from linli.db.engine import make_engine

    with scratch_database(args.pg_url, "linli_bench_workbench") as url:
        print(f"filling {n:,} events under 2201 (Changchun) ...", flush=True)
        info = fill(url, n, args.seed)
        township, grid, county = busiest(url)
        who = {
            "township official": ("official", township),
            "grid worker": ("grid_worker", grid),
            "county official": ("official", county),
            "city official": ("official", "2201"),
        }
        tokens = accounts(url, who)
        engine = make_engine(url)
        results = {}
        with TestClient(create_app(sessionmaker(bind=engine, expire_on_commit=False))) as client:
            for name in who:
                results[name] = timed(client, tokens[name], args.runs)
        engine.dispose()

    print(f"\nPostgreSQL, {info['rows']:,} events, warm cache, {args.runs} requests each (GET /):")
    for name, times in results.items():
        times = sorted(times)
        p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else ("meets" if p95 <= target else "MISSES") + f" ≤ {target:.0f} ms"
        print(f"  {name:<18s} {who[name][1]:<16s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
