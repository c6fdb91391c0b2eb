"""Time helpers: all timestamps are timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

# What the people using Linli read: Beijing time (China has one time zone and no summer time since
# 1991), the one definition for every page, report, calendar and CAP date.
BEIJING = timezone(timedelta(hours=8), "CST")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
