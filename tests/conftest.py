"""Test fixtures: each test runs on SQLite and on PostgreSQL, inside a transaction rolled back after it.

Migrations run once per backend per run. PostgreSQL gets a database with a unique name, dropped at
the end. `--db sqlite` (or LINLI_TEST_DB=sqlite) runs SQLite only, for a quick local loop.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from linli.areas.locate import LOCATOR
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.events.catalog_cache import CATALOG

PG_ADMIN_URL = os.environ.get("LINLI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def pytest_configure(config):
    # Real Argon2id hashes at the lowest cost: at production strength each account a fixture makes costs
    # about 0.1 s of CPU, most of the suite's fixture time (test_authn checks the production cost).
    # Set here, before any worker or subprocess starts, so they inherit it.
    os.environ.setdefault("LINLI_PASSWORD_HASH_COST", "test")


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default=os.environ.get("LINLI_TEST_DB", "sqlite,postgresql"),
        help="comma-separated backends to run the tests on: sqlite, postgresql",
    )


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        backends = [b.strip() for b in metafunc.config.getoption("--db").split(",") if b.strip()]
        metafunc.parametrize("backend", backends, scope="session")


@pytest.fixture(scope="session")
def engine(backend, tmp_path_factory) -> Iterator:
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "linli-test.db"
        eng = make_engine(f"sqlite:///{path}")
        upgrade(eng)
        yield eng
        eng.dispose()
        return
    if backend != "postgresql":
        raise pytest.UsageError(f"unknown backend {backend}")
    name = f"linli_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a missing server must fail the run, not skip half the suite
        raise RuntimeError(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({exc}); start it or run with --db sqlite"
        ) from exc
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    eng = make_engine(url)
    try:
        upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def connection(engine) -> Iterator:
    conn = engine.connect()
    trans = conn.begin()
    yield conn
    trans.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection) -> sessionmaker[Session]:
    # Each session (the test's own, and one per request) shares the test's connection and commits
    # only to a savepoint, so everything is rolled back when the test ends.
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
def session(session_factory) -> Iterator[Session]:
    s = session_factory()
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _fresh_locator():
    LOCATOR.invalidate()
    CATALOG.invalidate()
    yield
    LOCATOR.invalidate()
    CATALOG.invalidate()


@pytest.fixture(autouse=True)
def _settings(tmp_path, monkeypatch):
    """Each test gets its own data directory (secret key file) and default settings."""
    from linli.config import get_settings

    monkeypatch.setenv("LINLI_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def app(session_factory):
    from linli.app import create_app

    return create_app(session_factory=session_factory)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
