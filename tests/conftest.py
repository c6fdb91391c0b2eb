"""Test fixtures: each test runs on SQLite and on PostgreSQL, inside a transaction rolled back after it.

Migrations run once per backend per run. PostgreSQL gets a database with a unique name, dropped at
the end, on the server tests/postgres.py chooses (or starts). `--db sqlite` (or LINLI_TEST_DB=sqlite)
runs SQLite only, for a quick local loop.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy.orm import Session, sessionmaker

from linli.areas.locate import LOCATOR
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.events.catalog_cache import CATALOG
from tests import factories, factories_cli, postgres
from tests.backends import once_per_backend

PG_SERVER = pytest.StashKey[postgres.Choice]()


def _backends(config) -> list[str]:
    return [b.strip() for b in config.getoption("--db").split(",") if b.strip()]


def pytest_configure(config):
    # Real Argon2id hashes at the lowest cost: at production strength each account a fixture makes costs
    # about 0.1 s of CPU, most of the suite's fixture time (test_authn checks the production cost).
    # Set here, before any worker or subprocess starts, so they inherit it.
    os.environ.setdefault("LINLI_PASSWORD_HASH_COST", "test")
    # The PostgreSQL server is chosen (or a private one started) once, here in the process pytest was
    # started in; xdist workers, started later, inherit its URL (tests/postgres.py).
    worker = hasattr(config, "workerinput")
    listing = config.option.collectonly or config.option.help
    if not worker and not listing and "postgresql" in _backends(config):
        config.stash[PG_SERVER] = postgres.Choice()


def pytest_unconfigure(config):
    server = config.stash.get(PG_SERVER, None)
    if server is not None:
        server.close()


def pytest_report_header(config):
    server = config.stash.get(PG_SERVER, None)
    if server is not None:
        return f"postgresql: {server.origin}"


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default=os.environ.get("LINLI_TEST_DB", "sqlite,postgresql"),
        help="comma-separated backends to run the tests on: sqlite, postgresql",
    )


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", _backends(metafunc.config), scope="session")


def _migrated_engine(stack: ExitStack, backend: str, tmp_path_factory):
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("db") / "linli-test.db"
        eng = make_engine(f"sqlite:///{path}")
        stack.callback(eng.dispose)
        upgrade(eng)
        return eng
    if backend != "postgresql":
        raise pytest.UsageError(f"unknown backend {backend}")
    try:
        url = stack.enter_context(postgres.own_database())
    except Exception as exc:  # a missing server must fail the run, not skip half the suite
        raise RuntimeError(
            f"PostgreSQL is not reachable ({exc}); set LINLI_TEST_PG_URL to a server, unset it to use the"
            " one at 127.0.0.1:5432 or else a private one (pip install -e '.[test]'), or run with --db sqlite"
        ) from exc
    eng = make_engine(url)
    stack.callback(eng.dispose)
    upgrade(eng)
    return eng


@pytest.fixture(scope="session")
def _engines(tmp_path_factory) -> Iterator:
    """Each backend's migrated database, made at its first use and kept until the end of the run (of the
    xdist worker); not by the session-scoped `engine` itself (tests/backends.py: it was migrated again
    188 times in one run, 1 s each on PostgreSQL)."""
    with once_per_backend(lambda stack, backend: _migrated_engine(stack, backend, tmp_path_factory)) as get:
        yield get


@pytest.fixture(scope="session")
def engine(backend, _engines):
    return _engines(backend)


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


# --- layered worlds: the areas of the test slice, then each domain's people and data on them (their
# folder's conftest.py or a test module's own `world`) ------------------------------------------------


@pytest.fixture
def areas(session) -> Session:
    """The areas of the test slice (two districts of Changchun, a few townships and villages, two county
    boundaries; tests/factories.py), committed; the test's session."""
    factories.load_world(session)
    session.commit()
    return session


@pytest.fixture
def cli(tmp_path, monkeypatch) -> Iterator[factories_cli.Cli]:
    """`linli ...` in-process, on a fresh SQLite database in a data directory of its own."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    yield factories_cli.use_data_dir(monkeypatch, data_dir)
    factories_cli.clear_caches()


@pytest.fixture(scope="session")
def _jilin_data(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("jilin")
    factories_cli.build_jilin(data_dir)
    return data_dir


@pytest.fixture
def jilin(cli, _jilin_data) -> factories_cli.Cli:
    """`cli` on an initialised database with all Jilin areas and the county boundaries: imported once per
    run (and xdist worker) by the commands themselves, then the data directory copied for each test."""
    factories_cli.copy_data_dir(_jilin_data, cli.data_dir)
    return cli


_APPS: dict[str, object] = {}


@pytest.fixture
def app(session_factory):
    """The application with the test's session factory. Built once per process and settings (the data
    directory aside): a new app costs about 0.25 s, most of it FastAPI compiling its routes at the
    first request, and most tests use one."""
    from linli.app import create_app
    from linli.config import get_settings

    key = get_settings().model_dump_json(exclude={"data_dir"})
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(session_factory=session_factory)
    app.state.session_factory = session_factory
    routes = len(app.routes)
    yield app
    app.dependency_overrides.clear()
    app.state.session_factory = None
    if len(app.routes) != routes:
        del _APPS[key]
        pytest.fail("the test added routes to the shared app: use the `fresh_app` fixture", pytrace=False)


@pytest.fixture
def fresh_app(session_factory):
    """An application of the test's own, for a test that changes it (adds routes)."""
    from linli.app import create_app

    return create_app(session_factory=session_factory)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c
