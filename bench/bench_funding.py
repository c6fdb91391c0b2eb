#!/usr/bin/env python3
"""Benchmark: the province's funding report over every village and community of Jilin.

Fills a scratch PostgreSQL database (dropped afterwards): Jilin's divisions (11,860 villages and
communities) and, for the year, a budget line for every place × 4 kinds × 4 payers (189,760 lines),
amounts generated (member pay around ¥1,540 a line, so that the province's member-pay total lands near
the seed's ¥73 M; a fixed seed), two in five lines paid in full, the rest half. Then it times, warm, p50
and p95 of 10 runs: the province report (the JSON the API answers), a city's, a county's, and the
province report as XLSX. It prints the province report's member-pay total: the seed's "¥73 M a year of
subsidies for two-committee members" is that figure, computed by the report, not typed in.

Target (issue 18): the province report ≤ 300 ms on PostgreSQL.

    python bench/bench_funding.py
    python bench/bench_funding.py --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026
TARGET_S = 0.300
# Mean yuan of one line of each kind (one payer's share): generated, not official figures.
MEANS = {"member_pay": 1540, "office": 3000, "public_service": 6000, "other": 800}


def fill(url: str) -> tuple[float, int, int]:
    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker

    from linli.areas.importer import import_divisions
    from linli.areas.models import Area
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.funding import service
    from linli.funding.models import KINDS, PAYERS
    from linli.kit import codes
    from linli.kit.time import utcnow

    started = time.perf_counter()
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    actor = system_principal("bench")
    rnd = random.Random(18)
    now = utcnow()
    with unit_of_work(factory) as s:
        import_divisions(s, actor, (ROOT / "src/linli/data/divisions-22.json").read_bytes())
        places = dict(s.execute(select(Area.code, Area.kind).where(Area.level == "village")).all())
    rows: dict[str, list[dict]] = {}
    for code in sorted(places):
        for kind in KINDS:
            for payer in PAYERS:
                amount = Decimal(round(MEANS[kind] * rnd.uniform(0.5, 1.5))).quantize(Decimal("0.01"))
                paid = amount if rnd.random() < 0.4 else (amount / 2).quantize(Decimal("0.01"))
                line = {"area_code": codes.pad(code), "year": YEAR, "kind": kind, "payer": payer, "amount": amount,
                        "paid": paid, "basis": "bench", "entered_by": "bench", "generated": True, "created_at": now,
                        "updated_at": now}  # fmt: skip
                rows.setdefault(code[:6], []).append(line)
    for county, lines in rows.items():  # the way the demo writes: lines in bulk, the county sums beside them
        with unit_of_work(factory) as s:
            service.add_generated(s, actor, county, lines, [], places)
    with engine.connect() as conn:  # the statistics autovacuum would gather on a live server
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    engine.dispose()
    return time.perf_counter() - started, len(places), sum(len(v) for v in rows.values())


def timed(fn, runs: int = 10) -> tuple[float, float]:
    fn()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    seconds.sort()
    return statistics.median(seconds), seconds[max(0, int(len(seconds) * 0.95) - 1)]


def measure(url: str):
    from sqlalchemy.orm import sessionmaker

    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.funding import documents, report

    engine = make_engine(url)
    session = sessionmaker(bind=engine)()
    actor = system_principal("bench")
    out = []
    for name, area in (("province report", "22"), ("city report (长春)", "2201"), ("county report (农安)", "220122")):
        out.append((name, *timed(lambda area=area: report.report(session, actor, area, YEAR))))
    province = report.report(session, actor, "22", YEAR)

    def xlsx():
        return documents.report_xlsx(session, report.report(session, actor, "22", YEAR))

    out.append(("province XLSX", *timed(xlsx, runs=3)))
    session.close()
    engine.dispose()
    return out, province


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("LINLI_BENCH_PG", DEFAULT_PG_URL))
    args = parser.parse_args()
    with scratch_database(args.db, "linli_bench_funding") as url:
        seconds, places, lines = fill(url)
        print(f"filled {places:,} places, {lines:,} budget lines in {seconds:.1f} s")
        results, province = measure(url)
        for name, p50, p95 in results:
            mark = (
                (" ok" if p95 <= TARGET_S else f" OVER {TARGET_S * 1000:.0f} ms") if name == "province report" else ""
            )
            print(f"{name:22s} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms{mark}")
        member = province.by_kind["member_pay"]
        print(f"province, two-committee members' pay, all payers: ¥{member.budgeted:,} budgeted, "
              f"¥{member.paid:,} paid, over {province.places:,} places (the seed's ¥73 M is this figure)")  # fmt: skip
        print(f"province total ¥{province.budgeted:,}; average per place ¥{province.average:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
