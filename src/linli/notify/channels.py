"""Delivery channels: one interface, one plugin per way a message can reach a person.

A channel is internal (the in-app inbox: delivery is a database write in the worker's transaction,
so it happens exactly once) or external (e-mail, the SMS/WeChat webhook: the worker claims rows with
a lease, sends outside any transaction and records the outcome after; a crash between sending and
recording sends again, so delivery is at-least-once and each send carries the outbox key for the
receiver to recognise a repeat).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.config import get_settings
from linli.db.base import UTCDateTime
from linli.kit import crypto
from linli.kit.time import utcnow
from linli.notify.models import ADDRESS_CONTEXT, InboxMessage, NotifyMessage, OutboxMessage, Subscription


class PermanentFailure(Exception):
    """Delivery can never succeed (unknown recipient): the message is not retried."""


@dataclass(frozen=True)
class Delivery:
    """What an external channel needs to send one message, read from the database before sending."""

    id: int
    key: str
    kind: str
    recipient: str
    channel: str
    ref: str | None
    address: str | None
    title: str
    body: str
    link: str | None
    content: dict[str, Any] = field(default_factory=dict)


class Channel(Protocol):
    name: str
    external: bool  # True: claimed with a lease and sent outside any transaction (see linli.notify.worker)

    def deliver(self, session: Session, message: OutboxMessage) -> None:
        """Deliver or raise; runs inside the worker's transaction for this message."""


def load_delivery(session: Session, message: OutboxMessage) -> Delivery:
    """The content and address of one outbox row (content row or legacy JSON payload)."""
    payload: dict[str, Any] = json.loads(message.payload or "{}")
    title, body = str(payload.get("title") or message.kind), str(payload.get("body") or "")
    link, content = payload.get("link"), payload
    if message.message_id is not None:
        m = session.get(NotifyMessage, message.message_id)
        if m is not None:
            title, body, link, content = m.title, m.body, m.link, json.loads(m.content)
    address = payload.get("address")
    if message.subscription_id is not None:
        enc = session.scalar(select(Subscription.address_enc).where(Subscription.id == message.subscription_id))
        address = crypto.keyring().decrypt(enc, ADDRESS_CONTEXT) if enc else None
    return Delivery(
        id=message.id,
        key=message.key,
        kind=message.kind,
        recipient=message.recipient,
        channel=message.channel,
        ref=message.ref,
        address=address,
        title=title,
        body=body,
        link=link,
        content=content,
    )


class InboxChannel:
    """In-app inbox: the message becomes a row the user reads at GET /api/v1/inbox."""

    name = "inbox"
    external = False

    def deliver(self, session: Session, message: OutboxMessage) -> None:
        kind, _, ident = message.recipient.partition(":")
        if kind != "user" or not ident.isdigit() or session.get(User, int(ident)) is None:
            raise PermanentFailure(f"no such user recipient {message.recipient!r}")
        if session.scalar(select(InboxMessage.id).where(InboxMessage.outbox_key == message.key)) is not None:
            return  # delivered before a crash lost the 'delivered' mark: at-least-once, idempotent by key
        d = load_delivery(session, message)
        session.add(
            InboxMessage(
                user_id=int(ident),
                kind=message.kind,
                title=d.title[:300],
                body=d.body,
                link=d.link,
                outbox_key=message.key,
            )
        )
        session.flush()

    def deliver_batch(self, session: Session, ids: Sequence[int], *, now=None) -> tuple[int, int]:
        """Deliver fanned-out rows (with a content row and a user) in two statements; (delivered, dead).

        The inbox row and the 'delivered' mark commit together, and the inbox's unique outbox_key makes
        a second attempt a no-op: one inbox message per outbox row, whatever crashes in between. Users
        are deactivated, never deleted, so every row's user exists (the inbox's foreign key checks it).
        """
        now = now or utcnow()
        ids = list(ids)
        if session.get_bind().dialect.name == "postgresql":
            match, params = "= ANY(:ids)", {"ids": ids, "now": now}  # one array parameter, not thousands
            stmt_params = [bindparam("now", type_=UTCDateTime)]
        else:
            match, params = "IN :ids", {"ids": ids, "now": now}
            stmt_params = [bindparam("ids", expanding=True), bindparam("now", type_=UTCDateTime)]
        session.execute(
            text(
                f"""
                INSERT INTO inbox_messages (user_id, kind, title, body, link, outbox_key, created_at)
                SELECT o.user_id, o.kind, m.title, m.body, m.link, o.key, :now
                FROM outbox o JOIN notify_messages m ON m.id = o.message_id
                WHERE o.id {match}
                ON CONFLICT (outbox_key) DO NOTHING
                """
            ).bindparams(*stmt_params),
            params,
        )
        delivered = session.execute(
            text(
                f"""
                UPDATE outbox SET status = 'delivered', delivered_at = :now, attempts = attempts + 1,
                                  lease_until = NULL
                WHERE id {match}
                """
            ).bindparams(*stmt_params),
            params,
        ).rowcount
        return delivered, 0


class ExternalChannel(ABC):
    """Base of channels that leave the process: deliver() reads the row and sends it."""

    name = "external"
    external = True

    def deliver(self, session: Session, message: OutboxMessage) -> None:
        self.send(load_delivery(session, message))

    @abstractmethod
    def send(self, delivery: Delivery) -> None:
        """Hand the delivery to the outside world; raise to have it retried."""


def message_id_for(key: str, domain: str) -> str:
    """A Message-ID derived from the outbox key: a re-send after a crash carries the same one."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


class SmtpChannel(ExternalChannel):
    """E-mail over SMTP (LINLI_SMTP_*), one message per delivery, Message-ID from the outbox key."""

    name = "email"

    def send(self, delivery: Delivery) -> None:
        s = get_settings()
        if not s.smtp_host:
            raise RuntimeError("LINLI_SMTP_HOST is not set")
        if not delivery.address or "@" not in delivery.address:
            raise PermanentFailure(f"no e-mail address for {delivery.recipient}")
        msg = EmailMessage()
        msg["From"] = s.smtp_from
        msg["To"] = delivery.address
        msg["Subject"] = delivery.title
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = message_id_for(delivery.key, s.smtp_from.rpartition("@")[2] or "linli")
        msg["X-Linli-Key"] = delivery.key
        msg.set_content(delivery.body + (f"\n\n{delivery.link}" if delivery.link else ""))
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(msg)


SIGNATURE_HEADER = "X-Linli-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookChannel(ExternalChannel):
    """POST JSON to LINLI_WEBHOOK_URL (an SMS/WeChat gateway), signed, with the outbox key as Idempotency-Key.

    Any answer but 2xx, and a timeout, is a failure to retry.
    """

    name = "webhook"

    def send(self, delivery: Delivery) -> None:
        s = get_settings()
        if not s.webhook_url:
            raise RuntimeError("LINLI_WEBHOOK_URL is not set")
        body = json.dumps(
            {
                "key": delivery.key,
                "ref": delivery.ref,
                "kind": delivery.kind,
                "recipient": delivery.recipient,
                "address": delivery.address,
                "title": delivery.title,
                "body": delivery.body,
                "link": delivery.link,
                "content": delivery.content,
            },
            ensure_ascii=False,
            default=str,
        ).encode()
        request = urllib.request.Request(
            s.webhook_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": delivery.key,
                SIGNATURE_HEADER: sign(s.webhook_secret, body),
                "User-Agent": "linli-worker",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=s.webhook_timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"webhook answered {exc.code}") from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RuntimeError(f"webhook unreachable: {reason or type(exc).__name__}") from None
        if not 200 <= status < 300:
            raise RuntimeError(f"webhook answered {status}")


CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    CHANNELS[channel.name] = channel


def external_names() -> list[str]:
    return sorted(n for n, c in CHANNELS.items() if getattr(c, "external", False))


register_channel(InboxChannel())
register_channel(SmtpChannel())
register_channel(WebhookChannel())
