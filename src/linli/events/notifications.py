"""Who hears of each step of an event, enqueued in the outbox with the step itself."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.events import repository as repo
from linli.events.catalog_cache import CATALOG
from linli.events.models import Event, EventLog
from linli.notify.outbox import enqueue_many

STATE_LABELS = {
    "reported": "已上报 reported",
    "registered": "已立案 registered",
    "rejected": "不予立案 rejected",
    "cancelled": "已撤销 cancelled",
    "merged": "已合并 merged",
    "dispatched": "已派遣 dispatched",
    "returned": "已退回 returned",
    "accepted": "已签收 accepted",
    "handled": "已处置 handled",
    "verified": "核查通过 verified",
    "closed": "已结案 closed",
    "evaluated": "已评价 evaluated",
}


def recipients(session: Session, event: Event, step: EventLog) -> set[int]:
    """The people a step concerns: the reporter of every state change; the unit on its work; the grid's
    workers when there is something to verify; the desk when a unit returns an event."""
    people: set[int] = set()
    if event.reporter_id and step.to_state and step.to_state != step.from_state:
        people.add(event.reporter_id)
    action = step.action
    unit_concerned = action in ("dispatch", "reopen", "supervise", "escalate") or (
        action == "verify" and step.to_state == "accepted"
    )
    catalog = CATALOG.for_session(session)
    if unit_concerned and event.unit_id:
        people.update(catalog.members.get(event.unit_id, ()))
    if action == "handle":
        people.update(repo.grid_worker_ids(session, event.area_code))
    if action in ("report", "return", "evaluate"):
        desk_id = catalog.desks.get(event.area_code[:9].ljust(15, "0"))
        if desk_id is not None:
            people.update(catalog.members.get(desk_id, ()))
    if action == "escalate":
        people.update(repo.officials_at(session, supervising_code(event)))
    if step.actor_id is not None:
        people.discard(step.actor_id)  # nobody needs telling what they just did
    return people


def supervising_code(event: Event) -> str:
    """The area supervising the event: its township, county or city by escalation level."""
    return event.area_code[: (9, 6, 4)[min(event.escalation_level, 2)]]


def notify_step(session: Session, event: Event, step: EventLog) -> int:
    return notify_steps(session, [(event, step)])


def notify_steps(session: Session, steps: list[tuple[Event, EventLog]]) -> int:
    """Enqueue the notifications of several steps (of any events) in one statement; returns how many."""
    messages = []
    for event, step in steps:
        people = recipients(session, event, step)
        if not people:
            continue
        state = STATE_LABELS.get(event.state, event.state)
        title = f"事件 #{event.id}「{event.title}」: {state}"
        if step.action == "supervise":
            title = f"督办 supervision: 事件 #{event.id}「{event.title}」"
        elif step.action == "escalate":
            title = f"超期升级 overdue, escalated: 事件 #{event.id}「{event.title}」"
        payload = {"title": title, "body": step.note, "link": f"/events/{event.id}", "event_id": event.id}
        messages.extend(
            {
                "kind": f"event.{step.action}",
                "key": f"event:{event.id}:log:{step.id}:user:{uid}",
                "recipient": f"user:{uid}",
                "payload": payload,
            }
            for uid in sorted(people)
        )
    return enqueue_many(session, messages)
