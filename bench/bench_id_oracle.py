"""Benchmark: registering a person with a free ID number vs one registered where the worker cannot read.

The two must not be told apart by timing (issue 12, finding 3). Alternates N registrations of each kind
through the HTTP API (TestClient, SQLite file database), then N of each through the service alone, and
prints the median and 90th percentile of each, the median difference within a round, and whether the
two ran the same SQL statements (values and ids aside), with the first difference.
The review of a number registered elsewhere is opened by the worker's job afterwards (not timed here).

    python bench/bench_id_oracle.py [--n 200]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402
from tests.factories import auth, make_user, token_for  # noqa: E402
from tests.factories_residents import GRID, GRID_B, make_grids, make_household, make_person  # noqa: E402

from linli.app import create_app  # noqa: E402
from linli.authz.principal import principal_for  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.db.migrate import upgrade  # noqa: E402
from linli.db.session import unit_of_work  # noqa: E402
from linli.residents import service  # noqa: E402
from linli.residents.idcard import make_id  # noqa: E402
from linli.residents.schemas import PersonIn  # noqa: E402


def _normalised(statement: str) -> str:
    return re.sub(r"sa_savepoint_\d+", "sp", re.sub(r"\s+", " ", statement)).strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="linli-bench-")
    os.environ["LINLI_DATA_DIR"] = tmp
    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    # Pairs of numbers differing only in their sequence (same birth date, same gender), 200 per birth date:
    # the sequence has three digits.
    def number(i: int, taken: bool) -> str:
        return make_id("220102", date(1985, 6, 1) + timedelta(days=i // 200), 2 * (i % 200) + 1 + 400 * taken)

    free = [number(i, False) for i in range(2 * args.n)]  # the first n through HTTP, the others the service
    taken = [number(i, True) for i in range(2 * args.n)]
    with factory() as s:
        make_grids(s)
        far = make_household(s, GRID_B)
        for i, x in enumerate(taken):
            make_person(s, far, name=f"远{i}", relation="head" if i == 0 else "other", id_number=x, phone=None)
        home = make_household(s, GRID)
        user = make_user(s, "gw1", "grid_worker", GRID)
        headers = auth(token_for(s, user))
        s.commit()
        home_id, worker = home.id, principal_for(user.id, "gw1", [("grid_worker", GRID)])
    client = TestClient(create_app(session_factory=factory))
    http: dict[str, list[float]] = {"free": [], "registered elsewhere": []}
    direct: dict[str, list[float]] = {"free": [], "registered elsewhere": []}
    statements: dict[str, list[str]] = {}
    current: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "api_tokens" not in statement:  # a token's last use is written at most once a minute
            current.append(_normalised(statement))

    def body(x: str) -> dict:
        return {"household_id": home_id, "relation": "child", "name": "李明", "id_number": x}

    event.listen(engine, "before_cursor_execute", seen)
    for i in range(args.n):
        for kind, x in (("free", free[i]), ("registered elsewhere", taken[i]))[:: 1 if i % 2 else -1]:
            current.clear()
            t0 = time.perf_counter()
            r = client.post("/api/v1/persons", json=body(x), headers=headers)
            http[kind].append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 201, r.text
            if i == 1:  # the second round: the first warmed caches (and the audit log's head row)
                statements[kind] = list(current)
    event.remove(engine, "before_cursor_execute", seen)
    # The service alone (no HTTP, no token check): less noise around the same work.
    for i in range(args.n, 2 * args.n):
        for kind, x in (("free", free[i]), ("registered elsewhere", taken[i]))[:: 1 if i % 2 else -1]:
            t0 = time.perf_counter()
            with unit_of_work(factory) as s:
                service.register_person(s, worker, PersonIn(**body(x)))
            direct[kind].append((time.perf_counter() - t0) * 1000)
    for title, times in (("POST /api/v1/persons", http), ("service.register_person", direct)):
        print(title)
        for kind, ms in times.items():
            q = statistics.quantiles(ms, n=10)
            print(f"{kind:>24}: n={len(ms)} median {statistics.median(ms):.2f} ms, p90 {q[-1]:.2f} ms")
        # Each round runs one of each back to back: the difference within a round cancels the machine's drift.
        paired = [e - f for f, e in zip(times["free"], times["registered elsewhere"], strict=True)]
        print(f"{'elsewhere − free':>24}: median within a round {statistics.median(paired):+.3f} ms")
    a, b = statements["free"], statements["registered elsewhere"]
    print(f"SQL statements per request: free {len(a)}, registered elsewhere {len(b)}, identical: {a == b}")
    for n, (x, y) in enumerate(zip(a + [""] * len(b), b + [""] * len(a), strict=False)):
        if x != y:
            print(f"  first difference at statement {n + 1}:\n    free: {x[:160]}\n    elsewhere: {y[:160]}")
            break


if __name__ == "__main__":
    main()
