"""Fanned-out messages written by the database itself (INSERT … SELECT into the outbox), and their progress
by child area. The people of other domains' tables reach this module only as selectables those domains
build (`users`, `persons`, `except_users`); the only tables named here are notify's own."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.authz.scope import subtree_clause
from linli.db.base import UTCDateTime
from linli.kit import codes
from linli.notify.models import NotifyMessage, OutboxMessage, Subscription

_o = OutboxMessage
# The columns a fanned-out row is written with, in the order the SELECTs below give them.
_FANNED = ("kind", "key", "payload", "recipient", "channel", "status", "attempts", "next_attempt_at", "created_at",
           "message_id", "ref", "area_code", "user_id", "subscription_id")  # fmt: skip


# --- fanned-out messages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fanned:
    """What every outbox row of one fanned-out message carries: its kind, content row and ref (the ref
    given + the key suffix; each row's key is `<ref>:<recipient>:<channel>`) and when it was enqueued."""

    kind: str
    message_id: int
    ref: str
    now: datetime

    def key(self, recipient, channel) -> ColumnElement:
        return literal(f"{self.ref}:", String) + recipient + literal(":", String) + channel


def ref_range(prefix: str) -> tuple[str, str]:
    """[low, high) of the refs starting with `prefix` (the character after its last one is the end)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def store_message(session: Session, *, key: str, ref: str, kind: str, area_code: str, content: Mapping) -> int:
    """The id of the content row of `key` (ref + key suffix), stored once."""
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


def _row(m: Fanned, recipient, channel, area_code, user_id, subscription_id) -> list:
    """The SELECT list of one outbox row of `m` (in the order of _FANNED)."""
    now = literal(m.now, UTCDateTime)
    return [
        literal(m.kind, String),
        m.key(recipient, channel),
        literal("{}", String),
        recipient,
        channel,
        literal("pending", String),
        literal(0),
        now,
        now,
        literal(m.message_id),
        literal(m.ref, String),
        area_code,
        user_id,
        subscription_id,
    ]


def _insert_new(session: Session, rows: Select) -> int:
    """INSERT the rows of `rows` (an outbox row's columns, _FANNED) that are not queued yet (by key)."""
    table = OutboxMessage.__table__
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).from_select(list(_FANNED), rows).on_conflict_do_nothing(index_elements=["key"])
    # An INSERT's row count is kept only when asked for (SQLAlchemy reads it for UPDATE and DELETE).
    return max(session.execute(stmt, execution_options={"preserve_rowcount": True}).rowcount, 0)


def _user_recipient(user_id) -> ColumnElement:
    return literal("user:", String) + cast(user_id, String(20))


def insert_for_users(session: Session, m: Fanned, users: Select) -> int:
    """One inbox row per user of `users` (a selectable whose first two columns are a user id and a
    padded area code; a user found more than once gets one row, at the least of their areas)."""
    given = users.subquery("given")
    user_id, area_code = list(given.c)[:2]
    st = select(user_id.label("user_id"), func.min(area_code).label("area_code")).group_by(user_id).subquery("st")
    recipient = _user_recipient(st.c.user_id)
    inbox = literal("inbox", String)
    rows = select(*_row(m, recipient, inbox, st.c.area_code, st.c.user_id, null())).where(st.c.user_id.is_not(None))
    return _insert_new(session, rows)


def insert_for_subscribers(
    session: Session, m: Fanned, *, topic: str, area_code: str, persons: Select | None = None
) -> int:
    """One row per active subscription to `topic` in the subtree of `area_code` (unpadded), by the channel
    chosen; the recipient is the user account when there is one, else the person (e-mail, SMS only).
    With `persons` (a selectable of person ids), only subscriptions of those persons."""
    s = Subscription
    rows = select(*_row(m, _subscriber(), s.channel, s.area_code, s.user_id, s.id)).where(
        *_told(topic, area_code, persons)
    )
    return _insert_new(session, rows)


def _subscriber() -> ColumnElement:
    """A subscription's recipient: its user account when there is one, else the person."""
    s = Subscription
    return case(
        (s.user_id.is_not(None), _user_recipient(s.user_id)),
        else_=literal("person:", String) + cast(s.person_id, String(20)),
    )


def _told(topic: str, area_code: str, persons: Select | None) -> list[ColumnElement[bool]]:
    """The active subscriptions a fan-out to `topic` in the subtree of `area_code` reaches (of `persons`
    only, if given): the one rule of insert_for_subscribers and of the preview of a reach."""
    s = Subscription
    where = [
        s.topic == topic,
        subtree_clause(s.area_code, area_code),
        s.withdrawn_at.is_(None),
        or_(s.channel != "inbox", s.user_id.is_not(None)),
    ]
    if persons is not None:
        where.append(s.person_id.in_(persons))
    return where


def subscribers_by_channel(
    session: Session, *, topic: str, area_code: str, persons: Select | None = None, accounts: Select | None = None
) -> tuple[dict[str, int], int, int]:
    """({channel: subscriptions}, distinct people, distinct register entries) a fan-out to subscribers
    would reach now. A person is counted once whatever their channels; the register entry of a
    subscription is the one it names, else the one its account is linked to (`accounts`: a selectable of
    user id, person id)."""
    where = _told(topic, area_code, persons)
    s = Subscription
    rows = session.execute(select(s.channel, func.count()).where(*where).group_by(s.channel))
    who = case(
        (s.person_id.is_not(None), literal("person:", String) + cast(s.person_id, String(20))),
        else_=_user_recipient(s.user_id),
    )
    people = session.scalar(select(func.count(func.distinct(who))).where(*where)) or 0
    entry = s.person_id
    if accounts is not None:
        linked = accounts.subquery("linked")
        user_col, person_col = list(linked.c)[:2]
        own = select(person_col).where(user_col == s.user_id).scalar_subquery()
        entry = func.coalesce(s.person_id, own)
    entries = session.scalar(select(func.count(func.distinct(entry))).where(*where)) or 0
    return {ch: int(n) for ch, n in rows}, int(people), int(entries)


def users_in(session: Session, users: Select) -> int:
    """How many distinct users a selectable of (user id, …) gives (the staff a fan-out would reach)."""
    given = users.subquery("given")
    return int(session.scalar(select(func.count(func.distinct(list(given.c)[0])))) or 0)


def copy_recipients(
    session: Session,
    m: Fanned,
    *,
    of: str,
    excluding: Sequence[str] = (),
    staff_only: bool = False,
    told_before: datetime | None = None,
    except_users: Select | None = None,
) -> int:
    """One row of `m` per (recipient, channel) of the earlier rows whose ref starts with `of` (but those of
    the refs `excluding`): their area and user, and their subscription unless one of the rows had none.

    `staff_only`: only the staff's rows (a user, no subscription); `told_before`: only recipients first
    enqueued at or before then; `except_users`: not the users of this selectable (of user ids)."""
    low, high = ref_range(of)
    e = _o.__table__.alias("e")
    conds = [e.c.ref >= low, e.c.ref < high, *(e.c.ref != x for x in excluding)]
    if staff_only:
        conds += [e.c.user_id.is_not(None), e.c.subscription_id.is_(None)]
    subscription = case((func.count(e.c.subscription_id) < func.count(), null()), else_=func.min(e.c.subscription_id))
    earlier = (
        select(
            e.c.recipient,
            e.c.channel,
            func.min(e.c.area_code).label("area_code"),
            func.min(e.c.user_id).label("user_id"),
            subscription.label("subscription_id"),
            func.min(e.c.created_at).label("first_at"),
        )
        .where(*conds)
        .group_by(e.c.recipient, e.c.channel)
        .subquery("s")
    )
    s = earlier.c
    where: list[ColumnElement[bool]] = [s.recipient.is_not(None)]
    if told_before is not None:
        where.append(s.first_at <= literal(told_before, UTCDateTime))
    if except_users is not None:
        told = except_users.subquery("c")
        where.append(~exists(select(literal(1)).select_from(told).where(list(told.c)[0] == s.user_id)))
    rows = select(*_row(m, s.recipient, s.channel, s.area_code, s.user_id, s.subscription_id)).where(*where)
    return _insert_new(session, rows)


# --- progress of fanned-out messages ---------------------------------------------------------------


def child_of(column, area_code: str) -> ColumnElement[str]:
    """SQL: the (padded) code of the child area of `area_code` that `column` (padded) lies in."""
    return func.substr(column, 1, literal_column(str(codes.child_length(area_code))))


def _status_sums() -> list:
    return [
        func.count().label("total"),
        func.sum(case((_o.status == "delivered", 1), else_=0)).label("delivered"),
        func.sum(case((_o.status == "dead", 1), else_=0)).label("failed"),
    ]


def counts_by_child(
    session: Session,
    ref: str,
    area_code: str,
    *,
    channel: str | None = None,
    by_channel: bool = False,
    subscribers_only: bool = False,
) -> list:
    """Rows (child, [channel,] total, delivered, failed) of the deliveries of `ref` in the subtree of
    `area_code`, by child area (and channel)."""
    child = child_of(_o.area_code, area_code)
    keys = [child, _o.channel] if by_channel else [child]
    stmt = select(child.label("child"), *keys[1:], *_status_sums()).where(
        _o.ref == ref, subtree_clause(_o.area_code, area_code)
    )
    if channel:
        stmt = stmt.where(_o.channel == channel)
    if subscribers_only:
        stmt = stmt.where(_o.subscription_id.is_not(None))
    return list(session.execute(stmt.group_by(*keys).order_by(child)))


def subscribed_persons(user_id: int) -> Select:
    return select(Subscription.person_id).where(Subscription.user_id == user_id, Subscription.withdrawn_at.is_(None))


def staff_recipients(ref_prefix: str, area_code: str) -> Select:
    """The staff (a user, no subscription) sent messages whose ref starts with `ref_prefix` in the subtree
    of `area_code`, once each: user_id, area_code (the least), first_at (first enqueued), reached (1 if a
    message reached them)."""
    low, high = ref_range(ref_prefix)
    return (
        select(
            _o.user_id.label("user_id"),
            func.min(_o.area_code).label("area_code"),
            func.min(_o.created_at).label("first_at"),
            func.max(case((_o.status == "delivered", 1), else_=0)).label("reached"),
        )
        .where(
            _o.ref >= low,
            _o.ref < high,
            subtree_clause(_o.area_code, area_code),
            _o.user_id.is_not(None),
            _o.subscription_id.is_(None),
        )
        .group_by(_o.user_id)
    )


def staff_area(session: Session, refs: Sequence[str], user_id: int) -> str | None:
    """The padded area of the staff row sent to `user_id` under one of `refs` (by key: a unique index)."""
    keys = [f"{r}:user:{user_id}:inbox" for r in refs]
    return session.scalar(select(func.min(_o.area_code)).where(_o.key.in_(keys), _o.subscription_id.is_(None)))


def backdate(session: Session, ref_prefix: str, when: datetime) -> None:
    low, high = ref_range(ref_prefix)
    session.execute(update(_o).where(_o.ref >= low, _o.ref < high).values(created_at=when))


def inbox_rows(session: Session, ref_prefix: str) -> list[int]:
    low, high = ref_range(ref_prefix)
    return list(session.scalars(select(_o.id).where(_o.ref >= low, _o.ref < high, _o.channel == "inbox")))
