"""The browser tests' database: the `linli demo` data and accounts, built once per test run.

Each pytest-xdist worker serves its own copy (its own live server, its own Chromium), so the browser
tests spread over every core; building the demo data takes about 20 s of CPU, so it is built once, in a
process of its own started as soon as a worker has collected browser tests, while the workers run the
other tests. Run as `python -m tests.browser.demo_db DIR` (what the tests start): DIR gets
`data/linli.db`, `passwords.json` and, last, `ready` (or `error` with the traceback).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

# Extra accounts, so a test that changes an account (its language, its sessions, its failed sign-ins)
# cannot disturb the tests that sign in as the demo accounts: username → (role, area).
EXTRA_USERS = {
    "langtest": ("resident", "220102001001"),
    "expirytest": ("resident", "220102001001"),
    "pwtest": ("resident", "220102001001"),
    "unlinkedtest": ("resident", "220102001001"),  # never linked to a register entry
}
WAIT = 300  # seconds a worker waits for the build


def build(where: Path) -> None:
    """The demo data and accounts into `where/data/linli.db`, the passwords into `where/passwords.json`."""
    data_dir = where / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{data_dir / 'linli.db'}"
    os.environ["LINLI_DATA_DIR"] = str(data_dir)
    os.environ["LINLI_DATABASE_URL"] = db_url
    os.environ.setdefault("LINLI_PASSWORD_HASH_COST", "test")

    from sqlalchemy.orm import sessionmaker

    from linli.accounts.service import create_user, grant_role
    from linli.authz.principal import system_principal
    from linli.cli.demo import ensure_accounts, load_data
    from linli.db.engine import make_engine
    from linli.db.migrate import upgrade
    from linli.db.session import unit_of_work

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
    # What the demo sent reaches the inboxes, as `linli demo` delivers it before serving.
    from linli.notify.worker import run_worker

    run_worker(factory, once=True)
    engine.dispose()
    (where / "passwords.json").write_text(json.dumps(passwords))


def start(where: Path) -> subprocess.Popen | None:
    """Start the build in its own process, unless another worker already has; returns that process."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(where / "started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return None
    root = Path(__file__).resolve().parents[2]
    log = open(where / "build.log", "wb")  # noqa: SIM115 (the child writes it; closed with the process)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.browser.demo_db", str(where)], cwd=root, stdout=log, stderr=subprocess.STDOUT
    )


def wait(where: Path) -> dict[str, str]:
    """Wait for the build; returns the passwords. Raises with the builder's traceback if it failed."""
    deadline = time.monotonic() + WAIT
    while not (where / "ready").exists():
        if (where / "error").exists():
            raise RuntimeError("building the browser tests' demo database failed:\n" + (where / "error").read_text())
        if time.monotonic() > deadline:
            raise RuntimeError(f"the browser tests' demo database was not built within {WAIT} s (see {where})")
        time.sleep(0.1)
    return json.loads((where / "passwords.json").read_text())


def main(where: Path) -> int:
    try:
        build(where)
    except BaseException:
        (where / "error").write_text(traceback.format_exc())
        return 1
    (where / "ready").touch()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
