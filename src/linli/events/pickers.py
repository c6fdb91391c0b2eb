"""What the pickers offer instead of typed ids, checked against the reader: the handling units an event may
be dispatched to (a tree by area), the open events near an event to merge it into, and the open reports
near a place before a report is filed (for "me too")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.events import contacts
from linli.events.kinds import unit_kind_label
from linli.events.models import Event
from linli.events.reporting import distance_m
from linli.events.repository import pickers as repo
from linli.events.service import category_names, get_event, staff_over
from linli.kit import codes
from linli.kit.time import utcnow

MERGE_RADIUS_M = 1000.0  # a merge picker looks wider than a reporter's duplicates: a place typed as an address
MERGE_CHOICES = 20
NEARBY_CHOICES = 10


@dataclass
class UnitChoice:
    id: int
    name: str
    kind: str


@dataclass
class UnitGroup:
    """The units sitting at one area (its name, the code in a tooltip)."""

    code: str
    name: str
    units: list[UnitChoice] = field(default_factory=list)


def dispatch_choices(session: Session, principal: Principal, event_id: int, query: str = "") -> list[UnitGroup]:
    """The active units the principal may dispatch the event to (those serving its place), grouped by the area
    each sits at, from the top; `query` keeps those whose name has it."""
    event = get_event(session, principal, event_id)
    units = repo.dispatch_units(session, event.area_code)
    query = query.strip()
    if query:
        units = [u for u in units if query.casefold() in u.name.casefold()]
    places = sorted({codes.unpad(u.area_code) for u in units}, key=lambda c: (len(c), c))
    names = {c: a.name for c, a in area_repo.get_areas(session, places).items()}
    groups = {c: UnitGroup(c, names.get(c, c)) for c in places}
    for u in units:
        groups[codes.unpad(u.area_code)].units.append(UnitChoice(u.id, u.name, unit_kind_label(u.kind)))
    return list(groups.values())


@dataclass
class Nearby:
    """An open event near a place, as the asker may see it (the public part for a resident)."""

    id: int
    title: str
    category_code: str
    category_name: str
    state: str
    distance_m: float
    reported_at: datetime
    me_too_count: int
    same_category: bool
    mine: bool = False
    said_me_too: bool = False
    can_me_too: bool = False


def _nearby(
    session: Session,
    principal: Principal,
    rows: list[Event],
    lon: float,
    lat: float,
    category: str,
    radius_m: float,
    limit: int,
) -> list[Nearby]:
    """The rows within the radius, the same category (or its 大类) first, then the nearest, `limit` at most."""
    names = category_names(session)
    family = category[:2] if category else ""
    found = []
    for e in rows:
        d = distance_m(lon, lat, e.lon, e.lat)
        if d > radius_m:
            continue
        title = e.title if staff_over(principal, e.area_code) or e.reporter_id == principal.user_id else None
        found.append(
            Nearby(
                id=e.id,
                title=title if title is not None else contacts.public_text(e.title),
                category_code=e.category_code,
                category_name=names.get(e.category_code, e.category_code),
                state=e.state,
                distance_m=round(d),
                reported_at=e.reported_at,
                me_too_count=e.me_too_count,
                same_category=bool(category) and e.category_code == category,
                mine=principal.user_id is not None and e.reporter_id == principal.user_id,
            )
        )
    found.sort(key=lambda n: (not n.same_category, not (family and n.category_code[:2] == family), n.distance_m))
    return found[:limit]


def merge_choices(session: Session, principal: Principal, event_id: int) -> list[Nearby]:
    """Open events within MERGE_RADIUS_M of the event that the principal manages, the same category first."""
    event = get_event(session, principal, event_id)
    scope = principal.scope(Permission.events_manage)
    cats = list(category_names(session))
    rows = repo.open_near(session, scope, cats, event.lon, event.lat, MERGE_RADIUS_M, first=event.category_code)
    rows = [e for e in rows if e.id != event.id]
    return _nearby(session, principal, rows, event.lon, event.lat, event.category_code, MERGE_RADIUS_M, MERGE_CHOICES)


def report_nearby(session: Session, principal: Principal, lon: float, lat: float, category: str = "") -> list[Nearby]:
    """Before a report is filed: the open reports the reporter may read within the duplicate radius of the
    point, reported in the duplicate window, the same category first; each says whether "me too" is open to
    them (not their own, not said already, and they may report there)."""
    settings = get_settings()
    radius = settings.event_duplicate_radius_m
    since = utcnow() - timedelta(days=settings.event_duplicate_days)
    scope = principal.scope(Permission.events_read)
    cats = list(category_names(session))
    rows = repo.open_near(session, scope, cats, lon, lat, radius, first=category, since=since)
    found = _nearby(session, principal, rows, lon, lat, category, radius, NEARBY_CHOICES)
    said = repo.said_me_too_ids(session, [n.id for n in found], principal.user_id)
    places = {e.id: e.area_code for e in rows}
    for n in found:
        n.said_me_too = n.id in said
        n.can_me_too = not n.mine and not n.said_me_too and principal.can(Permission.events_report, places[n.id])
    return found
