"""Concurrent writers on the embedded SQLite default: no "database is locked", no broken audit chain."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from linli.app import create_app
from linli.audit.service import record, verify_chain
from linli.authz.principal import system_principal
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.db.session import unit_of_work
from tests import postgres
from tests.factories import auth, load_world, make_user, token_for


def test_parallel_writes_on_sqlite_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        load_world(s)
        admin = make_user(s, "admin_c", "admin", "220102")
        secret = token_for(s, admin)
    app = create_app(session_factory=factory)

    def create(i: int) -> int:
        with TestClient(app) as c:
            r = c.post(
                "/api/v1/users", json={"username": f"user{i:03d}", "area_code": "220102001001"}, headers=auth(secret)
            )
            return r.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(create, range(40)))
    assert statuses == [201] * 40
    with unit_of_work(factory) as s:
        result = verify_chain(s)
        count, problems = result.count, result.problems
    assert problems == [] and count > 40
    engine.dispose()


@contextmanager
def own_postgresql_database():
    """A migrated PostgreSQL database of the test's own (these tests commit), dropped afterwards."""
    with postgres.own_database("linli_test_audit") as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            yield sessionmaker(bind=engine, expire_on_commit=False)
        finally:
            engine.dispose()


def test_parallel_audit_writers_on_postgresql_keep_one_chain():
    """Entries are chained at commit under the head row's lock: writers in parallel, rollbacks and
    rolled-back savepoints leave one gap-free chain holding exactly the committed entries."""
    actor = system_principal("test")
    with own_postgresql_database() as factory:

        def write(worker: int) -> int:
            kept = 0
            for i in range(20):
                s = factory()
                try:
                    record(s, actor, "test.write", "thing", f"{worker}-{i}", "220102")
                    nested = s.begin_nested()
                    record(s, actor, "test.dropped", "thing", f"{worker}-{i}", "220102")
                    nested.rollback()
                    if i % 5 == 4:
                        s.rollback()  # a failed request: its entries never enter the chain
                    else:
                        s.commit()
                        kept += 1
                finally:
                    s.close()
            return kept

        with ThreadPoolExecutor(6) as pool:
            committed = sum(pool.map(write, range(6)))
        with unit_of_work(factory) as s:
            result = verify_chain(s)
            actions = {a for (a,) in s.execute(text("SELECT DISTINCT action FROM audit_log"))}
        assert committed == 6 * 16
        assert result.problems == [] and result.count == committed == result.head_seq
        assert actions == {"test.write"}


def test_a_transaction_that_chains_twice_does_not_deadlock_with_a_waiting_writer():
    """A reads the log mid-transaction (its entries are chained then) and records more; B waits for
    the head meanwhile. A must be able to chain again and commit, then B."""
    actor = system_principal("test")
    with own_postgresql_database() as factory:
        a_holds_head, b_started = threading.Event(), threading.Event()

        def writer_a() -> None:
            with unit_of_work(factory) as s:
                record(s, actor, "a.first", "thing", 1, "220102")
                verify_chain(s)  # reading the log chains A's entry: A now holds the head row
                a_holds_head.set()
                b_started.wait(10)
                time.sleep(0.3)  # B is waiting for the head row now
                record(s, actor, "a.second", "thing", 2, "220102")

        def writer_b() -> None:
            a_holds_head.wait(10)
            with unit_of_work(factory) as s:
                s.execute(text("SET LOCAL lock_timeout = '10s'"))  # a deadlock fails the test, not hangs it
                record(s, actor, "b", "thing", 3, "220102")
                b_started.set()

        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(writer_a), pool.submit(writer_b)]
            for f in futures:
                f.result(timeout=30)
        with unit_of_work(factory) as s:
            result = verify_chain(s)
            actions = [a for (a,) in s.execute(text("SELECT action FROM audit_log ORDER BY seq"))]
        assert result.problems == [] and actions == ["a.first", "a.second", "b"]
