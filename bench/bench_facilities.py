#!/usr/bin/env python3
"""Benchmark: the province's facility report over all 11,860 communities and villages of Jilin.

Fills a scratch PostgreSQL database (dropped afterwards): Jilin's divisions and one service facility in
every village-level place (urban communities 300–1,600 m², villages 120–450 m², generated), a second
building in one community in ten. Then it times, warm, p50 and p95 of 20 runs of `reads.report` (what
GET /api/v1/facilities/report and the page /areas/{code}/facilities run): communities over 500 and
1,000 m² with their share and the villages' average, one row per child area, for the province (per
city), a city (per county) and a county (per township).

Target (issue 18): the province facility report (11,860 places) ≤ 300 ms.

    python bench/bench_facilities.py
    python bench/bench_facilities.py --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres
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
TARGET_S = 0.300
AREAS = (("province 22", "22"), ("city 2201", "2201"), ("county 220122", "220122"))


def fill(url: str) -> tuple[int, float]:
    from sqlalchemy import insert, select
    from sqlalchemy.orm import sessionmaker

    from linli.areas.importer import import_divisions
    from linli.areas.models import Area
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.facilities.models import Facility
    from linli.kit import codes

    started = time.perf_counter()
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    rnd = random.Random(18)
    with unit_of_work(factory) as s:
        import_divisions(s, system_principal("bench"), (ROOT / "src/linli/data/divisions-22.json").read_bytes())
        places = s.execute(select(Area.code, Area.kind).where(Area.level == "village")).all()
        rows = []
        for code, kind in places:
            low, high = (300, 1600) if kind == "community" else (120, 450)
            buildings = 2 if kind == "community" and rnd.random() < 0.1 else 1
            rows += [{"area_code": codes.pad(code), "name": f"{code} 综合服务设施", "generated": True,
                      "floor_area": Decimal(rnd.randint(low, high)), "address": "", "accessibility": "[]", "note": ""}
                     for _ in range(buildings)]  # fmt: skip
        s.execute(insert(Facility), rows)
    engine.dispose()
    return len(places), time.perf_counter() - started


def timed(fn, runs: int = 20) -> tuple[float, float]:
    fn()
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - t0)
    seconds.sort()
    return statistics.median(seconds), seconds[max(0, int(len(seconds) * 0.95) - 1)]


def measure(url: str) -> list[tuple[str, float, float, str]]:
    from sqlalchemy.orm import sessionmaker

    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.facilities import reads

    engine = make_engine(url)
    session = sessionmaker(bind=engine)()
    actor = system_principal("bench")
    out = []
    for name, code in AREAS:
        report = reads.report(session, actor, code)
        t = report.total
        share = f"{t.share_over_1000 * 100:.1f}%" if t.share_over_1000 is not None else "—"
        summary = (f"{len(report.rows)} rows; {t.communities} communities, {t.over_500} > 500 m², {t.over_1000} > 1,000"
                   f" m² ({share}); {t.villages} villages, average {t.village_average} m²")  # fmt: skip
        out.append((name, *timed(lambda code=code: reads.report(session, actor, code)), summary))
        session.rollback()
    session.close()
    engine.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("LINLI_BENCH_PG", DEFAULT_PG_URL))
    args = parser.parse_args()
    with scratch_database(args.db, "linli_bench_facilities") as url:
        places, seconds = fill(url)
        print(f"filled {places:,} places with facilities in {seconds:.1f} s")
        for name, p50, p95, summary in measure(url):
            mark = " ok" if p95 <= TARGET_S else f" OVER {TARGET_S * 1000:.0f} ms"
            print(f"{name:14s} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms{mark}  {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
