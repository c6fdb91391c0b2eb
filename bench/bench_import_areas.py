"""Benchmark: import the whole Jilin divisions file (13,014 areas) and the 60 county boundaries.

Runs the real importer (validation, diff against the database, bulk insert, audit entry) into a
fresh database, then the same file again (which must change nothing). SQLite by default;
`--postgres` also runs on a fresh PostgreSQL database that is dropped afterwards.

    python bench/bench_import_areas.py [--postgres] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from linli.areas.importer import import_boundaries, import_divisions  # noqa: E402
from linli.authz.principal import system_principal  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.db.migrate import upgrade  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "src" / "linli" / "data"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def run_once(url: str, divisions: bytes, boundaries: bytes) -> dict[str, float]:
    engine = make_engine(url)
    upgrade(engine)
    factory = sessionmaker(bind=engine)
    actor = system_principal("bench")
    out = {}
    for label, fn, raw in (
        ("divisions", import_divisions, divisions),
        ("boundaries", import_boundaries, boundaries),
        ("divisions again", import_divisions, divisions),
    ):
        t = time.perf_counter()
        with factory() as s:
            report = fn(s, actor, raw)
            s.commit()
        out[label] = time.perf_counter() - t
        out[label + " report"] = report.summary()
    engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--postgres", action="store_true", help="also run on a fresh PostgreSQL database")
    args = ap.parse_args()
    divisions = (DATA / "divisions-22.json").read_bytes()
    boundaries = (DATA / "counties-22.geojson").read_bytes()
    print(f"divisions file {len(divisions):,} bytes; boundaries file {len(boundaries):,} bytes")
    engines = ["sqlite"] + (["postgresql"] if args.postgres else [])
    for eng in engines:
        times: dict[str, list[float]] = {}
        last = {}
        for _ in range(args.repeat):
            if eng == "sqlite":
                with tempfile.TemporaryDirectory() as d:
                    last = run_once(f"sqlite:///{d}/bench.db", divisions, boundaries)
            else:
                name = f"linli_bench_{uuid.uuid4().hex[:10]}"
                admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
                with admin.connect() as c:
                    c.execute(text(f'CREATE DATABASE "{name}"'))
                try:
                    last = run_once(PG_ADMIN.rsplit("/", 1)[0] + "/" + name, divisions, boundaries)
                finally:
                    with admin.connect() as c:
                        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    admin.dispose()
            for k, v in last.items():
                if isinstance(v, float):
                    times.setdefault(k, []).append(v)
        print(f"\n{eng}: {args.repeat} runs into a fresh database")
        for k, vs in times.items():
            print(f"  {k:16s} median {statistics.median(vs):6.2f} s  best {min(vs):6.2f} s   ({last[k + ' report']})")
        print("  target: whole Jilin divisions file <= 20 s on SQLite")


if __name__ == "__main__":
    main()
