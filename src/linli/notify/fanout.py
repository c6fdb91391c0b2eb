"""Fan-out: one message for an area becomes one outbox row per (recipient, channel), in the caller's
transaction, written by the database itself (INSERT … SELECT), and counts of how far it got.

Recipients: the staff of the area — grid workers and chiefs of every grid inside it and community
workers of its communities — always, on the in-app inbox; and residents who opted in to the topic,
by the channels they chose. The content is stored once (notify_messages); outbox rows point at it.
Each row's key is `<ref><suffix>:<recipient>:<channel>`, unique, so running a fan-out again adds
nothing and a person who is both staff and subscriber gets one inbox message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, bindparam, select, text
from sqlalchemy.orm import Session

from linli.authz.permissions import Role
from linli.db.base import UTCDateTime
from linli.kit import codes
from linli.kit.time import utcnow
from linli.notify.models import NotifyMessage

TOPICS = ("warnings", "notices")


@dataclass(frozen=True)
class Audience:
    """Who beyond the staff: every subscriber of the topic, nobody, or subscribers with a current tag."""

    residents: bool = True
    tag: str | None = None  # e.g. "elderly_alone": residents holding this tag today
    topic: str = "warnings"

    @classmethod
    def all_residents(cls, topic: str = "warnings") -> Audience:
        return cls(residents=True, topic=topic)

    @classmethod
    def workers_only(cls) -> Audience:
        return cls(residents=False)

    @classmethod
    def tagged(cls, tag: str, topic: str = "warnings") -> Audience:
        return cls(residents=True, tag=tag, topic=topic)


@dataclass(frozen=True)
class FanOutResult:
    message_id: int
    ref: str  # the message's ref as stored on its outbox rows: ref + key suffix
    staff: int  # rows added for staff (0 when run again)
    subscribers: int  # rows added for subscribers

    @property
    def enqueued(self) -> int:
        return self.staff + self.subscribers


# Mandatory staff of a subtree: grid assignments inside it, and community workers granted at a village
# inside it (or at the village of a grid, when the area is one grid). One row per user: their first grid.
_STAFF_SQL = """
INSERT INTO outbox (kind, key, payload, recipient, channel, status, attempts, next_attempt_at, created_at,
                    message_id, ref, area_code, user_id)
SELECT :kind, :prefix || 'user:' || CAST(st.user_id AS VARCHAR(20)) || ':' || 'inbox', '{}',
       'user:' || CAST(st.user_id AS VARCHAR(20)), 'inbox', 'pending', 0, :now, :now,
       :message_id, :ref, st.area_code, st.user_id
FROM (
    SELECT s.user_id AS user_id, MIN(s.area_code) AS area_code
    FROM (
        SELECT ga.user_id AS user_id, ga.area_code AS area_code
        FROM grid_assignments ga
        WHERE ga.area_code >= :lo AND ga.area_code < :hi
        UNION ALL
        SELECT g.user_id, g.area_code
        FROM grants g
        WHERE g.role = :community_worker AND ((g.area_code >= :lo AND g.area_code < :hi) OR g.area_code = :village)
    ) s
    JOIN users u ON u.id = s.user_id AND u.is_active
    GROUP BY s.user_id
) st
WHERE st.user_id IS NOT NULL
ON CONFLICT (key) DO NOTHING
"""

# Subscribers: recipient is the user account when there is one, else the person (e-mail/SMS only).
_RECIPIENT = (
    "CASE WHEN s.user_id IS NOT NULL THEN 'user:' || CAST(s.user_id AS VARCHAR(20)) "
    "ELSE 'person:' || CAST(s.person_id AS VARCHAR(20)) END"
)
_SUBSCRIBERS_SQL = f"""
INSERT INTO outbox (kind, key, payload, recipient, channel, status, attempts, next_attempt_at, created_at,
                    message_id, ref, area_code, user_id, subscription_id)
SELECT :kind, :prefix || {_RECIPIENT} || ':' || s.channel, '{{}}',
       {_RECIPIENT}, s.channel, 'pending', 0, :now, :now,
       :message_id, :ref, s.area_code, s.user_id, s.id
FROM notify_subscriptions s
WHERE s.topic = :topic AND s.area_code >= :lo AND s.area_code < :hi AND s.withdrawn_at IS NULL
  AND (s.channel <> 'inbox' OR s.user_id IS NOT NULL)
  {{tag}}
ON CONFLICT (key) DO NOTHING
"""
_TAG_SQL = """AND EXISTS (
    SELECT 1 FROM person_tags pt
    WHERE pt.person_id = s.person_id AND pt.tag = :tag AND pt.start_on <= :today
      AND (pt.end_on IS NULL OR pt.end_on >= :today))"""


def _content_row(session: Session, *, key: str, ref: str, kind: str, area_code: str, content: Mapping) -> int:
    found = session.scalar(select(NotifyMessage.id).where(NotifyMessage.key == key))
    if found is not None:
        return found
    row = NotifyMessage(
        key=key,
        ref=ref,
        kind=kind,
        area_code=codes.pad(area_code),
        title=str(content.get("title") or kind)[:300],
        body=str(content.get("body") or ""),
        link=content.get("link"),
        content=json.dumps(dict(content), ensure_ascii=False, default=str),
    )
    session.add(row)
    session.flush()
    return row.id


def fan_out(
    session: Session,
    *,
    ref: str,
    kind: str,
    area_code: str,
    content: Mapping[str, Any],
    audience: Audience,
    key_suffix: str = "",
) -> FanOutResult:
    """Enqueue `content` for everyone `audience` reaches in the subtree of `area_code` (unpadded).

    `ref` names the cause (e.g. "warning:42"); a lift or a correction of it goes to the same people
    with the same ref and another `key_suffix` (":lift"). Running it again adds nothing.
    """
    codes.level_of(area_code)
    key = f"{ref}{key_suffix}"
    message_id = _content_row(session, key=key, ref=ref, kind=kind, area_code=area_code, content=content)
    lo, hi = codes.subtree_range(area_code)
    params: dict[str, Any] = {
        "kind": kind,
        "prefix": f"{key}:",
        "now": utcnow(),
        "message_id": message_id,
        "ref": key,
        "lo": lo,
        "hi": hi,
    }
    staff_sql = text(_STAFF_SQL).bindparams(bindparam("now", type_=UTCDateTime))
    village = codes.pad(area_code[:12]) if len(area_code) == 15 else ""
    staff = session.execute(
        staff_sql, {**params, "community_worker": Role.community_worker.value, "village": village}
    ).rowcount
    subscribers = 0
    if audience.residents:
        sql = _SUBSCRIBERS_SQL.replace("{tag}", _TAG_SQL if audience.tag else "")
        stmt = text(sql).bindparams(bindparam("now", type_=UTCDateTime))
        extra: dict[str, Any] = {"topic": audience.topic}
        if audience.tag:
            stmt = stmt.bindparams(bindparam("today", type_=Date))
            extra.update(tag=audience.tag, today=date.today())
        subscribers = session.execute(stmt, {**params, **extra}).rowcount
    return FanOutResult(message_id=message_id, ref=key, staff=max(staff, 0), subscribers=max(subscribers, 0))


@dataclass(frozen=True)
class DeliveryCounts:
    area_code: str  # a child area of the area asked about (unpadded)
    total: int
    delivered: int
    failed: int
    pending: int


def _child_length(area_code: str) -> int:
    n = len(area_code)
    return next((m for m in (4, 6, 9, 12, 15) if m > n), 15)


def delivery_counts(
    session: Session, ref: str, area_code: str, *, channel: str | None = None
) -> dict[str, DeliveryCounts]:
    """Deliveries of the message `ref` (ref + key suffix) inside the subtree of `area_code`, rolled up by
    child area: {child code: counts}. 'failed' are given up (dead); 'pending' includes those in flight."""
    lo, hi = codes.subtree_range(area_code)
    n = _child_length(area_code)
    by_channel = "AND o.channel = :channel" if channel else ""
    sql = f"""
        SELECT SUBSTR(o.area_code, 1, {n}) AS child, COUNT(*) AS total,
               SUM(CASE WHEN o.status = 'delivered' THEN 1 ELSE 0 END) AS delivered,
               SUM(CASE WHEN o.status = 'dead' THEN 1 ELSE 0 END) AS failed
        FROM outbox o
        WHERE o.ref = :ref AND o.area_code >= :lo AND o.area_code < :hi {by_channel}
        GROUP BY SUBSTR(o.area_code, 1, {n})
        ORDER BY child
    """
    params = {"ref": ref, "lo": lo, "hi": hi}
    if channel:
        params["channel"] = channel
    out: dict[str, DeliveryCounts] = {}
    for child, total, delivered, failed in session.execute(text(sql), params):
        code = codes.unpad(codes.pad(child))
        out[code] = DeliveryCounts(
            code, int(total), int(delivered or 0), int(failed or 0), int(total - delivered - failed)
        )
    return out
