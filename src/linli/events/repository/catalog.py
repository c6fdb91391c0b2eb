"""SQL of the event catalogue: categories and their limits, handling units, their members and areas,
routing rules, and who hears of a step (grid workers, officials)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas.models import GridAssignment
from linli.authz.models import Grant
from linli.authz.scope import AreaScope, subtree_clause
from linli.events.models import CategoryLimit, EventCategory, HandlingUnit, RoutingRule, UnitArea, UnitMember
from linli.kit import codes


def categories(session: Session) -> list[EventCategory]:
    return list(session.scalars(select(EventCategory).order_by(EventCategory.code)))


def active_categories(session: Session) -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) of the active categories in code order: a list's filter."""
    stmt = (
        select(EventCategory.code, EventCategory.name, EventCategory.parent_code)
        .where(EventCategory.active.is_(True))
        .order_by(EventCategory.code)
    )
    return [(c, n, p) for c, n, p in session.execute(stmt)]


def active_subcategories(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the active sub-categories (小类) in code order: what a report is filed under."""
    stmt = (
        select(EventCategory.code, EventCategory.name)
        .where(EventCategory.parent_code.is_not(None), EventCategory.active.is_(True))
        .order_by(EventCategory.code)
    )
    return [(c, n) for c, n in session.execute(stmt)]


def subcategories(session: Session) -> list[EventCategory]:
    """The sub-categories (小类), active or not."""
    return list(session.scalars(select(EventCategory).where(EventCategory.parent_code.is_not(None))))


def category(session: Session, code: str) -> EventCategory | None:
    return session.get(EventCategory, code)


def _self_and_ancestors_padded(area_code: str) -> list[str]:
    real = codes.unpad(area_code)
    return [codes.pad(c) for c in [*codes.ancestors(real), real]]


def limit_override(session: Session, category_code: str, area_code: str) -> CategoryLimit | None:
    """The category's limits set by the deepest area above (or at) `area_code`, if any."""
    return session.scalar(
        select(CategoryLimit)
        .where(
            CategoryLimit.category_code == category_code,
            CategoryLimit.area_code.in_(_self_and_ancestors_padded(area_code)),
        )
        .order_by(CategoryLimit.area_code.desc())
        .limit(1)
    )


def limits_set_at(session: Session, category_code: str, padded_area: str) -> CategoryLimit | None:
    """The category's limits set at exactly this area, if any."""
    return session.scalar(
        select(CategoryLimit).where(
            CategoryLimit.category_code == category_code, CategoryLimit.area_code == padded_area
        )
    )


def rule_set_at(session: Session, category_code: str, padded_area: str) -> RoutingRule | None:
    """The category's routing rule set at exactly this area, if any."""
    return session.scalar(
        select(RoutingRule).where(RoutingRule.category_code == category_code, RoutingRule.area_code == padded_area)
    )


def routed_unit_id(session: Session, category: EventCategory, area_code: str) -> int | None:
    """The unit of the rule of the deepest area above the event; a sub-category's rule beats its parent's."""
    cats = [category.code] + ([category.parent_code] if category.parent_code else [])
    return session.scalar(
        select(RoutingRule.unit_id)
        .join(HandlingUnit, HandlingUnit.id == RoutingRule.unit_id)
        .where(
            RoutingRule.category_code.in_(cats),
            RoutingRule.area_code.in_(_self_and_ancestors_padded(area_code)),
            HandlingUnit.active.is_(True),
        )
        .order_by(RoutingRule.area_code.desc(), RoutingRule.category_code.desc())
        .limit(1)
    )


def dispatch_desk(session: Session, area_code: str) -> HandlingUnit | None:
    return session.scalar(
        select(HandlingUnit).where(HandlingUnit.kind == "dispatch_desk", HandlingUnit.area_code == area_code).limit(1)
    )


def unit(session: Session, unit_id: int, scope: AreaScope | None = None) -> HandlingUnit | None:
    stmt = select(HandlingUnit).where(HandlingUnit.id == unit_id)
    if scope is not None:
        stmt = stmt.where(scope.clause(HandlingUnit.area_code))
    return session.scalar(stmt)


def units(session: Session, scope: AreaScope, area_code: str, offset: int, limit: int) -> tuple[list, int]:
    stmt = select(HandlingUnit).where(
        scope.clause(HandlingUnit.area_code), subtree_clause(HandlingUnit.area_code, area_code)
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(HandlingUnit.area_code, HandlingUnit.id).offset(offset).limit(limit)).all()
    return list(rows), total


def units_of_member(session: Session, user_id: int | None, scope: AreaScope) -> list[HandlingUnit]:
    """The units a user acts for, within a scope (a handler's own work queues)."""
    if user_id is None:
        return []
    stmt = (
        select(HandlingUnit)
        .join(UnitMember, UnitMember.unit_id == HandlingUnit.id)
        .where(UnitMember.user_id == user_id, scope.clause(HandlingUnit.area_code))
        .order_by(HandlingUnit.area_code, HandlingUnit.id)
    )
    return list(session.scalars(stmt))


def unit_served_areas(session: Session, unit_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for uid, code in session.execute(
        select(UnitArea.unit_id, UnitArea.area_code).where(UnitArea.unit_id.in_(unit_ids))
    ):
        out.setdefault(uid, []).append(codes.unpad(code))
    return out


def unit_member_ids(session: Session, unit_id: int) -> list[int]:
    return list(session.scalars(select(UnitMember.user_id).where(UnitMember.unit_id == unit_id)))


def is_member(session: Session, unit_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    return (
        session.scalar(select(UnitMember.id).where(UnitMember.unit_id == unit_id, UnitMember.user_id == user_id))
        is not None
    )


def rules(session: Session, scope: AreaScope, area_code: str, offset: int, limit: int) -> tuple[list, int]:
    stmt = select(RoutingRule).where(
        scope.clause(RoutingRule.area_code), subtree_clause(RoutingRule.area_code, area_code)
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(RoutingRule.area_code, RoutingRule.category_code).offset(offset).limit(limit))
    return list(rows), total


def grid_worker_ids(session: Session, area_code: str) -> list[int]:
    return list(
        session.scalars(select(GridAssignment.user_id).where(GridAssignment.grid_code == codes.unpad(area_code)))
    )


def officials_at(session: Session, area_code: str) -> list[int]:
    """Users holding the official role exactly at this area (the supervisors an escalation reaches)."""
    return list(
        session.scalars(select(Grant.user_id).where(Grant.role == "official", Grant.area_code == codes.pad(area_code)))
    )
