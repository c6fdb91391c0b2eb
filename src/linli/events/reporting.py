"""Reporting an event: locate the point to its grid, route it, offer possible duplicates; "me too"."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.areas.locate import LOCATOR, deepest_code
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.db import many
from linli.db.bulk import reserve_ids_of
from linli.events import catalog, contacts, photos
from linli.events import repository as repo
from linli.events.models import EMAIL_CONTEXT, PHONE_CONTEXT, Event, EventLog, EventPhoto, MeToo
from linli.events.schemas import Duplicate, ReportIn, ReportPlaceOut
from linli.events.service import Step, get_event, log_steps, set_stage_deadline, staff_over
from linli.events.workflow import OPEN_STATES
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import t
from linli.kit.time import utcnow

EARTH_RADIUS_M = 6_371_008.8


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine), plenty exact at a few hundred metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass
class Reported:
    event: Event
    created: bool
    duplicates: list[Duplicate] = field(default_factory=list)


def outside(lon: float, lat: float) -> InvalidInput:
    # The same answer for a point outside every area and one outside the reporter's areas: out of
    # scope must read exactly like "does not exist".
    return InvalidInput(
        t(
            "no area served here: the place at ({lon}, {lat}) does not exist among the areas you may report in",
            lon=lon,
            lat=lat,
        ),
        code="outside_service_area",
    )


def locate_for_report(session: Session, principal: Principal, lon: float, lat: float) -> str:
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise InvalidInput(
            t("({lon}, {lat}) is not a valid longitude/latitude", lon=lon, lat=lat), code="invalid_coordinates"
        )
    code, _how = deepest_code(LOCATOR.for_session(session), lon, lat)
    if code is None or not principal.can(Permission.events_report, code):
        raise outside(lon, lat)
    return code


def report_place(session: Session, principal: Principal, lon: float, lat: float) -> ReportPlaceOut:
    """Before reporting: is the point inside the reporter's areas, and in which grid (or area) by name.
    Outside reads like the refusal on submit, naming nothing beyond the reporter's areas."""
    try:
        code = locate_for_report(session, principal, lon, lat)
    except InvalidInput as exc:
        if exc.code != "outside_service_area":
            raise
        return ReportPlaceOut(lon=lon, lat=lat, inside=False, message=exc.message)
    names = areas_repo.get_areas(session, [code, code[:12]])
    name = names[code].name if code in names else code
    village = names[code[:12]].name if len(code) > 12 and code[:12] in names else None
    place = f"{village} · {name}" if village else name
    return ReportPlaceOut(
        lon=lon,
        lat=lat,
        inside=True,
        code=code,
        name=name,
        village=village,
        message=t("Inside the service area: {place}", place=place),
    )


@dataclass
class Draft:
    """A checked report, not stored yet: located, routed, its deadline set (its possible duplicates are
    found for all drafts of a batch at once, by `with_duplicates`)."""

    principal: Principal
    event: Event
    pics: list[EventPhoto]
    duplicates: list[Duplicate] = field(default_factory=list)


def possible_duplicates(
    session: Session, principal: Principal, category: str, lon: float, lat: float, exclude: int | None = None
) -> list[Duplicate]:
    return duplicates_of(session, [(principal, category, lon, lat)], exclude=exclude)[0]


def duplicates_of(
    session: Session, places: list[tuple[Principal, str, float, float]], *, exclude: int | None = None
) -> list[list[Duplicate]]:
    """For each (asker, category, lon, lat): the open events of the category within the radius reported
    in the last days that the asker may read, nearest first, ten at most. One query for all places."""
    settings = get_settings()
    radius = settings.event_duplicate_radius_m
    since = utcnow() - timedelta(days=settings.event_duplicate_days)
    probes = [repo.Probe(category, lon, lat, radius) for _, category, lon, lat in places]
    answers = []
    for (principal, _, lon, lat), rows in zip(places, repo.nearby_open(session, probes, since), strict=True):
        scope = principal.scope(Permission.events_read)
        found = []
        for e in rows:  # nearest first
            d = distance_m(lon, lat, e.lon, e.lat)
            if d <= radius and e.id != exclude and scope.contains(e.area_code):
                title = e.title if staff_over(principal, e.area_code) else contacts.public_text(e.title)
                found.append(
                    Duplicate(id=e.id, title=title, state=e.state, distance_m=round(d, 1), reported_at=e.reported_at)
                )
                if len(found) == 10:
                    break
        answers.append(sorted(found, key=lambda x: x.distance_m))
    return answers


def with_duplicates(session: Session, drafts: list[Draft]) -> None:
    """Find the possible duplicates of the drafts' events, in one query."""
    places = [(d.principal, d.event.category_code, d.event.lon, d.event.lat) for d in drafts]
    for d, found in zip(drafts, duplicates_of(session, places), strict=True):
        d.duplicates = found


def prepare(
    session: Session,
    principal: Principal,
    body: ReportIn,
    *,
    idempotency_key: str | None = None,
    source: str = "api",
    contact: Contact | None = None,
) -> Draft | Reported:
    """Check a report and build its event, reading only. A repeated Idempotency-Key of the same reporter
    gives the first report back (a `Reported` with created False) instead of a draft."""
    if idempotency_key is not None:
        idempotency_key = idempotency_key.strip()
        if not 1 <= len(idempotency_key) <= 100:
            raise InvalidInput(t("the Idempotency-Key header takes 1 to 100 characters"), code="bad_idempotency_key")
        if principal.user_id is not None:
            existing = repo.by_idempotency_key(session, principal.user_id, idempotency_key)
            if existing is not None:
                return Reported(existing, False)
    cat = catalog.reportable_category(session, body.category_code)
    pics = photos.own_unattached(session, principal, body.photo_ids) if body.photo_ids else []
    lon, lat = body.lon, body.lat
    if (lon is None) != (lat is None):
        raise InvalidInput(t("give both lon and lat, or neither (then a photo's EXIF position is used)"))
    if lon is None:
        with_gps = next((p for p in pics if p.exif_lon is not None), None)
        if with_gps is None:
            raise InvalidInput(t("where is it? give lon and lat, or a photo with a GPS position"), code="no_location")
        lon, lat = with_gps.exif_lon, with_gps.exif_lat
    area_code = locate_for_report(session, principal, lon, lat)
    now = utcnow()
    contact = contact or Contact()
    event = Event(
        category_code=cat.code,
        state="reported",
        title=body.title.strip(),
        description=body.description.strip(),
        lon=lon,
        lat=lat,
        address=body.address.strip(),
        area_code=area_code.ljust(15, "0"),
        source=source,
        reporter_id=principal.user_id,
        contact_name=(contact.name or "").strip() or None,
        contact_email_enc=contacts.seal(contact.email, EMAIL_CONTEXT),
        contact_phone_enc=contacts.seal(contact.phone or body.contact_phone, PHONE_CONTEXT),
        idempotency_key=idempotency_key,
        unit_id=catalog.route(session, cat, area_code),
        reported_at=now,
        updated_at=now,
    )
    set_stage_deadline(session, event, now)
    return Draft(principal, event, pics)


def store(session: Session, drafts: list[Draft]) -> list[Reported]:
    """Write checked reports: the events, their counts, timeline entries, notifications and audit
    entries, in a few statements for all of them (the intake batcher passes many at once).

    Two drafts with the same reporter and Idempotency-Key store one event; the second gets it back.
    A key stored meanwhile by another transaction: with one draft, its event is returned; with several,
    IntegrityError is raised after rolling back to before this call, and the caller stores them one by one.
    """
    if not drafts:
        return []
    first_of_key: dict[tuple[int, str], int] = {}
    same_as: dict[int, int] = {}
    fresh: list[Draft] = []
    for i, d in enumerate(drafts):
        key = (d.event.reporter_id, d.event.idempotency_key)
        if key[0] is not None and key[1] is not None:
            if key in first_of_key:
                same_as[i] = first_of_key[key]
                continue
            first_of_key[key] = i
        fresh.append(d)
    events = [d.event for d in fresh]
    ids = reserve_ids_of(session, (Event.__table__, EventLog.__table__), len(events))
    for event, (event_id, _) in zip(events, ids, strict=True):
        event.id = event_id
    _duplicates_within(fresh)
    if first_of_key:
        # A key may meet another transaction's: the events go first, alone, under a savepoint.
        savepoint = session.begin_nested()
        try:
            repo.insert_events(session, events)
        except IntegrityError:
            savepoint.rollback()
            if len(fresh) > 1:
                raise
            # The same key arrived twice at once: the other request won; answer with its event.
            event = fresh[0].event
            return [Reported(repo.by_idempotency_key(session, event.reporter_id, event.idempotency_key), False)]
        savepoint.commit()
    with many.together(session):  # one statement for the events, counts, timeline and outbox
        if not first_of_key:
            repo.insert_events(session, events)
        repo.move_counts(session, [(e.area_code, None, e.state) for e in events])
        log_steps(
            session,
            [
                Step(
                    d.principal,
                    d.event,
                    "report",
                    None,
                    note=d.event.title,
                    data={
                        "category": d.event.category_code,
                        "unit_id": d.event.unit_id,
                        "photos": [p.id for p in d.pics],
                        "source": d.event.source,
                    },
                    at=d.event.reported_at,
                )
                for d in fresh
            ],
            ids=[log_id for _, log_id in ids],
        )
    for d in fresh:  # after the events exist: the photos are updated through the ORM
        photos.attach(d.pics, d.event.id, d.event.area_code, "report")
    stored = iter(fresh)
    results = [None if i in same_as else Reported(next(stored).event, True, d.duplicates) for i, d in enumerate(drafts)]
    for i, first in same_as.items():
        results[i] = Reported(results[first].event, False)
    return results


def _duplicates_within(drafts: list[Draft]) -> None:
    """Reports written together did not see each other when their duplicates were looked up: offer each
    the earlier ones of its batch nearby, as it would have seen them one by one."""
    radius = get_settings().event_duplicate_radius_m
    for j, later in enumerate(drafts):
        extra, scope = [], None
        for earlier in drafts[:j]:
            e = earlier.event
            if e.category_code != later.event.category_code:
                continue
            d = distance_m(later.event.lon, later.event.lat, e.lon, e.lat)
            if d > radius:
                continue
            scope = scope or later.principal.scope(Permission.events_read)
            if scope.contains(e.area_code):
                extra.append(
                    Duplicate(id=e.id, title=e.title, state=e.state, distance_m=round(d, 1), reported_at=e.reported_at)
                )
        if extra:
            later.duplicates = sorted(later.duplicates + extra, key=lambda x: x.distance_m)[:10]


def report(
    session: Session,
    principal: Principal,
    body: ReportIn,
    *,
    idempotency_key: str | None = None,
    source: str = "api",
    contact: Contact | None = None,
) -> Reported:
    """File a new event (or, for a repeated Idempotency-Key of the same reporter, return the first one)."""
    draft = prepare(session, principal, body, idempotency_key=idempotency_key, source=source, contact=contact)
    if isinstance(draft, Reported):
        return draft
    return file(session, draft)


def file(session: Session, draft: Draft) -> Reported:
    """Store a checked report, with its possible duplicates."""
    with_duplicates(session, [draft])
    return store(session, [draft])[0]


def me_too(session: Session, principal: Principal, event_id: int) -> Event:
    """Add oneself to an open event instead of filing the same problem again."""
    event = get_event(session, principal, event_id, for_update=True)
    principal.check(Permission.events_report, event.area_code, what=t("event {event_id}", event_id=event_id))
    if event.state not in OPEN_STATES:
        raise Conflict(
            t("event {event_id} is {state}; report a new event instead", event_id=event_id, state=event.state)
        )
    if event.reporter_id == principal.user_id:
        raise Conflict(t("you reported this event yourself"))
    if repo.said_me_too(session, event.id, principal.user_id):
        raise Conflict(t("you have said 'me too' on this event already"))
    session.add(MeToo(event_id=event.id, user_id=principal.user_id))
    event.me_too_count += 1
    session.flush()
    record(session, principal, "event.me_too", "event", event.id, event.area_code, after={"me_too": event.me_too_count})
    return event
