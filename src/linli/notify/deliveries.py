"""Compatibility for the command line (`linli worker --failed/--retry-failed`) until it calls notify's
repository and service: failed deliveries listed and made due again."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.notify import repository as repo
from linli.notify.models import OutboxMessage
from linli.notify.repository import failed_in_reach as failed
from linli.notify.service import retry, retry_all_failed

__all__ = ["failed", "failed_all", "retry", "retry_all_failed"]


def failed_all(
    session: Session, *, ref: str | None = None, limit: int | None = None
) -> tuple[list[OutboxMessage], int]:
    """Every given-up delivery (command line), newest first."""
    return repo.failed(session, ref=ref, limit=limit)
