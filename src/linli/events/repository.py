"""All SQL of the events domain. Reads of scoped rows take an AreaScope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, case, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, make_transient_to_detached

from linli.areas.models import GridAssignment
from linli.authz.models import Grant
from linli.authz.scope import AreaScope
from linli.db.many import complete, insert_many
from linli.events.models import (
    CategoryLimit,
    Event,
    EventCategory,
    EventCount,
    EventLog,
    EventPhoto,
    HandlingUnit,
    RoutingRule,
    UnitArea,
    UnitMember,
)
from linli.events.workflow import OPEN_STATES
from linli.kit import codes


def state_in(states) -> object:
    """`state IN (...)` with the values written into the SQL, so PostgreSQL can match the partial
    indexes (a prepared statement's generic plan cannot prove a bound parameter implies them)."""
    return Event.state.in_(bindparam(f"states_{len(states)}", list(states), expanding=True, literal_execute=True))


QUEUE_STATES = ("dispatched", "accepted")


# --- categories, limits, units, routing ------------------------------------------------------


def categories(session: Session) -> list[EventCategory]:
    return list(session.scalars(select(EventCategory).order_by(EventCategory.code)))


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
    low, high = codes.subtree_range(area_code)
    stmt = select(HandlingUnit).where(
        scope.clause(HandlingUnit.area_code), HandlingUnit.area_code >= low, HandlingUnit.area_code < high
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
    low, high = codes.subtree_range(area_code)
    stmt = select(RoutingRule).where(
        scope.clause(RoutingRule.area_code), RoutingRule.area_code >= low, RoutingRule.area_code < high
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


# --- events ---------------------------------------------------------------------------------


def event(session: Session, event_id: int, scope: AreaScope, *, for_update: bool = False) -> Event | None:
    stmt = select(Event).where(Event.id == event_id, scope.clause(Event.area_code))
    if for_update and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return session.scalar(stmt)


def by_idempotency_key(session: Session, reporter_id: int, key: str) -> Event | None:
    return session.scalar(select(Event).where(Event.reporter_id == reporter_id, Event.idempotency_key == key))


def timeline(session: Session, event_id: int) -> list[EventLog]:
    return list(session.scalars(select(EventLog).where(EventLog.event_id == event_id).order_by(EventLog.id)))


def photos(session: Session, event_id: int) -> list[EventPhoto]:
    return list(session.scalars(select(EventPhoto).where(EventPhoto.event_id == event_id).order_by(EventPhoto.id)))


def overdue_clause(now: datetime):
    return and_(Event.state.in_(OPEN_STATES), Event.stage_deadline < now)


def filtered(
    scope: AreaScope,
    *,
    area_code: str | None = None,
    states: list[str] | None = None,
    category: str | None = None,
    unit_id: int | None = None,
    overdue: bool | None = None,
    reporter_id: int | None = None,
    now: datetime,
) -> Select:
    stmt = select(Event).where(scope.clause(Event.area_code))
    if area_code:
        low, high = codes.subtree_range(area_code)
        stmt = stmt.where(Event.area_code >= low, Event.area_code < high)
    if states:
        stmt = stmt.where(Event.state.in_(states))
    if category:
        stmt = stmt.where(Event.category_code.startswith(category))
    if unit_id is not None:
        stmt = stmt.where(Event.unit_id == unit_id)
    if overdue is True:
        stmt = stmt.where(overdue_clause(now))
    elif overdue is False:
        stmt = stmt.where(~overdue_clause(now) | Event.stage_deadline.is_(None))
    if reporter_id is not None:
        stmt = stmt.where(Event.reporter_id == reporter_id)
    return stmt


def page(session: Session, stmt: Select, offset: int, limit: int, order) -> tuple[list[Event], int]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return list(rows), total


def queue(session: Session, unit_id: int, scope: AreaScope, offset: int, limit: int) -> tuple[list[Event], int]:
    """A unit's work: events dispatched to it and not yet handled, the nearest deadline first
    (read along the partial index ix_events_queue)."""
    stmt = select(Event).where(Event.unit_id == unit_id, state_in(QUEUE_STATES), scope.clause(Event.area_code))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Event.stage_deadline, Event.id).offset(offset).limit(limit)).all()
    return list(rows), total


def counts_by_child(
    session: Session, scope: AreaScope, area_code: str, child_len: int, now: datetime
) -> list[tuple[str, str, int, int]]:
    """(child code prefix, state, events, overdue) over the subtree: one GROUP BY over the range."""
    low, high = codes.subtree_range(area_code)
    child = func.substr(Event.area_code, 1, child_len).label("child")
    overdue = func.sum(case((and_(Event.state.in_(OPEN_STATES), Event.stage_deadline < now), 1), else_=0))
    stmt = (
        select(child, Event.state, func.count(), overdue)
        .where(Event.area_code >= low, Event.area_code < high, scope.clause(Event.area_code))
        .group_by(child, Event.state)
    )
    return [(c, s, n, int(o or 0)) for c, s, n, o in session.execute(stmt)]


def open_overdue_for_escalation(session: Session, now: datetime, limit: int) -> list[Event]:
    stmt = (
        select(Event)
        .where(
            state_in(OPEN_STATES),
            Event.stage_deadline < now,
            Event.escalation_level < 2,
            (Event.next_escalation_at.is_(None)) | (Event.next_escalation_at <= now),
        )
        .order_by(Event.stage_deadline)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


# --- counts per village and state ---------------------------------------------------------------


def _village_key(area_code: str) -> str:
    return area_code[:12].ljust(15, "0")


def insert_events(session: Session, events: list[Event]) -> None:
    """Write new events (ids set, see db.bulk.reserve_ids_of) in one statement, then put the objects in the session as
    if loaded (no second write): later changes in the transaction go through the ORM as usual."""
    table = Event.__table__
    rows = [complete(table, {c.key: getattr(e, c.key) for c in table.columns}) for e in events]
    insert_many(session, table, rows)
    for e, row in zip(events, rows, strict=True):
        # Every column's value as written, so that reading one later does not query the database.
        vars(e).update(row)
        make_transient_to_detached(e)
        session.add(e)


def move_count(session: Session, area_code: str, old: str | None, new: str | None) -> None:
    """One event left state `old` and entered `new` (None: created / gone), in the caller's transaction."""
    move_counts(session, [(area_code, old, new)])


def move_counts(session: Session, moves: Iterable[tuple[str, str | None, str | None]]) -> None:
    """Several events moved (area code, old state, new state): the counts change in one statement."""
    deltas: dict[tuple[str, str], int] = {}
    for area_code, old, new in moves:
        if old == new:
            continue
        key = _village_key(area_code)
        for state, d in ((old, -1), (new, 1)):
            if state is not None:
                deltas[key, state] = deltas.get((key, state), 0) + d
    # Sorted, so two transactions touching the same rows take their locks in the same order.
    rows = [{"area_code": a, "state": s, "n": n} for (a, s), n in sorted(deltas.items()) if n]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(EventCount)
    stmt = ins.on_conflict_do_update(index_elements=["area_code", "state"], set_={"n": EventCount.n + ins.excluded.n})
    insert_many(
        session,
        EventCount.__table__,
        rows,
        pg_suffix="ON CONFLICT (area_code, state) DO UPDATE SET n = event_counts.n + excluded.n",
        sqlite_statement=stmt,
    )


def rebuild_counts(session: Session) -> int:
    """Recompute the counts from the events (after a bulk load or a repair); returns the rows written."""
    session.execute(delete(EventCount))
    village = func.substr(Event.area_code, 1, 12)
    rows = session.execute(select(village, Event.state, func.count()).group_by(village, Event.state)).all()
    if rows:
        session.execute(insert(EventCount), [{"area_code": v.ljust(15, "0"), "state": s, "n": n} for v, s, n in rows])
    return len(rows)


def counts_by_child_from_counts(
    session: Session, scope: AreaScope, area_code: str, child_len: int
) -> list[tuple[str, str, int]]:
    low, high = codes.subtree_range(area_code)
    child = func.substr(EventCount.area_code, 1, child_len).label("child")
    stmt = (
        select(child, EventCount.state, func.sum(EventCount.n))
        .where(EventCount.area_code >= low, EventCount.area_code < high, scope.clause(EventCount.area_code))
        .group_by(child, EventCount.state)
    )
    return [(c, s, int(n or 0)) for c, s, n in session.execute(stmt)]


def overdue_by_child(
    session: Session, scope: AreaScope, area_code: str, child_len: int, now: datetime
) -> list[tuple[str, int]]:
    """Overdue open events per child: reads the partial index of open events by deadline."""
    low, high = codes.subtree_range(area_code)
    child = func.substr(Event.area_code, 1, child_len).label("child")
    stmt = (
        select(child, func.count())
        .where(
            state_in(OPEN_STATES),
            Event.stage_deadline < now,
            Event.area_code >= low,
            Event.area_code < high,
            scope.clause(Event.area_code),
        )
        .group_by(child)
    )
    return [(c, int(n)) for c, n in session.execute(stmt)]
