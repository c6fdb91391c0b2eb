"""The outbox (messages waiting to leave, written with the change that caused them), the content of
fanned-out messages, residents' opt-in subscriptions and the in-app inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import Base, Timestamped, UTCDateTime
from linli.kit import crypto
from linli.kit.time import utcnow

# Associated data of the encrypted address column (an e-mail address or a phone number for SMS).
ADDRESS_CONTEXT = "notify_subscriptions.address"
crypto.register_encrypted("notify_subscriptions", "id", "address_enc", ADDRESS_CONTEXT)


class NotifyMessage(Base):
    """The content of one fanned-out message (a warning, its lift), stored once; outbox rows point here."""

    __tablename__ = "notify_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)  # ref + key suffix
    ref: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, nullable=False)  # JSON, as given to fan_out
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Subscription(Base, Timestamped):
    """A resident's consent to be told about a topic through a channel; withdrawn, never deleted.

    `area_code` is where they live (their grid), which decides the warnings that reach them.
    """

    __tablename__ = "notify_subscriptions"
    __table_args__ = (
        Index("ix_notify_subscriptions_topic_area", "topic", "area_code"),
        CheckConstraint("user_id IS NOT NULL OR person_id IS NOT NULL", name="who"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)  # inbox, email, webhook
    topic: Mapped[str] = mapped_column(String(32), nullable=False)  # warnings, notices
    address_enc: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OutboxMessage(Base):
    """One message to deliver through one channel to one recipient; `key` makes enqueueing idempotent."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_ref_area", "ref", "area_code"),
        # The staff rows of fanned-out messages (no subscription), few beside the residents' half million:
        # a warning's progress page counts them per person every few seconds, and reminders look for them.
        Index(
            "ix_outbox_staff",
            "ref",
            "area_code",
            "user_id",
            sqlite_where=text("user_id IS NOT NULL AND subscription_id IS NULL"),
            postgresql_where=text("user_id IS NOT NULL AND subscription_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    payload: Mapped[str] = mapped_column(Text, nullable=False)  # JSON
    recipient: Mapped[str] = mapped_column(String(100), nullable=False)  # e.g. "user:42"
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    # pending, sending (claimed by a worker until lease_until), delivered, dead
    status: Mapped[str] = mapped_column(String(16), default="pending", nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fanned-out messages: the content row, its ref (ref + key suffix), the recipient's user (if any),
    # grid and subscription (for the address of e-mail and webhook deliveries). No foreign keys: half a
    # million rows are written at once, and a key checked per row by a trigger would double the time.
    message_id: Mapped[int | None] = mapped_column(Integer)
    ref: Mapped[str | None] = mapped_column(String(120))
    area_code: Mapped[str | None] = mapped_column(String(15))
    user_id: Mapped[int | None] = mapped_column(Integer)
    subscription_id: Mapped[int | None] = mapped_column(Integer)


class InboxMessage(Base):
    """A notification shown to a signed-in user; `outbox_key` makes a repeated delivery a no-op."""

    __tablename__ = "inbox_messages"
    __table_args__ = (Index("ix_inbox_messages_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    outbox_key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
