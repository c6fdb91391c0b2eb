"""Benchmark: the residents queries on PostgreSQL with 5,000,000 persons (target <= 50 ms each).

Loads 10 counties x 10 townships x 10 villages x 5 grids (5,000 grids, 1,000 persons each, in
households of 1–5, with encrypted ID and phone numbers, blind indexes and ~10% tagged) by COPY into a
fresh database, then times, as an official of one county (so the scope clause is in every query):

- the household list of a grid (first page of 50, with member counts and head names),
- the search by exact ID number (blind index),
- the tag counts of a county (and, for information, the full tag + age-band statistics),
- the household search (first page of 50 in natural address order, member counts and head names): a grid
  unfiltered, a community by part of an address and by a member's name, a county by exact ID and phone
  number, a community by tag and register type, and a whole county unfiltered (the worst case).

Each query runs 30 times after a warm-up; the median and 95th percentile are printed with EXPLAIN ANALYZE.

    python bench/bench_residents_queries.py [--persons N] [--quick] [--url URL --keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from bench_residents_import import PG_ADMIN, area_rows, grid_codes, person_id, prepare  # noqa: E402
from linli.authz.principal import principal_for  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.kit import crypto  # noqa: E402
from linli.kit.time import utcnow  # noqa: E402
from linli.residents import pii, service  # noqa: E402
from linli.residents.kinds import Tag  # noqa: E402
from linli.residents.models import household_sort_key  # noqa: E402
from linli.residents.schemas import HouseholdSearchIn, SearchIn  # noqa: E402
from linli.residents.service import counts, households  # noqa: E402

COUNTIES = [f"2201{c:02d}" for c in range(2, 12)]
TAGS = [t.value for t in Tag]


def _sizes(grid_index: int, persons_per_grid: int) -> list[int]:
    rng = random.Random(grid_index)
    sizes, left = [], persons_per_grid
    while left > 0:
        s = min(rng.choice((1, 2, 2, 3, 3, 3, 4, 5)), left)
        sizes.append(s)
        left -= s
    return sizes


def populate(url: str, persons: int) -> None:
    grids_per_village = max(1, min(5, persons // 10_000))
    areas = area_rows(COUNTIES, townships=10, villages=10, grids=grids_per_village)
    prepare(url, areas)
    grids = grid_codes(areas)
    per_grid = persons // len(grids)
    ring = crypto.keyring()
    now = utcnow().isoformat()
    today = date.today().isoformat()
    engine = make_engine(url)
    raw = engine.raw_connection()
    t = time.perf_counter()
    try:
        cur = raw.driver_connection.cursor()
        with cur.copy(
            "COPY households (id, area_code, import_key, register_type, address, unit, room, status, generated,"
            " head_person_id, created_at, updated_at, sort_key) FROM STDIN"
        ) as copy:
            hid = pid = 0
            for gi, grid in enumerate(grids):
                for size in _sizes(gi, per_grid):
                    hid += 1
                    address = f"基准路{hid % 400 + 1}号{hid % 7 + 1}单元{hid % 31 + 1}0{hid % 4 + 1}室"
                    copy.write_row((hid, grid, f"H{hid}", "local", address, "", "", "active", True, pid + 1, now,
                                    now, household_sort_key(address, "", "")))  # fmt: skip
                    pid += size
        print(f"  households: {hid:,} in {time.perf_counter() - t:.0f} s", flush=True)
        rng = random.Random(5)
        county_seq: dict[str, int] = {}
        with cur.copy(
            "COPY persons (id, area_code, household_id, relation, name, gender, birth_date, ethnicity, id_number_enc,"
            " id_number_bidx, phone_enc, phone_bidx, status, party_member, generated, created_at, updated_at)"
            " FROM STDIN"
        ) as copy:
            hid = pid = 0
            for gi, grid in enumerate(grids):
                county = grid[:6]
                for size in _sizes(gi, per_grid):
                    hid += 1
                    for k in range(size):
                        pid += 1
                        n = county_seq.get(county, 0)
                        county_seq[county] = n + 1
                        idn, male = person_id(n, county)
                        phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}" if rng.random() < 0.6 else None
                        copy.write_row((
                            pid, grid, hid, "head" if k == 0 else "child", f"测试{pid}", "male" if male else "female",
                            f"{idn[6:10]}-{idn[10:12]}-{idn[12:14]}", "汉族", ring.encrypt(idn, pii.ID_CONTEXT),
                            ring.blind_index(idn, pii.ID_CONTEXT),
                            ring.encrypt(phone, pii.PHONE_CONTEXT) if phone else None,
                            ring.blind_index(phone, pii.PHONE_CONTEXT) if phone else None,
                            "present", False, True, now, now,
                        ))  # fmt: skip
                if gi % 500 == 499:
                    print(f"  persons: {pid:,} ({time.perf_counter() - t:.0f} s)", flush=True)
        with cur.copy("COPY person_tags (person_id, area_code, tag, start_on, note) FROM STDIN") as copy:
            rng = random.Random(9)
            pid = 0
            for gi, grid in enumerate(grids):
                for size in _sizes(gi, per_grid):
                    for _ in range(size):
                        pid += 1
                        if rng.random() < 0.1:
                            copy.write_row((pid, grid, rng.choice(TAGS), today, ""))
        for table in ("households", "persons", "person_tags"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        raw.commit()
        raw.driver_connection.autocommit = True
        cur.execute("VACUUM ANALYZE")
    finally:
        raw.close()
        engine.dispose()
    print(f"  loaded {persons:,} persons in {time.perf_counter() - t:.0f} s", flush=True)


def measure(factory, fn, runs: int = 30) -> tuple[float, float]:
    for _ in range(3):
        with factory() as s:
            fn(s)
    times = []
    for _ in range(runs):
        with factory() as s:
            t = time.perf_counter()
            fn(s)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def explain(engine, factory, fn) -> None:
    captured = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        with factory() as s:
            fn(s)
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    with engine.connect() as conn:
        for statement, params in captured:
            cur = conn.connection.driver_connection.cursor()
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
            lines = [r[0] for r in cur.fetchall()]
            print("    " + " ".join(statement.split())[:150])
            for line in lines[:14]:
                print("      " + line[:160])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=5_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 persons: a smoke run")
    ap.add_argument("--url", help="use this PostgreSQL database (loaded unless it already has persons)")
    ap.add_argument("--keep", action="store_true", help="do not drop the database afterwards")
    args = ap.parse_args()
    persons = 100_000 if args.quick else args.persons
    os.environ.setdefault("LINLI_DATA_DIR", tempfile.mkdtemp(prefix="linli-bench-"))
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = None
    url = args.url
    if url is None:
        name = f"linli_bench_q_{uuid.uuid4().hex[:8]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        engine = make_engine(url)
        with engine.connect() as c:
            has = (
                c.execute(text("SELECT to_regclass('persons') IS NOT NULL")).scalar()
                and c.execute(text("SELECT count(*) FROM persons")).scalar()
            )
        if not has:
            print(f"loading {persons:,} persons into {url.rsplit('/', 1)[1]} ...", flush=True)
            populate(url, persons)
        factory = sessionmaker(bind=engine)
        with engine.connect() as c:
            total = c.execute(text("SELECT count(*) FROM persons")).scalar()
            grid = c.execute(text("SELECT area_code FROM persons ORDER BY id DESC LIMIT 1")).scalar()
        county = grid[:6]
        official = principal_for(None, "bench", [("official", county)])
        probe = person_id(12_345 % max(total // len(COUNTIES), 1), county)[0]
        village = grid[:12]
        with factory() as s:
            phone = s.execute(
                text("SELECT phone_bidx FROM persons WHERE area_code LIKE :c AND phone_bidx IS NOT NULL LIMIT 1"),
                {"c": county + "%"},
            ).scalar()

        def hh(**kw):
            return lambda s: households.search_households(s, official, HouseholdSearchIn(**kw))

        def by_phone_index(s):  # the phone's own number is not stored in clear: search by its index
            from linli.residents import repository as repo

            return repo.search_households(
                s, county, official.scope(service.R), repo.HouseholdFilter(phone_bidx=phone),
                today=date.today(), offset=0, limit=50,
            )  # fmt: skip

        queries = {
            "household list of a grid": lambda s: households.list_households(s, official, grid, 0, 50),
            "households: grid, address order": hh(area_code=grid),
            "households: community, address text": hh(area_code=village, text="路12号"),
            "households: community, member name": hh(area_code=village, text="测试12"),
            "households: county, exact ID number": hh(area_code=county, id_number=probe),
            "households: county, phone (index)": by_phone_index,
            "households: community, tag + register": hh(area_code=village, tag="elderly_alone", register_type="local"),
            "households: county, address order (info)": hh(area_code=county),
            "search by exact ID number": lambda s: service.find_persons(
                s, official, SearchIn(area_code=county, id_number=probe)
            ),
            "tag counts of a county": lambda s: counts.tag_counts(s, official, county),
            "tags + age bands of a county (info)": lambda s: counts.stats(s, official, county),
        }
        with factory() as s:
            found = service.find_persons(s, official, SearchIn(area_code=county, id_number=probe))[1]
        print(f"\nPostgreSQL, {total:,} persons; official of county {county}; grid {grid}; probe found: {found}")
        for label, fn in queries.items():
            med, p95 = measure(factory, fn)
            print(f"\n  {label:38s} median {med:7.1f} ms   p95 {p95:7.1f} ms")
            explain(engine, factory, fn)
        print("\n  target: each <= 50 ms but those marked (info)")
        engine.dispose()
    finally:
        if name and not args.keep:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
