"""The staff's pages: an area's facility figures per child area with its facilities, sites and elderly
university branches (/areas/{code}/facilities); a new facility in a community or village; a facility's
page with its photos (/facilities/{id})."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.facilities import kinds, reads, repository, service
from linli.facilities.views import form as facility_form
from linli.facilities.views.helpers import labels
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Require(Permission.facilities_read))]
Manager = Annotated[Principal, Depends(Require(Permission.facilities_manage))]


async def posted(request: Request) -> FormData:
    return await request.form()


Posted = Annotated[FormData, Depends(posted)]


@router.get("/areas/{code}/facilities", response_class=HTMLResponse)
def area_page(code: str, request: Request, principal: Reader, session: DbSession):
    return render_area(request, session, principal, code)


def render_area(request, session, principal, code: str, *, typed: dict | None = None, errors=(), status=200):
    """The area's page; after a refused form, `typed` is {"form": which form, the fields typed} and the
    errors are shown at that form."""
    area = area_in_reach(session, principal, code, Permission.facilities_read)
    report = reads.report(session, principal, code)
    items, total = reads.facilities(session, principal, code, 0, 100)
    scope = principal.scope(Permission.facilities_read)
    sites = reads.site_outs(session, repository.happy_sites(session, scope, code, limit=100))
    branches = reads.branch_outs(session, repository.branches(session, scope, code, limit=50))
    prefetch(request, [r.area_code for r in report.rows] + [f.area_code for f in items] +
             [s.area_code for s in sites] + [b.area_code for b in branches])  # fmt: skip
    can_manage = principal.can(Permission.facilities_manage, code)
    return render(
        request, "facilities/area.html",
        {"area": area, "report": report, "facilities": items, "total": total, "sites": sites, "branches": branches,
         "is_place": len(code) == 12, "can_manage": can_manage,
         "can_designate": len(code) >= 6 and principal.can(Permission.facilities_manage, code[:6]),
         "places": reads.places_to_manage(session, principal, code) if can_manage else [],
         "criteria": [(k, gettext(v)) for k, v in kinds.CRITERIA.items()],
         "results": [(k, gettext(v)) for k, v in kinds.REVIEW_RESULTS.items()],
         "typed": typed or {}, "errors": list(errors), "done": request.query_params.get("done"),
         "breadcrumb": crumbs(session, principal, area, "facilities"), **labels()},
        status_code=status,
    )  # fmt: skip


def _new_page(request, session, principal, area, *, form=None, errors=(), status=200):
    ctx = {"area": area, "form": form or {}, "errors": list(errors), "rooms": range(facility_form.ROOMS),
           "functions": [(k, gettext(v)) for k, v in kinds.ROOM_FUNCTIONS.items()],
           "features": [(k, gettext(v)) for k, v in kinds.ACCESSIBILITY.items()],
           "weekdays": [gettext(d) for d in kinds.WEEKDAYS],
           "breadcrumb": crumbs(session, principal, area, "facilities")}  # fmt: skip
    return render(request, "facilities/new.html", ctx, status_code=status)


@router.get("/areas/{code}/facilities/new", response_class=HTMLResponse)
def new_form(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, Permission.facilities_manage)
    if area.level != "village":
        raise InvalidInput(t("{code} is not a community or village", code=code))
    weekdays = {f"{part}_{d}": hhmm for d in range(5) for part, hhmm in (("opens", "08:30"), ("closes", "17:00"))}
    return _new_page(request, session, principal, area, form=weekdays)


@router.post("/areas/{code}/facilities/new", response_class=HTMLResponse)
def new_post(code: str, request: Request, principal: Manager, session: DbSession, posted_form: Posted):
    area = area_in_reach(session, principal, code, Permission.facilities_manage)
    typed = facility_form.typed(posted_form)
    with attempt(session) as tried:
        facility = service.create_facility(session, principal, facility_form.facility_in(code, typed))
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _new_page(request, session, principal, area, form=typed, errors=tried.errors, status=status)
    return RedirectResponse(f"/facilities/{facility.id}?done=created", status_code=303)


def _facility_page(request, session, principal, facility_id: int, *, errors=(), status=200):
    facility = reads.readable_facility(session, principal, facility_id)
    out = reads.facility_outs(session, [facility])[0]
    area = area_in_reach(session, principal, out.area_code, Permission.facilities_read)
    return render(
        request, "facilities/facility.html",
        {"f": out, "area": area, "errors": list(errors), "done": request.query_params.get("done"),
         "can_manage": principal.can(Permission.facilities_manage, out.area_code),
         "breadcrumb": crumbs(session, principal, area, "facilities"), **labels()},
        status_code=status,
    )  # fmt: skip


@router.get("/facilities/{facility_id}", response_class=HTMLResponse)
def facility_page(facility_id: Id, request: Request, principal: Reader, session: DbSession):
    return _facility_page(request, session, principal, facility_id)


@router.post("/facilities/{facility_id}/photos", response_class=HTMLResponse)
def upload_photo(
    facility_id: Id, request: Request, principal: Manager, session: DbSession, file: UploadFile | None = File(None)
):
    reads.readable_facility(session, principal, facility_id)
    with attempt(session) as tried:
        if file is None or not file.filename:
            raise InvalidInput(t("choose a photo to upload"))
        service.add_photo(session, principal, facility_id, file.file, file.filename)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _facility_page(request, session, principal, facility_id, errors=tried.errors, status=status)
    return RedirectResponse(f"/facilities/{facility_id}?done=photo#photos", status_code=303)
