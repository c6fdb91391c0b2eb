"""The grids (of the areas' table) the register writes into: live grids under an area, or inside a scope."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause


def live_grid_codes_under(session: Session, code: str) -> list[str]:
    """The codes of the live (not retired) grids under the area `code`, in order."""
    stmt = (
        select(Area.code)
        .where(Area.level == "grid", Area.retired_at.is_(None), subtree_clause(Area.area_code, code))
        .order_by(Area.code)
    )
    return list(session.scalars(stmt))


def live_grid_codes_in(session: Session, scope: AreaScope) -> frozenset[str]:
    """The codes of the live grids inside `scope` (where an import may write)."""
    stmt = select(Area.code).where(Area.level == "grid", Area.retired_at.is_(None), scope.clause(Area.area_code))
    return frozenset(session.execute(stmt).scalars())
