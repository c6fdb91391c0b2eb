"""Delivery channels: one interface, one plugin per way a message can reach a person."""

from __future__ import annotations

import json
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.notify.models import InboxMessage, OutboxMessage


class PermanentFailure(Exception):
    """Delivery can never succeed (unknown recipient): the message is not retried."""


class Channel(Protocol):
    name: str

    def deliver(self, session: Session, message: OutboxMessage) -> None:
        """Deliver or raise; runs inside the worker's transaction for this message."""


class InboxChannel:
    """In-app inbox: the message becomes a row the user reads at GET /api/v1/inbox."""

    name = "inbox"

    def deliver(self, session: Session, message: OutboxMessage) -> None:
        kind, _, ident = message.recipient.partition(":")
        if kind != "user" or not ident.isdigit() or session.get(User, int(ident)) is None:
            raise PermanentFailure(f"no such user recipient {message.recipient!r}")
        if session.scalar(select(InboxMessage.id).where(InboxMessage.outbox_key == message.key)) is not None:
            return  # delivered before a crash lost the 'delivered' mark: at-least-once, idempotent by key
        payload = json.loads(message.payload)
        session.add(
            InboxMessage(
                user_id=int(ident),
                kind=message.kind,
                title=str(payload.get("title") or message.kind)[:300],
                body=str(payload.get("body") or ""),
                link=payload.get("link"),
                outbox_key=message.key,
            )
        )
        session.flush()


CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    CHANNELS[channel.name] = channel


register_channel(InboxChannel())
