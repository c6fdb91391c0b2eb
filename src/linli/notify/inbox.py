"""The signed-in user's inbox: list and mark read."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit.errors import NotFound
from linli.kit.time import utcnow
from linli.notify.models import InboxMessage


def list_messages(
    session: Session, principal: Principal, *, unread_only: bool, offset: int, limit: int
) -> tuple[list[InboxMessage], int, int]:
    """(page of messages newest first, total, unread count) of the principal's own inbox."""
    base = select(InboxMessage).where(InboxMessage.user_id == principal.user_id)
    if unread_only:
        base = base.where(InboxMessage.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    unread = (
        session.scalar(
            select(func.count())
            .select_from(InboxMessage)
            .where(InboxMessage.user_id == principal.user_id, InboxMessage.read_at.is_(None))
        )
        or 0
    )
    rows = session.scalars(base.order_by(InboxMessage.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), total, unread


def mark_read(session: Session, principal: Principal, message_id: int) -> InboxMessage:
    message = session.get(InboxMessage, message_id)
    if message is None or message.user_id != principal.user_id:
        raise NotFound("this message does not exist")
    if message.read_at is None:
        message.read_at = utcnow()
        session.flush()
    return message


def mark_all_read(session: Session, principal: Principal) -> int:
    result = session.execute(
        update(InboxMessage)
        .where(InboxMessage.user_id == principal.user_id, InboxMessage.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount or 0
