"""Browser tests: the web console served on a free port, driven through Chromium by Playwright.

One server (a fresh SQLite file loaded with the `linli demo` data) and one browser serve the whole
session; each test gets a new browser context (its own cookies). Without Chromium, Playwright or
axe-core the tests are skipped, with the reason; with LINLI_REQUIRE_BROWSER=1 (as in .ci/run) they fail.

These tests are not parametrized by database backend: they test the pages, not the storage.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.browser.helpers import AXE, DESKTOP, ROOT

CHROMIUM = os.environ.get("LINLI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REQUIRED = os.environ.get("LINLI_REQUIRE_BROWSER", "") not in ("", "0", "false", "no")

# Extra accounts, so a test that changes an account (its language, its sessions, its failed sign-ins)
# cannot disturb the tests that sign in as the demo accounts: username → (role, area).
EXTRA_USERS = {
    "langtest": ("resident", "220102001001"),
    "expirytest": ("resident", "220102001001"),
    "pwtest": ("resident", "220102001001"),
    "unlinkedtest": ("resident", "220102001001"),  # never linked to a register entry
}


def _missing_browser_parts() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[test]')")
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        missing.append(f"axe-core at {AXE.relative_to(ROOT)} (npm ci --prefix tests/browser)")
    return missing


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"browser tests cannot run (LINLI_REQUIRE_BROWSER=1): {reason}", pytrace=False)
    pytest.skip(f"browser tests need {reason}")


# The autouse fixtures of tests/conftest.py give each test its own data directory and a fresh grid
# locator; the live server here lives for the whole session, so these tests keep one of each.
@pytest.fixture(autouse=True)
def _settings():
    yield


@pytest.fixture(autouse=True)
def _fresh_locator():
    yield


@dataclass
class LiveServer:
    url: str
    passwords: dict[str, str]
    session_factory: object
    thread: threading.Thread | None = field(default=None, repr=False)


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`-n`), every browser test goes to one worker (`--dist loadgroup`): they share
    one live server and one Chromium, which a second worker would build all over again."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.xdist_group("browser"))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    missing = _missing_browser_parts()
    if missing:
        _unavailable("; ".join(missing))

    import uvicorn
    from sqlalchemy.orm import sessionmaker

    from linli.accounts.service import create_user, grant_role
    from linli.app import create_app
    from linli.areas.locate import LOCATOR
    from linli.authz.principal import system_principal
    from linli.cli.demo import ensure_accounts, load_data
    from linli.config import get_settings
    from linli.db.engine import make_engine
    from linli.db.migrate import upgrade
    from linli.db.session import unit_of_work

    data_dir = tmp_path_factory.mktemp("browser-data")
    db_url = f"sqlite:///{data_dir / 'linli.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("LINLI_DATA_DIR", str(data_dir))
    mp.setenv("LINLI_DATABASE_URL", db_url)
    mp.delenv("LINLI_MAP_TILE_URL", raising=False)  # no tiles: the test machine has no network
    get_settings.cache_clear()
    LOCATOR.invalidate()

    engine = make_engine(db_url)
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    actor = system_principal("browser-tests")
    with unit_of_work(factory) as session:
        load_data(session, actor, lambda _msg: None)
        passwords = {acc.username: pw for acc, pw in ensure_accounts(session, actor)}
        for username, (role, area) in EXTRA_USERS.items():
            user, password = create_user(session, actor, username, username, area)
            grant_role(session, actor, user.id, role, area)
            passwords[username] = password

    port = _free_port()
    config = uvicorn.Config(
        create_app(session_factory=factory), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="linli-live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    live = LiveServer(f"http://127.0.0.1:{port}", passwords, factory, thread)
    try:
        yield live
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
        mp.undo()
        get_settings.cache_clear()
        LOCATOR.invalidate()


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import Error, sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Error as exc:
        pw.stop()
        _unavailable(f"a Chromium that starts ({str(exc).splitlines()[0]})")
    try:
        yield chromium
    finally:
        chromium.close()
        pw.stop()


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (own cookies, chosen viewport); all are closed at the end of the test."""
    made = []

    def make(viewport=DESKTOP, **kwargs):
        kwargs.setdefault("base_url", live_server.url)
        kwargs.setdefault("locale", "zh-CN")
        ctx = browser.new_context(viewport=viewport, **kwargs)
        ctx.set_default_timeout(15_000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
