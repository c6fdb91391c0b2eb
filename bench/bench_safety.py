#!/usr/bin/env python3
"""Benchmark: the safety units' figures rolled up for the province (by city) and for a city (by county),
with every community and village of Jilin served (a police officer and a legal adviser in each of the 11,860),
judges in a third of three grids per community, and mediation cases and legal-service sessions (`--cases`
per community, 70 % closed, 60 % of those with an agreement; a session per two communities), on SQLite
and PostgreSQL.

The database is built by the migrations; the areas are the real divisions (grids are not: their codes are
made up under each village, and only the appointments and cases name them). Times are the median and
worst of 7 warm runs of `counts.by_child`. The machine's load shows: run it on a quiet machine (`uptime`).

    python bench/bench_safety.py                 # SQLite and PostgreSQL, 4 cases per community
    python bench/bench_safety.py --no-pg --cases 10
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
from linli.safety import counts  # noqa: E402
from linli.safety.models import Appointment, LegalSession, MediationCase  # noqa: E402

DIVISIONS = ROOT / "src" / "linli" / "data" / "divisions-22.json"
PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RUNS = 7
NOW = datetime(2026, 12, 1, tzinfo=UTC)
START = date(2026, 1, 1)


def rows(per_community: int, rng: np.random.Generator) -> dict[str, list[dict]]:
    villages = [d["code"] for d in json.loads(DIVISIONS.read_text(encoding="utf-8"))["divisions"]
                if d["level"] == "village"]  # fmt: skip
    common = {"created_by": "bench", "generated": True, "created_at": NOW, "updated_at": NOW}
    appointments, cases, sessions = [], [], []
    person = {"name": "某", "unit_name": "", "duty_phone": "", "hours": "", "starts_on": START, "status": "active"}
    for v in villages:
        for duty in ("police", "legal_adviser"):
            appointments.append({"area_code": codes.pad(v), "duty": duty, **person, **common})
        for g in range(1, 4):
            if rng.random() < 1 / 3:
                appointments.append({"area_code": f"{v}{g:03d}", "duty": "judge", **person, **common})
        for _ in range(per_community):
            closed = rng.random() < 0.7
            cases.append({
                "area_code": f"{v}{int(rng.integers(1, 4)):03d}", "title": "纠纷", "parties": "甲乙",
                "mediator": "调委会", "opened_on": START, "closed_on": START + timedelta(days=9) if closed else None,
                "status": "closed" if closed else "open", "summary": "",
                "outcome": ("agreement" if rng.random() < 0.6 else "failed") if closed else None, **common,
            })  # fmt: skip
        if rng.random() < 0.5:
            sessions.append({"area_code": codes.pad(v), "held_on": START, "place": "活动室", "topic": "讲座",
                             "attendance": 30, **common})  # fmt: skip
    return {"appointments": appointments, "cases": cases, "sessions": sessions}


def fill(engine, data: dict[str, list[dict]]) -> float:
    started = time.perf_counter()
    with Session(engine) as session:
        import_divisions(session, system_principal("bench"), DIVISIONS.read_text(encoding="utf-8"))
        session.commit()
    with engine.begin() as conn:
        for key, model in (("appointments", Appointment), ("cases", MediationCase), ("sessions", LegalSession)):
            for i in range(0, len(data[key]), 5000):
                conn.execute(insert(model), data[key][i : i + 5000])
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


def measure(name: str, engine, data) -> None:
    load = fill(engine, data)
    scope = system_principal("bench").scope()
    today = date(2026, 12, 1)
    with Session(engine) as session:
        for code, what in (("22", "province by city"), ("2201", "长春市 by county")):
            med, worst, (rows_, total) = timed(lambda c=code: counts.by_child(session, scope, c, today))
            f = total.figures
            print(f"{name:10} loaded in {load:5.1f} s; {what}: median {med:7.1f} ms, worst {worst:7.1f} ms; "
                  f"{len(rows_)} rows, communities with police {f['communities_with_police']:,}, with an adviser "
                  f"{f['communities_with_adviser']:,}, grids with a judge {f['grids_with_judge']:,}, cases "
                  f"{f['cases']:,} (success {total.success_rate} %), sessions {f['sessions']:,}")  # fmt: skip
        assert counts.by_child(session, scope, "22", today)[1].figures["cases"] == len(data["cases"])


def run_sqlite(data) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        measure("SQLite", engine, data)
        engine.dispose()


def run_pg(data) -> None:
    name = f"linli_bench_safety_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(PG_URL.rsplit("/", 1)[0] + "/" + name)
        upgrade(engine)
        measure("PostgreSQL", engine, data)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=4, help="mediation cases per community")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    data = rows(args.cases, np.random.default_rng(17))
    run_sqlite(data)
    if not args.no_pg:
        run_pg(data)


if __name__ == "__main__":
    main()
