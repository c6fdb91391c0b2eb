"""Benchmark: import 1,000,000 persons from CSV on SQLite and on PostgreSQL (target <= 3 minutes each).

Generates a register file in the import layout (valid ID numbers, households of 1–5, phones, tags) over
1,000 grids of one county, then runs the real importer — both passes, validation, encryption, blind
indexes, history events, one audit entry — into a fresh database, each engine in its own process so
that the peak memory reported is the import's alone.

    python bench/bench_residents_import.py [--persons N] [--quick] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sqlalchemy import create_engine, insert, text  # noqa: E402

from linli.areas.models import Area  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.db.migrate import upgrade  # noqa: E402
from linli.kit.time import utcnow  # noqa: E402
from linli.residents.idcard import make_id  # noqa: E402
from linli.residents.kinds import TAG_LABELS  # noqa: E402
from linli.residents.sheet import COLUMNS  # noqa: E402

PG_ADMIN = os.environ.get("LINLI_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BASE_DAY = date(1935, 1, 1)


def area_rows(counties: list[str], townships: int, villages: int, grids: int) -> list[dict]:
    """Province 22, city 2201, the counties, and townships/villages/grids under each (all marked generated)."""
    now = utcnow()
    rows = []

    def add(code: str, parent: str | None, level: str) -> None:
        rows.append({"code": code, "parent_code": parent, "name": f"基准{code}", "level": level, "kind": level,
                     "area_code": code.ljust(15, "0"), "generated": True, "boundary_generated": False,
                     "created_at": now, "updated_at": now})  # fmt: skip

    add("22", None, "province")
    add("2201", "22", "city")
    for c in counties:
        add(c, "2201", "county")
        for t in range(1, townships + 1):
            tc = f"{c}{t:03d}"
            add(tc, c, "township")
            for v in range(1, villages + 1):
                vc = f"{tc}{v:03d}"
                add(vc, tc, "village")
                for g in range(1, grids + 1):
                    add(f"{vc}{g:03d}", vc, "grid")
    return rows


def grid_codes(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows if r["level"] == "grid"]


def person_id(i: int, region: str) -> tuple[str, bool]:
    """The i-th distinct valid ID number of a region (birth day and sequence enumerate), and male or not."""
    day, block = i % 30000, i // 30000
    male = (i * 7919) % 2 == 1
    seq = block * 2 + (1 if male else 0)
    return make_id(region, BASE_DAY + timedelta(days=day), seq), male


def write_csv(path: Path, persons: int, grids: list[str], region: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    tags = list(TAG_LABELS.values())
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([c.header for c in COLUMNS])
        i = h = 0
        while i < persons:
            h += 1
            grid = grids[h % len(grids)]
            size = min(rng.choice((1, 2, 2, 3, 3, 3, 4, 5)), persons - i)
            reg = rng.choice(("户籍", "户籍", "户籍", "常住", "流动"))
            for k in range(size):
                idn, male = person_id(i, region)
                rel = "户主" if k == 0 else ("配偶" if k == 1 else "子女")
                phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" if rng.random() < 0.6 else ""
                tag = rng.choice(tags) if rng.random() < 0.1 else ""
                w.writerow([f"H{h}", grid, reg, f"基准路{h}号", rel, f"测试{i}", idn, "男" if male else "女", "",
                            "汉族", phone, "", "否", tag])  # fmt: skip
                i += 1


def prepare(url: str, areas: list[dict]) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        for i in range(0, len(areas), 5000):
            conn.execute(insert(Area), areas[i : i + 5000])
    engine.dispose()


def run_import(url: str, path: str) -> dict:
    """In a process of its own: the real import, timed, with this process's peak memory."""
    from sqlalchemy.orm import sessionmaker

    from linli.authz.principal import system_principal
    from linli.residents.importer import import_register

    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    t = time.perf_counter()
    with factory() as session, open(path, "rb") as fh:
        if engine.dialect.name == "sqlite":
            session.connection(execution_options={"linli_writes": True})
        report = import_register(session, system_principal("bench"), fh, name=Path(path).name)
        session.commit()
    seconds = time.perf_counter() - t
    with engine.connect() as c:
        persons = c.execute(text("SELECT count(*) FROM persons")).scalar()
    engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "summary": report.summary(), "persons_in_db": persons}


def with_database(engine_name: str, tmp: Path, fn):
    if engine_name == "sqlite":
        return fn(f"sqlite:///{tmp}/bench-{uuid.uuid4().hex[:6]}.db")
    name = f"linli_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return fn(PG_ADMIN.rsplit("/", 1)[0] + "/" + name)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="20,000 persons: a smoke run")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--run", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run_import(*args.run)))
        return
    persons = 20_000 if args.quick else args.persons
    county = "220102"
    areas = area_rows([county], townships=10, villages=10, grids=10)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = tmp / "register.csv"
        t = time.perf_counter()
        write_csv(path, persons, grid_codes(areas), county)
        print(f"generated {persons:,} persons in {len(grid_codes(areas)):,} grids: {path.stat().st_size / 1e6:,.0f} MB"
              f" CSV in {time.perf_counter() - t:.1f} s")  # fmt: skip
        env = {**os.environ, "LINLI_DATA_DIR": str(tmp)}  # data keys generated there, once
        for eng in args.engines.split(","):

            def bench(url: str, eng=eng) -> dict:
                prepare(url, areas)
                out = subprocess.run(
                    [sys.executable, __file__, "--run", url, str(path)], env=env, capture_output=True, text=True
                )
                if out.returncode:
                    raise SystemExit(out.stderr)
                return json.loads(out.stdout.strip().splitlines()[-1])

            r = with_database(eng, tmp, bench)
            print(f"\n{eng}: {r['summary']}")
            print(f"  import {r['seconds']:.1f} s ({persons / r['seconds']:,.0f} persons/s), peak memory"
                  f" {r['peak_mb']:,.0f} MB, persons in database {r['persons_in_db']:,}")  # fmt: skip
            print("  target: 1,000,000 persons <= 180 s")


if __name__ == "__main__":
    main()
