"""SQL of the pickers that replace typed ids: the handling units an event may be dispatched to, the open
events near a place (merging, and a reporter's "me too"), the grids of an area for the list's filter."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause
from linli.events.models import Event, HandlingUnit, MeToo, UnitArea
from linli.events.repository.catalog import _self_and_ancestors_padded
from linli.events.repository.nearby import M_PER_DEG_LAT
from linli.events.workflow import OPEN_STATES

GRID_LEVEL = "grid"


def _in_reach(scope: AreaScope):
    """A unit the scope reaches: it sits in the scope's subtrees or above them, or it is listed as serving
    an area there (a unit of another county that serves one of ours)."""
    listed = select(UnitArea.unit_id).where(scope.reach_clause(UnitArea.area_code))
    return or_(scope.reach_clause(HandlingUnit.area_code), HandlingUnit.id.in_(listed))


def dispatch_units(session: Session, place: str) -> list[HandlingUnit]:
    """The active units that serve the (padded) place: those sitting at it or above it, and those listed as
    serving it or an area above it; by area from the top, then name. (Whoever may dispatch an event manages
    its place, and every unit serving a place they manage is in their reach: see unit_in_reach.)"""
    chain = _self_and_ancestors_padded(place)
    serving = select(UnitArea.unit_id).where(UnitArea.area_code.in_(chain))
    stmt = (
        select(HandlingUnit)
        .where(
            HandlingUnit.active.is_(True),
            or_(HandlingUnit.area_code.in_(chain), HandlingUnit.id.in_(serving)),
        )
        .order_by(HandlingUnit.area_code, HandlingUnit.name, HandlingUnit.id)
    )
    return list(session.scalars(stmt))


def unit_in_reach(session: Session, scope: AreaScope, unit_id: int) -> HandlingUnit | None:
    """The unit if `scope` reaches it (see _in_reach), active or not; None for any other id."""
    return session.scalar(select(HandlingUnit).where(HandlingUnit.id == unit_id, _in_reach(scope)))


def open_near(
    session: Session,
    scope: AreaScope,
    categories: Sequence[str],
    lon: float,
    lat: float,
    radius_m: float,
    *,
    first: str = "",
    since: datetime | None = None,
    limit: int = 100,
) -> list[Event]:
    """Open, unmerged events of `categories` in `scope` inside the box around the point that holds the circle
    of `radius_m` (the caller measures the exact distance), read along the (category, lat, lon) index: the
    category `first` before the rest of its 大类 before the others, each nearest first, `limit` at most."""
    kx = M_PER_DEG_LAT * max(0.01, math.cos(math.radians(lat)))
    dlat, dlon = radius_m / M_PER_DEG_LAT, radius_m / kx
    square = ((Event.lon - lon) * kx) * ((Event.lon - lon) * kx) + ((Event.lat - lat) * M_PER_DEG_LAT) * (
        (Event.lat - lat) * M_PER_DEG_LAT
    )
    kin = case((Event.category_code == first, 0), (Event.category_code.startswith(first[:2]), 1), else_=2)
    stmt = select(Event).where(
        Event.category_code.in_(list(categories)),
        Event.lat.between(lat - dlat, lat + dlat),
        Event.lon.between(lon - dlon, lon + dlon),
        Event.state.in_(OPEN_STATES),
        Event.merged_into_id.is_(None),
        scope.clause(Event.area_code),
    )
    if since is not None:
        stmt = stmt.where(Event.reported_at >= since)
    order = (kin, square, Event.id) if first else (square, Event.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def said_me_too_ids(session: Session, event_ids: Sequence[int], user_id: int | None) -> set[int]:
    """Which of the events the user has said "me too" on."""
    if user_id is None or not event_ids:
        return set()
    stmt = select(MeToo.event_id).where(MeToo.event_id.in_(list(event_ids)), MeToo.user_id == user_id)
    return set(session.scalars(stmt))


def grid_options(session: Session, scope: AreaScope, area_code: str, limit: int) -> list[tuple[str, str, str]]:
    """(code, name, village code) of the live grids under the area in scope, by code; `limit` at most."""
    stmt = (
        select(Area.code, Area.name, Area.parent_code)
        .where(
            Area.level == GRID_LEVEL,
            Area.retired_at.is_(None),
            subtree_clause(Area.area_code, area_code),
            scope.clause(Area.area_code),
        )
        .order_by(Area.code)
        .limit(limit)
    )
    return [(c, n, p or "") for c, n, p in session.execute(stmt)]
