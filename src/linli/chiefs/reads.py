"""The reads of the API and the pages, checked against the reader: an area out of reach and a row out of
scope answer 404 like a missing one."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.chiefs import repository as repo
from linli.chiefs.models import LEVELS, Appointment, Coverage, Patrol, Road
from linli.chiefs.service import READ, area_in, visible_appointment, visible_road
from linli.events.models import Event
from linli.kit import codes

road = visible_road


def appointment(session: Session, principal: Principal, appointment_id: int) -> tuple[Appointment, list[Coverage]]:
    a = visible_appointment(session, principal, appointment_id)
    return a, repo.coverage_of(session, [a.id])[a.id]


def appointments(
    session: Session, principal: Principal, area: str, *, status: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[list[Appointment], int, dict[int, list[Coverage]]]:
    area_in(session, principal, area, READ)
    items, total = repo.appointments_in(session, principal.scope(READ), area, status=status, offset=offset, limit=limit)
    return items, total, repo.coverage_of(session, [a.id for a in items])


def roads(
    session: Session, principal: Principal, area: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[Road], int]:
    area_in(session, principal, area, READ)
    return repo.roads_in(session, principal.scope(READ), area, offset=offset, limit=limit)


def patrols(
    session: Session,
    principal: Principal,
    *,
    area: str | None = None,
    road_id: int | None = None,
    appointment_id: int | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Patrol], int]:
    if area:
        area_in(session, principal, area, READ)
    if road_id is not None:
        visible_road(session, principal, road_id)
    if appointment_id is not None:
        visible_appointment(session, principal, appointment_id)
    return repo.patrols_in(
        session, principal.scope(READ), area_code=area, road_id=road_id, appointment_id=appointment_id,
        offset=offset, limit=limit,
    )  # fmt: skip


def covered_places(covers: list[Coverage]) -> list[str]:
    """The unpadded grids and communities an appointment covers (a road by the place it lies in)."""
    return sorted({codes.unpad(c.area_code) for c in covers})


def open_events(session: Session, principal: Principal, covers: list[Coverage], limit: int = 50) -> list[Event]:
    """Open events of the places covered that the reader may see (events' own reading permission)."""
    return repo.open_events(session, principal.scope(Permission.events_read), covered_places(covers), limit)


@dataclass
class CountRow:
    code: str
    levels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    roads: int = 0
    patrols: int = 0

    @property
    def chiefs(self) -> int:
        return sum(self.levels.values())


def counts(session: Session, principal: Principal, area: str) -> tuple[list[CountRow], CountRow]:
    """Active chiefs by level, roads, and this year's patrols, by child area (and the area's own level)."""
    area_in(session, principal, area, READ)
    children = sorted(area_repo.child_names(session, area))
    rows = []
    total = CountRow(area)
    for key, levels, roads_n, patrols_n in repo.counts_under(session, principal.scope(READ), area, children):
        row = CountRow(key, levels, roads_n, patrols_n)
        for lv in LEVELS:
            total.levels[lv] += levels[lv]
        total.roads += roads_n
        total.patrols += patrols_n
        if row.chiefs or row.roads or row.patrols:
            rows.append(row)
    return rows, total


def places_for_forms(session: Session, area_code: str) -> list[tuple[str, str]]:
    """(code, name) of the communities and grids a street's (or community's) forms offer, in code order."""
    if len(area_code) not in (9, 12):
        return []
    communities = area_repo.child_names(session, area_code) if len(area_code) == 9 else {}
    places: dict[str, str] = dict(communities)
    if len(area_code) == 12:
        found = area_repo.find_area(session, area_code)
        places[area_code] = found.name if found else area_code
    for village in [c for c in places if len(c) == 12]:
        for grid, name in area_repo.child_names(session, village).items():
            places[grid] = f"{places[village]} · {name}"
    return sorted(places.items())


def patrol_roads(session: Session, principal: Principal, covers: list[Coverage]) -> list[Road]:
    """The roads a chief may patrol: those covered, and those in the grids covered."""
    direct = [c.road_id for c in covers if c.road_id is not None]
    grids = [c.area_code for c in covers if c.road_id is None]
    return repo.roads_for_patrol(session, principal.scope(READ), direct, grids)
