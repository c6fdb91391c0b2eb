"""Possible duplicates of reports: open events of a category near places, for many places in one
statement (every report asks, so no ORM objects)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, bindparam, column, text
from sqlalchemy.orm import Session

from linli.db import raw
from linli.db.base import UTCDateTime
from linli.events.models import Event
from linli.events.workflow import OPEN_STATES


@dataclass(frozen=True)
class Probe:
    """A place asked about: open events of `category` within `radius_m` of (lon, lat)."""

    category: str
    lon: float
    lat: float
    radius_m: float


def _box(p: Probe) -> tuple[float, float, float, float]:
    dlat = p.radius_m / M_PER_DEG_LAT
    dlon = p.radius_m / (M_PER_DEG_LAT * max(0.01, math.cos(math.radians(p.lat))))
    return p.lat - dlat, p.lat + dlat, p.lon - dlon, p.lon + dlon


_NEARBY_COLUMNS = [Event.__table__.c[n] for n in ("id", "title", "state", "lon", "lat", "reported_at", "area_code")]
NEARBY_CAP = 20  # nearest candidates per place (the caller keeps ten the asker may read)
M_PER_DEG_LAT = 111_320.0
_OPEN_LIST = ", ".join(f"'{s}'" for s in sorted(OPEN_STATES))
# Within the box: nearest first by the equirectangular distance (metres per degree of longitude given
# per place), which at a few hundred metres is the great-circle distance to well under a metre.
_NEARBY_WHERE = (
    "reported_at >= :since AND state IN ({}) AND merged_into_id IS NULL "
    "AND ((lon - {lon}) * {kx}) * ((lon - {lon}) * {kx}) + ((lat - {lat}) * {ky}) * ((lat - {lat}) * {ky}) <= {r2} "
    "ORDER BY ((lon - {lon}) * {kx}) * ((lon - {lon}) * {kx}) + ((lat - {lat}) * {ky}) * ((lat - {lat}) * {ky}) "
    "LIMIT {cap}"
)


def _where(lon: str, lat: str, kx: str, r2: str) -> str:
    return _NEARBY_WHERE.format(_OPEN_LIST, lon=lon, lat=lat, kx=kx, ky=M_PER_DEG_LAT, r2=r2, cap=NEARBY_CAP)


# PostgreSQL: one statement for any number of places, the places as arrays joined laterally to an
# index range each; planned as one subquery (a UNION of one branch per place costs ~0.25 ms of
# planning per branch, more than running it).
_NEARBY_PG = (
    "SELECT p.place, e.id, e.title, e.state, e.lon, e.lat, e.reported_at, e.area_code FROM "
    "unnest(CAST(:c AS text[]), CAST(:s AS float8[]), CAST(:n AS float8[]), CAST(:w AS float8[]), "
    "CAST(:e AS float8[]), CAST(:x AS float8[]), CAST(:y AS float8[]), CAST(:kx AS float8[]), "
    "CAST(:r2 AS float8[])) WITH ORDINALITY AS p(c, s, n, w, e, x, y, kx, r2, place) "
    "CROSS JOIN LATERAL (SELECT id, title, state, lon, lat, reported_at, area_code FROM events "
    "WHERE category_code = p.c AND lat BETWEEN p.s AND p.n AND lon BETWEEN p.w AND p.e AND "
    + _where("p.x", "p.y", "p.kx", "p.r2")
    + ") e"
)


@lru_cache(maxsize=64)
def _nearby_sqlite(n: int):
    # SQLite: a branch per place (planning is cheap there), the text built once per number of places.
    branches = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {i + 1} AS place, id, title, state, lon, lat, reported_at, area_code FROM events "
        f"WHERE category_code = :c{i} AND lat BETWEEN :s{i} AND :n{i} AND lon BETWEEN :w{i} AND :e{i} AND "
        + _where(f":x{i}", f":y{i}", f":kx{i}", f":r2{i}")
        + ")"
        for i in range(n)
    )
    return (
        text(branches)
        .bindparams(bindparam("since", type_=UTCDateTime))
        .columns(column("place", Integer), *_NEARBY_COLUMNS)
    )


def nearby_open(session: Session, probes: list[Probe], since: datetime) -> list[list]:
    """For each place, the nearest open unmerged events of its category within its radius reported since
    `since`, nearest first, NEARBY_CAP at most (the reader's scope is the caller's): rows of (place, id,
    title, state, lon, lat, reported_at, area_code). One statement for all places; every report asks,
    so no ORM objects."""
    if not probes:
        return []
    values = {k: [] for k in ("c", "s", "n", "w", "e", "x", "y", "kx", "r2")}
    for p in probes:
        south, north, west, east = _box(p)
        kx = M_PER_DEG_LAT * max(0.01, math.cos(math.radians(p.lat)))
        for k, v in zip(values, (p.category, south, north, west, east, p.lon, p.lat, kx, p.radius_m**2), strict=True):
            values[k].append(v)
    params: dict[str, object] = {"since": since}
    if session.get_bind().dialect.name == "postgresql":
        params.update(values)
        rows = raw.execute(session, _NEARBY_PG, params)
    else:
        params.update({f"{k}{i}": v for k, vs in values.items() for i, v in enumerate(vs)})
        rows = session.execute(_nearby_sqlite(len(probes)), params)
    found: list[list] = [[] for _ in probes]
    for row in rows:
        found[row.place - 1].append(row)  # places count from 1, as WITH ORDINALITY does
    return found
