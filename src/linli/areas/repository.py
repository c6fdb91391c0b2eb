"""All SQL about areas and grid assignments. Reads of scoped rows take an AreaScope."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from linli.areas.models import Area, GridAssignment
from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.kit.codes import Level


def get_area(session: Session, code: str, scope: AreaScope, *, with_boundary: bool = False) -> Area | None:
    if not codes.is_valid(code) or not scope.contains(code):
        return None
    stmt = select(Area).where(Area.code == code, scope.clause(Area.area_code))
    if with_boundary:
        stmt = stmt.options(undefer(Area.boundary))
    return session.scalar(stmt)


def get_areas(session: Session, area_codes: Sequence[str]) -> dict[str, Area]:
    """Unscoped lookup of known codes (ancestors for breadcrumbs); callers filter by scope."""
    if not area_codes:
        return {}
    return {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(list(area_codes))))}


def children(
    session: Session, code: str, scope: AreaScope, *, offset: int, limit: int, include_retired: bool = False
) -> tuple[list[Area], int]:
    cond = [Area.parent_code == code, scope.clause(Area.area_code)]
    if not include_retired:
        cond.append(Area.retired_at.is_(None))
    total = session.scalar(select(func.count()).select_from(Area).where(*cond)) or 0
    rows = session.scalars(select(Area).where(*cond).order_by(Area.code).offset(offset).limit(limit)).all()
    return list(rows), total


def child_counts(session: Session, parent_codes: Sequence[str], scope: AreaScope) -> dict[str, int]:
    if not parent_codes:
        return {}
    rows = session.execute(
        select(Area.parent_code, func.count())
        .where(Area.parent_code.in_(list(parent_codes)), Area.retired_at.is_(None), scope.clause(Area.area_code))
        .group_by(Area.parent_code)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def search(session: Session, code: str, scope: AreaScope, query: str, *, limit: int) -> list[Area]:
    """Areas under `code` whose name contains `query` (a substring; Chinese names need no tokenizer)."""
    low, high = codes.subtree_range(code)
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        select(Area)
        .where(
            Area.area_code >= low,
            Area.area_code < high,
            Area.code != code,
            scope.clause(Area.area_code),
            Area.retired_at.is_(None),
            Area.name.like(f"%{escaped}%", escape="\\"),
        )
        .order_by(func.length(Area.code), Area.code)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def subtree_with_boundaries(session: Session, code: str, scope: AreaScope, levels: Sequence[str]) -> list[Area]:
    low, high = codes.subtree_range(code)
    stmt = (
        select(Area)
        .options(undefer(Area.boundary))
        .where(
            Area.area_code >= low,
            Area.area_code < high,
            scope.clause(Area.area_code),
            Area.level.in_(list(levels)),
            Area.min_lon.is_not(None),
            Area.retired_at.is_(None),
        )
        .order_by(Area.code)
    )
    return list(session.scalars(stmt))


def sibling_grids(session: Session, village_code: str, exclude: str | None = None) -> list[Area]:
    """Live grids of a village with their polygons (unscoped: used for validation only)."""
    stmt = (
        select(Area)
        .options(undefer(Area.boundary))
        .where(Area.parent_code == village_code, Area.level == Level.grid.value, Area.retired_at.is_(None))
    )
    if exclude:
        stmt = stmt.where(Area.code != exclude)
    return list(session.scalars(stmt))


def live_grids_with_boundary(session: Session) -> list[tuple[str, str]]:
    return list(
        session.execute(
            select(Area.code, Area.boundary).where(
                Area.level == Level.grid.value, Area.retired_at.is_(None), Area.boundary.is_not(None)
            )
        ).all()
    )


def non_grid_boundaries(session: Session) -> list[tuple[str, str]]:
    return list(
        session.execute(
            select(Area.code, Area.boundary).where(
                Area.level != Level.grid.value, Area.retired_at.is_(None), Area.boundary.is_not(None)
            )
        ).all()
    )


def grids_in_subtree(session: Session, code: str, scope: AreaScope, *, include_retired: bool = False) -> list[Area]:
    low, high = codes.subtree_range(code)
    stmt = (
        select(Area)
        .options(undefer(Area.boundary))
        .where(
            Area.level == Level.grid.value,
            Area.area_code >= low,
            Area.area_code < high,
            scope.clause(Area.area_code),
        )
        .order_by(Area.code)
    )
    if not include_retired:
        stmt = stmt.where(Area.retired_at.is_(None))
    return list(session.scalars(stmt))


def assignments_for(session: Session, grid_codes: Sequence[str]) -> list[GridAssignment]:
    if not grid_codes:
        return []
    return list(
        session.scalars(
            select(GridAssignment)
            .where(GridAssignment.grid_code.in_(list(grid_codes)))
            .order_by(GridAssignment.grid_code, GridAssignment.duty, GridAssignment.id)
        )
    )


def assignment(session: Session, grid_code: str, user_id: int) -> GridAssignment | None:
    return session.scalar(
        select(GridAssignment).where(GridAssignment.grid_code == grid_code, GridAssignment.user_id == user_id)
    )


def grid_chief(session: Session, grid_code: str) -> GridAssignment | None:
    return session.scalar(
        select(GridAssignment).where(GridAssignment.grid_code == grid_code, GridAssignment.duty == "chief")
    )


def all_area_rows(session: Session) -> dict[str, tuple[str, str, str, str | None]]:
    """code → (name, level, kind, parent_code), for import diffs."""
    rows = session.execute(select(Area.code, Area.name, Area.level, Area.kind, Area.parent_code)).all()
    return {r.code: (r.name, r.level, r.kind, r.parent_code) for r in rows}
