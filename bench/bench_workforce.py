#!/usr/bin/env python3
"""Benchmark: the monthly pay run of a county of 2,000 community workers, every line explained.

Fills a scratch PostgreSQL database (dropped afterwards): Jilin's divisions, the province's seeded
defaults and 南关区's own pay parameters for the year, and N workers spread over the county's
communities, each in a post (head, member or staff) at a level of its range. Then it times, warm, p50
and p95 of 10 runs:

- the preview: `payroll.compute` (the rules, the coefficient table, every worker's post and level that
  day) and `reads.run_out` (names, and each line's explanation in words), as the preview route does;
- confirming the month once (lines written) and reading the confirmed run back with its lines.

Target (issue 18): the monthly run of a county of 2,000 workers ≤ 2 s with every line explained.

    python bench/bench_workforce.py              # 2,000 workers
    python bench/bench_workforce.py --workers 10000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COUNTY, MONTH = "220102", "2026-03"
TARGET_S = 2.0


def fill(url: str, n: int) -> float:
    from sqlalchemy import insert, select
    from sqlalchemy.orm import sessionmaker

    from linli.areas.importer import import_divisions
    from linli.areas.models import Area
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.kit import codes
    from linli.workforce import seed, service
    from linli.workforce.models import Worker, WorkerLevel, WorkerPost

    started = time.perf_counter()
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    actor = system_principal("bench")
    with unit_of_work(factory) as s:
        import_divisions(s, actor, (ROOT / "src/linli/data/divisions-22.json").read_bytes())
        service.save_setting(s, actor, seed.default("22", 2026))
        service.save_setting(
            s, actor, seed.default(COUNTY, 2026, pay_enabled=True, avg_manager_pay=Decimal("6120.00"),
                                   local_coefficient=Decimal("1.05"), seeded_default=False, source="bench"),
        )  # fmt: skip
        places = [c for c in s.scalars(select(Area.code).where(Area.parent_code.like(COUNTY + "%"))) if len(c) == 12]
        now = date(2026, 1, 1)
        workers = [
            {
                "area_code": codes.pad(places[i % len(places)]),
                "name": f"社工{i}",
                "education": "bachelor",
                "political_status": "masses",
                "qualification": "none",
                "work_start": date(2015, 1, 1),
                "source": "recruitment",
                "status": "active",
                "generated": True,
            }  # fmt: skip
            for i in range(n)
        ]
        ids = list(s.scalars(insert(Worker).returning(Worker.id), workers))
        posts = [("head", 7), ("member", 4), ("staff", 1)]
        s.execute(insert(WorkerPost), [
            {"worker_id": w, "post": posts[i % 3][0], "start": now, "party_building": False, "both_heads": False}
            for i, w in enumerate(ids)
        ])  # fmt: skip
        s.execute(insert(WorkerLevel), [
            {"worker_id": w, "level": posts[i % 3][1] + i % 12, "effective_from": now, "reason": "manual"}
            for i, w in enumerate(ids)
        ])  # fmt: skip
    engine.dispose()
    return time.perf_counter() - started


def timed(fn, runs: int = 10) -> tuple[float, float]:
    fn()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    seconds.sort()
    return statistics.median(seconds), seconds[max(0, int(len(seconds) * 0.95) - 1)]


def measure(url: str) -> list[tuple[str, float, float, int]]:
    from sqlalchemy.orm import sessionmaker

    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.workforce import payroll, reads

    engine = make_engine(url)
    session = sessionmaker(bind=engine)()
    actor = system_principal("bench")
    out = []

    def preview():
        return reads.run_out(session, payroll.compute(session, actor, COUNTY, MONTH))

    lines = len(preview().lines)
    out.append(("preview (explained)", *timed(preview), lines))
    t0 = time.perf_counter()
    saved = payroll.confirm(session, actor, COUNTY, MONTH)
    session.commit()
    confirm_s = time.perf_counter() - t0
    out.append(("confirm (once)", confirm_s, confirm_s, saved.lines))

    def read_back():
        _, run = reads.saved_run(session, actor, saved.id)
        return reads.run_out(session, run, saved.id)

    out.append(("confirmed run read", *timed(read_back), saved.lines))
    session.close()
    engine.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2_000)
    parser.add_argument("--db", default=os.environ.get("LINLI_BENCH_PG", DEFAULT_PG_URL))
    args = parser.parse_args()
    with scratch_database(args.db, "linli_bench_workforce") as url:
        print(f"filled {args.workers:,} workers in {fill(url, args.workers):.1f} s")
        for name, p50, p95, lines in measure(url):
            mark = " ok" if p95 <= TARGET_S else f" OVER {TARGET_S:.0f} s"
            print(f"{name:22s} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  ({lines} lines){mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
