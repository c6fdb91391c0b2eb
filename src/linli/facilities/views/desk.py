"""The staff's page of an elderly university class: its enrolment list and enrolling someone at the desk
(refused when the class is full or the person is enrolled already, the name typed kept)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.facilities import reads, service
from linli.facilities.schemas import EnrolmentIn
from linli.facilities.views.helpers import labels
from linli.kit import codes
from linli.kit.types import Id
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Require(Permission.facilities_read))]
Manager = Annotated[Principal, Depends(Require(Permission.facilities_manage))]


def _page(request, session, principal, class_id: int, *, name: str = "", errors=(), status=200):
    detail = reads.class_detail(session, principal, class_id)
    _, branch = service.class_and_branch(session, class_id)
    code = codes.unpad(branch.area_code)
    area = area_in_reach(session, principal, code, Permission.facilities_read)
    return render(
        request, "facilities/class.html",
        {"c": detail, "branch": branch, "area": area, "name": name, "errors": list(errors),
         "done": request.query_params.get("done"), "can_manage": principal.can(Permission.facilities_manage, code),
         "breadcrumb": crumbs(session, principal, area, "facilities"), **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/facilities/elder-classes/{class_id}", response_class=HTMLResponse)
def class_page(class_id: Id, request: Request, principal: Reader, session: DbSession):
    return _page(request, session, principal, class_id)


@router.post("/facilities/elder-classes/{class_id}/enrolments", response_class=HTMLResponse)
def enrol_at_desk(class_id: Id, request: Request, principal: Manager, session: DbSession, name: str = Form("")):
    reads.class_detail(session, principal, class_id)  # 404 outside one's areas, before anything else
    with attempt(session) as tried:
        service.enrol_at_desk(session, principal, class_id, EnrolmentIn(name=name or " "))
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _page(request, session, principal, class_id, name=name, errors=tried.errors, status=status)
    return RedirectResponse(f"/facilities/elder-classes/{class_id}?done=enrolled", status_code=303)
