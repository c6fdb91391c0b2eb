"""Concurrent writers on the embedded SQLite default: no "database is locked", no broken audit chain."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from linli.app import create_app
from linli.audit.service import verify_chain
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.db.session import unit_of_work
from tests.factories import auth, load_world, make_user, token_for


def test_parallel_writes_on_sqlite_file(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as s:
        load_world(s)
        admin = make_user(s, "admin_c", "admin", "220102")
        secret = token_for(s, admin)
    app = create_app(session_factory=factory)

    def create(i: int) -> int:
        with TestClient(app) as c:
            r = c.post(
                "/api/v1/users", json={"username": f"user{i:03d}", "area_code": "220102001001"}, headers=auth(secret)
            )
            return r.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(create, range(40)))
    assert statuses == [201] * 40
    with unit_of_work(factory) as s:
        result = verify_chain(s)
        count, problems = result.count, result.problems
    assert problems == [] and count > 40
    engine.dispose()
