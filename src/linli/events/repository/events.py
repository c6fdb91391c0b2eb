"""SQL of events: one event, filtered lists and their pages, a unit's queue, the timeline, photos, the
escalation job's candidates, and writing new events in one statement. Reads of scoped rows take an
AreaScope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import Session, make_transient_to_detached

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause
from linli.db.many import complete, insert_many
from linli.events.models import Event, EventLog, EventPhoto
from linli.events.workflow import OPEN_STATES


def state_in(states) -> object:
    """`state IN (...)` with the values written into the SQL, so PostgreSQL can match the partial
    indexes (a prepared statement's generic plan cannot prove a bound parameter implies them)."""
    return Event.state.in_(bindparam(f"states_{len(states)}", list(states), expanding=True, literal_execute=True))


QUEUE_STATES = ("dispatched", "accepted")


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
        stmt = stmt.where(subtree_clause(Event.area_code, area_code))
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


# --- the demo's reads ---------------------------------------------------------------------------


def generated_count(session: Session, area_codes: Iterable[str]) -> int:
    """How many generated (demo) events lie in the subtrees of `area_codes`."""
    return sum(
        session.scalar(
            select(func.count()).select_from(Event).where(Event.generated.is_(True), subtree_clause(Event.area_code, c))
        )
        for c in area_codes
    )


def grid_points(session: Session, area_codes: Iterable[str]) -> list[tuple[str, float, float]]:
    """(code, lon, lat) of the grids with a representative point in the subtrees of `area_codes`, where
    generated events are placed."""
    points: list = []
    for c in area_codes:
        points += session.execute(
            select(Area.code, Area.rep_lon, Area.rep_lat).where(
                Area.level == "grid", subtree_clause(Area.area_code, c), Area.rep_lon.is_not(None)
            )
        ).all()
    return points
