"""What every `linli` subcommand shares: the consoles, the acting principal, errors as messages and exit
codes, a unit of work on a migrated database, the progress bar, reading a file.

The consoles are read as `common.out` / `common.err` (not imported by name), so that a test can swap
them for plain ones in one place."""

from __future__ import annotations

import getpass
import sys
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from linli.kit.errors import DomainError, ImportRejected

out = Console()
err = Console(stderr=True)


def actor():
    """The operator at the command line, as the system principal named after the OS user."""
    from linli.authz.principal import system_principal

    return system_principal(f"cli:{getpass.getuser()}")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print the error and return the exit to raise: `raise fail("...")`."""
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


@contextmanager
def errors():
    """Domain errors become a clear message and a non-zero exit; bad rows are listed one per line."""
    try:
        yield
    except ImportRejected as exc:
        err.print(f"[bold red]rejected:[/] {escape(exc.message)}")
        for row in exc.rows:
            key = f" [{row['key']}]" if row.get("key") else ""
            err.print(escape(f"  row {row['row']}{key}: {row['reason']}"))
        raise typer.Exit(2) from None
    except DomainError as exc:
        raise fail(exc.message) from None


def migrate_quietly() -> None:
    from linli.db.engine import get_engine
    from linli.db.migrate import upgrade

    upgrade(get_engine())


@contextmanager
def db():
    """A unit of work on a migrated database, with domain errors turned into messages."""
    from linli.db.session import unit_of_work

    with errors():
        migrate_quietly()
        with unit_of_work() as session:
            yield session


def progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not sys.stderr.isatty(),
    )


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}") from None
