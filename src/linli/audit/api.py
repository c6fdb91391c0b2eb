"""Reading the audit log: auditors and admins, within their scope."""

from __future__ import annotations

import json
from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from linli.audit.repository import list_entries
from linli.authz.deps import Require, get_db
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["audit"])


class AuditOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    actor_id: Id | None
    action: str
    entity_type: str
    entity_id: str
    area_code: str
    before: dict | None
    after: dict | None
    hash: str


@router.get("/audit", response_model=Page[AuditOut])
def audit_log(
    pp: PageParams = Depends(page_params),
    entity_type: str | None = None,
    entity_id: str | None = None,
    actor: str | None = Query(None),
    principal: Principal = Depends(Require(Permission.audit_read)),
    session: Session = Depends(get_db, scope="function"),
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
    items = [
        AuditOut(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            actor_id=e.actor_id,
            action=e.action,
            entity_type=e.entity_type,
            entity_id=e.entity_id,
            area_code=unpad(e.area_code),
            before=json.loads(e.before) if e.before else None,
            after=json.loads(e.after) if e.after else None,
            hash=e.hash,
        )
        for e in rows
    ]
    return Page(items=items, total=total, page=pp.page, size=pp.size)
