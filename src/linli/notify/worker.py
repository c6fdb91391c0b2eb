"""The outbox worker: claims due messages, delivers them through their channel, retries with backoff.

Several workers may run at once on PostgreSQL (rows are claimed with FOR UPDATE SKIP LOCKED); on
SQLite run one. Inbox deliveries are written with their 'delivered' mark in one transaction and are
unique by outbox key: exactly once. External deliveries (e-mail, webhook) are claimed with a lease,
sent outside any transaction, and recorded after: a crash between sending and recording sends again
when the lease runs out, so they are at-least-once, with the outbox key for the receiver to drop the
repeat. The worker also runs periodic jobs handed to it (e.g. overdue escalation).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from linli.config import get_settings
from linli.db.session import unit_of_work
from linli.kit.time import utcnow
from linli.notify.channels import CHANNELS, Delivery, PermanentFailure, external_names, load_delivery
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

    def add(self, other: BatchResult) -> BatchResult:
        self.delivered += other.delivered
        self.retried += other.retried
        self.dead += other.dead
        return self


@dataclass
class Outcome:
    id: int
    error: Exception | None = None


def _due(session: Session, now: datetime, limit: int, *, external: bool) -> list[OutboxMessage]:
    names = external_names()
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .where(OutboxMessage.channel.in_(names) if external else OutboxMessage.channel.not_in(names))
        # No tie-break on id: half a million rows share one time, and sorting them all per batch is slow.
        .order_by(OutboxMessage.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt).all())


def reclaim_expired(session: Session, now: datetime) -> int:
    """Rows claimed by a worker that died (its lease ran out) become due again."""
    return (
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "sending", OutboxMessage.lease_until < now)
            .values(status="pending", lease_until=None)
        ).rowcount
        or 0
    )


def _failed(message: OutboxMessage, exc: Exception, now: datetime, result: BatchResult) -> None:
    message.attempts += 1
    message.lease_until = None
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if isinstance(exc, PermanentFailure) or message.attempts >= MAX_ATTEMPTS:
        message.status = "dead"
        result.dead += 1
        log.error("outbox message %s (%s) given up: %s", message.id, message.key, exc)
    else:
        message.status = "pending"
        message.next_attempt_at = now + backoff(message.attempts)
        result.retried += 1
        log.warning("outbox message %s failed (attempt %d): %s", message.id, message.attempts, exc)


def deliver_internal(session: Session, *, limit: int, now: datetime | None = None) -> BatchResult:
    """Deliver due messages of internal channels (the inbox) in the session's transaction."""
    now = now or utcnow()
    result = BatchResult()
    o = OutboxMessage
    names = external_names()
    # Ids and what routes them only: loading full rows as objects costs more than delivering them.
    stmt = (
        select(o.id, o.channel, o.message_id, o.user_id)
        .where(o.status == "pending", o.next_attempt_at <= now, o.channel.not_in(names))
        .order_by(o.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    batched: dict[str, list[int]] = {}
    single: list[int] = []
    for id_, name, message_id, user_id in session.execute(stmt):
        channel = CHANNELS.get(name)
        if message_id is not None and user_id is not None and hasattr(channel, "deliver_batch"):
            batched.setdefault(name, []).append(id_)
        else:
            single.append(id_)
    for name, ids in batched.items():
        delivered, dead = CHANNELS[name].deliver_batch(session, ids, now=now)  # type: ignore[attr-defined]
        result.delivered += delivered
        result.dead += dead
    for message in session.scalars(select(o).where(o.id.in_(single))) if single else ():
        channel = CHANNELS.get(message.channel)
        savepoint = session.begin_nested()
        try:
            if channel is None:
                raise PermanentFailure(f"no delivery channel named {message.channel!r}")
            channel.deliver(session, message)
            savepoint.commit()
        except Exception as exc:  # a failing delivery must not stop the others
            savepoint.rollback()
            _failed(message, exc, now, result)
            continue
        message.status = "delivered"
        message.delivered_at = now
        message.attempts += 1
        result.delivered += 1
    session.flush()
    if batched:
        session.expire_all()  # the batch changed rows behind the ORM's back
    return result


def claim_external(
    session: Session, *, limit: int, now: datetime | None = None, lease_seconds: float | None = None
) -> list[Delivery]:
    """Claim due external deliveries with a lease and read what sending them needs; commit before sending."""
    now = now or utcnow()
    lease = timedelta(seconds=lease_seconds or get_settings().worker_lease_seconds)
    claimed: list[Delivery] = []
    for message in _due(session, now, limit, external=True):
        message.status = "sending"
        message.lease_until = now + lease
        try:
            claimed.append(load_delivery(session, message))
        except Exception as exc:  # an undecryptable address: record it, do not block the batch
            _failed(message, exc, now, BatchResult())
    session.flush()
    return claimed


def send_all(deliveries: list[Delivery], *, threads: int = 8) -> list[Outcome]:
    """Send claimed deliveries (no database work here); a few at a time, as gateways are slow."""

    def one(d: Delivery) -> Outcome:
        channel = CHANNELS.get(d.channel)
        try:
            if channel is None:
                raise PermanentFailure(f"no delivery channel named {d.channel!r}")
            channel.send(d)  # type: ignore[attr-defined]
        except Exception as exc:
            return Outcome(d.id, exc)
        return Outcome(d.id)

    if len(deliveries) <= 1:
        return [one(d) for d in deliveries]
    with ThreadPoolExecutor(max_workers=min(threads, len(deliveries))) as pool:
        return list(pool.map(one, deliveries))


def record_outcomes(session: Session, outcomes: list[Outcome], *, now: datetime | None = None) -> BatchResult:
    """Mark sent deliveries delivered, failed ones for a retry with backoff (or dead after MAX_ATTEMPTS)."""
    now = now or utcnow()
    result = BatchResult()
    for o in outcomes:
        message = session.get(OutboxMessage, o.id)
        if message is None or message.status == "delivered":
            continue
        if o.error is None:
            message.status = "delivered"
            message.delivered_at = now
            message.attempts += 1
            message.lease_until = None
            result.delivered += 1
        else:
            _failed(message, o.error, now, result)
    session.flush()
    return result


def deliver_due(
    session: Session, *, limit: int = 100, now: datetime | None = None, external_limit: int = 50
) -> BatchResult:
    """Deliver up to `limit` due messages in the session's transaction (the caller commits).

    External sends happen inside this transaction here; run_worker commits the claim first instead.
    """
    now = now or utcnow()
    reclaim_expired(session, now)
    result = deliver_internal(session, limit=limit, now=now)
    claimed = claim_external(session, limit=external_limit, now=now)
    if claimed:
        result.add(record_outcomes(session, send_all(claimed), now=now))
    return result


def deliver_round(factory: sessionmaker[Session] | None, *, batch: int, external_batch: int) -> BatchResult:
    """One round: inbox rows in one transaction; external rows claimed, sent outside it, then recorded.

    No row lock is held during a network call: the claim commits (status 'sending' with a lease) before
    sending, and the outcome is written in a second short transaction.
    """
    with unit_of_work(factory) as session:
        reclaim_expired(session, utcnow())
        result = deliver_internal(session, limit=batch)
    with unit_of_work(factory) as session:
        claimed = claim_external(session, limit=external_batch)
    if claimed:
        outcomes = send_all(claimed)
        with unit_of_work(factory) as session:
            result.add(record_outcomes(session, outcomes))
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
    batch: int = 2000,
    external_batch: int = 50,
    should_stop: Callable[[], bool] = lambda: False,
) -> BatchResult:
    """Deliver until stopped (or until nothing is due, with once=True); returns the totals."""
    total = BatchResult()
    jobs = jobs or []
    while not should_stop():
        for job in jobs:
            # With once=True the jobs run on the first round only, not between every batch of a fan-out.
            if (once and job.last_run == 0.0) or (not once and time.monotonic() - job.last_run >= job.every):
                with unit_of_work(factory) as session:
                    outcome = run_job(session, job)
                job.last_run = time.monotonic()
                if outcome:
                    log.info("job %s: %s", job.name, outcome)
        r = deliver_round(factory, batch=batch, external_batch=external_batch)
        total.add(r)
        if r.handled == 0:
            if once:
                break
            time.sleep(idle_sleep)
    return total
