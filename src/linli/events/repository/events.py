"""SQL of events: one event, filtered lists and their pages, a unit's queue, the timeline, photos, the
escalation job's candidates, and writing new events in one statement. Reads of scoped rows take an
AreaScope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import Select, and_, bindparam, case, func, literal, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from linli.areas.models import Area
from linli.authz.scope import AreaScope, subtree_clause
from linli.db.many import complete, insert_many
from linli.events.models import Event, EventCategory, EventLog, EventPhoto, MeToo
from linli.events.workflow import OPEN_STATES
from linli.kit.time import utcnow


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


def said_me_too(session: Session, event_id: int, user_id: int | None) -> bool:
    """Whether the user has said "me too" on the event."""
    return (
        session.scalar(select(MeToo.id).where(MeToo.event_id == event_id, MeToo.user_id == user_id).limit(1))
        is not None
    )


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
    text: str | None = None,
    text_reporter_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    now: datetime,
) -> Select:
    """Events in scope by the list's filters: `text` in the title or description (of `text_reporter_id`'s
    own events only, when given: a reader who sees the public part must not find masked digits by
    searching), reported in [since, until)."""
    stmt = select(Event).where(scope.clause(Event.area_code))
    if text:
        stmt = stmt.where(
            or_(Event.title.icontains(text, autoescape=True), Event.description.icontains(text, autoescape=True))
        )
        if text_reporter_id is not None:
            stmt = stmt.where(Event.reporter_id == text_reporter_id)
    if since is not None:
        stmt = stmt.where(Event.reported_at >= since)
    if until is not None:
        stmt = stmt.where(Event.reported_at < until)
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


def open_points(session: Session, scope: AreaScope, area_code: str) -> list:
    """Rows (id, lon, lat, state, stage_deadline, area_code) of the open events under `area_code` in
    scope: the map's points, columns only (a city has a hundred thousand)."""
    stmt = select(Event.id, Event.lon, Event.lat, Event.state, Event.stage_deadline, Event.area_code).where(
        scope.clause(Event.area_code),
        subtree_clause(Event.area_code, area_code),
        state_in(OPEN_STATES),
    )
    return list(session.execute(stmt).all())


def open_by_place(session: Session, scope: AreaScope, area_code: str, now: datetime) -> list:
    """Rows (area_code, n, overdue, lon, lat) of the open events under `area_code` in scope, one per grid
    (or deepest area) they lie in, at their mean position: the map's groups when points are too many."""
    late = func.sum(case((Event.stage_deadline < now, 1), else_=0))
    stmt = (
        select(Event.area_code, func.count(), late, func.avg(Event.lon), func.avg(Event.lat))
        .where(scope.clause(Event.area_code), subtree_clause(Event.area_code, area_code), state_in(OPEN_STATES))
        .group_by(Event.area_code)
        .order_by(Event.area_code)
    )
    return list(session.execute(stmt).all())


def page(session: Session, stmt: Select, offset: int, limit: int, order) -> tuple[list[Event], int]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.order_by(*order).offset(offset).limit(limit)).all()
    return list(rows), total


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def in_batches(session: Session, stmt: Select, order, batch: int) -> Iterator[list[Event]]:
    """The rows of `stmt` in `order`, `batch` at a time (fetched as they are written, not held all at once)."""
    result = session.scalars(stmt.order_by(*order).execution_options(yield_per=batch))
    yield from result.partitions(batch)


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


# --- Open311 (GeoReport v2) -----------------------------------------------------------------------


def _requests_visible(scope: AreaScope | None, public_states: Iterable[str]) -> Select:
    """Service requests a reader may see: with a scope, the events in it; without (the anonymous
    public), the events in `public_states` of public categories. Never one merged into another."""
    if scope is None:
        public_categories = select(EventCategory.code).where(EventCategory.public.is_(True))
        stmt = select(Event).where(Event.state.in_(public_states), Event.category_code.in_(public_categories))
    else:
        stmt = filtered(scope, now=utcnow())
    return stmt.where(Event.merged_into_id.is_(None))


def service_requests(
    session: Session,
    scope: AreaScope | None,
    public_states: Iterable[str],
    *,
    limit: int,
    ids: list[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    categories: list[str] | None = None,
    is_open: bool | None = None,
) -> list[Event]:
    """The service requests a reader may see (see _requests_visible), newest first: those of `ids`, or
    those reported between `since` and `until` of `categories`, open or closed (None: either)."""
    stmt = _requests_visible(scope, public_states)
    if ids:
        stmt = stmt.where(Event.id.in_(ids))
    if since is not None:
        stmt = stmt.where(Event.reported_at >= since)
    if until is not None:
        stmt = stmt.where(Event.reported_at <= until)
    if categories:
        stmt = stmt.where(Event.category_code.in_(categories))
    if is_open is True:
        stmt = stmt.where(Event.state.in_(OPEN_STATES))
    elif is_open is False:
        stmt = stmt.where(Event.state.not_in(OPEN_STATES))
    return list(session.scalars(stmt.order_by(Event.reported_at.desc()).limit(limit)).all())


def service_request(
    session: Session, scope: AreaScope | None, public_states: Iterable[str], event_id: int
) -> Event | None:
    """One service request, if the reader may see it (see _requests_visible)."""
    return session.scalar(_requests_visible(scope, public_states).where(Event.id == event_id))


def areas_named_in(session: Session, address: str) -> list[Area]:
    """The live areas with a representative point whose name the address contains (the Open311 intake's
    stand-in for a street geocoder); the caller keeps those the reporter may report in."""
    return list(
        session.scalars(
            select(Area).where(
                Area.rep_lon.is_not(None),
                Area.retired_at.is_(None),
                literal(address).contains(Area.name, autoescape=False),
            )
        ).all()
    )
