"""Matching suggestions: for each open need, the offered resources whose type fits its category, of the
alliances covering the need's place, nearest first when the need and the unit both have a point.

Resources are grouped by (type, alliance area); a need looks at the groups of its own place and its
ancestors only, and the distances of its candidates are computed at once (numpy, haversine).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
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


class _Group:
    """The resources of one (type, alliance area): their rows and coordinates (NaN without a point)."""

    def __init__(self) -> None:
        self.rows: list = []

    def freeze(self) -> None:
        self.lon = np.radians(np.array([r[7] if r[7] is not None else np.nan for r in self.rows], dtype=float))
        self.lat = np.radians(np.array([r[8] if r[8] is not None else np.nan for r in self.rows], dtype=float))


def _distances(lon: float | None, lat: float | None, glon: np.ndarray, glat: np.ndarray) -> np.ndarray:
    if lon is None or lat is None:
        return np.full(glon.shape, np.nan)
    lo, la = np.radians(lon), np.radians(lat)
    a = np.sin((glat - la) / 2) ** 2 + np.cos(la) * np.cos(glat) * np.sin((glon - lo) / 2) ** 2
    return 2 * EARTH_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


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
    groups: dict[tuple[str, str], _Group] = defaultdict(_Group)
    for r in _resources(session, scope, area_code, alliance):
        groups[(r[2], codes.unpad(r[4]))].rows.append(r)
    for g in groups.values():
        g.freeze()
    out: list[Suggestion] = []
    for need in _open_needs(session, scope, area_code, alliance):
        place = codes.unpad(need.area_code)
        found = [groups[key] for p in (*codes.ancestors(place), place) if (key := (need.category, p)) in groups]
        if not found:
            continue
        rows = [r for g in found for r in g.rows]
        dist = np.concatenate([_distances(need.lon, need.lat, g.lon, g.lat) for g in found])
        order = np.argsort(np.where(np.isnan(dist), np.inf, dist), kind="stable")[:per_need]
        for i in order:
            r, d = rows[i], dist[i]
            out.append(
                Suggestion(
                    need.id,
                    need.title,
                    place,
                    need.category,
                    r[0],
                    r[1],
                    r[3],
                    r[5],
                    r[6],
                    None if np.isnan(d) else int(round(d)),
                )  # fmt: skip
            )
            if len(out) >= limit:
                return out
    return out
