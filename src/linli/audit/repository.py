"""Reads of the audit log, within a scope."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.audit.models import AuditEntry
from linli.authz.scope import AreaScope


def list_entries(
    session: Session,
    scope: AreaScope,
    *,
    offset: int,
    limit: int,
    entity_type: str | None = None,
    entity_id: str | None = None,
    actor: str | None = None,
) -> tuple[list[AuditEntry], int]:
    cond = [scope.clause(AuditEntry.area_code)]
    if entity_type:
        cond.append(AuditEntry.entity_type == entity_type)
    if entity_id:
        cond.append(AuditEntry.entity_id == entity_id)
    if actor:
        cond.append(AuditEntry.actor == actor)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*cond)) or 0
    rows = session.scalars(
        select(AuditEntry).where(*cond).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), total
