"""The `linli` command run in-process against a data directory of its own (fixtures `cli` and `jilin`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import func, select
from typer.testing import CliRunner

from linli.cli import common, main
from tests.factories import DATA

DIVISIONS = DATA / "divisions-22.json"
COUNTIES = DATA / "counties-22.geojson"


class Cli:
    """Runs `linli ...` in-process; `db()` opens a session on the database the command used."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.runner = CliRunner()

    def __call__(self, *args):
        return self.runner.invoke(main.app, [str(a) for a in args])

    @property
    def db_path(self):
        return self.data_dir / "linli.db"

    def db(self):
        from linli.db.session import get_session_factory

        return get_session_factory()()

    def count(self, model, *where) -> int:
        with self.db() as s:
            return s.scalar(select(func.count()).select_from(model).where(*where))

    def write(self, name: str, data) -> str:
        path = self.data_dir / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)


def clear_caches():
    from linli.config import get_settings
    from linli.db.engine import get_engine
    from linli.db.session import get_session_factory

    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_session_factory.cache_clear()
    get_engine.cache_clear()
    get_settings.cache_clear()


def use_data_dir(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Cli:
    """Point the command (settings, engine) at `data_dir`, with unwrapped, uncoloured output so messages
    can be matched whole; call `clear_caches` when done."""
    monkeypatch.setenv("LINLI_DATA_DIR", str(data_dir))
    monkeypatch.delenv("LINLI_DATABASE_URL", raising=False)
    monkeypatch.setattr(common, "out", Console(soft_wrap=True, color_system=None, highlight=False))
    monkeypatch.setattr(common, "err", Console(stderr=True, soft_wrap=True, color_system=None, highlight=False))
    clear_caches()
    return Cli(data_dir)


def build_jilin(data_dir: Path) -> None:
    """`linli init`, then all Jilin areas and the county boundaries, into `data_dir`."""
    with pytest.MonkeyPatch.context() as mp:
        cli = use_data_dir(mp, data_dir)
        try:
            assert cli("init").exit_code == 0
            r = cli("import", "areas", DIVISIONS)
            assert r.exit_code == 0, r.output
            r = cli("import", "boundaries", COUNTIES)
            assert r.exit_code == 0, r.output
        finally:
            clear_caches()  # the engine disposed: the SQLite file is whole, with no WAL left to copy


def copy_data_dir(source: Path, target: Path) -> None:
    """The files of a data directory (database, keys) into another, as if the commands had run there."""
    for path in source.iterdir():
        shutil.copy2(path, target / path.name)
