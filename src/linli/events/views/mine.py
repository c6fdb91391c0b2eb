"""A reporter's own reports, all of them, newest first, with how far each has got (the resident's home shows
the latest ten and links here)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from linli.authz.deps import DbSession
from linli.events.repository import reads
from linli.kit.i18n import t
from linli.kit.types import PageNumber
from linli.web import display
from linli.web.templating import render

from .common import PAGE, Reader, pages, state_label

router = APIRouter(include_in_schema=False)


@router.get("/my/reports", response_class=HTMLResponse)
def my_reports(request: Request, principal: Reader, session: DbSession, page: PageNumber = Query(1)):
    items, total = reads.list_events(
        session, principal, area_code=None, states=[], category=None, unit_id=None, overdue=None, mine=True,
        offset=(page - 1) * PAGE, limit=PAGE,
    )  # fmt: skip
    display.prefetch(request, (e.area_code for e in items))
    return render(
        request,
        "events/mine.html",
        {
            "items": items,
            "total": total,
            "page": page,
            "pages": pages(total),
            "state_label": state_label,
            "breadcrumb": [{"name": t("Home"), "href": "/"}, {"name": t("My reports"), "href": ""}],
        },
    )
