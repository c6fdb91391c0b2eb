"""Event intake in batches (group commit): `reporting.store` of several drafts in one transaction, the
`IntakeBatcher` against a database of the test's own (its writer thread opens its own transactions),
errors and Idempotency-Keys per report within a batch, the fallback to one report per transaction
when a batch fails, `close()` writing what is queued, and POST /api/v1/events with batching on and off.

A batch is made deterministic, not timed: the writer's first batch (one report) is held until the
others are queued, so they are all written in the next one.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
import threading
from contextlib import ExitStack
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from linli.app import create_app
from linli.audit.models import AuditEntry
from linli.audit.service import verify_chain
from linli.authn.models import User
from linli.authz.deps import Credentials
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.db.session import unit_of_work
from linli.events import photos, reporting
from linli.events.catalog import add_member, ensure_dispatch_desk
from linli.events.intake import IntakeBatcher, _Item, report_alone
from linli.events.models import Event, EventCount, EventLog, EventPhoto
from linli.events.schemas import ReportIn
from linli.kit.errors import Forbidden, InvalidInput, Unauthenticated
from linli.notify.models import OutboxMessage
from tests import postgres
from tests.backends import once_per_backend
from tests.factories import SYSTEM, auth, run_apart, token_for
from tests.factories_events import GRID, as_principal, events_world, image_bytes

REPORT = Permission.events_report


# --- the world ----------------------------------------------------------------------------------------------


def intake_world(session: Session) -> dict:
    """events_world, with the grid's dispatch desk (the community worker its member, told of every
    report) and tokens for a resident, a neighbour and an auditor (who may not report)."""
    w = events_world(session)
    desk = ensure_dispatch_desk(session, GRID)
    add_member(session, SYSTEM, desk.id, w["people"]["community"].id)
    tokens = {k: token_for(session, w["people"][k]) for k in ("resident", "neighbour", "auditor")}
    return {
        "point": w["point"],
        "sibling_point": w["sibling_point"],
        "ids": {k: u.id for k, u in w["people"].items()},
        "tokens": tokens,
        "desk_id": desk.id,
    }


def body(point, *, category: str = "0301", title: str = "垃圾堆积") -> ReportIn:
    return ReportIn(category_code=category, title=title, lon=point[0], lat=point[1])


def count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


# --- a database of the test's own ---------------------------------------------------------------------------


def _build_template(stack: ExitStack, backend: str, tmp_path_factory) -> dict:
    from linli.config import get_settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LINLI_DATA_DIR", str(tmp_path_factory.mktemp("intake-data")))
        get_settings.cache_clear()
        path = None
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("intake") / "template.db"
            url = f"sqlite:///{path}"
        else:
            url = stack.enter_context(postgres.own_database("linli_test_intake"))
        engine = make_engine(url)
        upgrade(engine)
        with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as s:
            world = intake_world(s)
        engine.dispose()  # no connection left: the file is complete, the database usable as a template
    get_settings.cache_clear()
    return {"backend": backend, "url": url, "path": path, "world": world}


@pytest.fixture(scope="module")
def _templates(tmp_path_factory):
    """Each backend's template, built at its first use and kept for the module (tests/backends.py)."""
    with once_per_backend(lambda stack, backend: _build_template(stack, backend, tmp_path_factory)) as get:
        yield get


@pytest.fixture
def template(backend, _templates):
    """A migrated database with the intake world committed, built once per backend: each test gets a
    copy (a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL)."""
    return _templates(backend)


@dataclass
class Own:
    factory: sessionmaker[Session]
    world: dict

    def principal(self, who: str) -> Principal:
        with unit_of_work(self.factory, writes=False) as s:
            return as_principal(s, s.get(User, self.world["ids"][who]))

    def token(self, who: str) -> Credentials:
        return Credentials(self.world["tokens"][who], REPORT)


@pytest.fixture
def own(template, tmp_path):
    """A copy of the template: an engine-bound session factory whose transactions really commit."""
    with ExitStack() as stack:
        if template["backend"] == "sqlite":
            path = tmp_path / "own.db"
            shutil.copyfile(template["path"], path)
            url = f"sqlite:///{path}"
        else:
            name = postgres.database_name(template["url"])
            url = stack.enter_context(postgres.own_database("linli_test_intake", template=name))
        engine = make_engine(url)
        stack.callback(engine.dispose)
        yield Own(sessionmaker(bind=engine, expire_on_commit=False), template["world"])


# --- holding the writer -------------------------------------------------------------------------------------


class HeldWriter:
    """Wraps a batcher's `write`: notes each batch's size and holds the first batch until `release` is
    set, so that the reports submitted meanwhile queue up and are written together."""

    def __init__(self, monkeypatch, batcher: IntakeBatcher, release: threading.Event | None = None):
        self.sizes: list[int] = []
        self.entered = threading.Event()
        self.release = release or threading.Event()
        self.thread: threading.Thread | None = None
        original = batcher.write

        def write(items):
            self.sizes.append(len(items))
            if len(self.sizes) == 1:
                self.thread = threading.current_thread()
                self.entered.set()
                assert self.release.wait(10), "the held batch was never released"
            return original(items)

        monkeypatch.setattr(batcher, "write", write)


async def _in_one_batch(batcher: IntakeBatcher, held: HeldWriter, first, rest, *, then=None):
    plug = asyncio.ensure_future(batcher.submit(*first))
    assert await asyncio.to_thread(held.entered.wait, 10)  # the writer holds `first`, alone
    tasks = [asyncio.ensure_future(batcher.submit(*r)) for r in rest]
    await asyncio.sleep(0)  # every task ran up to its await: all of `rest` is queued
    closing = asyncio.ensure_future(asyncio.to_thread(then)) if then else None
    if closing is None:
        held.release.set()
    outcomes = await asyncio.wait_for(asyncio.gather(plug, *tasks, return_exceptions=True), 10)
    if closing is not None:
        await closing
    return outcomes


def in_one_batch(batcher: IntakeBatcher, held: HeldWriter, first, rest, *, then=None) -> list:
    """Submit `first`, and once the writer holds it, all of `rest`; release; every outcome, in order
    (an answer or the report's exception). `then`: called in a thread instead of releasing."""
    return run_apart(_in_one_batch(batcher, held, first, rest, then=then))


def ids_of(outcomes) -> list[int]:
    return [content["event"]["id"] for content, _ in outcomes]


# --- store --------------------------------------------------------------------------------------------------


def reported_count(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.sum(EventCount.n), 0)).where(EventCount.state == "reported"))


def test_store_writes_several_drafts_in_one_transaction(session):
    w = intake_world(session)
    session.commit()
    resident = as_principal(session, session.get(User, w["ids"]["resident"]))
    counted = reported_count(session)
    drafts = [reporting.prepare(session, resident, body(w["point"], title=f"垃圾堆积 {i}")) for i in range(5)]
    assert all(isinstance(d, reporting.Draft) for d in drafts)
    reporting.with_duplicates(session, drafts)
    done = reporting.store(session, drafts)
    session.commit()

    assert [d.created for d in done] == [True] * 5
    ids = [d.event.id for d in done]
    assert len(set(ids)) == 5
    titles = dict(session.execute(select(Event.id, Event.title).where(Event.id.in_(ids))).all())
    assert titles == {d.event.id: f"垃圾堆积 {i}" for i, d in enumerate(done)}
    log = session.execute(select(EventLog.event_id, EventLog.action).where(EventLog.event_id.in_(ids))).all()
    assert sorted(log) == sorted((i, "report") for i in ids)
    # The desk's member hears of each report (the reporter is not told what they just did).
    told = session.execute(
        select(OutboxMessage.kind, OutboxMessage.recipient, OutboxMessage.key).where(
            OutboxMessage.kind == "event.report"
        )
    ).all()
    assert {(k, r) for k, r, _ in told} == {("event.report", f"user:{w['ids']['community']}")}
    assert sorted(int(key.split(":")[1]) for _, _, key in told) == sorted(ids)
    assert reported_count(session) == counted + 5
    audited = session.scalars(
        select(AuditEntry.entity_id).where(AuditEntry.entity_type == "event", AuditEntry.action == "event.report")
    ).all()
    assert sorted(audited) == sorted(str(i) for i in ids)
    assert verify_chain(session).problems == []


def test_store_gives_one_event_for_the_same_key_twice(session):
    w = intake_world(session)
    session.commit()
    resident = as_principal(session, session.get(User, w["ids"]["resident"]))
    first, second = (reporting.prepare(session, resident, body(w["point"]), idempotency_key="k-1") for _ in range(2))
    other = reporting.prepare(session, resident, body(w["point"]), idempotency_key="k-2")
    assert isinstance(first, reporting.Draft) and isinstance(second, reporting.Draft)  # nothing stored yet
    done = reporting.store(session, [first, other, second])
    session.commit()

    assert [d.created for d in done] == [True, True, False]
    assert done[2].event.id == done[0].event.id != done[1].event.id
    assert count(session, Event, Event.idempotency_key == "k-1") == 1
    assert count(session, EventLog, EventLog.event_id == done[0].event.id) == 1
    assert verify_chain(session).problems == []


# --- the batcher --------------------------------------------------------------------------------------------


def test_concurrent_reports_are_written_in_batches(own, monkeypatch):
    batcher = IntakeBatcher(own.factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    resident, neighbour = own.principal("resident"), own.token("neighbour")
    reports = [(resident if i % 2 else neighbour, body(own.world["point"], title=f"第{i}处"), None) for i in range(40)]
    try:
        outcomes = in_one_batch(batcher, held, reports[0], reports[1:])
    finally:
        batcher.close()

    assert held.sizes == [1, 39]
    assert (batcher.batches, batcher.reports) == (2, 40)
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert [created for _, created in outcomes] == [True] * 40
    assert all(content["created"] is True and content["event"]["state"] == "reported" for content, _ in outcomes)
    assert len(set(ids_of(outcomes))) == 40
    with unit_of_work(own.factory) as s:
        titles = dict(s.execute(select(Event.id, Event.title)).all())
        assert titles == {content["event"]["id"]: f"第{i}处" for i, (content, _) in enumerate(outcomes)}
        assert count(s, EventLog, EventLog.action == "report") == 40
        assert count(s, AuditEntry, AuditEntry.entity_type == "event") == 40
        reporters = dict(s.execute(select(Event.title, Event.reporter_id)).all())
        assert reporters["第1处"] == own.world["ids"]["resident"]
        assert reporters["第0处"] == own.world["ids"]["neighbour"]
        assert verify_chain(s).problems == []


# --- errors stay per report ---------------------------------------------------------------------------------


def test_each_report_of_a_batch_gets_its_own_error(own, monkeypatch):
    batcher = IntakeBatcher(own.factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    resident, point = own.principal("resident"), own.world["point"]
    rest = [
        (resident, body(point, title="好的一"), None),
        (resident, body(point, category="9999"), None),
        (resident, body((0.0, 0.0)), None),
        (resident, body(own.world["sibling_point"]), None),  # out of the resident's areas: reads like nowhere
        (Credentials("not-a-token", REPORT), body(point), None),
        (own.token("auditor"), body(point), None),
        (own.token("neighbour"), body(point, title="好的二"), None),
    ]
    try:
        outcomes = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), rest)
    finally:
        batcher.close()

    assert held.sizes == [1, 7]
    assert (batcher.batches, batcher.reports) == (2, 8)  # the errors did not send the batch one by one
    plug, good1, category, nowhere, elsewhere, bad_token, auditor, good2 = outcomes
    assert plug[1] is True and good1[1] is True and good2[1] is True
    assert type(category) is InvalidInput and category.code == "unknown_category"
    assert type(nowhere) is InvalidInput and nowhere.code == "outside_service_area"
    assert type(elsewhere) is InvalidInput and elsewhere.code == "outside_service_area"
    assert type(bad_token) is Unauthenticated and bad_token.code == "invalid_token"
    assert type(auditor) is Forbidden
    with unit_of_work(own.factory) as s:
        stored = sorted(s.scalars(select(Event.title)))
        assert stored == sorted(["先到", "好的一", "好的二"])
        assert sorted(ids_of([plug, good1, good2])) == sorted(s.scalars(select(Event.id)))
        assert count(s, AuditEntry, AuditEntry.entity_type == "event") == 3
        assert verify_chain(s).problems == []


# --- a failed batch: one by one -----------------------------------------------------------------------------


def test_a_failed_batch_is_written_one_report_at_a_time(own, monkeypatch):
    original = reporting.store
    refused: list[int] = []

    def store(session, drafts):
        if len(drafts) > 1:
            refused.append(len(drafts))
            raise OperationalError("INSERT INTO events …", {}, Exception("the batch fails (test)"))
        return original(session, drafts)

    monkeypatch.setattr(reporting, "store", store)  # the intake calls reporting.store
    batcher = IntakeBatcher(own.factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    resident, point = own.principal("resident"), own.world["point"]
    rest = [
        (resident, body(point, title="一"), None),
        (own.token("neighbour"), body(point, title="二"), None),
        (resident, body(point, title="三"), "again"),
        (own.token("resident"), body(point, title="三"), "again"),  # the same reporter and key
        (resident, body(point, category="9999"), None),
    ]
    try:
        outcomes = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), rest)
    finally:
        batcher.close()

    assert refused == [4]  # the batch was tried, and failed, before each was written alone
    assert held.sizes == [1, 5]
    assert (batcher.batches, batcher.reports) == (6, 6)
    plug, one, two, three, three_again, bad = outcomes
    assert [o[1] for o in (plug, one, two, three)] == [True] * 4
    assert three_again[1] is False and three_again[0]["event"]["id"] == three[0]["event"]["id"]
    assert type(bad) is InvalidInput and bad.code == "unknown_category"
    with unit_of_work(own.factory) as s:
        assert sorted(s.scalars(select(Event.title))) == sorted(["先到", "一", "二", "三"])
        assert sorted(s.scalars(select(Event.id))) == sorted(ids_of([plug, one, two, three]))
        assert count(s, EventLog) == 4
        assert count(s, AuditEntry, AuditEntry.entity_type == "event") == 4
        assert verify_chain(s).problems == []


def test_reports_of_one_batch_see_each_other_as_possible_duplicates(own, monkeypatch):
    """One by one, the second of two reports at one place is offered the first as a possible duplicate;
    written together, it still is."""
    batcher = IntakeBatcher(own.factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    resident, point = own.principal("resident"), own.world["point"]
    rest = [(resident, body(point, title="甲"), None), (resident, body(point, title="乙"), None)]
    try:
        _, first, second = in_one_batch(batcher, held, (resident, body(point, category="0101"), None), rest)
    finally:
        batcher.close()
    assert held.sizes == [1, 2]
    assert first[0]["possible_duplicates"] == []
    assert [d["id"] for d in second[0]["possible_duplicates"]] == [first[0]["event"]["id"]]


def test_a_failed_commit_is_not_written_again(own, monkeypatch):
    """A batch whose COMMIT fails may or may not be stored (a connection lost on the way): writing its
    reports again could store them twice, so each gets the error instead, as without batching."""
    from sqlalchemy.orm import Session as OrmSession

    original_commit = OrmSession.commit
    failed: list[int] = []

    def commit(session):
        if session.info.get("linli.test.fail_commit"):
            failed.append(1)
            raise OperationalError("COMMIT", {}, Exception("connection lost (test)"))
        return original_commit(session)

    factory = own.factory

    def failing_factory(**kw):
        session = factory(**kw)
        session.info["linli.test.fail_commit"] = True
        return session

    batcher = IntakeBatcher(failing_factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    resident, point = own.principal("resident"), own.world["point"]
    rest = [(resident, body(point, title=f"提交{i}"), None) for i in range(3)]
    monkeypatch.setattr(OrmSession, "commit", commit)
    try:
        outcomes = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), rest)
    finally:
        batcher.close()
        monkeypatch.setattr(OrmSession, "commit", original_commit)

    assert held.sizes == [1, 3]
    assert len(failed) == 2  # the lone first report's commit, then the batch's: nothing tried again
    assert all(type(o) is OperationalError for o in outcomes)
    with unit_of_work(factory) as s:
        assert count(s, Event) == 0


def test_a_key_stored_meanwhile_undoes_the_batch_and_each_is_written_alone(backend, own, monkeypatch):
    """Another transaction stores the same reporter's Idempotency-Key between the batch's checks and its
    writes: the batch is undone and each report written alone, the keyed one answered with the other's
    event. (SQLite: writers take turns, BEGIN IMMEDIATE; the batch holds the lock, no such race.)"""
    if backend != "postgresql":
        pytest.skip("a race between writers: PostgreSQL only")
    resident, point = own.principal("resident"), own.world["point"]
    original, raced = reporting.with_duplicates, []

    def with_duplicates(session, drafts):
        if len(drafts) > 1 and not raced:  # the batch has checked its reports: now the other one commits
            raced.append(report_alone(own.factory, resident, body(point, title="抢先"), "race"))
        return original(session, drafts)

    monkeypatch.setattr(reporting, "with_duplicates", with_duplicates)
    batcher = IntakeBatcher(own.factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    rest = [(resident, body(point, title="一"), None), (own.token("resident"), body(point, title="二"), "race")]
    try:
        plug, one, keyed = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), rest)
    finally:
        batcher.close()

    [(winner, _)] = raced
    assert held.sizes == [1, 2]
    assert (batcher.batches, batcher.reports) == (3, 3)  # the batch of two was written again, alone
    assert plug[1] is True and one[1] is True
    assert keyed[1] is False and keyed[0]["event"]["id"] == winner["event"]["id"]
    with unit_of_work(own.factory) as s:
        assert sorted(s.scalars(select(Event.title))) == sorted(["先到", "抢先", "一"])
        assert count(s, EventLog) == 3
        assert verify_chain(s).problems == []


# --- Idempotency-Key through the batcher --------------------------------------------------------------------


def test_the_same_key_twice_in_a_batch_and_later_gives_one_event(own, monkeypatch):
    batcher = IntakeBatcher(own.factory, 64)
    resident, point = own.principal("resident"), own.world["point"]
    key = "report-42"
    held = HeldWriter(monkeypatch, batcher)
    twice = [(resident, body(point), key), (own.token("resident"), body(point), key)]
    try:
        plug, first, second = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), twice)
        assert held.sizes == [1, 2]
        assert (batcher.batches, batcher.reports) == (2, 3)  # not undone and written one by one
        assert (first[1], second[1]) == (True, False)
        event_id = first[0]["event"]["id"]
        assert second[0]["event"]["id"] == event_id and second[0]["created"] is False

        # Later, alone: the first report's event again.
        content, created = run_apart(batcher.submit(resident, body(point), key))
        assert created is False and content["event"]["id"] == event_id
        # Later, in a batch with a new report: the key is found while checking.
        held = HeldWriter(monkeypatch, batcher)
        again = [(own.token("resident"), body(point), key), (resident, body(point, title="新的"), None)]
        _, repeated, new = in_one_batch(batcher, held, (resident, body(point, title="又到"), None), again)
        assert held.sizes == [1, 2]
        assert (batcher.batches, batcher.reports) == (5, 7)
        assert repeated[1] is False and repeated[0]["event"]["id"] == event_id
        assert new[1] is True
    finally:
        batcher.close()

    with unit_of_work(own.factory) as s:
        assert count(s, Event, Event.idempotency_key == key) == 1
        assert count(s, EventLog, EventLog.event_id == event_id) == 1
        assert count(s, Event) == 4  # 先到, the keyed one, 又到, 新的
        assert verify_chain(s).problems == []


def test_a_photo_is_attached_to_one_report_of_a_batch(own, monkeypatch):
    """A photo goes with one report only: one by one, a second report with it is refused (unknown_photo),
    and so it is within a batch, where both reports read the photo unattached before either is stored."""
    resident, point = own.principal("resident"), own.world["point"]
    with unit_of_work(own.factory) as s:
        photo_id = photos.upload(s, resident, image_bytes()).id
    with_photo = ReportIn(category_code="0301", title="有照片", lon=point[0], lat=point[1], photo_ids=[photo_id])
    batcher = IntakeBatcher(own.factory, 64)
    held = HeldWriter(monkeypatch, batcher)
    twice = [(resident, with_photo, None), (own.token("resident"), with_photo, None)]
    try:
        _, first, second = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), twice)
    finally:
        batcher.close()

    assert held.sizes == [1, 2]
    assert first[1] is True
    with unit_of_work(own.factory) as s:
        assert s.get(EventPhoto, photo_id).event_id == first[0]["event"]["id"]
    assert type(second) is InvalidInput and second.code == "unknown_photo"


# --- close() ------------------------------------------------------------------------------------------------


class StopNotingQueue(queue.SimpleQueue):
    """The batcher's queue, noting when close() queues the writer's stop."""

    def __init__(self):
        super().__init__()
        self.stop_queued = threading.Event()

    def put(self, item, block=True, timeout=None):
        super().put(item, block, timeout)
        if item is None:
            self.stop_queued.set()


def test_the_writer_keeps_its_connection_while_batches_follow(own, monkeypatch):
    """A pooled checkout costs a round trip (its pre-ping): back-to-back batches share the writer's
    connection; a failed batch gives it back (the next starts afresh), and so does an idle writer."""
    engine = own.factory.kw["bind"]
    batcher = IntakeBatcher(own.factory, 64)
    resident, point = own.principal("resident"), own.world["point"]
    checkouts: list[int] = []
    listener = lambda *_: checkouts.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    loop = asyncio.new_event_loop()  # write() answers by its return value; the futures stay unused

    def batch(*titles):
        return batcher.write([_Item(resident, body(point, title=t), None, loop, loop.create_future()) for t in titles])

    try:
        assert [o[1] for o in batch("一", "二")] == [True, True]
        assert (len(checkouts), engine.pool.checkedout()) == (1, 1)  # kept after the batch
        assert [o[1] for o in batch("三", "四")] == [True, True]
        assert (len(checkouts), engine.pool.checkedout()) == (1, 1)  # the same connection again

        original = reporting.store

        def store(session, drafts):
            if len(drafts) > 1:
                raise OperationalError("INSERT INTO events …", {}, Exception("the batch fails (test)"))
            return original(session, drafts)

        monkeypatch.setattr(reporting, "store", store)
        assert [o[1] for o in batch("五", "六")] == [True, True]  # written alone, each
        assert engine.pool.checkedout() == 0  # the failed batch's connection went back
        monkeypatch.setattr(reporting, "store", original)
        before = len(checkouts)
        assert [o[1] for o in batch("七", "八")] == [True, True]
        assert (len(checkouts) - before, engine.pool.checkedout()) == (1, 1)  # a fresh one

        # Through the writer thread: once the queue has run dry, the connection goes back to the pool.
        run_apart(batcher.submit(resident, body(point, title="九"), None))
        for _ in range(500):
            if engine.pool.checkedout() == 0:
                break
            threading.Event().wait(0.01)
        assert engine.pool.checkedout() == 0
    finally:
        batcher.close()
        loop.close()
        event.remove(engine, "checkout", listener)
    with unit_of_work(own.factory) as s:
        assert count(s, Event) == 9
        assert verify_chain(s).problems == []


def test_close_writes_what_is_queued(own, monkeypatch):
    batcher = IntakeBatcher(own.factory, 64)
    q = StopNotingQueue()
    monkeypatch.setattr(batcher, "_queue", q)
    held = HeldWriter(monkeypatch, batcher, release=q.stop_queued)  # held until close() asks it to stop
    resident, point = own.principal("resident"), own.world["point"]
    rest = [(resident, body(point, title=f"关闭前{i}"), None) for i in range(5)]
    outcomes = in_one_batch(batcher, held, (resident, body(point, title="先到"), None), rest, then=batcher.close)

    assert held.sizes == [1, 5]  # the five were queued behind the first when close() was called
    assert [o[1] for o in outcomes] == [True] * 6, outcomes
    assert not held.thread.is_alive()
    with unit_of_work(own.factory) as s:
        assert sorted(s.scalars(select(Event.title))) == sorted(["先到", *(f"关闭前{i}" for i in range(5))])
        assert verify_chain(s).problems == []


# --- the API, with batching on and off ----------------------------------------------------------------------


def api_cases(client: TestClient, world: dict) -> list:
    """The answers to a set of reports: status and error code (or created) of each."""
    lon, lat = world["point"]
    good = {"category_code": "0301", "title": "垃圾堆积", "lon": lon, "lat": lat}
    resident = auth(world["tokens"]["resident"])
    post = client.post
    first = post("/api/v1/events", json=good, headers={**resident, "Idempotency-Key": "api-1"})
    again = post("/api/v1/events", json=good, headers={**resident, "Idempotency-Key": "api-1"})
    assert first.status_code == 201, first.text
    assert again.json()["event"]["id"] == first.json()["event"]["id"]
    failures = [
        post("/api/v1/events", json=good),
        post("/api/v1/events", json=good, headers={"Authorization": "Basic xyz"}),
        post("/api/v1/events", json=good, headers=auth("not-a-token")),
        post("/api/v1/events", json=good, headers=auth(world["tokens"]["auditor"])),
        post("/api/v1/events", json={**good, "category_code": "9999"}, headers=resident),
    ]
    return [
        (first.status_code, first.json()["created"]),
        (again.status_code, again.json()["created"]),
        *((r.status_code, r.json()["error"]["code"]) for r in failures),
    ]


EXPECTED = [
    (201, True),
    (200, False),
    (401, "unauthenticated"),
    (401, "invalid_token"),
    (401, "invalid_token"),
    (403, "forbidden"),
    (422, "unknown_category"),
]


def test_api_with_batching_on(own):
    """An app of its own database with a batcher; its shutdown closes the batcher."""
    app = create_app(own.factory, intake_batch=64)
    batcher = app.state.intake
    assert isinstance(batcher, IntakeBatcher)
    with TestClient(app) as client:
        assert api_cases(client, own.world) == EXPECTED
    assert batcher.reports == 5  # the reports with a bearer token; the other two were refused at the door
    assert batcher._thread is None  # closed by the app's shutdown
    with unit_of_work(own.factory) as s:
        assert count(s, Event) == 1  # nothing stored for the failures
        assert count(s, AuditEntry, AuditEntry.entity_type == "event") == 1


def test_api_without_batching_answers_the_same(session, client):
    """The test suite's app (batching off: a report in a transaction of its own) answers alike."""
    world = intake_world(session)
    session.commit()
    assert client.app.state.intake is None
    assert api_cases(client, world) == EXPECTED
    assert count(session, Event) == 1
