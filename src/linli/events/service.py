"""Events: reading one (with what the principal may see), the state transitions, supervision notes.

Every change writes a timeline entry, enqueues notifications in the outbox and records an audit
entry, all in the caller's transaction; the audit entry comes last because on PostgreSQL it takes
the audit chain's lock until commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.db.bulk import reserve_ids
from linli.db.many import insert_many
from linli.events import catalog, contacts, photos
from linli.events import repository as repo
from linli.events.catalog_cache import CATALOG
from linli.events.models import Event, EventLog, HandlingUnit
from linli.events.notifications import notify_steps
from linli.events.repository import pickers as pickers_repo
from linli.events.schemas import ContactOut, DeadlineOut, EventDetail, EventOut, PhotoOut, TimelineEntry, TransitionIn
from linli.events.workflow import ACTIONS, OPEN_STATES, STAGE_OF_STATE, Action, allowed_actions, plan, target_of
from linli.kit import codes
from linli.kit import workdays as calendar
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow

STAFF_EXCLUDES = frozenset({Role.resident})  # staff: any role but resident

# --- reading ---------------------------------------------------------------------------------


def get_event(session: Session, principal: Principal, event_id: int, *, for_update: bool = False) -> Event:
    event = repo.event(session, event_id, principal.scope(Permission.events_read), for_update=for_update)
    if event is None:
        raise NotFound(t("event {event_id} does not exist", event_id=event_id))
    return event


def sees_personal(principal: Principal, event: Event) -> bool:
    """Staff (any role but resident) over the event's place, and the reporter, see personal data."""
    if principal.user_id is not None and principal.user_id == event.reporter_id:
        return True
    return staff_over(principal, event.area_code)


def staff_over(principal: Principal, area_code: str) -> bool:
    """Whether the principal holds a role other than resident over the (padded) area (the system
    principal is staff everywhere)."""
    return principal.roles_scope(excluding=STAFF_EXCLUDES).contains(area_code)


def deadline_of(event: Event, now: datetime) -> DeadlineOut | None:
    if event.stage_deadline is None or event.state not in OPEN_STATES:
        return None
    due = as_utc(event.stage_deadline)
    return DeadlineOut(
        stage=STAGE_OF_STATE[event.state],
        due=due,
        overdue=due < now,
        remaining_working_hours=round(calendar.working_seconds_between(now, due) / 3600, 2),
    )


def category_names(session: Session) -> dict[str, str]:
    """Category names, read once per session (a request) rather than once per event of a page."""
    return CATALOG.for_session(session).category_names


def unit_names(session: Session, ids: set[int]) -> dict[int, str]:
    names = CATALOG.for_session(session).unit_names
    return {i: names[i] for i in ids if i in names}


def event_out(
    session: Session,
    principal: Principal,
    event: Event,
    *,
    now: datetime | None = None,
    units: dict[int, str] | None = None,
    with_actions: bool = False,
) -> EventOut:
    now = now or utcnow()
    full = sees_personal(principal, event)
    names = category_names(session)
    units = units if units is not None else unit_names(session, {event.unit_id})
    out = EventOut(
        id=event.id,
        category_code=event.category_code,
        category_name=names.get(event.category_code, event.category_code),
        state=event.state,
        title=event.title if full else contacts.public_text(event.title),
        description=event.description if full else contacts.public_text(event.description),
        lon=event.lon,
        lat=event.lat,
        address=event.address,
        area_code=codes.unpad(event.area_code),
        reported_at=event.reported_at,
        updated_at=event.updated_at,
        unit_id=event.unit_id,
        unit_name=units.get(event.unit_id),
        escalation_level=event.escalation_level,
        deadline=deadline_of(event, now),
        me_too_count=event.me_too_count,
        merged_into_id=event.merged_into_id,
        satisfaction=event.satisfaction if full else None,
        generated=event.generated,
        public=not full,
    )
    if full:
        out.source = event.source
        out.reporter_id = event.reporter_id
        out.contact_name = event.contact_name
        # Masked for staff; in clear for the reporter, and for others only through contacts.reveal (audited).
        mine = principal.user_id is not None and principal.user_id == event.reporter_id
        out.contact_email = contacts.email_of(event, reveal=mine)
        out.contact_phone = contacts.phone_of(event, reveal=mine)
    if with_actions:
        out.allowed_actions = [a for a in allowed_actions(event.state) if may(session, principal, event, ACTIONS[a])]
    return out


def detail(session: Session, principal: Principal, event_id: int) -> EventDetail:
    event = get_event(session, principal, event_id)
    base = event_out(session, principal, event, with_actions=True)
    full = not base.public
    # Staff accounts' names are for staff: the reporter sees who acted only where it was themself.
    staff = staff_over(principal, event.area_code)
    timeline = []
    for step in repo.timeline(session, event.id):
        entry = TimelineEntry(at=step.at, action=step.action, from_state=step.from_state, to_state=step.to_state)
        if full:
            own = principal.user_id is not None and step.actor_id == principal.user_id
            entry.actor = step.actor if staff or own else None
            entry.note = step.note
            entry.data = json.loads(step.data) if step.data else None
        timeline.append(entry)
    pics = [
        PhotoOut(
            id=p.id,
            stage=p.stage,
            url=f"/api/v1/event-photos/{p.id}",
            width=p.width if full else None,
            height=p.height if full else None,
            exif_point=[p.exif_lon, p.exif_lat] if full and p.exif_lon is not None else None,
        )
        for p in repo.photos(session, event.id)
    ]
    return EventDetail(**base.model_dump(), timeline=timeline, photos=pics)


def reveal_contact(session: Session, principal: Principal, event_id: int) -> ContactOut:
    """The reporter's phone and e-mail in clear, for one who must call them back (audited)."""
    event = get_event(session, principal, event_id)
    return ContactOut(event_id=event.id, **contacts.reveal(session, principal, event))


# --- the steps ---------------------------------------------------------------------------------


def set_stage_deadline(session: Session, event: Event, now: datetime) -> None:
    stage = STAGE_OF_STATE.get(event.state)
    if stage is None:
        event.stage_deadline = None
        return
    cat = CATALOG.for_session(session).categories.get(event.category_code) or repo.category(
        session, event.category_code
    )
    amount, unit = catalog.limits_for(session, cat, event.area_code).of(stage)
    event.stage_deadline = calendar.add_limit(now, amount, unit)
    event.next_escalation_at = None


@dataclass
class Step:
    """One step of one event, for `log_steps`."""

    principal: Principal
    event: Event
    action: str
    from_state: str | None
    note: str = ""
    data: dict[str, Any] | None = None
    at: datetime | None = None


def log_step(
    session: Session,
    principal: Principal,
    event: Event,
    action: str,
    from_state: str | None,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
    audit: bool = True,
) -> EventLog:
    """Timeline entry, outbox notifications and (last) the audit entry of one step."""
    return log_steps(session, [Step(principal, event, action, from_state, note, data, at)], audit=audit)[0]


def log_steps(
    session: Session, steps: list[Step], *, audit: bool = True, ids: list[int] | None = None
) -> list[EventLog]:
    """Timeline entries, notifications and audit entries of several steps, a statement each for all
    (`ids`: the entries' ids, reserved by the caller with the events'; see db.bulk.reserve_ids_of)."""
    ids = ids or reserve_ids(session, EventLog.__table__, len(steps))
    entries = [
        EventLog(
            id=ids[i],
            event_id=s.event.id,
            at=s.at or utcnow(),
            actor_id=s.principal.user_id,
            actor=s.principal.audit_name,
            action=s.action,
            from_state=s.from_state,
            to_state=s.event.state,
            note=s.note,
            data=json.dumps(s.data, ensure_ascii=False, default=str) if s.data else None,
        )
        for i, s in enumerate(steps)
    ]
    # Written in one statement; the objects stay out of the session (see repository.insert_events).
    columns = EventLog.__table__.columns
    insert_many(session, EventLog.__table__, [{c.key: getattr(e, c.key) for c in columns} for e in entries])
    notify_steps(session, [(s.event, entry) for s, entry in zip(steps, entries, strict=True)])
    if audit:
        for s in steps:
            record(
                session,
                s.principal,
                f"event.{s.action}",
                "event",
                s.event.id,
                s.event.area_code,
                before={"state": s.from_state} if s.from_state else None,
                after={"state": s.event.state, "note": s.note, **(s.data or {})},
            )
    return entries


def serves(session: Session, unit: HandlingUnit, area_code: str) -> bool:
    if codes.in_subtree(area_code, codes.unpad(unit.area_code)):
        return True
    served = repo.unit_served_areas(session, [unit.id]).get(unit.id, [])
    return any(codes.in_subtree(area_code, c) for c in served)


def may(session: Session, principal: Principal, event: Event, action: Action) -> bool:
    try:
        authorize(session, principal, event, action)
    except (Forbidden, NotFound):
        return False
    return True


def authorize(session: Session, principal: Principal, event: Event, action: Action) -> None:
    is_reporter = principal.user_id is not None and principal.user_id == event.reporter_id
    if action.permission is None:
        if not is_reporter:
            raise Forbidden(t("only the person who reported the event may {action} it", action=action.name))
        return
    if action.reporter_may and is_reporter:
        return
    principal.check(action.permission, event.area_code, what=t("event {event_id}", event_id=event.id))
    # A department handler acts only for their own units; managers of the place act for any.
    handler_only = action.permission == Permission.events_handle and not principal.can(
        Permission.events_manage, event.area_code
    )
    if handler_only and (event.unit_id is None or not repo.is_member(session, event.unit_id, principal.user_id)):
        raise Forbidden(t("you do not act for the unit this event is dispatched to"))


def transition(session: Session, principal: Principal, event_id: int, body: TransitionIn) -> Event:
    event = get_event(session, principal, event_id, for_update=True)
    fields = body.model_dump()
    action = plan(event.state, body.action, fields)
    authorize(session, principal, event, action)
    now = utcnow()
    before = event.state
    data: dict[str, Any] = {}
    note = (body.reason or body.note or body.report or body.comment or "").strip()

    if action.name == "reopen":
        window = timedelta(days=get_settings().event_reopen_days)
        if event.closed_at is None or as_utc(event.closed_at) + window < now:
            raise Conflict(
                t("an event may be reopened within {days} days of closing; that time has passed", days=window.days)
            )
    if action.name == "merge":
        target = _merge_target(session, principal, event, body.into_id)
        event.merged_into_id = target.id
        target.me_too_count += 1 + event.me_too_count
        data["into_id"] = target.id
    if action.name == "dispatch":
        unit = _dispatch_unit(session, principal, event, body.unit_id)
        if unit is None or not unit.active:
            raise InvalidInput(t("handling unit {unit_id} does not exist", unit_id=body.unit_id), code="unknown_unit")
        if not serves(session, unit, event.area_code):
            raise InvalidInput(
                t("{unit} does not serve the place of this event", unit=unit.name), code="unit_not_serving"
            )
        event.unit_id = unit.id
        event.dispatched_at = now
        data["unit_id"] = unit.id
        data["unit"] = unit.name
    pics = photos.own_unattached(session, principal, body.photo_ids)
    if pics and action.name != "handle":
        raise InvalidInput(t("photos are added when reporting or handling an event"))

    event.state = target_of(action, fields)
    stamp = {
        "registered": "registered_at",
        "accepted": "accepted_at",
        "handled": "handled_at",
        "verified": "verified_at",
        "closed": "closed_at",
    }.get(event.state)
    if stamp and not (action.name == "verify" and event.state == "accepted"):
        setattr(event, stamp, now)
    if action.name == "reopen":
        event.dispatched_at, event.handled_at, event.verified_at, event.closed_at = now, None, None, None
        event.satisfaction = None
    if action.name == "evaluate":
        event.satisfaction = body.satisfaction
        event.evaluation = (body.comment or "").strip() or None
        data["satisfaction"] = body.satisfaction
    if action.name == "verify":
        data["passed"] = bool(body.passed)
    if pics:
        photos.attach(pics, event.id, event.area_code, "handling")
        data["photo_ids"] = [p.id for p in pics]
    set_stage_deadline(session, event, now)
    if event.stage_deadline is not None:
        data["deadline"] = event.stage_deadline.isoformat()
    session.flush()
    repo.move_count(session, event.area_code, before, event.state)
    log_step(session, principal, event, action.name, before, note=note, data=data, at=now)
    return event


def _dispatch_unit(session: Session, principal: Principal, event: Event, unit_id: int | None) -> HandlingUnit | None:
    """The unit named, which must be in reach of the dispatcher (a unit they cannot see reads as one that does
    not exist: 404), or else the routed unit."""
    if unit_id is None:
        return session.get(HandlingUnit, event.unit_id or 0)
    unit = pickers_repo.unit_in_reach(session, principal.scope(Permission.events_manage), unit_id)
    if unit is None:
        raise NotFound(t("handling unit {unit_id} does not exist", unit_id=unit_id))
    return unit


def _merge_target(session: Session, principal: Principal, event: Event, into_id: int | None) -> Event:
    if into_id == event.id:
        raise InvalidInput(t("an event cannot be merged into itself"))
    target = get_event(session, principal, into_id or 0, for_update=True)
    # get_event found it, so the target is visible: check refuses only a missing permission (403).
    principal.check(Permission.events_manage, target.area_code)
    if target.state not in OPEN_STATES or target.merged_into_id is not None:
        raise Conflict(
            t("event {event_id} is {state}; merge into an open event", event_id=target.id, state=target.state)
        )
    return target


def supervise(session: Session, principal: Principal, event_id: int, note: str) -> EventLog:
    """A supervision note (督办) from a manager over the event's place; the unit is told."""
    event = get_event(session, principal, event_id)
    principal.check(Permission.events_manage, event.area_code)  # visible (found): 403 if not permitted
    if event.state not in OPEN_STATES:
        raise Conflict(
            t("event {event_id} is {state}; only open events are supervised", event_id=event_id, state=event.state)
        )
    return log_step(session, principal, event, "supervise", event.state, note=note.strip())
