"""The audit log page, for auditors and administrators within their scope."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from linli.audit import labels
from linli.audit.repository import list_entries
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.i18n import N_, gettext
from linli.kit.types import PageNumber
from linli.web import display
from linli.web.nav import NavLink, where_held
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [NavLink(90, N_("Audit log"), where_held(Permission.audit_read, "/audit"), more=True)]
Auditor = Annotated[Principal, Depends(Require(Permission.audit_read))]
PAGE = 50


def _text(value: Any) -> str:
    """A stored value as people read it: text as it is, anything else as JSON with Chinese as Chinese."""
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def changes(before: dict | None, after: dict | None) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) for each field of the entry, before/after None where that side has none;
    an unchanged field of both sides is left out."""
    before, after = before or {}, after or {}
    rows = []
    for key in dict.fromkeys([*before, *after]):
        was = _text(before[key]) if key in before else None
        now = _text(after[key]) if key in after else None
        if was is not None and was == now:
            continue
        rows.append((key, was, now))
    return rows


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
            "what": labels.action_label(e.action),
            "kind": labels.kind_label(e.entity_type),
            "area": unpad(e.area_code) if e.area_code else "",
            "changes": changes(json.loads(e.before) if e.before else None, json.loads(e.after) if e.after else None),
        }
        for e in rows
    ]
    display.prefetch(request, (row["area"] for row in entries))
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
            "kinds": sorted(((k, gettext(v)) for k, v in labels.KINDS.items()), key=lambda kv: kv[1]),
        },
    )
