"""Deliveries seen by staff: failed ones (given up after retries) in their scope, and retrying them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.notify.models import OutboxMessage

MANAGE = Permission.deliveries_manage


def failed(
    session: Session,
    principal: Principal,
    *,
    area_code: str | None = None,
    ref: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[OutboxMessage], int]:
    """Given-up deliveries whose recipient lives in the principal's scope (and in `area_code`), newest first.

    Messages without a place (event notifications) are listed by the command line only."""
    stmt = select(OutboxMessage).where(
        OutboxMessage.status == "dead", principal.scope(MANAGE).clause(OutboxMessage.area_code)
    )
    if area_code:
        if not principal.visible.contains(area_code):
            raise NotFound(t("{what} does not exist", what=f"area {area_code}"))
        lo, hi = codes.subtree_range(area_code)
        stmt = stmt.where(OutboxMessage.area_code >= lo, OutboxMessage.area_code < hi)
    if ref:
        stmt = stmt.where(OutboxMessage.ref == ref)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(OutboxMessage.id.desc()).offset(offset).limit(limit)).all()
    return list(rows), total


def retry(session: Session, principal: Principal, delivery_id: int) -> OutboxMessage:
    """Give a failed delivery a fresh set of attempts, due now."""
    row = session.get(OutboxMessage, delivery_id)
    if row is None or (row.area_code is None and not principal.system):
        raise NotFound(t("this delivery does not exist"))
    if row.area_code is not None:
        principal.check(MANAGE, row.area_code, what="this delivery")
    if row.status != "dead":
        raise Conflict(t("only a failed delivery can be retried; this one is {status}", status=row.status))
    row.status, row.attempts, row.next_attempt_at, row.lease_until = "pending", 0, utcnow(), None
    session.flush()
    record(
        session,
        principal,
        "delivery.retry",
        "outbox",
        row.id,
        row.area_code or codes.pad("00"),
        before={"last_error": row.last_error},
    )
    return row


def retry_all_failed(session: Session, principal: Principal, *, ref: str | None = None) -> int:
    """Command line: every failed delivery (of one ref) due again."""
    rows, _ = failed_all(session, ref=ref)
    for row in rows:
        row.status, row.attempts, row.next_attempt_at, row.lease_until = "pending", 0, utcnow(), None
    session.flush()
    if rows:
        record(session, principal, "delivery.retry_all", "outbox", ref or "*", codes.pad("00"), after={"n": len(rows)})
    return len(rows)


def failed_all(
    session: Session, *, ref: str | None = None, limit: int | None = None
) -> tuple[list[OutboxMessage], int]:
    """Every given-up delivery (command line), newest first."""
    stmt = select(OutboxMessage).where(OutboxMessage.status == "dead")
    if ref:
        stmt = stmt.where(OutboxMessage.ref == ref)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(OutboxMessage.id.desc()).limit(limit)).all()
    return list(rows), total
