"""Shared set-up of the events benchmarks: a scratch PostgreSQL database with Jilin's areas and grids."""

from __future__ import annotations

import json
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# This checkout's sources first: another checkout may be installed in editable mode.
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import create_engine, text  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch_database(admin_url: str, prefix: str):
    """A new PostgreSQL database (dropped afterwards), migrated; yields its URL."""
    from linli.db.engine import make_engine
    from linli.db.migrate import upgrade

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    try:
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def load_county(url: str, county: str) -> list[tuple[str, float, float]]:
    """Jilin's divisions, the county's boundary and generated grids, the event categories and demo units.

    Returns the grids as (code, rep_lon, rep_lat)."""
    from sqlalchemy import select
    from sqlalchemy.orm import sessionmaker

    from linli.areas.demo import generate_county_grids
    from linli.areas.importer import import_boundaries, import_divisions
    from linli.areas.models import Area
    from linli.authz.principal import system_principal
    from linli.db.engine import make_engine
    from linli.db.session import unit_of_work
    from linli.events.seed import seed_categories, seed_units

    data = ROOT / "src" / "linli" / "data"
    actor = system_principal("bench")
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        import_divisions(s, actor, (data / "divisions-22.json").read_bytes())
        fc = json.loads((data / "counties-22.geojson").read_text(encoding="utf-8"))
        fc["features"] = [f for f in fc["features"] if f["properties"]["adcode"] == county]
        import_boundaries(s, actor, json.dumps(fc))
    with unit_of_work(factory) as s:
        generate_county_grids(s, actor, county)
        seed_categories(s)
        seed_units(s, county)
    with unit_of_work(factory) as s:
        grids = s.execute(
            select(Area.code, Area.rep_lon, Area.rep_lat).where(Area.level == "grid", Area.code.startswith(county))
        ).all()
    engine.dispose()
    return [tuple(g) for g in grids]
