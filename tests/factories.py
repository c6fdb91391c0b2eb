"""Plain functions that build areas, users, grants and tokens for tests."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
from functools import lru_cache

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from linli.accounts.service import create_token, create_user, grant_role
from linli.areas.importer import import_boundaries, import_divisions
from linli.areas.models import Area
from linli.authn.models import User
from linli.authz.principal import Principal, principal_for, system_principal
from linli.db.meta import VERSION_KEYS, MetaValue, bump_version
from tests import ROOT

DATA = ROOT / "src" / "linli" / "data"
# A small real slice of Jilin: two sibling districts of Changchun, with a few townships and villages.
COUNTIES = ("220102", "220103")
TOWN_A, VILLAGE_A = "220102001", "220102001001"
SYSTEM = system_principal("test")
PASSWORD = "Passw0rd-test"  # of every account make_user creates


@lru_cache
def _divisions() -> list[dict]:
    return json.loads((DATA / "divisions-22.json").read_text(encoding="utf-8"))["divisions"]


@lru_cache
def _counties() -> dict:
    return json.loads((DATA / "counties-22.geojson").read_text(encoding="utf-8"))


def slice_divisions(counties=COUNTIES, townships_per_county: int = 2, villages_per_township: int = 3) -> list[dict]:
    rows = [d for d in _divisions() if len(d["code"]) <= 4 and d["code"] in ("22", "2201")]
    for c in counties:
        rows += [d for d in _divisions() if d["code"] == c]
        towns = sorted(d["code"] for d in _divisions() if d["parent_code"] == c)[:townships_per_county]
        for t in towns:
            rows += [d for d in _divisions() if d["code"] == t]
            rows += sorted((d for d in _divisions() if d["parent_code"] == t), key=lambda d: d["code"])[
                :villages_per_township
            ]
    return rows


def county_feature(code: str) -> dict:
    return next(f for f in _counties()["features"] if f["properties"]["adcode"] == code)


# The rows the slice's import wrote, per database dialect: the first test of a process imports the
# slice through the importers, every later one inserts the same rows (the import simplifies and indexes
# the county outlines: 0.1-0.4 s a test, in about 1,500 tests).
_WORLD_ROWS: dict[str, list[dict]] = {}


def load_world(session: Session) -> None:
    """Areas of the slice, with the two county boundaries."""
    dialect = session.get_bind().dialect.name
    rows = _WORLD_ROWS.get(dialect)
    empty = session.scalar(select(Area.code).limit(1)) is None
    if rows is not None and empty:
        session.execute(insert(Area), rows)
        # What the import leaves in `meta` is the new versions of the caches it changed.
        for key in sorted(_WORLD_VERSIONS):
            bump_version(session, key)
        return
    versions = {key: version_of_now(session, key) for key in VERSION_KEYS}
    import_divisions(session, SYSTEM, json.dumps({"divisions": slice_divisions()}))
    fc = {"type": "FeatureCollection", "features": [county_feature(c) for c in COUNTIES]}
    import_boundaries(session, SYSTEM, json.dumps(fc))
    session.flush()
    if empty:
        _WORLD_VERSIONS.update(k for k in VERSION_KEYS if version_of_now(session, k) != versions[k])
        mapper = inspect(Area)
        _WORLD_ROWS[dialect] = [
            {attr.key: getattr(area, attr.key) for attr in mapper.column_attrs}
            for area in session.scalars(select(Area).order_by(Area.code))
        ]


_WORLD_VERSIONS: set[str] = set()


def version_of_now(session: Session, key: str) -> str | None:
    return session.scalar(select(MetaValue.value).where(MetaValue.key == key))


def make_user(session: Session, username: str, role: str | None, area: str, password: str = PASSWORD) -> User:
    user, _ = create_user(session, SYSTEM, username, username.title(), area, password)
    if role:
        grant_role(session, SYSTEM, user.id, role, area)
    return user


def principal(user: User, *grants: tuple[str, str]) -> Principal:
    return principal_for(user.id, user.username, grants)


def token_for(session: Session, user: User) -> str:
    _, secret = create_token(session, SYSTEM, user, "test", 30)
    return secret


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def square(lon: float, lat: float, size: float = 0.002) -> dict:
    """A small square polygon (GeoJSON) with its south-west corner at lon, lat."""
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


def inside_point(county: str) -> tuple[float, float]:
    from shapely.geometry import shape

    p = shape(county_feature(county)["geometry"]).representative_point()
    return round(p.x, 5), round(p.y, 5)


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright (or an earlier test) leaves an
    event loop running or set in the main thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def login_token(client) -> str:
    """GET /login: the hidden csrf_token of the form, which must equal the login CSRF cookie."""
    r = client.get("/login")
    assert r.status_code == 200
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert m, "the login form has no hidden csrf_token"
    assert client.cookies.get("linli_login_csrf") == m.group(1)
    return m.group(1)


def login(client, username: str, password: str, next_: str = "/", csrf: str | None = None):
    token = login_token(client) if csrf is None else csrf
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_},
        follow_redirects=False,
    )


def csrf_of(session: Session, user: User) -> str:
    """The CSRF token of the user's (one) browser session, as its pages carry it."""
    from linli.authn.models import WebSession

    session.expire_all()
    return session.scalars(select(WebSession.csrf_token).where(WebSession.user_id == user.id)).one()


class Statements:
    """The SQL a request runs, with literal values and ids taken out (the code path, not the data)."""

    def __init__(self, connection):
        self.connection, self.seen = connection, []

    def __enter__(self):
        event.listen(self.connection, "before_cursor_execute", self._add)
        return self

    def __exit__(self, *exc):
        event.remove(self.connection, "before_cursor_execute", self._add)

    def _add(self, conn, cursor, statement, parameters, context, executemany):
        if "api_tokens" in statement:  # a token's last use is written at most once a minute: not this request's
            return
        self.seen.append(re.sub(r"sa_savepoint_\d+", "sp", re.sub(r"\s+", " ", statement)).strip())
