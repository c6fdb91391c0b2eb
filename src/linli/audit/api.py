"""Reading the audit log: auditors and admins, within their scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from linli.audit.repository import list_entries
from linli.audit.schemas import AuditOut
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/api/v1", tags=["audit"])
Auditor = Annotated[Principal, Depends(Require(Permission.audit_read))]


@router.get("/audit", response_model=Page[AuditOut])
def audit_log(
    principal: Auditor,
    session: DbSession,
    pp: PageParams = Depends(page_params),
    entity_type: str | None = None,
    entity_id: str | None = None,
    actor: str | None = Query(None),
):
    rows, total = list_entries(
        session,
        principal.scope(Permission.audit_read),
        offset=pp.offset,
        limit=pp.size,
        entity_type=entity_type,
        entity_id=entity_id,
        actor=actor,
    )
    return Page(items=[AuditOut.of(e) for e in rows], total=total, page=pp.page, size=pp.size)
