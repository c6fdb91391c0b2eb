"""SQLite under concurrent requests: reads that record, and API tokens' last use, never "database is locked".

These tests use a SQLite file of their own with real commits and one connection per thread (the
usual fixtures share one connection and roll back), so they run once, whatever --db says.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from linli.app import create_app
from linli.audit.models import AuditEntry
from linli.authn.models import ApiToken, User
from linli.authz import deps
from linli.authz.deps import token_principal
from linli.authz.token_uses import TokenUses
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.db.session import unit_of_work
from linli.residents.models import Person
from tests.factories import auth, load_world, make_user, token_for
from tests.factories_residents import make_family, make_grids

THREADS = 6


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """An empty database with the migrations applied, copied by each test."""
    path = tmp_path_factory.mktemp("concurrency") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def db(migrated, tmp_path):
    shutil.copy(migrated, tmp_path / "linli.db")
    engine = make_engine(f"sqlite:///{tmp_path / 'linli.db'}")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as session:
        load_world(session)
        tokens = [token_for(session, make_user(session, f"exporter{i}", "admin", "22")) for i in range(THREADS)]
    yield factory, tokens
    engine.dispose()


def test_concurrent_exports_of_the_register_all_succeed(db, monkeypatch):
    """Six exports at once, each audited (a write): as reads that upgraded to writers, all but the first
    to commit failed with "database is locked" (500)."""
    factory, tokens = db
    with unit_of_work(factory) as session:
        make_grids(session)
        for surname in "赵钱孙李周吴郑王冯陈褚卫":
            make_family(session, surname=surname)
        n_present = session.scalar(select(func.count()).select_from(Person).where(Person.status == "present"))
    monkeypatch.setattr(deps, "TOKEN_USES", TokenUses(every=3600))
    app = create_app(session_factory=factory)
    start = threading.Barrier(THREADS)
    statuses: Counter[int] = Counter()
    errors = []

    def export(token: str) -> None:
        client = TestClient(app, raise_server_exceptions=False)
        start.wait()
        for _ in range(3):
            r = client.get("/api/v1/areas/220102001/residents.xlsx", headers=auth(token))
            statuses[r.status_code] += 1
            if r.status_code != 200:
                errors.append(r.text[:200])

    threads = [threading.Thread(target=export, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == Counter({200: THREADS * 3}), errors
    # Each export is in the audit log, with how many it held; the request's own transaction only read.
    with unit_of_work(factory, writes=False) as session:
        entries = session.execute(
            select(AuditEntry.action, AuditEntry.after).where(AuditEntry.entity_id == "220102001")
        )
        exported = [(action, json.loads(after)["persons"]) for action, after in entries]
    assert len(exported) == THREADS * 3
    assert {a for a, _ in exported} == {"residents.export"} and {n for _, n in exported} == {n_present}


def test_a_read_with_a_token_does_not_write_in_its_transaction(db, monkeypatch):
    """The exact interleaving that failed: a read transaction has read, another writer commits, then the
    token's last use is recorded. Written in the read's transaction, that was "database is locked"."""
    factory, tokens = db
    uses = TokenUses(every=3600)
    monkeypatch.setattr(deps, "TOKEN_USES", uses)
    with unit_of_work(factory) as session:
        session.execute(update(ApiToken).values(last_used_at=None))
    reader = factory()
    try:
        reader.execute(select(User.id)).all()  # the read transaction has its snapshot
        with unit_of_work(factory) as writer:
            writer.execute(update(User).where(User.username == "exporter0").values(display_name="导出员"))
        user, _ = token_principal(reader, tokens[0])
        reader.commit()
    finally:
        reader.close()
    assert user.username == "exporter0"
    assert uses.pending() == 1
    uses.flush()
    assert uses.pending() == 0
    with factory() as session:
        used = session.scalars(select(ApiToken.last_used_at).where(ApiToken.user_id == user.id)).one()
    assert used is not None


def test_token_uses_not_written_are_kept_for_the_next_round(db, monkeypatch):
    factory, tokens = db
    uses = TokenUses(every=3600)
    monkeypatch.setattr(deps, "TOKEN_USES", uses)
    with factory() as session:
        user, _ = token_principal(session, tokens[1])
    assert uses.pending() == 1

    def locked(session):
        raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr("linli.authz.token_uses.begin_for_writing", locked)
    uses.flush()
    assert uses.pending() == 1
    monkeypatch.undo()
    uses.flush()
    assert uses.pending() == 0
