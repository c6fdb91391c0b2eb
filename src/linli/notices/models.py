"""Notices and their attachments.

A notice belongs to the area it is addressed to (`area_code`, the root of the subtree it reaches) and
names its audience: every resident, workers only, or residents holding a tag (e.g. elderly_alone).
It is a draft until published (then fanned out once) and may be withdrawn afterwards.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow

AUDIENCES = ("all_residents", "workers_only", "tag")
STATUSES = ("draft", "published", "withdrawn")


class Notice(Base, AreaScoped, Timestamped):
    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_area", "status", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # plain text; pages keep its line breaks
    audience: Mapped[str] = mapped_column(String(16), nullable=False, default="all_residents")
    tag: Mapped[str | None] = mapped_column(String(24))  # when audience == "tag"
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="draft")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    @property
    def ref(self) -> str:
        """The fan-out's ref: outbox rows and delivery counts are found by it."""
        return f"notice:{self.id}"


class NoticeAttachment(Base):
    """A file of a notice, stored once under the data directory by its SHA-256."""

    __tablename__ = "notice_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), nullable=False, index=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    uploaded_by: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
