#!/usr/bin/env python3
"""Benchmark: the workbench (`/`) of a township official and of a grid worker over 1,000,000 events and
5,000,000 persons.

Fills a scratch PostgreSQL database as bench_events_queries.py does (Jilin's divisions, N events under
Changchun 2201 in grids <village>001..009, a realistic mix of states, some open events overdue; the
closed ones closed within days of their report), adds M persons of the register spread over the same
grids (a tenth holding a tag: the overview counts them), the accounts, their grants and API tokens, and
requests the workbench page through the application (in-process client: the server's time plus the
client's few hundred microseconds), warm cache:

- a township official (the township with the most events): their to-dos (counts of reports to register
  and events to dispatch from the kept per-village counts, overdue events along the partial index of
  open events by deadline, transfers, warnings awaiting them) and the officials' overview of the
  township (events by state and overdue rate per village from the kept counts and the overdue index,
  closed this month per village along ix_events_closed, warnings in force, the register by tag);
- a grid worker of one grid: handled events to verify, counted from the events of the grid (no overview);
- a county official and the city official, for scale;
- another page (/inbox) of the township official, for the cost of the workbench link's to-do badge that
  every page of staff now carries.

Targets (issue 14): township ≤ 150 ms, grid worker ≤ 50 ms, p50 and p95.

    python bench/bench_workbench.py                       # 1,000,000 events, 5,000,000 persons
    python bench/bench_workbench.py --quick               # 100,000 events, 500,000 persons
    python bench/bench_workbench.py --persons 1000000     # another register size
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


TAGS = ("elderly_alone", "disabled", "subsistence", "extremely_poor", "veteran", "left_behind_child", "key_care")


def close_and_register(url: str, persons: int) -> float:
    """The closed events' closing times (3 days after their report), and `persons` persons in the events'
    grids, a tenth of them tagged: written by the database itself. Returns the seconds it took."""
    import psycopg

    t0 = time.perf_counter()
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(
            "UPDATE events SET closed_at = reported_at + interval '3 days' WHERE state IN ('closed', 'evaluated')"
        )
        grids = [r[0] for r in conn.execute("SELECT DISTINCT area_code FROM events ORDER BY 1")]
        print(f"  closing times set; {persons:,} persons in {len(grids):,} grids ...", flush=True)
        conn.execute(
            "INSERT INTO persons (id, area_code, name, gender, birth_date, ethnicity, id_number_enc, id_number_bidx,"
            " status, party_member, generated, created_at, updated_at) "
            "SELECT i, (%(g)s::text[])[1 + i %% %(n)s], '测试' || i,"
            " CASE WHEN i %% 2 = 0 THEN 'male' ELSE 'female' END, date '1940-01-01' + (i %% 29000),"
            " '汉族', 'bench', 'bench' || i, 'present', false, true, now(), now()"
            " FROM generate_series(1, %(p)s) i",
            {"g": grids, "n": len(grids), "p": persons},
        )
        conn.execute(
            "INSERT INTO person_tags (person_id, area_code, tag, start_on, note) "
            "SELECT id, area_code, (%(t)s::text[])[1 + (id / 10) %% 7], current_date, ''"
            " FROM persons WHERE id %% 10 = 0",
            {"t": list(TAGS)},
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('persons', 'id'), (SELECT max(id) FROM persons))")
        for table in ("events", "persons", "person_tags"):
            conn.execute(f"VACUUM ANALYZE {table}")
    return time.perf_counter() - t0


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


def timed(client, token: str, runs: int, path: str = "/") -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    r = client.get(path, headers=headers)
    assert r.status_code == 200, r.status_code
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        client.get(path, headers=headers)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=40)
    p.add_argument("--seed", type=int, default=20261204)
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    p.add_argument("--persons", type=int, default=5_000_000)
    p.add_argument("--quick", action="store_true", help="100,000 events, 500,000 persons")
    args = p.parse_args(argv)
    n = 100_000 if args.quick else args.rows
    persons = 500_000 if args.quick else args.persons
    os.environ.setdefault("LINLI_PASSWORD_HASH_COST", "test")

    from fastapi.testclient import TestClient
    from sqlalchemy.orm import sessionmaker

    from linli.app import create_app
    from linli.db.engine import make_engine

    with scratch_database(args.pg_url, "linli_bench_workbench") as url:
        print(f"filling {n:,} events under 2201 (Changchun) ...", flush=True)
        info = fill(url, n, args.seed)
        took = close_and_register(url, persons)
        print(f"  register filled in {took:.0f} s", flush=True)
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
            results["township, /inbox"] = timed(client, tokens["township official"], args.runs, "/inbox")
        engine.dispose()
    who["township, /inbox"] = who["township official"]

    print(f"\nPostgreSQL, {info['rows']:,} events, {persons:,} persons, warm cache, {args.runs} requests each:")
    for name, times in results.items():
        times = sorted(times)
        p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else ("meets" if p95 <= target else "MISSES") + f" ≤ {target:.0f} ms"
        print(f"  {name:<18s} {who[name][1]:<16s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
