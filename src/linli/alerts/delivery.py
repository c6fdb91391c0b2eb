"""Who is told about a warning: each new message is fanned out through the outbox in the transaction
that stores it; the lift goes to everyone told before; unconfirmed workers are reminded once.

Outbox refs of a warning all start with `warning:{thread}:` — `…:{message id}` for an Alert or
Update, `…:lift` for the Cancel, `…:reminder` for the reminder — so one range on the outbox's
(ref, area_code) index finds every delivery of a warning. Rows without a subscription are the
mandatory staff (grid workers, chiefs, community workers); rows with one are residents who opted in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.alerts import audience, repository
from linli.alerts.kinds import COLOURS, TYPES, signal_name
from linli.alerts.models import WarningMessage
from linli.areas import repository as areas_repo
from linli.config import get_settings
from linli.kit import codes
from linli.kit.time import as_utc, utcnow
from linli.notify import outbox

TOPIC = "warnings"
# Who is told follows `linli.alerts.audience` (the rule every read path follows too): Actual + Public
# reaches staff and opted-in residents; Restricted/Private, an exercise or a test reaches staff only,
# marked as such unless Actual; System and Draft messages reach nobody.
STAFF_STATUSES = audience.TOLD_STATUSES
EXERCISE_MARK = "【演练】"


def thread_ref(thread: str) -> str:
    return f"warning:{thread}"


def thread_prefix(thread: str) -> str:
    """What the outbox refs of every message of the thread start with."""
    return f"{thread_ref(thread)}:"


def reminder_ref(thread: str) -> str:
    return f"{thread_ref(thread)}:reminder"


def message_ref(message: WarningMessage) -> str:
    """The outbox ref of one message's deliveries."""
    return f"{thread_ref(message.thread)}:{'lift' if message.msg_type == 'Cancel' else message.id}"


def top_areas(covered: list[str]) -> list[str]:
    """Covered codes without those lying under another covered code: each subtree fanned out once."""
    have = set(covered)
    return sorted(c for c in have if not any(a in have for a in codes.ancestors(c)))


def content_of(message: WarningMessage) -> dict[str, Any]:
    colour = COLOURS.get(message.colour)
    signal = signal_name(message.event_type, message.colour) if message.event_type in TYPES and colour else ""
    mark = "" if message.status == "Actual" else EXERCISE_MARK
    level = f"{colour.zh}（{colour.level}级）" if colour else message.colour
    lines = [f"{mark}{message.headline}", f"{signal} {level}".strip()]
    if message.msg_type != "Cancel" and message.instruction:
        lines.append(f"防御指南：{message.instruction}")
    return {
        "title": f"{mark}{message.headline}",
        "body": "\n".join(lines),
        "link": f"/warnings/{message.identifier}",
        "identifier": message.identifier,
        "thread": message.thread,
        "msg_type": message.msg_type,
        "event_type": message.event_type,
        "colour": message.colour,
        "level": colour.level if colour else None,
        "status": message.status,
    }


def fan_out_message(session: Session, message: WarningMessage, covered: list[str]) -> int:
    """Enqueue one delivery per recipient of a newly stored message (see the module docstring); returns
    how many deliveries were enqueued."""
    if not audience.anyone_told(message):
        return 0
    residents = audience.residents_told(message) and message.msg_type != "Cancel"
    kind = f"warning.{message.msg_type.lower()}"
    suffix = message_ref(message)[len(thread_ref(message.thread)) :]
    content = content_of(message)
    enqueued = sum(
        outbox.fan_out(
            session,
            ref=thread_ref(message.thread),
            kind=kind,
            area_code=code,
            content=content,
            users=areas_repo.staff_of(code),
            subscribers=outbox.Subscribers(TOPIC) if residents else None,
            key_suffix=suffix,
        ).enqueued
        for code in top_areas(covered)
    )
    if message.msg_type == "Cancel":
        # The all-clear goes to everyone told before — residents who withdrew meanwhile too — and to
        # the staff of the areas today (above).
        enqueued += outbox.copy_recipients(
            session,
            ref=thread_ref(message.thread),
            kind=kind,
            area_code=message.area_code,
            content=content,
            key_suffix=suffix,
            of=thread_prefix(message.thread),
            excluding=(message_ref(message), reminder_ref(message.thread)),
        )
    return enqueued


# --- reminders ---------------------------------------------------------------------------------


def reminder_content(m: WarningMessage) -> dict[str, Any]:
    content = content_of(m)
    content.update(
        title=f"请确认收到预警：{content['title']}",
        body=f"您尚未确认收到此预警，请确认收到或报告巡查情况。\n{content['body']}",
        link=f"/warnings/{m.identifier}#confirm",
    )
    return content


def remind_unconfirmed(session: Session, *, now: datetime | None = None, minutes: int | None = None) -> int:
    """Enqueue one reminder to each mandatory recipient of a warning in force who has not confirmed it
    `minutes` after it reached their outbox; returns how many were enqueued (0 when run again)."""
    now = now or utcnow()
    minutes = get_settings().warning_confirm_minutes if minutes is None else minutes
    cutoff = now - timedelta(minutes=minutes)
    n = 0
    for m in repository.in_force_told(session, STAFF_STATUSES):
        if m.expires is not None and as_utc(m.expires) <= now:
            continue
        n += outbox.copy_recipients(
            session,
            ref=thread_ref(m.thread),
            kind="warning.reminder",
            area_code=m.area_code,
            content=reminder_content(m),
            key_suffix=":reminder",
            of=thread_prefix(m.thread),
            staff_only=True,
            told_before=cutoff,
            except_users=repository.confirmed_users(m.thread),
            now=now,
        )
    return n


REMINDER_LOCK = 7316201


def job(every_seconds: float = 60.0) -> outbox.PeriodicJob:
    return outbox.PeriodicJob("warnings.remind", every_seconds, lambda s: remind_unconfirmed(s), REMINDER_LOCK)
