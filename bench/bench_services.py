#!/usr/bin/env python3
"""Benchmark: applications (办件) at scale — the list, the counter's queue, the steps at a level, and the
per-item and per-area figures of a city — over 2,000,000 applications on PostgreSQL.

Fills a scratch PostgreSQL database (dropped afterwards): Jilin's divisions, the 28 example items at the
province, one offer each, 2,000 persons, and N applications written by the database itself, every one
under Changchun (2201: the city's figures read all of them), spread over its communities, submitted over
the past year, in a realistic mix of states (delivered 60 %, decided 5 %, in process 15 % of which a
quarter overdue, waiting 8 %, returned 4 %, rejected 3 %, withdrawn 5 %). Then it times the domain's own
repository functions (warm cache, p50 and p95 of 20 runs):

- the application list of a street official (its township: first page of 50 and the total);
- the counter's queue of a community (waiting for acceptance, newest first, with the total);
- the steps in process at the street's level (nearest deadline first) and the overdue list;
- the figures of the city: per item (volumes, on-time rate, average working days and visits) and per
  county; and per item for one county.

Targets (issue 16): list and counter's queue ≤ 100 ms; per-item on-time rates for a city ≤ 200 ms.

    python bench/bench_services.py              # 2,000,000 applications
    python bench/bench_services.py --quick      # 200,000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, scratch_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {"list": 100.0, "queue": 100.0, "city per item": 200.0}


def fill(url: str, n: int) -> tuple[list[str], float]:
    """Items, offers, persons and `n` applications; returns (the communities used, seconds)."""
    import psycopg
    from sqlalchemy.orm import sessionmaker

    from linli.areas.importer import import_divisions
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.services import repository as repo
    from linli.services import seed

    t0 = time.perf_counter()
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    actor = system_principal("bench")
    with unit_of_work(factory) as s:
        import_divisions(s, actor, (ROOT / "src/linli/data/divisions-22.json").read_bytes())
        seed.load_examples(s, actor, "22")
    divisions = json.loads((ROOT / "src/linli/data/divisions-22.json").read_text(encoding="utf-8"))["divisions"]
    villages = sorted(d["code"] for d in divisions if d["level"] == "village" and d["code"].startswith("2201"))
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO service_offers (item_id, implementation_code, promised_days, place, hours, consult_phone, "
            "complaint_phone, enabled, changed_by, generated, area_code, created_at, updated_at) "
            "SELECT id, 'bench-' || id, promised_days, '', '', '', '', true, 'bench', true, %s, now(), now() "
            "FROM service_items ORDER BY id",
            (villages[0] + "000",),
        )
        conn.execute(
            "INSERT INTO persons (area_code, name, gender, birth_date, ethnicity, id_number_enc, id_number_bidx, "
            "status, party_member, generated, created_at, updated_at) "
            "SELECT %s, 'bench ' || i, 'male', date '1960-01-01', '汉族', 'x', md5(i::text), 'present', false, true, "
            "now(), now() FROM generate_series(1, 2000) i",
            (villages[0] + "001",),
        )
        conn.execute(_APPLICATIONS, {"n": n, "villages": [v + "000" for v in villages]})
        conn.execute("VACUUM ANALYZE service_applications")  # as autovacuum would, on a table at rest
    with unit_of_work(factory) as s:  # the running totals, as the changes would have kept them
        repo.rebuild_figures(s)
    engine.dispose()
    return villages, time.perf_counter() - t0


# States by a uniform draw u: the mix in the docstring; an in-process one has its step at the street
# (two thirds) or the county, and a quarter of them are past their step's deadline.
_APPLICATIONS = """
INSERT INTO service_applications (offer_id, item_id, person_id, applicant_name, channel, assist, state,
    step_index, step_level, step_started_at, step_due_at, due_at, submitted_at, accepted_at, decided_at,
    delivered_at, closed_at, outcome, reason, missing, note, on_time, working_days, visits, generated,
    area_code, created_at, updated_at)
SELECT o.id, o.item_id, (SELECT min(id) FROM persons) + (g %% 2000), 'bench', 'counter', 'none', st.state,
    CASE WHEN st.state = 'in_process' THEN 0 END,
    CASE WHEN st.state = 'in_process' THEN CASE WHEN u2 < 0.67 THEN 'township' ELSE 'county' END END,
    CASE WHEN st.state = 'in_process' THEN sub + interval '1 day' END,
    CASE WHEN st.state = 'in_process' THEN now() + (u2 * 8 - 2) * interval '1 day' END,
    CASE WHEN st.state IN ('in_process', 'decided', 'delivered') THEN sub + interval '20 days' END,
    sub,
    CASE WHEN st.state IN ('in_process', 'decided', 'delivered') THEN sub + interval '1 day' END,
    CASE WHEN st.state IN ('decided', 'delivered') THEN sub + (u2 * 25) * interval '1 day' END,
    CASE WHEN st.state = 'delivered' THEN sub + (u2 * 25 + 2) * interval '1 day' END,
    CASE WHEN st.state IN ('delivered', 'rejected', 'withdrawn') THEN sub + interval '27 days' END,
    CASE WHEN st.state IN ('decided', 'delivered') THEN 'approved' END, '', '[]', '',
    CASE WHEN st.state IN ('decided', 'delivered') THEN u2 < 0.8 END,
    CASE WHEN st.state IN ('decided', 'delivered') THEN round((u2 * 18)::numeric, 2) END,
    CASE WHEN u2 < 0.6 THEN 1 ELSE 2 END, true,
    (%(villages)s::text[])[1 + ((g::bigint * 7919) %% array_length(%(villages)s::text[], 1))::int], sub, sub
FROM (
    SELECT g, random() AS u, random() AS u2, now() - random() * interval '365 days' AS sub
    FROM generate_series(1, %(n)s) g
) r
JOIN LATERAL (SELECT CASE
    WHEN u < 0.60 THEN 'delivered' WHEN u < 0.65 THEN 'decided' WHEN u < 0.80 THEN 'in_process'
    WHEN u < 0.88 THEN 'submitted' WHEN u < 0.92 THEN 'returned' WHEN u < 0.95 THEN 'rejected'
    ELSE 'withdrawn' END AS state) st ON true
JOIN service_offers o ON o.id = (SELECT min(id) FROM service_offers) + (r.g %% 28)
"""


def busiest(url: str) -> tuple[str, str, str]:
    """(community, township, county) with the most applications."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:

        def top(length: int) -> str:
            sql = (
                f"SELECT substr(area_code, 1, {length}) c FROM service_applications "
                "GROUP BY c ORDER BY count(*) DESC LIMIT 1"
            )
            return conn.execute(sql).fetchone()[0]

        return top(12), top(9), top(6)


def timed(fn, runs: int = 20) -> tuple[float, float]:
    fn()
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def measure(url: str) -> list[tuple[str, float, float, str]]:
    from sqlalchemy.orm import sessionmaker

    from linli.authz.permissions import Permission, Role
    from linli.authz.principal import principal_for
    from linli.db.engine import make_engine
    from linli.kit.time import utcnow
    from linli.services import repository as repo
    from linli.services.repository import Filters

    community, township, county = busiest(url)
    street = principal_for(1, "street", [(Role.official, township)])
    counter = principal_for(2, "counter", [(Role.community_worker, community)])
    city = principal_for(3, "city", [(Role.official, "2201")])
    engine = make_engine(url)
    session = sessionmaker(bind=engine)()
    now = utcnow()
    read = Permission.services_read

    def listing(who, f):
        return lambda: repo.list_for_area(session, who, f, now, limit=50)

    cases = [
        ("list", listing(street, Filters(township)), township),
        ("queue", listing(counter, Filters(community, "submitted")), community),
        ("steps at the street", listing(street, Filters(township, level="township")), township),
        ("overdue", listing(street, Filters(township, overdue=True)), township),
        ("city per item", lambda: repo.figures_by_item(session, city.scope(read), "2201"), "2201"),
        ("city per county", lambda: repo.figures_by_child(session, city.scope(read), "2201"), "2201"),
        ("county per item", lambda: repo.figures_by_item(session, city.scope(read), county), county),
    ]  # fmt: skip
    out = []
    for name, fn, where in cases:
        p50, p95 = timed(fn)
        out.append((name, p50, p95, where))
        session.rollback()
    session.close()
    engine.dispose()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applications", type=int, default=2_000_000)
    parser.add_argument("--quick", action="store_true", help="200,000 applications")
    parser.add_argument("--db", default=os.environ.get("LINLI_BENCH_PG", DEFAULT_PG_URL))
    args = parser.parse_args()
    n = 200_000 if args.quick else args.applications
    with scratch_database(args.db, "linli_bench_services") as url:
        _, seconds = fill(url, n)
        print(f"filled {n:,} applications in {seconds:.0f} s")
        for name, p50, p95, where in measure(url):
            target = TARGETS_MS.get(name)
            mark = "" if target is None else (" ok" if p95 <= target else f" OVER {target:.0f} ms")
            print(f"{name:22s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  ({where}){mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
