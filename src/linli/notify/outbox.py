"""notify's public API: the one module other domains call to tell people something, in their own
transaction (the messages leave only if the change that caused them commits).

- `enqueue`, `enqueue_many`: single messages, each with its own content and recipient.
- `reach`: whom a `fan_out` would reach now, counted (a notice's audience before it is published).
- `fan_out`: one message (its content stored once) to a selectable of users — the caller's, e.g. the
  staff of a subtree — and to the subscribers of a topic in a subtree (notify's own table), optionally
  only persons of a selectable the caller builds (e.g. residents holding a tag). Each outbox row's key
  is `<ref><suffix>:<recipient>:<channel>`, unique: running it again adds nothing, and a person who is
  both staff and subscriber gets one inbox message.
- `copy_recipients`: a message to the recipients of earlier messages (the all-clear of a warning, a
  reminder to those who have not answered).
- Progress: `delivery_counts` and `subscriber_counts` by child area, `staff_recipients` (a selectable of
  the staff a message went to, for the caller to join with its own tables), `staff_area`.
- `subscribed_persons`: a selectable of the persons an account receives messages for (its link to the
  residents register, for the caller's own queries).
- `PeriodicJob`: a job the outbox worker runs for a domain (escalation, reminders).

Other domains' tables reach notify only as the selectables their repositories build: notify's SQL
names no table but its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.db.many import insert_many
from linli.kit import codes
from linli.kit.time import utcnow
from linli.notify import repository as repo
from linli.notify.models import OutboxMessage
from linli.notify.repository import Fanned
from linli.notify.schemas import TOPICS
from linli.notify.worker import PeriodicJob

__all__ = [
    "TOPICS",
    "DeliveryCounts",
    "FanOutResult",
    "PeriodicJob",
    "Reach",
    "Subscribers",
    "copy_recipients",
    "delivery_counts",
    "enqueue",
    "enqueue_many",
    "fan_out",
    "reach",
    "staff_area",
    "staff_recipients",
    "subscribed_persons",
    "subscriber_counts",
]


def enqueue(
    session: Session,
    *,
    kind: str,
    key: str,
    recipient: str,
    payload: Mapping[str, Any],
    channel: str = "inbox",
) -> None:
    """Add one message; a message with the same key already queued (or delivered) is left as it is."""
    enqueue_many(session, [dict(kind=kind, key=key, recipient=recipient, payload=payload, channel=channel)])


def enqueue_many(session: Session, messages: Iterable[Mapping[str, Any]]) -> int:
    """Add several messages in one statement; returns how many were given."""
    now = utcnow()
    rows = [
        {
            "kind": m["kind"],
            "key": m["key"],
            "recipient": m["recipient"],
            "channel": m.get("channel", "inbox"),
            "payload": json.dumps(m["payload"], ensure_ascii=False, default=str),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for m in messages
    ]
    insert_many(session, OutboxMessage.__table__, rows, ignore_conflicts_on=("key",))
    return len(rows)


# --- fan-out ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subscribers:
    """Residents who opted in to `topic` (in the subtree fanned out to), by the channels they chose; with
    `persons` (a selectable of person ids), only those persons."""

    topic: str = "warnings"
    persons: Select | None = None


@dataclass(frozen=True)
class FanOutResult:
    message_id: int
    ref: str  # the message's ref as stored on its outbox rows: ref + key suffix
    staff: int  # rows added for the users given (0 when run again)
    subscribers: int  # rows added for subscribers

    @property
    def enqueued(self) -> int:
        return self.staff + self.subscribers


def _message(
    session: Session,
    *,
    ref: str,
    kind: str,
    area_code: str,
    content: Mapping[str, Any],
    key_suffix: str,
    now: datetime | None = None,
) -> Fanned:
    key = f"{ref}{key_suffix}"
    message_id = repo.store_message(session, key=key, ref=ref, kind=kind, area_code=area_code, content=content)
    return Fanned(kind=kind, message_id=message_id, ref=key, now=now or utcnow())


def fan_out(
    session: Session,
    *,
    ref: str,
    kind: str,
    area_code: str,
    content: Mapping[str, Any],
    users: Select | None,
    subscribers: Subscribers | None = None,
    key_suffix: str = "",
) -> FanOutResult:
    """Enqueue `content` on the inbox of every user of `users` (a selectable of user id and padded area
    code: the area their deliveries are counted in) and to the `subscribers` in the subtree of
    `area_code` (unpadded).

    `ref` names the cause (e.g. "warning:42"); a lift or a correction of it goes out with the same ref
    and another `key_suffix` (":lift"). Running it again adds nothing.
    """
    codes.level_of(area_code)
    m = _message(session, ref=ref, kind=kind, area_code=area_code, content=content, key_suffix=key_suffix)
    staff = repo.insert_for_users(session, m, users) if users is not None else 0
    told = 0
    if subscribers is not None:
        told = repo.insert_for_subscribers(
            session, m, topic=subscribers.topic, area_code=area_code, persons=subscribers.persons
        )
    return FanOutResult(message_id=m.message_id, ref=m.ref, staff=staff, subscribers=told)


def copy_recipients(
    session: Session,
    *,
    ref: str,
    kind: str,
    area_code: str,
    content: Mapping[str, Any],
    key_suffix: str,
    of: str,
    excluding: Sequence[str] = (),
    staff_only: bool = False,
    told_before: datetime | None = None,
    except_users: Select | None = None,
    now: datetime | None = None,
) -> int:
    """Enqueue `content` (stored once, as for `fan_out`) to every recipient of the earlier messages whose
    refs start with `of` — but those of the refs `excluding` — by the same channels; returns how many
    rows were added (0 when run again).

    `staff_only`: only the staff sent them (no subscription); `told_before`: only those first told at or
    before then; `except_users`: not the users of this selectable (of user ids); `now`: when they are
    enqueued (due), if not now."""
    m = _message(session, ref=ref, kind=kind, area_code=area_code, content=content, key_suffix=key_suffix, now=now)
    return repo.copy_recipients(
        session,
        m,
        of=of,
        excluding=excluding,
        staff_only=staff_only,
        told_before=told_before,
        except_users=except_users,
    )


@dataclass(frozen=True)
class Reach:
    """Whom a fan-out would reach now (before it is sent): the staff users given, and the subscribers
    by channel (subscriptions), in all (a person on two channels counts once) and as register entries
    (those of the subscribers who are in the register)."""

    staff: int
    by_channel: dict[str, int]
    subscribers: int
    entries: int = 0


def reach(
    session: Session,
    *,
    area_code: str,
    users: Select | None,
    subscribers: Subscribers | None,
    accounts: Select | None = None,
) -> Reach:
    """What `fan_out` with these arguments would reach if run now, counted, nothing enqueued. `accounts`
    (a selectable of user id, person id: accounts linked to register entries) finds the entry of a
    subscription made by an account."""
    codes.level_of(area_code)
    staff = repo.users_in(session, users) if users is not None else 0
    if subscribers is None:
        return Reach(staff, {}, 0)
    by_channel, people, entries = repo.subscribers_by_channel(
        session, topic=subscribers.topic, area_code=area_code, persons=subscribers.persons, accounts=accounts
    )
    return Reach(staff, by_channel, people, entries)


# --- progress --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryCounts:
    area_code: str  # a child area of the area asked about (unpadded)
    total: int
    delivered: int
    failed: int
    pending: int


def _counts(child: str, total, delivered, failed) -> DeliveryCounts:
    total, delivered, failed = int(total), int(delivered or 0), int(failed or 0)
    return DeliveryCounts(codes.unpad(codes.pad(child)), total, delivered, failed, total - delivered - failed)


def delivery_counts(
    session: Session, ref: str, area_code: str, *, channel: str | None = None
) -> dict[str, DeliveryCounts]:
    """Deliveries of the message `ref` (ref + key suffix) inside the subtree of `area_code`, rolled up by
    child area: {child code: counts}. 'failed' are given up (dead); 'pending' includes those in flight."""
    out: dict[str, DeliveryCounts] = {}
    for child, total, delivered, failed in repo.counts_by_child(session, ref, area_code, channel=channel):
        c = _counts(child, total, delivered, failed)
        out[c.area_code] = c
    return out


def subscriber_counts(session: Session, ref: str, area_code: str) -> dict[tuple[str, str], DeliveryCounts]:
    """Deliveries of the message `ref` to subscribers inside the subtree of `area_code`, by child area and
    channel: {(child code, channel): counts}."""
    rows = repo.counts_by_child(session, ref, area_code, by_channel=True, subscribers_only=True)
    out: dict[tuple[str, str], DeliveryCounts] = {}
    for child, channel, total, delivered, failed in rows:
        c = _counts(child, total, delivered, failed)
        out[(c.area_code, channel)] = c
    return out


def staff_recipients(ref_prefix: str, area_code: str) -> Select:
    """A selectable of the staff sent messages whose refs start with `ref_prefix`, in the subtree of
    `area_code` (unpadded), once each: user_id, area_code (padded; their least), first_at (when first
    enqueued), reached (1 if a message was delivered to them, else 0)."""
    return repo.staff_recipients(ref_prefix, area_code)


def staff_area(session: Session, refs: Sequence[str], user_id: int) -> str | None:
    """The padded area a staff message of one of `refs` (ref + key suffix) was sent to `user_id` in, or
    None if none was."""
    return repo.staff_area(session, refs, user_id)


def subscribed_persons(user_id: int) -> Select:
    """A selectable of the ids of the persons `user_id` holds a subscription for (not withdrawn)."""
    return repo.subscribed_persons(user_id)
