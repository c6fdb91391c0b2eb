"""Matching suggestions: for each open need, the offered resources whose type fits its category, of the
alliances covering the need's place, nearest first when the need and the unit both have a point.

Resources are grouped by (type, alliance area); a need looks at the groups of its own place and its
ancestors only, and the needs that look at the same groups are measured against them at once.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.organizations.models import Alliance, Need, Organization, Resource

EARTH_M = 6371008.8


@dataclass(frozen=True)
class Suggestion:
    need_id: int
    need_title: str
    need_area: str
    category: str
    resource_id: int
    resource_title: str
    alliance_id: int
    organization_id: int
    organization_name: str
    distance_m: int | None


def _open_needs(session: Session, scope: AreaScope, area_code: str, alliance: Alliance | None, *, limit: int) -> list:
    """The open needs in id order: at most `limit` (each has at least one suggestion, if any)."""
    conds = [scope.clause(Need.area_code), subtree_clause(Need.area_code, area_code), Need.status == "open"]
    if alliance is not None:
        conds.append(subtree_clause(Need.area_code, codes.unpad(alliance.area_code)))
    q = select(Need.id, Need.title, Need.area_code, Need.category, Need.lon, Need.lat).where(*conds)
    return session.execute(q.order_by(Need.id).limit(limit)).all()


def _resources(session: Session, scope: AreaScope, needs: list, alliance: Alliance | None) -> list:
    """The offered resources of a type some need asks for, of the active alliances covering a need's place."""
    kinds = sorted({n.category for n in needs})
    places = sorted({codes.pad(p) for n in needs for p in (*codes.ancestors(codes.unpad(n.area_code)), n.area_code)})
    if not kinds:
        return []
    q = (
        select(
            Resource.id,
            Resource.title,
            Resource.resource_type,
            Resource.alliance_id,
            Alliance.area_code,
            Organization.id,
            Organization.name,
            Organization.lon,
            Organization.lat,
        )
        .join(Alliance, Alliance.id == Resource.alliance_id)
        .join(Organization, Organization.id == Resource.organization_id)
        .where(
            Resource.status == "active",
            Resource.resource_type.in_(kinds),
            Alliance.status == "active",
            Organization.status == "active",
            scope.reach_clause(Alliance.area_code),
            Alliance.area_code.in_(places),
        )
    )
    if alliance is not None:
        q = q.where(Resource.alliance_id == alliance.id)
    return session.execute(q.order_by(Resource.id)).all()


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(min(1.0, a)))


def _nearest(need, rows: list, per_need: int) -> list[tuple]:
    """Up to `per_need` (row, metres or None) of `rows`, nearest first; rows without a point (or for a need
    without one) after those with, in their order."""
    if need.lon is None or need.lat is None:
        return [(r, None) for r in rows[:per_need]]
    measured = [
        (_metres(need.lon, need.lat, r[7], r[8]) if r[7] is not None and r[8] is not None else math.inf, i)
        for i, r in enumerate(rows)
    ]
    return [(rows[i], None if d == math.inf else int(round(d))) for d, i in heapq.nsmallest(per_need, measured)]


def _radians(values: list) -> np.ndarray:
    return np.radians(np.array([np.nan if v is None else v for v in values], dtype=float))


def _nearest_all(needs: list, rows: list, per_need: int) -> list[list[tuple]]:
    """`_nearest` for many needs sharing their candidates: one distance matrix (needs × rows) when it is
    big enough for numpy to pay, else need by need."""
    if len(needs) * len(rows) < 32:
        return [_nearest(n, rows, per_need) for n in needs]
    nlon, nlat = _radians([n.lon for n in needs]), _radians([n.lat for n in needs])
    rlon, rlat = _radians([r[7] for r in rows]), _radians([r[8] for r in rows])
    a = (
        np.sin((rlat[None, :] - nlat[:, None]) / 2) ** 2
        + np.cos(nlat)[:, None] * np.cos(rlat)[None, :] * np.sin((rlon[None, :] - nlon[:, None]) / 2) ** 2
    )
    dist = 2 * EARTH_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    order = np.argsort(np.where(np.isnan(dist), np.inf, dist), axis=1, kind="stable")[:, :per_need]
    metres = np.take_along_axis(dist, order, axis=1).round().tolist()
    return [
        [(rows[j], None if math.isnan(m) else int(m)) for j, m in zip(js, ms, strict=True)]
        for js, ms in zip(order.tolist(), metres, strict=True)
    ]


def suggest(
    session: Session,
    scope: AreaScope,
    area_code: str,
    *,
    alliance: Alliance | None = None,
    per_need: int = 3,
    limit: int = 200,
) -> list[Suggestion]:
    """Up to `per_need` resources for each open need under `area_code` (of `alliance`, if given), the needs
    in id order, at most `limit` suggestions in all. Needs with the same candidates are measured together."""
    real: dict[str, str] = {}  # padded → real code, once per place

    def unpad(code: str) -> str:
        if code not in real:
            real[code] = codes.unpad(code)
        return real[code]

    needs = _open_needs(session, scope, area_code, alliance, limit=limit)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for r in _resources(session, scope, needs, alliance):
        groups[(r[2], unpad(r[4]))].append(r)
    wanted: dict[tuple[str, str], tuple] = {}  # (category, place) → the keys of the groups it may use
    by_keys: dict[tuple, list] = defaultdict(list)
    for need in needs:
        key = (need.category, unpad(need.area_code))
        if key not in wanted:
            places = (*codes.ancestors(key[1]), key[1])
            wanted[key] = tuple(k for p in places if (k := (need.category, p)) in groups)
        if wanted[key]:
            by_keys[wanted[key]].append(need)
    picks: dict[int, tuple] = {}
    for keys, needs in by_keys.items():
        rows = [r for k in keys for r in groups[k]]
        for need, found in zip(needs, _nearest_all(needs, rows, per_need), strict=True):
            picks[need.id] = (need, found)
    out: list[Suggestion] = []
    for need_id in sorted(picks):
        need, found = picks[need_id]
        for r, metres in found:
            place = unpad(need.area_code)
            out.append(Suggestion(need.id, need.title, place, need.category, r[0], r[1], r[3], r[5], r[6], metres))
            if len(out) >= limit:
                return out
    return out
