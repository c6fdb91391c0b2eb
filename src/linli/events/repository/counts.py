"""SQL of the counts of events by village and state (event_counts), kept in step with the events, and
the counts per child area that the statistics read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, case, delete, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.db.many import insert_many
from linli.events.models import Event, EventCount
from linli.events.repository.events import QUEUE_STATES, state_in
from linli.events.workflow import OPEN_STATES


def counts_by_child(
    session: Session, scope: AreaScope, area_code: str, child_len: int, now: datetime
) -> list[tuple[str, str, int, int]]:
    """(child code prefix, state, events, overdue) over the subtree: one GROUP BY over the range."""
    child = func.substr(Event.area_code, 1, child_len).label("child")
    overdue = func.sum(case((and_(Event.state.in_(OPEN_STATES), Event.stage_deadline < now), 1), else_=0))
    stmt = (
        select(child, Event.state, func.count(), overdue)
        .where(subtree_clause(Event.area_code, area_code), scope.clause(Event.area_code))
        .group_by(child, Event.state)
    )
    return [(c, s, n, int(o or 0)) for c, s, n, o in session.execute(stmt)]


def _village_key(area_code: str) -> str:
    return area_code[:12].ljust(15, "0")


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
    child = func.substr(EventCount.area_code, 1, child_len).label("child")
    stmt = (
        select(child, EventCount.state, func.sum(EventCount.n))
        .where(subtree_clause(EventCount.area_code, area_code), scope.clause(EventCount.area_code))
        .group_by(child, EventCount.state)
    )
    return [(c, s, int(n or 0)) for c, s, n in session.execute(stmt)]


def overdue_by_child(
    session: Session, scope: AreaScope, area_code: str, child_len: int, now: datetime
) -> list[tuple[str, int]]:
    """Overdue open events per child: reads the partial index of open events by deadline."""
    child = func.substr(Event.area_code, 1, child_len).label("child")
    stmt = (
        select(child, func.count())
        .where(
            state_in(OPEN_STATES),
            Event.stage_deadline < now,
            subtree_clause(Event.area_code, area_code),
            scope.clause(Event.area_code),
        )
        .group_by(child)
    )
    return [(c, int(n)) for c, n in session.execute(stmt)]


def closed_since_by_child(
    session: Session, scope: AreaScope, area_code: str, child_len: int, since: datetime
) -> dict[str, int]:
    """Events closed at or after `since` per child (padded prefix of `child_len`): a range of
    ix_events_closed (reopening clears closed_at, so the index alone answers)."""
    child = func.substr(Event.area_code, 1, child_len).label("child")
    stmt = (
        select(child, func.count())
        .where(Event.closed_at >= since, subtree_clause(Event.area_code, area_code), scope.clause(Event.area_code))
        .group_by(child)
    )
    return {c: int(n) for c, n in session.execute(stmt)}


def state_totals(session: Session, scope: AreaScope, states: Sequence[str]) -> dict[str, int]:
    """Events per state over the scope (the workbench's counts). Subtrees of a village or above read the
    kept village counts (a township's million events in a few rows); a grid, below the villages those
    counts are kept by, reads its events along ix_events_area_state."""
    totals = dict.fromkeys(states, 0)
    if scope.empty:
        return totals
    shallow = [c for c in scope.area_codes if len(c) <= 12]
    deep = [c for c in scope.area_codes if len(c) > 12]
    queries = []
    if scope.everything or shallow:
        where = [] if scope.everything else [or_(*(subtree_clause(EventCount.area_code, c) for c in shallow))]
        queries.append(
            select(EventCount.state, func.sum(EventCount.n))
            .where(EventCount.state.in_(states), *where)
            .group_by(EventCount.state)
        )
    if deep and not scope.everything:
        queries.append(
            select(Event.state, func.count())
            .where(state_in(states), or_(*(subtree_clause(Event.area_code, c) for c in deep)))
            .group_by(Event.state)
        )
    for q in queries:
        for state, n in session.execute(q):
            totals[state] += int(n or 0)
    return totals


def overdue_total(session: Session, scope: AreaScope, now: datetime) -> int:
    """Open events past their stage deadline in the scope (the partial index of open events by deadline)."""
    if scope.empty:
        return 0
    stmt = select(func.count()).where(state_in(OPEN_STATES), Event.stage_deadline < now, scope.clause(Event.area_code))
    return int(session.scalar(stmt) or 0)


def queue_count(session: Session, unit_id: int, scope: AreaScope) -> int:
    """Events dispatched to the unit and not yet handled (its queue's length)."""
    stmt = select(func.count()).where(Event.unit_id == unit_id, state_in(QUEUE_STATES), scope.clause(Event.area_code))
    return int(session.scalar(stmt) or 0)
