#!/usr/bin/env python3
"""Benchmark: the road chiefs' figures rolled up for the province, at the seed's size (5,041 cadres serving
as street, road and lane chiefs) and at ten times it, on SQLite (and PostgreSQL with --pg).

The database is built by the migrations; the rows are written in bulk: appointments at real communities
(cities weighted by population; a tenth street chiefs at the township), 1.5 roads per appointment in its
community, one covered road each, a dozen patrols each this year.

Times (median and worst of 7 warm runs) of `reads.counts(principal, "22")`: the province page's figures by
city (per city: chiefs by level, roads, patrols this year; each a range of an index, in one statement).

    python bench/bench_chiefs.py                 # seed size and ten times, SQLite
    python bench/bench_chiefs.py --scales 1 --pg
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
from linli.chiefs import reads  # noqa: E402
from linli.chiefs.models import Appointment, Coverage, Patrol, Road  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.db.migrate import upgrade  # noqa: E402
from linli.kit import codes  # noqa: E402

DIVISIONS = ROOT / "src" / "linli" / "data" / "divisions-22.json"
PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED_CHIEFS = 5041
CITY_POPULATION = {
    "2201": 9067, "2202": 3624, "2203": 1815, "2204": 997, "2205": 1303, "2206": 952, "2207": 2253,
    "2208": 1551, "2224": 1942,
}  # fmt: skip
RUNS = 7
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def villages_by_city() -> dict[str, list[str]]:
    rows = json.loads(DIVISIONS.read_text(encoding="utf-8"))["divisions"]
    out: dict[str, list[str]] = {}
    for d in rows:
        if d["level"] == "village":
            out.setdefault(d["code"][:4], []).append(d["code"])
    return out


def rows(scale: int, rng: np.random.Generator) -> dict[str, list[dict]]:
    villages = villages_by_city()
    cities = [c for c in CITY_POPULATION if c in villages]
    weights = np.array([CITY_POPULATION[c] for c in cities], dtype=float)
    base = {"created_at": NOW, "updated_at": NOW, "generated": True}
    out: dict[str, list[dict]] = {"appointments": [], "roads": [], "coverage": [], "patrols": []}
    road_id = 0
    start = date(NOW.year, 1, 1)
    for a_id in range(1, SEED_CHIEFS * scale + 1):
        city = cities[rng.choice(len(cities), p=weights / weights.sum())]
        village = str(rng.choice(villages[city]))
        level = str(rng.choice(["street", "road", "lane"], p=[0.1, 0.45, 0.45]))
        place = village[:9] if level == "street" else village
        out["appointments"].append({"id": a_id, "level": level, "name": f"干部{a_id}", "unit": "",
                                    "appointed_on": start, "status": "active", "area_code": codes.pad(place),
                                    **base})  # fmt: skip
        for k in range(2 if rng.random() < 0.5 else 1):
            road_id += 1
            out["roads"].append({"id": road_id, "name": f"路{road_id}", "kind": level,
                                 "area_code": codes.pad(village), **base})  # fmt: skip
            if k == 0:
                out["coverage"].append({"appointment_id": a_id, "road_id": road_id, "area_code": codes.pad(village)})
                for p in range(12):
                    out["patrols"].append({"appointment_id": a_id, "road_id": road_id, "route": "", "findings": "",
                                           "patrolled_on": start + timedelta(days=25 * p + a_id % 20),
                                           "area_code": codes.pad(village), **base})  # fmt: skip
    return out


def fill(engine, data: dict[str, list[dict]]) -> float:
    started = time.perf_counter()
    with Session(engine) as session:
        import_divisions(session, system_principal("bench"), DIVISIONS.read_text(encoding="utf-8"))
        session.commit()
    tables = [("appointments", Appointment), ("roads", Road), ("coverage", Coverage), ("patrols", Patrol)]
    with engine.begin() as conn:
        for key, model in tables:
            for i in range(0, len(data[key]), 5000):
                conn.execute(insert(model), data[key][i : i + 5000])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return time.perf_counter() - started


def measure(name: str, engine, scale: int, data) -> None:
    load = fill(engine, data)
    principal = system_principal("bench")
    with Session(engine) as session:
        times, result = [], None
        reads.counts(session, principal, "22")  # warm
        for _ in range(RUNS):
            t0 = time.perf_counter()
            result = reads.counts(session, principal, "22")
            times.append((time.perf_counter() - t0) * 1000)
        city_rows, total = result
        assert total.chiefs == len(data["appointments"]), "the figures do not add up"
        med, worst = statistics.median(times), max(times)
        print(f"{name:10} ×{scale:<3} loaded in {load:5.1f} s; province figures by city: median {med:6.1f} ms, "
              f"worst {worst:6.1f} ms; chiefs {total.chiefs:,} ({total.levels}), roads {total.roads:,}, "
              f"patrols {total.patrols:,}, {len(city_rows)} cities")  # fmt: skip


def run_sqlite(scale: int, data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        measure("SQLite", engine, scale, data)
        engine.dispose()


def run_pg(scale: int, data) -> None:
    name = f"linli_bench_chiefs_{secrets.token_hex(4)}"
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
    parser.add_argument("--pg", action="store_true", help="PostgreSQL too")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    for scale in (int(s) for s in args.scales.split(",")):
        data = rows(scale, np.random.default_rng(args.seed))
        print(f"== ×{scale}: " + ", ".join(f"{k} {len(v):,}" for k, v in data.items()))
        run_sqlite(scale, data)
        if args.pg:
            run_pg(scale, data)


if __name__ == "__main__":
    main()
