"""Writes of the road chiefs: roads, appointments (with the grids and roads they cover), their end, and
patrols, with a finding reported as a grid event through events' reporting flow (as a grid worker reports).

Appointing names the street or community the chief serves and what they cover inside it; the appointer
holds chiefs.manage over every covered grid and road (a grid beyond their places is refused like one that
does not exist, 404). A chief with an account must already hold chiefs.patrol over what they cover (an
appointment hands no reach of its own). A patrol of a road is recorded by a chief of that road only: an
active appointment of the account covering the road or the grid (or community) it lies in (403 otherwise).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from shapely.geometry import shape
from sqlalchemy.orm import Session

from linli.accounts import repository as accounts_repo
from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal, principal_for
from linli.chiefs import repository as repo
from linli.chiefs.models import Appointment, Coverage, Patrol, Road
from linli.chiefs.schemas import AppointmentIn, EndIn, PatrolIn, RoadIn
from linli.events import reporting
from linli.events.models import Event
from linli.events.schemas import ReportIn
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import N_, t
from linli.kit.time import BEIJING

READ = Permission.chiefs_read
MANAGE = Permission.chiefs_manage
PATROL = Permission.chiefs_patrol
WRONG_LEVEL = {
    ("village", "grid"): N_("a road lies in a community (village) or a grid, and {code} is neither"),
    ("township", "village"): N_("a chief is appointed in a street (township) or a community (village), not in {code}"),
    ("grid",): N_("{code} is not a grid; a chief covers grids and roads"),
}


def area_in(session: Session, principal: Principal, code: str, permission: Permission, *levels: str) -> str:
    """The (unpadded) area `code` held with `permission`, of one of `levels` (any when none are named); 404
    when unknown or out of reach, 422 at another level."""
    code = (code or "").strip()
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    if area_repo.find_area(session, code) is None:
        raise NotFound(t("area {code} does not exist", code=code))
    if levels and codes.level_of(code).value not in levels:
        raise InvalidInput(t(WRONG_LEVEL[levels], code=code))
    return code


def _line(line: dict | None) -> str | None:
    if line is None:
        return None
    try:
        geom = shape(line)
    except Exception:  # shapely raises several kinds on a malformed mapping
        geom = None
    if geom is None or geom.geom_type != "LineString" or geom.is_empty or len(geom.coords) < 2:
        raise InvalidInput(t("the road's line is a GeoJSON LineString of two points or more (lon, lat)"))
    if not all(-180 <= x <= 180 and -90 <= y <= 90 for x, y, *_ in geom.coords):
        raise InvalidInput(t("the road's line has a point that is not a longitude and latitude"))
    return json.dumps({"type": "LineString", "coordinates": [list(c) for c in geom.coords]})


def create_road(session: Session, principal: Principal, body: RoadIn, *, generated: bool = False) -> Road:
    code = area_in(session, principal, body.area_code, MANAGE, "village", "grid")
    name = body.name.strip()
    if not name:
        raise InvalidInput(t("give the road's name"))
    if repo.road_named(session, codes.pad(code), name) is not None:
        raise Conflict(t("{name} is already a road of this place", name=name))
    road = Road(area_code=codes.pad(code), name=name, kind=body.kind, line=_line(body.line), generated=generated)
    session.add(road)
    session.flush()
    record(session, principal, "chiefs.road_create", "chief_road", road.id, road.area_code, after={"name": name})
    return road


def visible_road(session: Session, principal: Principal, road_id: int) -> Road:
    road = repo.get_road(session, road_id, principal.scope(READ))
    if road is None:
        raise NotFound(t("road {id} does not exist", id=road_id))
    return road


def visible_appointment(session: Session, principal: Principal, appointment_id: int) -> Appointment:
    """An appointment in the reader's places, or their own (a lane chief of one grid appointed by the
    community reads their appointment, though the community lies beyond their grid)."""
    found = repo.get_appointment(session, appointment_id, principal.scope(READ))
    if found is None and principal.holds_anywhere(READ):
        found = repo.own_appointment(session, appointment_id, principal.user_id)
    if found is None:
        raise NotFound(t("chief's appointment {id} does not exist", id=appointment_id))
    return found


def _covered(session: Session, principal: Principal, place: str, body: AppointmentIn) -> list[tuple[str, int | None]]:
    """(padded area, road id or None) of what the appointment covers, each inside `place` and managed."""
    covers: list[tuple[str, int | None]] = []
    for grid in dict.fromkeys(g.strip() for g in body.grids):
        grid = area_in(session, principal, grid, MANAGE, "grid")
        if not codes.is_ancestor(place, grid):
            raise InvalidInput(t("grid {grid} is not inside the place of the appointment", grid=grid))
        covers.append((codes.pad(grid), None))
    for road_id in dict.fromkeys(body.road_ids):
        road = repo.get_road(session, road_id, principal.scope(MANAGE))
        if road is None:
            raise NotFound(t("road {id} does not exist", id=road_id))
        if not codes.in_subtree(road.area_code, place):
            raise InvalidInput(t("{name} is not inside the place of the appointment", name=road.name))
        covers.append((road.area_code, road.id))
    if not covers:
        raise InvalidInput(t("name the grids or roads the chief covers"))
    return covers


def _chief(session: Session, principal: Principal, body: AppointmentIn, covers) -> tuple[int | None, str]:
    """The appointed account (holding chiefs.patrol over everything covered) and the name to show."""
    if body.username and body.username.strip():
        user = accounts_repo.by_username(session, body.username.strip())
        if user is None or not accounts_repo.reachable(session, principal.scope(MANAGE), user.id):
            raise NotFound(t("user {username} does not exist", username=body.username))
        grants = accounts_repo.grants_of(session, [user.id]).get(user.id, [])
        them = principal_for(user.id, user.username, [(g.role, codes.unpad(g.area_code)) for g in grants])
        if not all(them.can(PATROL, area) for area, _road in covers):
            raise InvalidInput(
                t("{username} may not patrol everything this appointment covers; grant a role there first",
                  username=user.username)
            )  # fmt: skip
        return user.id, (body.name or "").strip() or user.display_name or user.username
    name = (body.name or "").strip()
    if not name:
        raise InvalidInput(t("give the chief's account or their name"))
    return None, name


def appoint(session: Session, principal: Principal, body: AppointmentIn, *, generated: bool = False) -> Appointment:
    place = area_in(session, principal, body.area_code, MANAGE, "township", "village")
    covers = _covered(session, principal, place, body)
    user_id, name = _chief(session, principal, body, covers)
    on = body.appointed_on or today()
    if on > today():
        raise InvalidInput(t("the appointment date {on} is in the future", on=on))
    a = Appointment(
        area_code=codes.pad(place), level=body.level, user_id=user_id, name=name, unit=body.unit.strip(),
        appointed_on=on, status="active", generated=generated,
    )  # fmt: skip
    session.add(a)
    session.flush()
    session.add_all(Coverage(appointment_id=a.id, area_code=area, road_id=road) for area, road in covers)
    session.flush()
    after = {"level": a.level, "user_id": user_id, "covers": [[codes.unpad(c), r] for c, r in covers]}
    record(session, principal, "chiefs.appoint", "chief_appointment", a.id, a.area_code, after=after)
    return a


def end(session: Session, principal: Principal, appointment_id: int, body: EndIn) -> Appointment:
    visible_appointment(session, principal, appointment_id)
    a = repo.appointment_for_update(session, appointment_id)
    assert a is not None
    principal.check(MANAGE, a.area_code, what=t("chief's appointment {id}", id=a.id))
    if a.status != "active":
        raise Conflict(t("this appointment ended on {on}", on=a.ended_on))
    on = body.ended_on or today()
    if on < a.appointed_on or on > today():
        raise InvalidInput(t("the end date is between the appointment ({start}) and today", start=a.appointed_on))
    a.status, a.ended_on = "ended", on
    session.flush()
    record(session, principal, "chiefs.end", "chief_appointment", a.id, a.area_code, after={"ended_on": str(on)})
    return a


def patrol(
    session: Session,
    principal: Principal,
    body: PatrolIn,
    *,
    appointment_id: int | None = None,
    generated: bool = False,
) -> Patrol:
    """Record the caller's patrol of a road they are chief of (under `appointment_id` when named: the page of
    one appointment records under that one)."""
    road = visible_road(session, principal, body.road_id)
    principal.check(PATROL, road.area_code, what=t("road {id}", id=road.id))
    mine = [a for a, _c in repo.appointments_covering_road(session, road) if a.user_id == principal.user_id]
    if appointment_id is not None:
        mine = [a for a in mine if a.id == appointment_id]
    if not mine or principal.user_id is None:
        raise Forbidden(t("only a chief of {name} records its patrols, and you are not one", name=road.name))
    appointment = mine[0]
    on = body.patrolled_on or today()
    if on > today() or on < appointment.appointed_on:
        raise InvalidInput(
            t("the patrol's date is between the appointment ({start}) and today", start=appointment.appointed_on)
        )
    if body.event is not None and not body.findings.strip():
        raise InvalidInput(t("say what was found before reporting it as an event"))
    event_id = _report(session, principal, road, body) if body.event is not None else None
    p = Patrol(
        appointment_id=appointment.id, road_id=road.id, area_code=road.area_code, patrolled_on=on,
        route=body.route.strip(), findings=body.findings.strip(), event_id=event_id, generated=generated,
    )  # fmt: skip
    session.add(p)
    session.flush()
    record(session, principal, "chiefs.patrol", "chief_patrol", p.id, p.area_code, after={"event_id": event_id})
    return p


def _report(session: Session, principal: Principal, road: Road, body: PatrolIn) -> int:
    e = body.event
    assert e is not None
    report = ReportIn(
        category_code=e.category_code, title=e.title, description=e.description or body.findings, lon=e.lon, lat=e.lat,
        address=road.name,
    )  # fmt: skip
    return reporting.report(session, principal, report, source="chief_patrol").event.id


def mark_event_generated(session: Session, event_id: int) -> None:
    """The demo's reported finding is demo data like the patrol it came from."""
    event = session.get(Event, event_id)
    if event is not None:
        event.generated = True


def today() -> date:
    """Today in Beijing: the day a chief walks and the appointer signs."""
    return datetime.now(BEIJING).date()
