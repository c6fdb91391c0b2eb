"""The public page of a community's or village's service facilities: opening hours per weekday, rooms,
accessibility, photos, its happy-community title and the elderly university classes of its township
(anyone may read it; a signed-in resident follows the link to enrol)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from linli.authz.deps import DbSession, public
from linli.facilities import reads
from linli.facilities.views.helpers import labels
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/public/facilities/{code}", response_class=HTMLResponse, dependencies=[Depends(public)])
def place_page(code: str, request: Request, session: DbSession):
    return render(request, "facilities/public.html", {**reads.public_place(session, code), **labels()})
