#!/usr/bin/env python3
"""Benchmark: the organizations' figures rolled up for the province, and need-to-resource matching for a
city, at the seed's size (2,050 alliances, 12,197 member units, 2,538 pairings, 2,243 social
organizations) and at ten times it, on SQLite and PostgreSQL.

The database is built by the migrations; the rows are written in bulk: alliances at random townships
(cities weighted by population), their member units (the lead among them) as organizations at the
alliance's communities, social organizations, resources (1.2 per member unit), needs (8 per alliance:
40 % open, 10 % claimed, 45 % met, 5 % closed) and their projects, points for every unit and need.

Times (median and worst of 7 warm runs):
- `counts.by_child(scope, "22")`: the province page's figures by city (6 counts per city, each a range
  of an index, and the register's count of present persons: none here, the residents domain benches it);
- `matching.suggest(scope, "2201", limit=all)`: every open need of Changchun with its 3 nearest fitting
  resources, and the API's answer (the first 200 suggestions). Targets (issue 17): figures ≤ 200 ms,
  matching ≤ 500 ms. The machine's load shows: run it on a quiet machine (`uptime`).

    python bench/bench_organizations.py                 # seed size and ten times, SQLite and PostgreSQL
    python bench/bench_organizations.py --scales 1 --no-pg
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
from datetime import UTC, date, datetime  # noqa: E402

import numpy as np  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from linli.areas.importer import import_divisions  # noqa: E402
from linli.authz.principal import system_principal  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.db.migrate import upgrade  # noqa: E402
from linli.kit import codes  # noqa: E402
from linli.organizations import counts, matching  # noqa: E402
from linli.organizations.models import (  # noqa: E402
    Alliance,
    AllianceMember,
    Need,
    Organization,
    Pairing,
    Project,
    Resource,
)

DIVISIONS = ROOT / "src" / "linli" / "data" / "divisions-22.json"
PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SEED = {"alliances": 2050, "members": 12197, "social_orgs": 2243, "pairs": 2538}
CITY_POPULATION = {
    "2201": 9067, "2202": 3624, "2203": 1815, "2204": 997, "2205": 1303, "2206": 952, "2207": 2253,
    "2208": 1551, "2224": 1942,
}  # fmt: skip
CATEGORIES = ["elderly", "children", "medical", "legal", "employment", "environment", "culture", "safety", "other"]
RUNS = 7
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def places() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Townships by city, and villages by township (the real codes)."""
    rows = json.loads(DIVISIONS.read_text(encoding="utf-8"))["divisions"]
    towns: dict[str, list[str]] = {}
    villages: dict[str, list[str]] = {}
    for d in rows:
        if d["level"] == "township":
            towns.setdefault(d["code"][:4], []).append(d["code"])
        elif d["level"] == "village":
            villages.setdefault(d["code"][:9], []).append(d["code"])
    return towns, {t: v for t, v in villages.items() if v}


def rows(scale: int, rng: np.random.Generator) -> dict[str, list[dict]]:
    towns, villages = places()
    cities = list(CITY_POPULATION)
    weights = np.array([CITY_POPULATION[c] for c in cities], dtype=float)
    n_all, n_members, n_social = (SEED[k] * scale for k in ("alliances", "members", "social_orgs"))
    base = {"created_at": NOW, "updated_at": NOW, "generated": True}
    keys = ("orgs", "alliances", "members", "resources", "needs", "projects", "pairings")
    out: dict[str, list[dict]] = {k: [] for k in keys}
    per_alliance = rng.multinomial(n_members - n_all, np.ones(n_all) / n_all) + 1  # the lead is a member
    org_id = need_id = res_id = 0

    def point(city: str) -> tuple[float, float]:
        lon0, lat0 = (125.32, 43.88) if city == "2201" else (126.5, 43.5)
        return float(lon0 + rng.normal(0, 0.15)), float(lat0 + rng.normal(0, 0.12))

    for a_id in range(1, n_all + 1):
        city = cities[rng.choice(len(cities), p=weights / weights.sum())]
        town = rng.choice([t for t in towns[city] if t in villages])
        out["alliances"].append({"id": a_id, "name": f"联盟{a_id}", "lead_org_id": org_id + 1, "status": "active",
                                 "area_code": codes.pad(town), **base})  # fmt: skip
        for k in range(per_alliance[a_id - 1]):
            org_id += 1
            village = rng.choice(villages[town])
            lon, lat = point(city)
            kind = "party_committee" if k == 0 else "enterprise"
            out["orgs"].append({"id": org_id, "kind": kind, "name": f"单位{org_id}",
                                "area_code": codes.pad(village), "lon": lon, "lat": lat, "status": "active",
                                "address": "", "contact_name": "", "contact_phone": "", **base})  # fmt: skip
            role = "lead" if k == 0 else "member"
            out["members"].append({"alliance_id": a_id, "organization_id": org_id, "role": role, "cross_area": False,
                                   "area_code": codes.pad(town)})  # fmt: skip
            for _ in range(int(rng.random() < 0.2) + 1):
                res_id += 1
                out["resources"].append({"id": res_id, "alliance_id": a_id, "organization_id": org_id,
                                         "resource_type": CATEGORIES[rng.integers(len(CATEGORIES))], "title": "资源",
                                         "capacity": 10, "availability": "", "status": "active",
                                         "area_code": codes.pad(village), **base})  # fmt: skip
        for _ in range(8):
            need_id += 1
            village = rng.choice(villages[town])
            lon, lat = point(city)
            status = rng.choice(["open", "claimed", "met", "closed"], p=[0.4, 0.1, 0.45, 0.05])
            out["needs"].append({"id": need_id, "title": f"需求{need_id}", "description": "", "raised_by": "community",
                                 "category": CATEGORIES[rng.integers(len(CATEGORIES))], "lon": lon, "lat": lat,
                                 "status": status, "created_by": "bench", "area_code": codes.pad(village),
                                 **base})  # fmt: skip
            if status in ("claimed", "met"):
                out["projects"].append({"alliance_id": a_id, "need_id": need_id, "resource_id": res_id,
                                        "organization_id": org_id, "starts_on": date(2026, 1, 1),
                                        "ends_on": date(2026, 12, 31),
                                        "status": "done" if status == "met" else "claimed",
                                        "claimed_by": "bench", "area_code": codes.pad(village), **base})  # fmt: skip
    all_villages = [v for vs in villages.values() for v in vs]
    for _ in range(SEED["pairs"] * scale):
        village = all_villages[rng.integers(len(all_villages))]
        out["pairings"].append({"organization_id": int(rng.integers(1, org_id + 1)), "kind": "many_to_one",
                                "started_on": date(2026, 1, 1), "status": "active", "area_code": codes.pad(village),
                                **base})  # fmt: skip
    for _ in range(n_social):
        org_id += 1
        village = all_villages[rng.integers(len(all_villages))]
        out["orgs"].append({"id": org_id, "kind": "social_organization", "name": f"社会组织{org_id}",
                            "registration": "registered", "area_code": codes.pad(village), "status": "active",
                            "address": "", "contact_name": "", "contact_phone": "", **base})  # fmt: skip
    return out


def fill(engine, data: dict[str, list[dict]]) -> float:
    """The areas (the real divisions: the figures are by child area), then the rows."""
    started = time.perf_counter()
    with Session(engine) as session:
        import_divisions(session, system_principal("bench"), DIVISIONS.read_text(encoding="utf-8"))
        session.commit()
    tables = [("orgs", Organization), ("alliances", Alliance), ("members", AllianceMember), ("resources", Resource),
              ("needs", Need), ("projects", Project), ("pairings", Pairing)]  # fmt: skip
    with engine.begin() as conn:
        for key, model in tables:
            keys = {k for row in data[key] for k in row}
            batch = [{k: row.get(k) for k in keys} for row in data[key]]
            for i in range(0, len(batch), 5000):
                conn.execute(insert(model), batch[i : i + 5000])
    # Statistics, and on PostgreSQL the visibility map that index-only counts need (autovacuum sets it in
    # service; a bulk load has to ask).
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
              f"worst {worst:7.1f} ms  (target ≤ 200 ms)")  # fmt: skip
        assert f["alliances"] == len(data["alliances"]), "the figures do not add up"
        print(f"{'':15} alliances {f['alliances']:,}, member units {f['members']:,}, pairs {f['pairs']:,}, "
              f"projects done "
              f"{f['projects_done']:,}, needs open {f['needs_open']:,}, met {f['needs_met']:,}, social orgs "
              f"{f['social_orgs']:,}, {len(rows_)} cities")  # fmt: skip
        med, worst, found = timed(lambda: matching.suggest(session, scope, "2201", limit=10**9))
        needs = len({s.need_id for s in found})
        print(f"{'':15} matching for all of 长春市: median {med:7.1f} ms, worst {worst:7.1f} ms  (target ≤ 500 ms); "
              f"{needs:,} open needs matched, {len(found):,} suggestions")  # fmt: skip
        med, worst, found = timed(lambda: matching.suggest(session, scope, "2201"))
        print(f"{'':15} the API's answer for 长春市 (first 200 suggestions): median {med:7.1f} ms, "
              f"worst {worst:7.1f} ms")  # fmt: skip


def run_sqlite(scale: int, data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        measure("SQLite", engine, scale, data)
        engine.dispose()


def run_pg(scale: int, data) -> None:
    name = f"linli_bench_org_{secrets.token_hex(4)}"
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
