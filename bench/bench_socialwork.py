#!/usr/bin/env python3
"""Benchmark: the social work figures rolled up for the province (stations, rooms, staff, certified staff,
service records and their hours, open cases by city), at the seed's size (419 township stations with 944
staff) and at ten times it, on SQLite and PostgreSQL.

The database is built by the migrations; the rows are written in bulk: a centre in each county with
two staff, the township stations at random townships (cities weighted by population; at ten times
there are more stations than townships, so a township has several — the one-open-station rule is the
service's, not the bench's), two rooms per station, the staff spread over the stations (60 % certified),
30 service records per station and 5 cases per station (60 % open).

Times (median and worst of 7 warm runs) of `counts.by_child(scope, "22")`: 9 cities × 7 figures, each a
count or sum over a range of an index. Target (issue 17): ≤ 200 ms on PostgreSQL. The machine's load
shows: run it on a quiet machine (`uptime`).

    python bench/bench_socialwork.py                 # seed size and ten times, SQLite and PostgreSQL
    python bench/bench_socialwork.py --scales 1 --no-pg
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("linli") is None:
    sys.path.insert(0, str(ROOT / "src"))

import argparse  # noqa: E402
import json  # noqa: E402
import secrets  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402

import numpy as np  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from linli.areas.importer import import_divisions  # noqa: E402
from linli.authz.principal import system_principal  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.db.migrate import upgrade  # noqa: E402
from linli.kit import codes  # noqa: E402
from linli.socialwork import counts  # noqa: E402
from linli.socialwork.models import Case, ServiceRecord, Staff, Station  # noqa: E402

DIVISIONS = ROOT / "src" / "linli" / "data" / "divisions-22.json"
PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED = {"stations": 419, "staff": 944}
CITY_POPULATION = {
    "2201": 9067, "2202": 3624, "2203": 1815, "2204": 997, "2205": 1303, "2206": 952, "2207": 2253,
    "2208": 1551, "2224": 1942,
}  # fmt: skip
KINDS = ["assistance", "elderly", "children", "community_governance"]
QUALIFIED = ["assistant", "social_worker", "senior"]
RECORDS, CASES = 30, 5
RUNS = 7
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def places() -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """Counties, townships by city, and villages by township (the real codes)."""
    rows = json.loads(DIVISIONS.read_text(encoding="utf-8"))["divisions"]
    counties, towns, villages = [], {}, {}
    for d in rows:
        if d["level"] == "county":
            counties.append(d["code"])
        elif d["level"] == "township":
            towns.setdefault(d["code"][:4], []).append(d["code"])
        elif d["level"] == "village":
            villages.setdefault(d["code"][:9], []).append(d["code"])
    return counties, towns, {t: v for t, v in villages.items() if v}


def _staff_row(staff_id: int, station_id: int, area: str, rng, base) -> dict:
    q = QUALIFIED[rng.integers(3)] if rng.random() < 0.6 else "none"
    return {"id": staff_id, "station_id": station_id, "name": f"社工{staff_id}", "title": "社工", "qualification": q,
            "qualified_on": date(2020, 6, 1) if q != "none" else None, "status": "active", "area_code": area,
            **base}  # fmt: skip


def rows(scale: int, rng: np.random.Generator) -> dict[str, list[dict]]:
    counties, towns, villages = places()
    cities = list(CITY_POPULATION)
    weights = np.array([CITY_POPULATION[c] for c in cities], dtype=float)
    base = {"created_at": NOW, "updated_at": NOW, "generated": True}
    out: dict[str, list[dict]] = {k: [] for k in ("stations", "staff", "records", "cases")}
    n_stations, n_staff = SEED["stations"] * scale, SEED["staff"] * scale
    station_id = staff_id = 0
    for county in counties:
        station_id += 1
        out["stations"].append({"id": station_id, "level": "centre", "name": f"中心{county}", "address": "",
                                "status": "active", "area_code": codes.pad(county), **base})  # fmt: skip
        for _ in range(2):
            staff_id += 1
            out["staff"].append(_staff_row(staff_id, station_id, codes.pad(county), rng, base))
    per_station = rng.multinomial(n_staff - n_stations, np.ones(n_stations) / n_stations) + 1
    for n in range(n_stations):
        city = cities[rng.choice(len(cities), p=weights / weights.sum())]
        town = str(rng.choice([t for t in towns[city] if t in villages]))
        station_id += 1
        sid, area = station_id, codes.pad(town)
        out["stations"].append({"id": sid, "level": "station", "name": f"社工站{sid}", "address": "",
                                "status": "active", "area_code": area, **base})  # fmt: skip
        for village in list(rng.choice(villages[town], size=min(2, len(villages[town])), replace=False)):
            station_id += 1
            out["stations"].append({"id": station_id, "level": "room", "parent_id": sid, "name": f"社工室{station_id}",
                                    "address": "", "status": "active", "area_code": codes.pad(str(village)),
                                    **base})  # fmt: skip
        first = staff_id + 1
        for _ in range(per_station[n]):
            staff_id += 1
            out["staff"].append(_staff_row(staff_id, sid, area, rng, base))
        for k in range(RECORDS):
            day = date(2026, 1, 1) + timedelta(k * 11)
            out["records"].append({"station_id": sid, "staff_id": first, "served_on": day,
                                   "kind": KINDS[k % 4], "minutes": 60 + k % 6 * 30, "beneficiaries": 3,
                                   "content": "", "area_code": area, **base})  # fmt: skip
        for k in range(CASES):
            out["cases"].append({"station_id": sid, "worker_id": first, "kind": KINDS[k % 4], "client": "某某",
                                 "summary": "", "opened_on": date(2026, 3, 1),
                                 "status": "opened" if k < 3 else "closed", "area_code": area, **base})  # fmt: skip
    return out


def fill(engine, data: dict[str, list[dict]]) -> float:
    """The areas (the real divisions: the figures are by child area), then the rows."""
    started = time.perf_counter()
    with Session(engine) as session:
        import_divisions(session, system_principal("bench"), DIVISIONS.read_text(encoding="utf-8"))
        session.commit()
    tables = [("stations", Station), ("staff", Staff), ("records", ServiceRecord), ("cases", Case)]
    with engine.begin() as conn:
        for key, model in tables:
            keys = {k for row in data[key] for k in row}
            batch = [{k: row.get(k) for k in keys} for row in data[key]]
            for i in range(0, len(batch), 5000):
                conn.execute(insert(model), batch[i : i + 5000])
    # Statistics, and on PostgreSQL the visibility map that index-only counts need.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return time.perf_counter() - started


def timed(fn) -> tuple[float, float, object]:
    times, result = [], None
    fn()  # warm
    for _ in range(RUNS):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times), result


def measure(name: str, engine, scale: int, data) -> None:
    load = fill(engine, data)
    scope = system_principal("bench").scope()
    with Session(engine) as session:
        med, worst, (rows_, total) = timed(lambda: counts.by_child(session, scope, "22"))
        f = total.figures
        print(f"{name:10} ×{scale:<3} loaded in {load:6.1f} s; province figures by city: median {med:7.1f} ms, "
              f"worst {worst:7.1f} ms  (target ≤ 200 ms on PostgreSQL)")  # fmt: skip
        assert f["staff"] == len(data["staff"]), "the figures do not add up"
        print(f"{'':15} stations {int(f['stations']):,} (of them township {SEED['stations'] * scale:,}), rooms "
              f"{int(f['rooms']):,}, staff {int(f['staff']):,} (certified {int(f['certified']):,}), records "
              f"{int(f['records']):,}, hours {f['hours']:,.1f}, open cases {int(f['open_cases']):,}, "
              f"{len(rows_)} cities")  # fmt: skip


def run_sqlite(scale: int, data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        measure("SQLite", engine, scale, data)
        engine.dispose()


def run_pg(scale: int, data) -> None:
    name = f"linli_bench_sw_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(PG_URL.rsplit("/", 1)[0] + "/" + name)
        upgrade(engine)
        measure("PostgreSQL", engine, scale, data)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10", help="multiples of the seed's size, e.g. 1,10")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    for scale in (int(s) for s in args.scales.split(",")):
        data = rows(scale, np.random.default_rng(args.seed))
        sizes = ", ".join(f"{k} {len(v):,}" for k, v in data.items())
        print(f"== ×{scale}: {sizes}")
        if not args.no_sqlite:
            run_sqlite(scale, data)
        if not args.no_pg:
            run_pg(scale, data)


if __name__ == "__main__":
    main()
