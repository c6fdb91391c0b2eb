"""The audit log page, for auditors and administrators within their scope."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from linli.audit.repository import list_entries
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.i18n import N_
from linli.kit.types import PageNumber
from linli.web.nav import NavLink, where_held
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [NavLink(90, N_("Audit log"), where_held(Permission.audit_read, "/audit"))]
Auditor = Annotated[Principal, Depends(Require(Permission.audit_read))]
PAGE = 50


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    principal: Auditor,
    session: DbSession,
    page: PageNumber = Query(1),
    actor: str = Query("", max_length=100),
    entity_type: str = Query("", max_length=64),
):
    rows, total = list_entries(
        session,
        principal.scope(Permission.audit_read),
        offset=(page - 1) * PAGE,
        limit=PAGE,
        actor=actor or None,
        entity_type=entity_type or None,
    )
    entries = [
        {
            "e": e,
            "area": unpad(e.area_code) if e.area_code else "",
            "before": json.loads(e.before) if e.before else None,
            "after": json.loads(e.after) if e.after else None,
        }
        for e in rows
    ]
    return render(
        request,
        "audit/audit.html",
        {
            "entries": entries,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "actor": actor,
            "entity_type": entity_type,
        },
    )
