"""All SQL about areas, grids and grid assignments, and the reads built on it: an area or a grid as
the principal may see it (else the same 404 as an unknown one), its breadcrumb, children and name
search, and the API's shapes of them. Reads of scoped rows take an AreaScope or a Principal."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Select, and_, func, or_, select, union_all
from sqlalchemy.orm import Session, undefer

from linli.areas.models import Area, GridAssignment
from linli.areas.schemas import AreaOut, AreaRef, GridOut, Worker
from linli.authn.models import User
from linli.authz.models import Grant
from linli.authz.permissions import Role
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t


def get_area(session: Session, code: str, scope: AreaScope, *, with_boundary: bool = False) -> Area | None:
    if not codes.is_valid(code) or not scope.contains(code):
        return None
    stmt = select(Area).where(Area.code == code, scope.clause(Area.area_code))
    if with_boundary:
        stmt = stmt.options(undefer(Area.boundary))
    return session.scalar(stmt)


def find_area(session: Session, code: str) -> Area | None:
    """Unscoped: the area `code`, or None; callers check the principal first."""
    return session.get(Area, code)


def get_areas(session: Session, area_codes: Sequence[str]) -> dict[str, Area]:
    """Unscoped lookup of known codes (ancestors for breadcrumbs); callers filter by scope."""
    if not area_codes:
        return {}
    return {a.code: a for a in session.scalars(select(Area).where(Area.code.in_(list(area_codes))))}


def names_and_parents(session: Session, area_codes: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """Unscoped: code → (name, parent code) of the known codes, for pages that name the codes they show
    (linli.web.display); a page shows only codes its reader may see."""
    if not area_codes:
        return {}
    rows = session.execute(select(Area.code, Area.name, Area.parent_code).where(Area.code.in_(list(area_codes))))
    return {code: (name, parent) for code, name, parent in rows}


def names_of(session: Session, area_codes: Sequence[str]) -> dict[str, str]:
    """code → name of the known codes (unscoped: labels of figures the caller counted over its scope)."""
    return {code: name for code, (name, _parent) in names_and_parents(session, area_codes).items()}


def child_names(session: Session, code: str) -> dict[str, str]:
    """code → name of every child of `code`, retired ones too (unscoped: labels for counts by child)."""
    return {a.code: a.name for a in session.scalars(select(Area).where(Area.parent_code == code))}


def child_rows(
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


def named_in_scope(
    session: Session, scope: AreaScope, query: str, *, limit: int, under: str | None = None
) -> list[Area]:
    """Live areas in `scope` (and strictly under `under`) whose name contains `query`, the higher levels
    first: the area search and pickers."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = select(Area).where(
        scope.clause(Area.area_code), Area.retired_at.is_(None), Area.name.like(f"%{escaped}%", escape="\\")
    )
    if under is not None:
        stmt = stmt.where(subtree_clause(Area.area_code, under), Area.code != under)
    return list(session.scalars(stmt.order_by(func.length(Area.code), Area.code).limit(limit)))


def subtree_with_boundaries(session: Session, code: str, scope: AreaScope, levels: Sequence[str]) -> list[Area]:
    stmt = (
        select(Area)
        .options(undefer(Area.boundary))
        .where(
            subtree_clause(Area.area_code, code),
            scope.clause(Area.area_code),
            Area.level.in_(list(levels)),
            Area.min_lon.is_not(None),
            Area.retired_at.is_(None),
        )
        .order_by(Area.code)
    )
    return list(session.scalars(stmt))


def siblings_with_boundaries(session: Session, code: str) -> list[Area]:
    """The live areas sharing `code`'s parent, with outlines (unscoped: the outlines endpoint decides
    what of a neighbour outside the reader's scope it shows)."""
    parent = codes.parent_of(code)
    if parent is None:
        return []
    stmt = (
        select(Area)
        .options(undefer(Area.boundary))
        .where(
            Area.parent_code == parent,
            Area.code != code,
            Area.min_lon.is_not(None),
            Area.retired_at.is_(None),
        )
        .order_by(Area.code)
    )
    return list(session.scalars(stmt))


def get_area_unscoped_with_boundary(session: Session, code: str) -> Area | None:
    """The area `code` with its outline (unscoped: the outlines endpoint decides what it shows of it)."""
    return session.scalar(select(Area).options(undefer(Area.boundary)).where(Area.code == code))


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
    stmt = (
        select(Area)
        .options(undefer(Area.boundary))
        .where(
            Area.level == Level.grid.value,
            subtree_clause(Area.area_code, code),
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


def boundaries_of(session: Session, area_codes: Sequence[str]) -> dict[str, str | None]:
    """code → boundary GeoJSON text (None where the area has none), for the known ones of `area_codes`."""
    if not area_codes:
        return {}
    return dict(session.execute(select(Area.code, Area.boundary).where(Area.code.in_(list(area_codes)))).all())  # type: ignore[arg-type]


def boundary_of(session: Session, code: str) -> str | None:
    return session.scalar(select(Area.boundary).where(Area.code == code))


def has_grids_under(session: Session, code: str) -> bool:
    """Whether any grid, live or retired, lies in the subtree of `code` (unscoped)."""
    found = session.scalar(
        select(Area.code).where(Area.level == Level.grid.value, subtree_clause(Area.area_code, code)).limit(1)
    )
    return found is not None


def townships_and_villages(session: Session, code: str):
    """Rows (code, name, level, kind, parent_code) of the townships and villages under `code`, by code."""
    return session.execute(
        select(Area.code, Area.name, Area.level, Area.kind, Area.parent_code)
        .where(subtree_clause(Area.area_code, code), Area.level.in_([Level.township.value, Level.village.value]))
        .order_by(Area.code)
    ).all()


def area_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Area)) or 0


def grid_count_with_prefix(session: Session, prefix: str) -> int:
    """How many grids have a code starting with `prefix` (the demo's "has this county grids yet")."""
    return (
        session.scalar(
            select(func.count()).select_from(Area).where(Area.level == Level.grid.value, Area.code.startswith(prefix))
        )
        or 0
    )


# --- accounts, as the grids see them -------------------------------------------------------------


def users_by_id(session: Session, user_ids: Sequence[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(list(user_ids))))}


def user_grants(session: Session, user_id: int) -> list[tuple[str, str]]:
    """(role, padded area code) of every grant of the account."""
    return [(r, a) for r, a in session.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user_id))]


def user_named(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


# --- reads for a principal: what they may see, 404 beyond --------------------------------------


def visible_area(session: Session, principal: Principal, code: str, *, with_boundary: bool = False) -> Area:
    """The area `code` if the principal may see it; else the same 404 as an unknown area."""
    area = get_area(session, code, principal.visible, with_boundary=with_boundary)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def ref(area: Area) -> AreaRef:
    return AreaRef(code=area.code, name=area.name, level=area.level)


def breadcrumb(session: Session, principal: Principal, code: str) -> list[AreaRef]:
    """Visible ancestors, root first (an official sees the trail from their own area down)."""
    found = get_areas(session, codes.ancestors(code))
    return [ref(found[c]) for c in codes.ancestors(code) if c in found and principal.visible.contains(c)]


def visible_chain(session: Session, principal: Principal, code: str | None) -> list[Area]:
    """The area `code` and its ancestors that the principal may see, root first."""
    if code is None:
        return []
    chain = codes.ancestors(code) + [code]
    found = get_areas(session, chain)
    return [found[c] for c in chain if c in found and principal.visible.contains(c)]


def area_out(session: Session, principal: Principal, area: Area, child_count: int | None = None) -> AreaOut:
    out = AreaOut.model_validate(area)
    out.rep_point = [area.rep_lon, area.rep_lat] if area.rep_lon is not None else None
    out.ancestors = breadcrumb(session, principal, area.code)
    out.child_count = child_count
    return out


def area_with_count(session: Session, principal: Principal, code: str) -> AreaOut:
    """The visible area `code` with its breadcrumb and the number of its live visible children."""
    area = visible_area(session, principal, code)
    counts = child_counts(session, [code], principal.visible)
    return area_out(session, principal, area, counts.get(code, 0))


def children(session: Session, principal: Principal, code: str, offset: int, limit: int) -> tuple[list[AreaOut], int]:
    """A page of the live children of a visible area, each with the number of its own children."""
    visible_area(session, principal, code)
    rows, total = child_rows(session, code, principal.visible, offset=offset, limit=limit)
    counts = child_counts(session, [a.code for a in rows], principal.visible)
    items = []
    for a in rows:
        out = AreaOut.model_validate(a)
        out.rep_point = [a.rep_lon, a.rep_lat] if a.rep_lon is not None else None
        out.child_count = counts.get(a.code, 0)
        items.append(out)
    return items, total


def search(session: Session, principal: Principal, code: str, q: str, limit: int) -> list[AreaOut]:
    """Visible areas under a visible area whose name contains `q`."""
    q = q.strip()
    if not q:
        raise InvalidInput(t("type part of a name to search for"))
    visible_area(session, principal, code)
    found = named_in_scope(session, principal.visible, q, limit=limit, under=code)
    return [area_out(session, principal, a) for a in found]


def free_grid_number(session: Session, principal: Principal, village_code: str) -> str:
    """The first grid number (001–999) not yet used under the village, retired grids included."""
    rows, _ = child_rows(session, village_code, principal.visible, offset=0, limit=1000, include_retired=True)
    used = {a.code for a in rows}
    return f"{next((n for n in range(1, 1000) if f'{village_code}{n:03d}' not in used), 999):03d}"


def get_grid(session: Session, principal: Principal, code: str) -> Area:
    """The grid `code` (with its polygon) if the principal may see it; else 404."""
    grid = get_area(session, code, principal.visible, with_boundary=True)
    if grid is None or grid.level != Level.grid.value:
        raise NotFound(t("grid {code} does not exist", code=code))
    return grid


def grid_out(session: Session, principal: Principal, grid: Area, *, with_polygon: bool = True) -> GridOut:
    """The grid as the API shows it: the area, its polygon and its workers."""
    out = GridOut(**area_out(session, principal, grid).model_dump())
    if with_polygon and grid.boundary:
        out.polygon = json.loads(grid.boundary)
    assigns = assignments_for(session, [grid.code])
    found = users_by_id(session, [a.user_id for a in assigns])
    out.workers = [
        Worker(
            user_id=a.user_id,
            username=found[a.user_id].username,
            display_name=found[a.user_id].display_name,
            duty=a.duty,
        )
        for a in assigns
        if a.user_id in found
    ]
    return out


def staff_of(area_code: str) -> Select:
    """Who is told of anything happening in an area (warnings, notices, withdrawn register entries):
    the mandatory staff of the subtree of `area_code` (unpadded): the grid workers and chiefs of every
    grid inside it, and the community workers granted at a village inside it (or at the village of the
    grid, when the area is one grid); active accounts only. Rows (user_id, area_code), a user once per
    grid or grant: notify keeps each user once."""
    village = codes.pad(area_code[:12]) if len(area_code) == 15 else ""
    ga = select(GridAssignment.user_id.label("user_id"), GridAssignment.area_code.label("area_code")).where(
        subtree_clause(GridAssignment.area_code, area_code)
    )
    cw = select(Grant.user_id, Grant.area_code).where(
        Grant.role == Role.community_worker.value,
        or_(subtree_clause(Grant.area_code, area_code), Grant.area_code == village),
    )
    s = union_all(ga, cw).subquery("s")
    return select(s.c.user_id, s.c.area_code).join(User, and_(User.id == s.c.user_id, User.is_active))
