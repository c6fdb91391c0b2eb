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

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from linli.alerts import audience
from linli.alerts.kinds import COLOURS, TYPES, signal_name
from linli.alerts.models import WarningMessage
from linli.config import get_settings
from linli.db.base import UTCDateTime
from linli.kit import codes
from linli.kit.time import as_utc, utcnow
from linli.notify.fanout import Audience, FanOutResult, _content_row, fan_out

TOPIC = "warnings"
# Who is told follows `linli.alerts.audience` (the rule every read path follows too): Actual + Public
# reaches staff and opted-in residents; Restricted/Private, an exercise or a test reaches staff only,
# marked as such unless Actual; System and Draft messages reach nobody.
STAFF_STATUSES = audience.TOLD_STATUSES
EXERCISE_MARK = "【演练】"


def thread_ref(thread: str) -> str:
    return f"warning:{thread}"


def thread_range(thread: str) -> tuple[str, str]:
    """[low, high) of the outbox refs of every message of the thread (':' + 1 is ';')."""
    prefix = f"{thread_ref(thread)}:"
    return prefix, prefix[:-1] + ";"


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


_EARLIER_SQL = """
INSERT INTO outbox (kind, key, payload, recipient, channel, status, attempts, next_attempt_at, created_at,
                    message_id, ref, area_code, user_id, subscription_id)
SELECT :kind, :prefix || e.recipient || ':' || e.channel, '{}', e.recipient, e.channel, 'pending', 0, :now, :now,
       :message_id, :ref, MIN(e.area_code), MIN(e.user_id),
       CASE WHEN COUNT(e.subscription_id) < COUNT(*) THEN NULL ELSE MIN(e.subscription_id) END
FROM outbox e
WHERE e.ref >= :lo AND e.ref < :hi AND e.ref <> :own_ref AND e.ref <> :reminder
GROUP BY e.recipient, e.channel
ON CONFLICT (key) DO NOTHING
"""


def fan_out_message(session: Session, message: WarningMessage, covered: list[str]) -> int:
    """Enqueue one delivery per recipient of a newly stored message (see the module docstring); returns
    how many deliveries were enqueued."""
    if not audience.anyone_told(message):
        return 0
    told = Audience.all_residents(TOPIC) if audience.residents_told(message) else Audience.workers_only()
    kind = f"warning.{message.msg_type.lower()}"
    suffix = message_ref(message)[len(thread_ref(message.thread)) :]
    content = content_of(message)
    results: list[FanOutResult] = [
        fan_out(
            session,
            ref=thread_ref(message.thread),
            kind=kind,
            area_code=code,
            content=content,
            audience=Audience.workers_only() if message.msg_type == "Cancel" else told,
            key_suffix=suffix,
        )
        for code in top_areas(covered)
    ]
    if message.msg_type == "Cancel":
        # The all-clear goes to everyone told before — residents who withdrew meanwhile too — and to
        # the staff of the areas today (above).
        ref = message_ref(message)
        lo, hi = thread_range(message.thread)
        message_id = (
            results[0].message_id
            if results
            else _content_row(
                session,
                key=ref,
                ref=thread_ref(message.thread),
                kind=kind,
                area_code=message.area_code,
                content=content,
            )
        )
        stmt = text(_EARLIER_SQL).bindparams(bindparam("now", type_=UTCDateTime))
        earlier = session.execute(
            stmt,
            {
                "kind": kind,
                "prefix": f"{ref}:",
                "now": utcnow(),
                "message_id": message_id,
                "ref": ref,
                "own_ref": ref,
                "reminder": f"{thread_ref(message.thread)}:reminder",
                "lo": lo,
                "hi": hi,
            },
        ).rowcount
        return sum(r.enqueued for r in results) + max(earlier, 0)
    return sum(r.enqueued for r in results)


# --- reminders ---------------------------------------------------------------------------------

_REMIND_SQL = """
INSERT INTO outbox (kind, key, payload, recipient, channel, status, attempts, next_attempt_at, created_at,
                    message_id, ref, area_code, user_id)
SELECT 'warning.reminder', :prefix || 'user:' || CAST(s.user_id AS VARCHAR(20)) || ':' || 'inbox', '{}',
       'user:' || CAST(s.user_id AS VARCHAR(20)), 'inbox', 'pending', 0, :now, :now,
       :message_id, :ref, s.area_code, s.user_id
FROM (
    SELECT o.user_id AS user_id, MIN(o.area_code) AS area_code, MIN(o.created_at) AS first_at
    FROM outbox o
    WHERE o.ref >= :lo AND o.ref < :hi AND o.user_id IS NOT NULL AND o.subscription_id IS NULL
    GROUP BY o.user_id
) s
WHERE s.first_at <= :cutoff
  AND NOT EXISTS (SELECT 1 FROM warning_confirmations c WHERE c.thread = :thread AND c.user_id = s.user_id)
ON CONFLICT (key) DO NOTHING
"""


def remind_unconfirmed(session: Session, *, now: datetime | None = None, minutes: int | None = None) -> int:
    """Enqueue one reminder to each mandatory recipient of a warning in force who has not confirmed it
    `minutes` after it reached their outbox; returns how many were enqueued (0 when run again)."""
    now = now or utcnow()
    minutes = get_settings().warning_confirm_minutes if minutes is None else minutes
    cutoff = now - timedelta(minutes=minutes)
    current = session.scalars(
        select(WarningMessage).where(
            WarningMessage.is_current.is_(True),
            WarningMessage.lifted.is_(False),
            WarningMessage.status.in_(STAFF_STATUSES),
        )
    ).all()
    stmt = text(_REMIND_SQL).bindparams(bindparam("now", type_=UTCDateTime), bindparam("cutoff", type_=UTCDateTime))
    n = 0
    for m in current:
        if m.expires is not None and as_utc(m.expires) <= now:
            continue
        ref = f"{thread_ref(m.thread)}:reminder"
        content = content_of(m)
        content.update(
            title=f"请确认收到预警：{content['title']}",
            body=f"您尚未确认收到此预警，请确认收到或报告巡查情况。\n{content['body']}",
            link=f"/warnings/{m.identifier}#confirm",
        )
        message_id = _content_row(
            session, key=ref, ref=thread_ref(m.thread), kind="warning.reminder", area_code=m.area_code, content=content
        )
        lo, hi = thread_range(m.thread)
        n += max(
            session.execute(
                stmt,
                {
                    "prefix": f"{ref}:",
                    "now": now,
                    "cutoff": cutoff,
                    "message_id": message_id,
                    "ref": ref,
                    "lo": lo,
                    "hi": hi,
                    "thread": m.thread,
                },
            ).rowcount,
            0,
        )
    return n


REMINDER_LOCK = 7316201


def job(every_seconds: float = 60.0):
    from linli.notify.worker import PeriodicJob

    return PeriodicJob("warnings.remind", every_seconds, lambda s: remind_unconfirmed(s), REMINDER_LOCK)
