"""A resident's elderly university classes: their enrolments and the classes of their township with the
places left, enrolling and withdrawing themselves (/facilities/classes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.facilities import reads, service
from linli.facilities.views.helpers import labels
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Enroller = Annotated[Principal, Depends(Require(Permission.facilities_enrol))]


def _page(request, session, principal, *, errors=(), status=200):
    ctx = reads.my_classes(session, principal)
    prefetch(request, [b.area_code for b in ctx["branches"]])
    mine = {c.id for c in ctx["mine"]}
    return render(
        request, "facilities/classes.html",
        {**ctx, "mine_ids": mine, "errors": list(errors), "done": request.query_params.get("done"), **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/facilities/classes", response_class=HTMLResponse)
def classes_page(request: Request, principal: Enroller, session: DbSession):
    return _page(request, session, principal)


@router.post("/facilities/classes/{class_id}/enrol", response_class=HTMLResponse)
def enrol(class_id: Id, request: Request, principal: Enroller, session: DbSession):
    with attempt(session) as tried:
        service.enrol_self(session, principal, class_id)
    if tried.refused:
        return _page(request, session, principal, errors=tried.errors, status=getattr(tried.error, "status", 422))
    return RedirectResponse("/facilities/classes?done=enrolled", status_code=303)


@router.post("/facilities/classes/{class_id}/withdraw", response_class=HTMLResponse)
def withdraw(class_id: Id, request: Request, principal: Enroller, session: DbSession):
    with attempt(session) as tried:
        service.withdraw_self(session, principal, class_id)
    if tried.refused:
        return _page(request, session, principal, errors=tried.errors, status=getattr(tried.error, "status", 422))
    return RedirectResponse("/facilities/classes?done=withdrawn", status_code=303)
