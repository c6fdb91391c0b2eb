"""Workers killed with SIGKILL in the middle of a fan-out: after a restart every recipient has exactly one
inbox message per message, and nothing is left pending (PostgreSQL, two `linli worker` processes)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from linli.areas.repository import staff_of
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.db.session import unit_of_work
from linli.notify import outbox
from linli.notify.outbox import Subscribers
from tests import ROOT, postgres

N = 20_000
GRID = "220102001001001"


def seed_residents(session, n: int, grid: str) -> None:
    """n resident accounts opted in to warnings by inbox, written by the server (generate_series)."""
    session.execute(
        text(
            """
            INSERT INTO users (username, display_name, password_hash, is_active, locale, area_code,
                               created_at, updated_at)
            SELECT 'resident' || g, '', 'not-a-hash', true, 'zh-CN', :grid, now(), now()
            FROM generate_series(1, :n) g
            """
        ),
        {"n": n, "grid": grid},
    )
    session.execute(
        text(
            """
            INSERT INTO notify_subscriptions (user_id, area_code, channel, topic, recorded_by, created_at, updated_at)
            SELECT id, area_code, 'inbox', 'warnings', 'test', now(), now() FROM users
            WHERE username LIKE 'resident%'
            """
        )
    )


def start_worker(url: str, data_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LINLI_DATABASE_URL": url, "LINLI_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "linli.cli.main", "worker", "--once", "--batch", "200"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def check(session, ref: str) -> dict:
    """The exactly-once check: outbox rows by status, inbox messages, and recipients with ≠ 1 message."""
    statuses = dict(
        session.execute(text("SELECT status, COUNT(*) FROM outbox WHERE ref = :r GROUP BY status"), {"r": ref}).all()
    )
    inbox = session.scalar(
        text("SELECT COUNT(*) FROM inbox_messages WHERE outbox_key LIKE :p"), {"p": ref.replace("%", r"\%") + ":%"}
    )
    wrong = session.scalar(
        text(
            """
            SELECT COUNT(*) FROM outbox o
            WHERE o.ref = :r AND (SELECT COUNT(*) FROM inbox_messages i
                                  WHERE i.user_id = o.user_id AND i.outbox_key = o.key) <> 1
            """
        ),
        {"r": ref},
    )
    return {"statuses": statuses, "inbox": inbox, "recipients_without_exactly_one": wrong}


def delivered(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(text("SELECT COUNT(*) FROM inbox_messages"))


@pytest.fixture
def pg_url(backend):
    if backend != "postgresql":
        pytest.skip("several workers at once: PostgreSQL only")
    with postgres.own_database("linli_crash") as url:
        yield url


def test_sigkilled_workers_deliver_exactly_once(pg_url, tmp_path):
    engine = make_engine(pg_url)
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        seed_residents(s, N, GRID)
        r = outbox.fan_out(
            s,
            ref="warning:crash",
            kind="warning.issue",
            area_code="220102",
            content={"title": "t"},
            users=staff_of("220102"),
            subscribers=Subscribers(),
        )
    assert r.enqueued == N
    rng = random.Random(6)
    kills, done_at_kills = 0, []
    workers = [start_worker(pg_url, tmp_path), start_worker(pg_url, tmp_path)]
    try:
        while kills < 3:
            # Kill at a random moment once delivery is under way (start-up time varies with the machine's load).
            seen = delivered(engine)
            deadline = time.monotonic() + 60
            while delivered(engine) == seen and delivered(engine) < N and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.0, 0.4))
            victim = workers[rng.randrange(2)]
            if victim.poll() is None:
                victim.send_signal(signal.SIGKILL)
                victim.wait()
                kills += 1
                done_at_kills.append(delivered(engine))
            workers = [w if w.poll() is None else start_worker(pg_url, tmp_path) for w in workers]
        for w in workers:
            w.wait(timeout=120)
        # One more pass after all are gone: nothing due may be left behind.
        assert start_worker(pg_url, tmp_path).wait(timeout=60) == 0
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    with unit_of_work(factory) as s:
        result = check(s, "warning:crash")
    engine.dispose()
    assert any(0 < d < N for d in done_at_kills), done_at_kills  # killed in the middle of the fan-out
    assert result == {"statuses": {"delivered": N}, "inbox": N, "recipients_without_exactly_one": 0}
