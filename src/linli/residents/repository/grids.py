"""The grids (of the areas' table) the register writes into: live grids under an area, or inside a scope."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause
from linli.residents.repository.common import contains


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


def live_grids_named(
    session: Session, scope: AreaScope, text: str, *, limit: int, code: str | None = None, exclude: str = ""
) -> tuple[list[tuple[str, str, str]], int]:
    """(code, name, its village's name) of the live grids inside `scope` whose name or whose village's name
    contains `text` (all, for ""), by code: at most `limit`, with how many match (a grid picker's list)."""
    village = aliased(Area)
    cond = [Area.level == "grid", Area.retired_at.is_(None), scope.clause(Area.area_code)]
    if code is not None:
        cond.append(Area.code == code)
    if exclude:
        cond.append(Area.code != exclude)
    if text:
        like = contains(text)
        cond.append(or_(Area.name.like(like, escape="\\"), village.name.like(like, escape="\\")))
    base = select(Area.code, Area.name, village.name).join(village, village.code == Area.parent_code).where(*cond)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.execute(base.order_by(Area.code).limit(limit)).all()
    return [(code, name, village_name) for code, name, village_name in rows], total
