"""The outbox worker: claims due messages, delivers them through their channel, retries with backoff.

Several workers may run at once on PostgreSQL (rows are claimed with FOR UPDATE SKIP LOCKED); on
SQLite run one. Delivery is at-least-once; channels are idempotent by the message key. The worker
also runs periodic jobs handed to it (e.g. overdue escalation).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from linli.db.session import unit_of_work
from linli.kit.time import utcnow
from linli.notify.channels import CHANNELS, PermanentFailure
from linli.notify.models import OutboxMessage

log = logging.getLogger("linli.worker")

MAX_ATTEMPTS = 8
BASE_DELAY = 30.0  # seconds; doubles on each failure
MAX_DELAY = 6 * 3600.0


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failures: 30 s, 60 s, 2 min, … capped at 6 h."""
    return timedelta(seconds=min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1)))


@dataclass
class BatchResult:
    delivered: int = 0
    retried: int = 0
    dead: int = 0

    @property
    def handled(self) -> int:
        return self.delivered + self.retried + self.dead


def deliver_due(session: Session, *, limit: int = 100, now: datetime | None = None) -> BatchResult:
    """Deliver up to `limit` due messages in the session's transaction (the caller commits)."""
    now = now or utcnow()
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    result = BatchResult()
    for message in session.scalars(stmt).all():
        channel = CHANNELS.get(message.channel)
        savepoint = session.begin_nested()
        try:
            if channel is None:
                raise PermanentFailure(f"no delivery channel named {message.channel!r}")
            channel.deliver(session, message)
            savepoint.commit()
        except Exception as exc:  # a failing delivery must not stop the others
            savepoint.rollback()
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if isinstance(exc, PermanentFailure) or message.attempts >= MAX_ATTEMPTS:
                message.status = "dead"
                result.dead += 1
                log.error("outbox message %s (%s) given up: %s", message.id, message.key, exc)
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                result.retried += 1
                log.warning("outbox message %s failed (attempt %d): %s", message.id, message.attempts, exc)
            continue
        message.status = "delivered"
        message.delivered_at = now
        message.attempts += 1
        result.delivered += 1
    session.flush()
    return result


@dataclass
class PeriodicJob:
    """A job run every `every` seconds by one worker at a time (a PostgreSQL advisory lock elects it)."""

    name: str
    every: float
    run: Callable[[Session], object]
    lock_id: int
    last_run: float = field(default=0.0)


def run_job(session: Session, job: PeriodicJob) -> object | None:
    if session.get_bind().dialect.name == "postgresql" and not session.scalar(
        text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": job.lock_id}
    ):
        return None  # another worker runs it right now
    return job.run(session)


def run_worker(
    factory: sessionmaker[Session] | None = None,
    *,
    jobs: list[PeriodicJob] | None = None,
    once: bool = False,
    idle_sleep: float = 1.0,
    batch: int = 100,
    should_stop: Callable[[], bool] = lambda: False,
) -> BatchResult:
    """Deliver until stopped (or until nothing is due, with once=True); returns the totals."""
    total = BatchResult()
    jobs = jobs or []
    while not should_stop():
        for job in jobs:
            if once or time.monotonic() - job.last_run >= job.every:
                with unit_of_work(factory) as session:
                    outcome = run_job(session, job)
                job.last_run = time.monotonic()
                if outcome:
                    log.info("job %s: %s", job.name, outcome)
        with unit_of_work(factory) as session:
            r = deliver_due(session, limit=batch)
        total.delivered += r.delivered
        total.retried += r.retried
        total.dead += r.dead
        if r.handled == 0:
            if once:
                break
            time.sleep(idle_sleep)
    return total
