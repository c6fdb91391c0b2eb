"""Group commit for event reports: the reports that arrive while one batch is being written are
checked and written together, in one transaction, by one writer thread per process.

A report costs a transaction: its statements, a commit that waits for the disk, and a turn at the
audit chain's head (writers take turns there). Written one per transaction, two cores managed under
200 reports a second; a batch pays those once for all its reports (`reporting.store` writes them in
one statement). There is no waiting for a batch to fill: the writer takes whatever is queued the
moment it is free, so a lone report is written at once, and under load batches grow by themselves.

Each report keeps its own answer. Its bearer token and its content are checked per report in the
batch's transaction, in the request's context (its language); a report that fails gets its own error
without touching the others. If the batch fails before its commit (a database error, a lost race for
an Idempotency-Key), nothing of it stays and every report is written again alone, in a transaction of
its own. If the COMMIT itself fails, whether it was stored is unknown, so nothing is written again and
each report gets the error. The answer comes after the commit: a 201 means stored, as without batching.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from linli.audit.service import write_pending
from linli.authz.deps import Credentials, principal_of
from linli.authz.principal import Principal
from linli.db.engine import begin_for_writing
from linli.db.session import unit_of_work
from linli.events import photos, reporting, service
from linli.events.schemas import ReportIn, ReportOut
from linli.kit.errors import DomainError

log = logging.getLogger("linli.events.intake")

Answer = tuple[dict[str, Any], bool]  # the report's JSON answer, and whether it created the event


def answer(session: Session, principal: Principal, done: reporting.Reported) -> Answer:
    """The API's answer to a report (as JSON-ready data) and whether it was new."""
    out = ReportOut(
        event=service.event_out(session, principal, done.event),
        created=done.created,
        possible_duplicates=done.duplicates,
    )
    return out.model_dump(mode="json"), done.created


def report_one(session: Session, principal: Principal, body: ReportIn, idempotency_key: str | None) -> Answer:
    """A report in the caller's transaction."""
    return answer(session, principal, reporting.report(session, principal, body, idempotency_key=idempotency_key))


def report_alone(
    factory: sessionmaker[Session], who: Principal | Credentials, body: ReportIn, idempotency_key: str | None
) -> Answer:
    """A report in a transaction of its own, its reporter's token checked in it."""
    with unit_of_work(factory) as session:
        principal = who if isinstance(who, Principal) else principal_of(session, who)
        return report_one(session, principal, body, idempotency_key)


@dataclass
class _Item:
    who: Principal | Credentials
    body: ReportIn
    idempotency_key: str | None
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future
    context: contextvars.Context = field(default_factory=contextvars.copy_context)


def _settle(future: asyncio.Future, outcome: Answer | BaseException) -> None:
    if future.done():  # the client went away; the report is stored all the same
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


class _CommitFailed(Exception):
    """The COMMIT of a batch failed: whether it was stored is unknown (the cause is chained)."""


@contextmanager
def _transaction(factory: sessionmaker[Session], connection: Connection) -> Iterator[Session]:
    """unit_of_work on the writer's connection, telling a failed COMMIT (_CommitFailed) from a failure
    before it."""
    session = factory(bind=connection)  # the session begins and commits the connection's transaction
    try:
        begin_for_writing(session)
        yield session
        session.flush()
        write_pending(session)  # the audit entries: their statements belong before the COMMIT
    except BaseException:
        session.rollback()
        session.close()
        raise
    try:
        session.commit()
    except Exception as exc:
        session.rollback()
        raise _CommitFailed() from exc
    finally:
        session.close()


class IntakeBatcher:
    """One writer thread per process, started with the first report."""

    def __init__(self, factory: sessionmaker[Session], max_batch: int = 64):
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.factory = factory
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # The writer keeps its connection while reports keep coming: a checkout from the pool costs a
        # round trip (its pre-ping) per batch. It goes back when the queue runs dry, or after an error.
        self._connection: Connection | None = None
        self.batches = 0  # written batches and reports, for the benchmark and the tests
        self.reports = 0

    async def submit(self, who: Principal | Credentials, body: ReportIn, idempotency_key: str | None) -> Answer:
        """Queue a report and wait for its answer: raises the report's error (a bad token's included), as
        `report_alone` would."""
        self._start()
        loop = asyncio.get_running_loop()
        item = _Item(who, body, idempotency_key, loop, loop.create_future())
        self._queue.put(item)
        return await item.future

    def _start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="linli-event-intake", daemon=True)
                self._thread.start()

    def close(self, timeout: float = 30.0) -> None:
        """Write what is queued, then stop the thread (the app's shutdown)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout)

    def _release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:
                connection.close()
            except Exception:  # a broken connection: the pool discards it
                log.warning("event intake: closing the writer's connection failed", exc_info=True)

    def _run(self) -> None:
        while True:
            if self._queue.empty():
                self._release()  # idle: give the connection back rather than hold it for nothing
            items, stop = self._collect()
            if items:
                try:
                    outcomes = self.write(items)
                except BaseException as exc:  # never leave a request waiting
                    log.exception("event intake: a batch of %d reports failed unexpectedly", len(items))
                    outcomes = [exc] * len(items)
                for item, outcome in zip(items, outcomes, strict=True):
                    try:
                        item.loop.call_soon_threadsafe(_settle, item.future, outcome)
                    except RuntimeError:  # its event loop has closed: nobody is waiting for this answer
                        log.warning("event intake: a report's event loop closed before its answer")
            if stop:
                self._release()
                return

    def _collect(self) -> tuple[list[_Item], bool]:
        """The next batch: whatever is queued, waiting only for the first. (Waiting a little longer
        for more, as databases' group commit may, lowered the throughput measured here: the writer
        sat idle while the requests it waited for needed the same CPU.)"""
        first = self._queue.get()
        if first is None:
            return [], True
        items = [first]
        while len(items) < self.max_batch:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                return items, True
            items.append(nxt)
        return items, False

    def write(self, items: list[_Item]) -> list[Answer | BaseException]:
        """Check and store the items in one transaction; each alone if that fails before its commit.

        A failure of the COMMIT itself (the connection lost on the way) leaves it unknown whether the
        batch was stored, so nothing is written again: each report gets the error, as it would without
        batching, and its sender may look before sending again (or resend with an Idempotency-Key)."""
        if len(items) > 1:
            try:
                if self._connection is None:
                    with self.factory() as unbound:  # no statement: only to learn the engine
                        self._connection = unbound.get_bind().connect()
                outcomes = self._together(items, self._connection)
            except _CommitFailed as failed:
                self._release()
                log.error("event intake: the commit of a batch of %d failed: %s", len(items), failed.__cause__)
                return [failed.__cause__ or failed] * len(items)
            except Exception as exc:
                self._release()  # whatever broke, the next batch starts on a fresh connection
                log.info("event intake: a batch of %d failed (%s); writing each alone", len(items), exc)
            else:
                self.batches += 1
                self.reports += len(items)
                return outcomes
        outcomes = [self._alone(item) for item in items]
        self.batches += len(items)
        self.reports += len(items)
        return outcomes

    def _together(self, items: list[_Item], connection: Connection) -> list[Answer | BaseException]:
        outcomes: list[Any] = [None] * len(items)
        principals: list[Principal | None] = [None] * len(items)
        checked: dict[Credentials, Principal] = {}  # a token is looked up once per batch
        photos_taken: set[int] = set()
        with _transaction(self.factory, connection) as session:
            drafts: list[tuple[int, reporting.Draft]] = []
            for i, item in enumerate(items):
                try:
                    principal = item.who if isinstance(item.who, Principal) else checked.get(item.who)
                    if principal is None:
                        principal = checked[item.who] = item.context.run(principal_of, session, item.who)
                    principals[i] = principal
                    found = item.context.run(
                        reporting.prepare, session, principal, item.body, idempotency_key=item.idempotency_key
                    )
                except DomainError as exc:  # this report's own problem: it reads only, nothing to undo
                    outcomes[i] = exc
                    continue
                if isinstance(found, reporting.Reported):
                    outcomes[i] = found
                    continue
                # One by one, a photo attached by an earlier report is refused; so it is within a batch.
                taken = next((p.id for p in found.pics if p.id in photos_taken), None)
                if taken is not None:
                    outcomes[i] = item.context.run(photos.unavailable, taken)
                    continue
                photos_taken.update(p.id for p in found.pics)
                drafts.append((i, found))
            reporting.with_duplicates(session, [d for _, d in drafts])
            for (i, _), done in zip(drafts, reporting.store(session, [d for _, d in drafts]), strict=True):
                outcomes[i] = done
            for i, item in enumerate(items):
                if isinstance(outcomes[i], reporting.Reported):
                    outcomes[i] = item.context.run(answer, session, principals[i], outcomes[i])
        return outcomes

    def _alone(self, item: _Item) -> Answer | BaseException:
        try:
            return item.context.run(report_alone, self.factory, item.who, item.body, item.idempotency_key)
        except Exception as exc:
            return exc
