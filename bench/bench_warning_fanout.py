#!/usr/bin/env python3
"""Benchmark: a county-wide warning issued through linli.alerts.service.issue to 3,000 grid workers and
500,000 opted-in residents, delivered by two `linli worker` processes, then lifted.

Uses bench_fanout.py's set-up (a scratch PostgreSQL database, the county's generated grids, grid
workers round-robin over them, resident accounts opted in to warnings by the inbox). Per phase:

1. issue: the whole call — validation, coverage, the message, fan-out enqueue, audit — and the commit;
2. two `linli worker --once` processes deliver it: seconds until both are done (start-up included),
   and the exactly-once check (every outbox row delivered, one inbox message each);
   then the time to compute the progress table (polled by the warning page) at the county and a township;
3. lift: the Cancel's enqueue (to everyone told before) and commit, delivered by two workers again.

Targets (issue #6): enqueued ≤ 10 s after issue; in-app deliveries done ≤ 60 s with two workers.
A benchmark, not a test: it asserts nothing.

    python bench/bench_warning_fanout.py                     # 500,000 + 3,000
    python bench/bench_warning_fanout.py --residents 50000   # quicker
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, load_county, scratch_database  # noqa: E402
from bench_fanout import check, seed, worker  # noqa: E402


def issue(url: str, county: str):
    from sqlalchemy.orm import sessionmaker

    from linli.alerts import service
    from linli.alerts.schemas import AreaIn, WarningIn
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work

    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    data = WarningIn(
        sender_name="南关区气象台",
        agency_code="QX",
        event_type="rainstorm",
        colour="red",
        description="（基准测试）3小时内将出现100毫米以上降雨。",
        instruction="停止集会、停课、停业；做好山洪、滑坡、泥石流等灾害的防御。",
        areas=[AreaIn(area_desc="全区", area_codes=[county])],
    )
    t0 = time.perf_counter()
    with unit_of_work(factory) as s:
        m = service.issue(s, system_principal("bench"), data)
        t1 = time.perf_counter()
        ident, thread, mid = m.identifier, m.thread, m.id
    t2 = time.perf_counter()
    engine.dispose()
    return ident, f"warning:{thread}:{mid}", t1 - t0, t2 - t0


def lift(url: str, identifier: str):
    from sqlalchemy.orm import sessionmaker

    from linli.alerts import service
    from linli.alerts.schemas import LiftIn
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work

    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    t0 = time.perf_counter()
    with unit_of_work(factory) as s:
        m = service.lift(s, system_principal("bench"), identifier, LiftIn())
        t1 = time.perf_counter()
        ref = f"warning:{m.thread}:lift"
    t2 = time.perf_counter()
    engine.dispose()
    return ref, t1 - t0, t2 - t0


def progress_times(url: str, identifier: str, county: str, township: str) -> str:
    """Seconds to compute the progress table (what the page polls every 5 s) at the county and a township."""
    from sqlalchemy.orm import sessionmaker

    from linli.alerts import confirm, repository
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work

    engine = make_engine(url)
    out = []
    with unit_of_work(sessionmaker(bind=engine)) as s:
        m = repository.by_identifier(s, identifier)
        for code in (county, township):
            confirm.progress(s, m, code)  # warm
            t0 = time.perf_counter()
            p = confirm.progress(s, m, code)
            out.append(f"{code}: {time.perf_counter() - t0:.2f} s ({len(p.rows)} rows, {p.total.staff:,} workers)")
    engine.dispose()
    return "; ".join(out)


def deliver(url: str, data_dir: str, batch: int) -> float:
    t0 = time.perf_counter()
    procs: list[subprocess.Popen] = [worker(url, data_dir, batch) for _ in range(2)]
    for proc in procs:
        proc.wait()
    return time.perf_counter() - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--county", default="220102")
    p.add_argument("--workers", type=int, default=3000, help="grid workers")
    p.add_argument("--residents", type=int, default=500_000)
    p.add_argument("--batch", type=int, default=2000, help="inbox deliveries per worker transaction")
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    a = p.parse_args()
    data_dir = tempfile.mkdtemp(prefix="linli-bench-")
    with scratch_database(a.pg_url, "linli_bench_warning") as url:
        t = time.perf_counter()
        grids = [g[0] for g in load_county(url, a.county)]
        seed(url, grids, a.workers, a.residents, 0)
        print(
            f"set-up: {len(grids)} grids, {a.workers:,} grid workers, {a.residents:,} residents opted in "
            f"({time.perf_counter() - t:.1f} s)"
        )

        identifier, ref, issue_s, committed_s = issue(url, a.county)
        c = check(url, ref)
        rows = sum(c["statuses"].values())
        print(
            f"phase 1 issue {identifier}: {rows:,} deliveries enqueued; service.issue returned in {issue_s:.2f} s, "
            f"committed at {committed_s:.2f} s"
        )
        deliver_s = deliver(url, data_dir, a.batch)
        c = check(url, ref)
        done = c["statuses"].get("delivered", 0)
        print(
            f"phase 2 deliver: two workers delivered {done:,} inbox messages in {deliver_s:.1f} s "
            f"({done / deliver_s:,.0f}/s, process start-up included); {committed_s + deliver_s:.1f} s after issue"
        )
        print(f"  exactly-once check: {c}")
        print(f"  progress table: {progress_times(url, identifier, a.county, grids[0][:9])}")

        lift_ref, lift_s, lift_committed_s = lift(url, identifier)
        c = check(url, lift_ref)
        print(
            f"phase 3 lift: {sum(c['statuses'].values()):,} deliveries enqueued to the same recipients; "
            f"service.lift returned in {lift_s:.2f} s, committed at {lift_committed_s:.2f} s"
        )
        deliver_s = deliver(url, data_dir, a.batch)
        c = check(url, lift_ref)
        print(f"  delivered in {deliver_s:.1f} s; exactly-once check: {c}")


if __name__ == "__main__":
    main()
