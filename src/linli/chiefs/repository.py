"""All SQL of the road chiefs that reads. Scoped reads take an AreaScope; `get_*` answer None for a row out
of scope, which the callers turn into the same 404 as a missing row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.chiefs.models import Appointment, Coverage, Patrol, Road
from linli.events import repository as events_repo
from linli.events.models import Event
from linli.events.repository.events import OPEN_STATES
from linli.kit import codes


def _page(session: Session, query: Select, order, offset: int, limit: int) -> tuple[list, int]:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return list(session.scalars(query.order_by(*order).offset(offset).limit(limit))), total


# --- roads -----------------------------------------------------------------------------------------


def get_road(session: Session, road_id: int, scope: AreaScope) -> Road | None:
    return session.scalar(select(Road).where(Road.id == road_id, scope.clause(Road.area_code)))


def road_named(session: Session, area_code: str, name: str) -> Road | None:
    return session.scalar(select(Road).where(Road.area_code == area_code, Road.name == name))


def roads_in(
    session: Session, scope: AreaScope, area_code: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[Road], int]:
    conds = [scope.clause(Road.area_code), subtree_clause(Road.area_code, area_code)]
    return _page(session, select(Road).where(*conds), (Road.area_code, Road.name), offset, limit)


def roads_by_id(session: Session, road_ids: Sequence[int | None]) -> dict[int, Road]:
    ids = sorted({i for i in road_ids if i is not None})
    return {r.id: r for r in session.scalars(select(Road).where(Road.id.in_(ids)))} if ids else {}


# --- appointments ----------------------------------------------------------------------------------


def get_appointment(session: Session, appointment_id: int, scope: AreaScope) -> Appointment | None:
    q = select(Appointment).where(Appointment.id == appointment_id, scope.clause(Appointment.area_code))
    return session.scalar(q)


def own_appointment(session: Session, appointment_id: int, user_id: int | None) -> Appointment | None:
    """The account's own appointment (unscoped: it is theirs)."""
    if user_id is None:
        return None
    q = select(Appointment).where(Appointment.id == appointment_id, Appointment.user_id == user_id)
    return session.scalar(q)


def appointment_for_update(session: Session, appointment_id: int) -> Appointment | None:
    return session.get(Appointment, appointment_id, with_for_update=True)


def appointments_in(
    session: Session,
    scope: AreaScope,
    area_code: str,
    *,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Appointment], int]:
    """Appointments made in places under `area_code` (a street's and its communities'), by level and name."""
    conds = [scope.clause(Appointment.area_code), subtree_clause(Appointment.area_code, area_code)]
    if status:
        conds.append(Appointment.status == status)
    order = (Appointment.status, Appointment.level, Appointment.name, Appointment.id)
    return _page(session, select(Appointment).where(*conds), order, offset, limit)


def coverage_of(session: Session, appointment_ids: Sequence[int]) -> dict[int, list[Coverage]]:
    ids = sorted(set(appointment_ids))
    found: dict[int, list[Coverage]] = {i: [] for i in ids}
    if ids:
        q = select(Coverage).where(Coverage.appointment_id.in_(ids)).order_by(Coverage.area_code, Coverage.id)
        for c in session.scalars(q):
            found[c.appointment_id].append(c)
    return found


def active_of_user(session: Session, user_id: int | None) -> list[Appointment]:
    """The account's active appointments (unscoped: an account's own)."""
    if user_id is None:
        return []
    q = select(Appointment).where(Appointment.user_id == user_id, Appointment.status == "active")
    return list(session.scalars(q.order_by(Appointment.id)))


def appointments_covering_road(session: Session, road: Road) -> list[tuple[Appointment, Coverage]]:
    """Active appointments covering the road itself or the grid or community it lies in."""
    q = (
        select(Appointment, Coverage)
        .join(Coverage, Coverage.appointment_id == Appointment.id)
        .where(
            Appointment.status == "active",
            or_(
                Coverage.road_id == road.id,
                (Coverage.road_id.is_(None)) & (Coverage.area_code == road.area_code),
            ),
        )
        .order_by(Appointment.id)
    )
    return [tuple(r) for r in session.execute(q).all()]  # type: ignore[misc]


def generated_appointments(session: Session) -> int:
    return session.scalar(select(func.count()).where(Appointment.generated.is_(True))) or 0


# --- patrols ---------------------------------------------------------------------------------------


def get_patrol(session: Session, patrol_id: int, scope: AreaScope) -> Patrol | None:
    return session.scalar(select(Patrol).where(Patrol.id == patrol_id, scope.clause(Patrol.area_code)))


def patrols_in(
    session: Session,
    scope: AreaScope,
    *,
    area_code: str | None = None,
    road_id: int | None = None,
    appointment_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Patrol], int]:
    conds = [scope.clause(Patrol.area_code)]
    if area_code:
        conds.append(subtree_clause(Patrol.area_code, area_code))
    if road_id is not None:
        conds.append(Patrol.road_id == road_id)
    if appointment_id is not None:
        conds.append(Patrol.appointment_id == appointment_id)
    order = (Patrol.patrolled_on.desc(), Patrol.id.desc())
    return _page(session, select(Patrol).where(*conds), order, offset, limit)


# --- the roads' events -----------------------------------------------------------------------------


def _places(area_codes: Sequence[str]):
    parts = [subtree_clause(Event.area_code, c) for c in sorted(set(area_codes))]
    return or_(*parts) if parts else false()


def open_events_count(session: Session, scope: AreaScope, area_codes: Sequence[str]) -> int:
    """Open events in scope under any of `area_codes` (the grids and communities a chief covers)."""
    q = select(func.count()).where(
        scope.clause(Event.area_code), _places(area_codes), events_repo.state_in(OPEN_STATES)
    )
    return session.scalar(q) or 0


def open_events(session: Session, scope: AreaScope, area_codes: Sequence[str], limit: int = 50) -> list[Event]:
    q = select(Event).where(scope.clause(Event.area_code), _places(area_codes), events_repo.state_in(OPEN_STATES))
    return list(session.scalars(q.order_by(Event.id.desc()).limit(limit)))


# --- figures ---------------------------------------------------------------------------------------


def counts_under(session: Session, scope: AreaScope, code: str, children: Sequence[str]) -> list[tuple]:
    """(key, chiefs by level {level: n}, roads, patrols this year) for `code` itself and each child: every
    count one index range, all in one statement."""
    this_year = date(date.today().year, 1, 1)
    keys = [(code, True), *((c, False) for c in children)]
    columns = []
    for i, (key, own) in enumerate(keys):
        where_a = (Appointment.area_code == codes.pad(key)) if own else subtree_clause(Appointment.area_code, key)
        where_r = (Road.area_code == codes.pad(key)) if own else subtree_clause(Road.area_code, key)
        where_p = (Patrol.area_code == codes.pad(key)) if own else subtree_clause(Patrol.area_code, key)
        for level in ("street", "road", "lane"):
            columns.append(
                select(func.count())
                .where(scope.clause(Appointment.area_code), Appointment.status == "active",
                       Appointment.level == level, where_a)
                .scalar_subquery().label(f"a{i}{level}")
            )  # fmt: skip
        columns.append(
            select(func.count()).where(scope.clause(Road.area_code), where_r).scalar_subquery().label(f"r{i}")
        )
        columns.append(
            select(func.count())
            .where(scope.clause(Patrol.area_code), Patrol.patrolled_on >= this_year, where_p)
            .scalar_subquery().label(f"p{i}")
        )  # fmt: skip
    values = [int(n or 0) for n in session.execute(select(*columns)).one()]
    out = []
    for i, (key, _own) in enumerate(keys):
        s, r, la, roads, patrols = values[i * 5 : i * 5 + 5]
        out.append((key, {"street": s, "road": r, "lane": la}, roads, patrols))
    return out


def roads_for_patrol(session: Session, scope: AreaScope, road_ids: Sequence[int], places: Sequence[str]) -> list[Road]:
    """Roads in scope that are named or lie in one of `places` (padded codes, exactly), by name."""
    if not road_ids and not places:
        return []
    q = select(Road).where(
        scope.clause(Road.area_code), or_(Road.id.in_(list(road_ids)), Road.area_code.in_(list(places)))
    )
    return list(session.scalars(q.order_by(Road.name)))
