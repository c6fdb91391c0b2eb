#!/usr/bin/env python3
"""Benchmark: a county-wide warning fanned out to 500,000 opted-in residents and 3,000 grid workers.

Sets up a scratch PostgreSQL database with Jilin's divisions and the generated grids of one county
(南关区 220102 by default), 3,000 grid workers assigned round-robin to its grids and 500,000 resident
accounts spread over the grids, each opted in to warnings by the in-app inbox; the first 100,000 also
to notices. Then, per phase:

1. fan_out of the warning to the county: rows enqueued, seconds (enqueue + commit);
2. two `linli worker --once` processes deliver it: seconds until both are done (start-up included),
   and the check that every outbox row is delivered with exactly one inbox message;
3. a notice to the 100,000 (+ staff), delivered by two workers killed with SIGKILL three times at
   random points and restarted; the exactly-once check printed after.

Targets (issue #6): enqueue ≤ 10 s, in-app deliveries ≤ 60 s with two workers. A benchmark, not a
test: it asserts nothing.

    python bench/bench_fanout.py                  # 500,000 + 3,000
    python bench/bench_fanout.py --residents 50000 --kill-run 20000   # quicker
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import text  # noqa: E402

from _events_common import DEFAULT_PG_URL, ROOT, load_county, scratch_database  # noqa: E402


def seed(url: str, grids: list[str], workers: int, residents: int, notices: int) -> None:
    from sqlalchemy.orm import sessionmaker

    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work

    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    codes = "ARRAY[" + ",".join(f"'{g}'" for g in grids) + "]"
    with unit_of_work(factory) as s:
        for prefix, n in (("gridworker", workers), ("resident", residents)):
            s.execute(
                text(
                    f"""
                    INSERT INTO users (username, display_name, password_hash, is_active, locale, area_code,
                                       created_at, updated_at)
                    SELECT '{prefix}' || g, '', 'not-a-hash', true, 'zh-CN', ({codes})[1 + g % {len(grids)}],
                           now(), now()
                    FROM generate_series(1, :n) g
                    """
                ),
                {"n": n},
            )
        s.execute(
            text(
                """
                INSERT INTO grid_assignments (grid_code, user_id, duty, assigned_at, area_code)
                SELECT area_code, id, 'worker', now(), area_code FROM users WHERE username LIKE 'gridworker%'
                """
            )
        )
        s.execute(
            text(
                """
                INSERT INTO notify_subscriptions
                    (user_id, area_code, channel, topic, recorded_by, created_at, updated_at)
                SELECT id, area_code, 'inbox', 'warnings', 'bench', now(), now() FROM users
                WHERE username LIKE 'resident%'
                """
            )
        )
        s.execute(
            text(
                """
                INSERT INTO notify_subscriptions
                    (user_id, area_code, channel, topic, recorded_by, created_at, updated_at)
                SELECT id, area_code, 'inbox', 'notices', 'bench', now(), now() FROM users
                WHERE username LIKE 'resident%' ORDER BY id LIMIT :n
                """
            ),
            {"n": notices},
        )
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()


def worker(url: str, data_dir: str, batch: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LINLI_DATABASE_URL": url, "LINLI_DATA_DIR": data_dir}
    return subprocess.Popen(
        [sys.executable, "-m", "linli.cli.main", "worker", "--once", "--batch", str(batch)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def check(url: str, ref: str) -> dict:
    from linli.db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        statuses = dict(
            conn.execute(text("SELECT status, COUNT(*) FROM outbox WHERE ref = :r GROUP BY status"), {"r": ref}).all()
        )
        inbox = conn.scalar(text("SELECT COUNT(*) FROM inbox_messages WHERE outbox_key LIKE :p"), {"p": ref + ":%"})
        wrong = conn.scalar(
            text(
                """
                SELECT COUNT(*) FROM outbox o
                WHERE o.ref = :r AND (SELECT COUNT(*) FROM inbox_messages i WHERE i.outbox_key = o.key) <> 1
                """
            ),
            {"r": ref},
        )
    engine.dispose()
    return {"statuses": statuses, "inbox_messages": inbox, "recipients_without_exactly_one": wrong}


def inbox_count(url: str, ref: str) -> int:
    from linli.db.engine import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.scalar(text("SELECT COUNT(*) FROM inbox_messages WHERE outbox_key LIKE :p"), {"p": ref + ":%"})
    engine.dispose()
    return n


def fan(url: str, ref: str, county: str, topic: str):
    from sqlalchemy.orm import sessionmaker

    from linli.areas.repository import staff_of
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.notify import outbox
    from linli.notify.outbox import Subscribers

    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    t0 = time.perf_counter()
    with unit_of_work(factory) as s:
        r = outbox.fan_out(
            s,
            ref=ref,
            kind="warning.issue",
            area_code=county,
            content={"title": "暴雨红色预警 rainstorm warning, red", "body": "请减少外出。", "link": "/warnings/1"},
            users=staff_of(county),
            subscribers=Subscribers(topic),
        )
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    engine.dispose()
    return r, t1 - t0, t2 - t0


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--county", default="220102")
    p.add_argument("--workers", type=int, default=3000, help="grid workers")
    p.add_argument("--residents", type=int, default=500_000)
    p.add_argument("--kill-run", type=int, default=100_000, help="residents reached by the SIGKILL run")
    p.add_argument("--batch", type=int, default=2000, help="inbox deliveries per worker transaction")
    p.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    a = p.parse_args()
    data_dir = tempfile.mkdtemp(prefix="linli-bench-")
    with scratch_database(a.pg_url, "linli_bench_fanout") as url:
        t = time.perf_counter()
        grids = [g[0] for g in load_county(url, a.county)]
        seed(url, grids, a.workers, a.residents, a.kill_run)
        print(
            f"set-up: {len(grids)} grids, {a.workers:,} grid workers, {a.residents:,} residents opted in "
            f"({time.perf_counter() - t:.1f} s)"
        )

        r, enqueue_s, with_commit_s = fan(url, "warning:bench", a.county, "warnings")
        print(
            f"phase 1 fan_out: {r.enqueued:,} rows ({r.staff:,} staff, {r.subscribers:,} subscribers) "
            f"enqueued in {enqueue_s:.2f} s, committed at {with_commit_s:.2f} s"
        )

        t0 = time.perf_counter()
        procs = [worker(url, data_dir, a.batch) for _ in range(2)]
        for proc in procs:
            proc.wait()
        deliver_s = time.perf_counter() - t0
        c = check(url, "warning:bench")
        print(
            f"phase 2 deliver: two workers delivered {c['statuses'].get('delivered', 0):,} inbox messages in "
            f"{deliver_s:.1f} s ({c['statuses'].get('delivered', 0) / deliver_s:,.0f}/s, process start-up included)"
        )
        print(f"  check: {c}")

        r, enqueue_s, _ = fan(url, "notice:bench", a.county, "notices")
        print(f"phase 3 fan_out for the SIGKILL run: {r.enqueued:,} rows in {enqueue_s:.2f} s")
        rng = random.Random(6)
        procs = [worker(url, data_dir, a.batch // 4) for _ in range(2)]
        kills = []
        t0 = time.perf_counter()
        while len(kills) < 3:
            # A random moment once delivery is under way (start-up time varies with the machine's load).
            seen = inbox_count(url, "notice:bench")
            while inbox_count(url, "notice:bench") == seen and time.perf_counter() - t0 < 300:
                time.sleep(0.1)
            time.sleep(rng.uniform(0.0, 2.0))
            victim = rng.randrange(2)
            if procs[victim].poll() is None:
                procs[victim].send_signal(signal.SIGKILL)
                procs[victim].wait()
                kills.append(inbox_count(url, "notice:bench"))
            procs = [pr if pr.poll() is None else worker(url, data_dir, a.batch // 4) for pr in procs]
        for proc in procs:
            proc.wait()
        worker(url, data_dir, a.batch).wait()  # a last pass: nothing may be left behind
        print(
            f"  SIGKILLed 3 times, with {', '.join(f'{k:,}' for k in kills)} inbox messages written; "
            f"all done {time.perf_counter() - t0:.1f} s after start"
        )
        print(f"  exactly-once check: {check(url, 'notice:bench')}")


if __name__ == "__main__":
    main()
