#!/usr/bin/env python3
"""Benchmark: the province-wide overdue-disclosure report over 11,860 villages and communities and five
years of disclosure items (about 3,000,000), on PostgreSQL.

Fills a scratch database (migrated, Jilin's divisions) with bulk INSERT … SELECT written by the database
itself: for every village-level unit of the province (--per-village items, default 250: five years of
monthly finances, quarterly relief funds and other items, and resolutions and their results), each item
due on a day spread over the five years; a few in the future (drafts, not overdue), 0.5 % never
published past their due date, 2.5 % published late (flagged), the rest on time; questions on 4 % of the
published items, 5 % of them unanswered past their deadline. Then times, warm cache, 7 runs each:

- the report of the province by city (what a provincial official opens), of Changchun by county and of
  the busiest county by township: `linli.disclosure.repository.overdue_report` with a provincial
  official's scope — three counts per child area, each read from a partial index (unpublished items by
  due date, late items, open questions by deadline);
- and prints the plan of the province's report.

Target (issue 15): the province's report ≤ 500 ms. A benchmark, not a test: it prints figures.

    python bench/bench_disclosure.py                  # 11,860 × 250 ≈ 2,965,000 items
    python bench/bench_disclosure.py --per-village 25 # a smoke run
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _events_common import DEFAULT_PG_URL, ROOT, scratch_database  # noqa: E402

TARGET_MS = 500.0
RUNS = 7
KINDS = "ARRAY['finances','finances','finances','relief_funds','other','resolution','implementation','resolution']"


def fill(url: str, per_village: int) -> tuple[int, int, float]:
    """Divisions, one asker, the items and questions; returns (items, questions, seconds)."""
    import psycopg
    from sqlalchemy.orm import sessionmaker

    from linli.areas.importer import import_divisions
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work

    engine = make_engine(url)
    with unit_of_work(sessionmaker(bind=engine)) as s:
        import_divisions(s, system_principal("bench"), (ROOT / "src/linli/data/divisions-22.json").read_bytes())
    engine.dispose()
    t0 = time.perf_counter()
    step = max(1, 5 * 365 // per_village)  # days between two items of a village
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO users (username, display_name, password_hash, area_code, is_active, locale, created_at, "
            "updated_at) VALUES ('bench-asker', '张三', 'x', '220000000000000', true, 'zh-CN', now(), now())"
        )
        asker = conn.execute("SELECT id FROM users WHERE username = 'bench-asker'").fetchone()[0]
        conn.execute(f"""
            INSERT INTO disclosure_items (area_code, kind, title, body, period_from, period_to, occurred_on, due_on,
                rules, status, published_on, shown_until, objection_until, answer_days, late, days_late,
                late_reason, created_by, published_by, generated, created_at, updated_at)
            SELECT a.area_code, k.kind, 'bench item', 'bench', NULL, NULL, NULL, d.due,
                'villagers-2026', CASE WHEN d.pub IS NULL THEN 'draft' ELSE 'published' END, d.pub,
                d.pub + 6, d.pub + 6, 10, COALESCE(d.pub > d.due, false), COALESCE(GREATEST(0, d.pub - d.due), 0),
                CASE WHEN d.pub > d.due THEN 'bench' END, 'bench', CASE WHEN d.pub IS NULL THEN NULL ELSE 'bench' END,
                true, now(), now()
            FROM areas a
            CROSS JOIN generate_series(0, {per_village - 1}) n
            CROSS JOIN LATERAL (SELECT ({KINDS})[1 + n % 8] AS kind) k
            CROSS JOIN LATERAL (SELECT (hashtext(a.code || ':' || n) & 1048575) / 1048576.0 AS r,
                current_date - n * {step} + 20 AS due) x
            CROSS JOIN LATERAL (SELECT x.due,
                CASE WHEN x.due > current_date OR x.r < 0.005 THEN NULL
                     WHEN x.r < 0.03 THEN x.due + 1 + (x.r * 1000)::int % 30
                     ELSE x.due - (x.r * 100)::int % 5 END AS pub) d
            WHERE a.level = 'village'
        """)
        conn.execute(f"""
            INSERT INTO disclosure_questions (item_id, area_code, asked_by, question, asked_on, asked_at,
                answer_due_on, answer, answered_at, answered_on, answered_by, generated)
            SELECT i.id, i.area_code, {asker}, 'bench question', i.published_on + 1, now(), i.published_on + 11,
                CASE WHEN q.r < 0.05 THEN NULL ELSE 'bench answer' END,
                CASE WHEN q.r < 0.05 THEN NULL ELSE now() END,
                CASE WHEN q.r < 0.05 THEN NULL ELSE i.published_on + 5 END,
                CASE WHEN q.r < 0.05 THEN NULL ELSE 'bench' END, true
            FROM disclosure_items i CROSS JOIN LATERAL (SELECT random() + 0 * i.id AS r) q
            WHERE i.published_on IS NOT NULL AND i.id % 25 = 0
        """)
        conn.execute("VACUUM ANALYZE disclosure_items")
        conn.execute("VACUUM ANALYZE disclosure_questions")
        items = conn.execute("SELECT count(*) FROM disclosure_items").fetchone()[0]
        questions = conn.execute("SELECT count(*) FROM disclosure_questions").fetchone()[0]
    return items, questions, time.perf_counter() - t0


def busiest_county(url: str) -> str:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        sql = (
            "SELECT substr(area_code, 1, 6) c FROM disclosure_items WHERE published_on IS NULL "
            "GROUP BY c ORDER BY count(*) DESC LIMIT 1"
        )
        return conn.execute(sql).fetchone()[0]


def time_reports(url: str, targets: list[str]) -> list[tuple[str, int, list[float]]]:
    from sqlalchemy.orm import sessionmaker

    from linli.authz.permissions import Permission
    from linli.authz.principal import principal_for
    from linli.db.engine import make_engine
    from linli.disclosure import repository

    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    scope = principal_for(1, "bench-official", [("official", "22")]).scope(Permission.disclosure_supervise)
    today = repository.today()
    out = []
    for code in targets:
        times, rows = [], []
        for _ in range(RUNS + 1):  # the first run warms the cache and is not counted
            with factory() as session:
                t0 = time.perf_counter()
                rows = repository.overdue_report(session, scope, code, today)
                times.append((time.perf_counter() - t0) * 1000)
        out.append((code, len(rows), times[1:]))
        totals = [sum(r.overdue for r in rows), sum(r.late for r in rows), sum(r.unanswered for r in rows)]
        print(f"  {code}: {len(rows)} child areas; overdue {totals[0]}, late {totals[1]}, unanswered {totals[2]}")
    engine.dispose()
    return out


def plan(url: str) -> str:
    from sqlalchemy.orm import sessionmaker

    from linli.authz.permissions import Permission
    from linli.authz.principal import principal_for
    from linli.db.engine import make_engine
    from linli.disclosure import repository

    engine = make_engine(url)
    captured = []
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def grab(conn, cursor, statement, parameters, context, executemany):
        captured.append((statement, parameters))

    scope = principal_for(1, "bench-official", [("official", "22")]).scope(Permission.disclosure_supervise)
    with sessionmaker(bind=engine)() as session:
        repository.overdue_report(session, scope, "22", repository.today())
        statement, parameters = captured[-1]
        result = session.connection().exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        lines = [row[0] for row in result]
    engine.dispose()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=DEFAULT_PG_URL)
    parser.add_argument("--per-village", type=int, default=250)
    args = parser.parse_args()
    divisions = json.loads((ROOT / "src/linli/data/divisions-22.json").read_text(encoding="utf-8"))["divisions"]
    villages = sum(1 for d in divisions if d["level"] == "village")
    with scratch_database(args.pg_url, "bench_disclosure") as url:
        items, questions, seconds = fill(url, args.per_village)
        print(
            f"{villages} villages and communities; {items:,} items, {questions:,} questions ({seconds:.0f} s to fill)"
        )
        county = busiest_county(url)
        results = time_reports(url, ["22", "2201", county])
        print(f"\nThe province's report (target ≤ {TARGET_MS:.0f} ms), {RUNS} runs after one warm-up:")
        for code, n, times in results:
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            print(f"  {code:>6} by child area ({n:>3} rows): p50 {statistics.median(times):7.1f} ms, p95 {p95:7.1f} ms")
        print("\nPlan of the province's report:\n" + plan(url))


if __name__ == "__main__":
    main()
