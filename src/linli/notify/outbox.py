"""Enqueue messages in the caller's transaction: they leave only if the change commits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from linli.db.many import insert_many
from linli.kit.time import utcnow
from linli.notify.models import OutboxMessage


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
