"""Matching suggestions: for each open need, the offered resources whose type fits its category, of the
alliances covering the need's place, nearest first when the need and the unit both have a point.

Resources are grouped by (type, alliance area); a need looks at the groups of its own place and its
ancestors only (a handful of rows), so each need measures a few great-circle distances (haversine).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, reach_clause, subtree_clause
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


def _open_needs(session: Session, scope: AreaScope, area_code: str, alliance: Alliance | None) -> list:
    conds = [scope.clause(Need.area_code), subtree_clause(Need.area_code, area_code), Need.status == "open"]
    if alliance is not None:
        conds.append(subtree_clause(Need.area_code, codes.unpad(alliance.area_code)))
    q = select(Need.id, Need.title, Need.area_code, Need.category, Need.lon, Need.lat).where(*conds)
    return session.execute(q.order_by(Need.id)).all()


def _resources(session: Session, scope: AreaScope, area_code: str, alliance: Alliance | None) -> list:
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
            Alliance.status == "active",
            Organization.status == "active",
            scope.clause(Resource.area_code),
            reach_clause(Alliance.area_code, [area_code]),
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
    in id order, at most `limit` suggestions in all."""
    real: dict[str, str] = {}  # padded → real code, once per place

    def unpad(code: str) -> str:
        if code not in real:
            real[code] = codes.unpad(code)
        return real[code]

    groups: dict[tuple[str, str], list] = defaultdict(list)
    for r in _resources(session, scope, area_code, alliance):
        groups[(r[2], unpad(r[4]))].append(r)
    candidates: dict[tuple[str, str], list] = {}  # (category, place) → the rows of its groups
    out: list[Suggestion] = []
    for need in _open_needs(session, scope, area_code, alliance):
        place = unpad(need.area_code)
        key = (need.category, place)
        if key not in candidates:
            wanted = [(need.category, p) for p in (*codes.ancestors(place), place)]
            candidates[key] = [r for k in wanted for r in groups.get(k, ())]
        for r, metres in _nearest(need, candidates[key], per_need):
            out.append(Suggestion(need.id, need.title, place, need.category, r[0], r[1], r[3], r[5], r[6], metres))
            if len(out) >= limit:
                return out
    return out
