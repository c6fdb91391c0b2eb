"""Browser tests: the web console served on a free port, driven through Chromium by Playwright.

The `linli demo` data is built once per run into a SQLite file (tests/browser/demo_db.py, in a process
of its own while the other tests run); each pytest-xdist worker that runs browser tests serves its own
copy with its own server and Chromium, so the browser tests spread over every core. Each test gets a
new browser context (its own cookies); the accessibility pass, which only reads pages, keeps one per
user and pass for its module (`module_context`). Without Chromium, Playwright or
axe-core the tests are skipped, with the reason; with LINLI_REQUIRE_BROWSER=1 (as in .ci/run) they fail.

These tests are not parametrized by database backend: they test the pages, not the storage.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import demo_db
from tests.browser.helpers import AXE, DESKTOP, ROOT, login

# Debian's Chromium, as its headless shell where installed (Debian's chromium-headless-shell, the build
# Playwright itself runs for headless tests): the full browser's "new headless" mode runs the whole
# desktop browser, and cost these tests 1.7 times the CPU (the accessibility pass: 142 s against 86 s).
# LINLI_CHROMIUM names another.
HEADLESS_SHELL, FULL_CHROMIUM = "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"


def _chromium() -> str:
    chosen = os.environ.get("LINLI_CHROMIUM")
    if chosen:
        return chosen
    return HEADLESS_SHELL if os.access(HEADLESS_SHELL, os.X_OK) else FULL_CHROMIUM


CHROMIUM = _chromium()
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_BUILDER = pytest.StashKey[subprocess.Popen]()
REQUIRED = os.environ.get("LINLI_REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


def _missing_browser_parts() -> list[str]:
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright (pip install -e '.[test]')")
    if not (os.path.exists(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium-headless-shell, or chromium)")
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
    signed_in: dict[str, dict] = field(default_factory=dict, repr=False)  # username → cookies after sign-in


def _shared_dir(config) -> Path:
    """A folder of this run that every xdist worker sees (the workers' base folders are inside it)."""
    base = config._tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "browser-demo"


LONGEST = ("test_main_pages_pass_axe_and_fit_a_phone",)


def pytest_collection_modifyitems(config, items):
    """Browser tests run last, each worker taking its share; the demo database they need is built
    meanwhile, by a process the first worker to get here starts."""
    browser = [item for item in items if item.nodeid.startswith("tests/browser/")]
    if browser and not _missing_browser_parts():
        builder = demo_db.start(_shared_dir(config))
        if builder is not None:
            config.stash[_BUILDER] = builder
        others = [item for item in items if not item.nodeid.startswith("tests/browser/")]
        # The longest first (each part of the axe pass of the main pages takes 5–10 s), so that the
        # workers finish together instead of one waiting for another's last long test.
        browser.sort(key=lambda item: not any(name in item.nodeid for name in LONGEST))
        items[:] = others + browser


def pytest_unconfigure(config):
    builder = config.stash.get(_BUILDER, None)
    if builder is not None and builder.poll() is None:
        builder.kill()
        builder.wait()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(pytestconfig, tmp_path_factory) -> Iterator[LiveServer]:
    missing = _missing_browser_parts()
    if missing:
        _unavailable("; ".join(missing))

    import uvicorn
    from sqlalchemy.orm import sessionmaker

    from linli.app import create_app
    from linli.areas.locate import LOCATOR
    from linli.config import get_settings
    from linli.db.engine import make_engine

    shared = _shared_dir(pytestconfig)
    demo_db.start(shared)  # nothing when the collection hook started it (as it does)
    passwords = demo_db.wait(shared)
    data_dir = tmp_path_factory.mktemp("browser-data")
    shutil.copytree(shared / "data", data_dir, dirs_exist_ok=True)  # this worker's own copy
    db_url = f"sqlite:///{data_dir / 'linli.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("LINLI_DATA_DIR", str(data_dir))
    mp.setenv("LINLI_DATABASE_URL", db_url)
    mp.delenv("LINLI_MAP_TILE_URL", raising=False)  # no tiles: the test machine has no network
    get_settings.cache_clear()
    LOCATOR.invalidate()

    engine = make_engine(db_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)

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


def _signed_in(browser, live_server: LiveServer, username: str) -> dict:
    if username not in live_server.signed_in:
        ctx = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
        try:
            # (on to a page that draws little: the cookies are what is kept)
            login(ctx.new_page(), live_server, username, next_="/account/password")
            live_server.signed_in[username] = ctx.storage_state()
        finally:
            ctx.close()
    return live_server.signed_in[username]


def _context_maker(browser, live_server, made: list):
    def make(viewport=DESKTOP, as_user: str | None = None, **kwargs):
        """`as_user`: already signed in as that demo account (signed in through the form once per worker;
        the tests of signing in itself use helpers.login)."""
        kwargs.setdefault("base_url", live_server.url)
        kwargs.setdefault("locale", "zh-CN")
        if as_user is not None:
            kwargs["storage_state"] = _signed_in(browser, live_server, as_user)
        ctx = browser.new_context(viewport=viewport, **kwargs)
        ctx.set_default_timeout(15_000)
        made.append(ctx)
        return ctx

    return make


@pytest.fixture
def new_context(browser, live_server):
    """Make browser contexts (own cookies, chosen viewport); all are closed at the end of the test."""
    made = []
    yield _context_maker(browser, live_server, made)
    for ctx in made:
        ctx.close()


@pytest.fixture(scope="module")
def module_context(browser, live_server):
    """`new_context` for contexts that a module's tests share (closed at the end of the module): a new
    context starts a new renderer, whose first page costs about half a second more than the next ones."""
    made = []
    yield _context_maker(browser, live_server, made)
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
