"""Moving a person out: to another grid, moved away, or died (history events through the services)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.residents import service
from linli.residents.schemas import MoveIn, MoveOutIn
from linli.residents.service import history
from linli.residents.views.common import Writer, refusal
from linli.residents.views.households import date_or_none, person_page_parts
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


PICKER_LIMIT = 200  # grids listed at once; a longer list is narrowed by the name filter


def _move_page(
    request, session, principal, person_id: Id, form: dict | None = None, errors=None, status_code=200, grid_q=""
):
    out, grid, trail = person_page_parts(session, principal, person_id)
    form = form or {"kind": "grid", "to_area_code": "", "on": date.today().isoformat(), "destination": ""}
    here = codes.unpad(out.area_code)
    choices, total = history.grid_choices(session, principal, grid_q, limit=PICKER_LIMIT, exclude=here)
    chosen = form["to_area_code"].strip()
    if chosen and all(code != chosen for code, _, _ in choices):  # the grid chosen stays on the list
        choices = history.grid_choices(session, principal, "", limit=1, code=chosen, exclude=here)[0] + choices
    return render(
        request,
        "residents/person_move.html",
        {
            "p": out,
            "form": form,
            "grid_q": grid_q,
            "choices": choices,
            "choices_total": total,
            "errors": errors or [],
            "today": date.today().isoformat(),
            "breadcrumb": [*trail, {"name": t("Move out {name}", name=out.name), "href": ""}],
        },
        status_code=status_code,
    )


@router.get("/persons/{person_id}/move", response_class=HTMLResponse)
def move_form(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    grid_q: str = Query("", max_length=100),
):
    """The form; `grid_q` narrows the list of grids to those whose name (or community's) contains it."""
    return _move_page(request, session, principal, person_id, grid_q=grid_q)


@router.post("/persons/{person_id}/move", response_class=HTMLResponse)
def move_out(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    kind: str = Form("grid"),
    to_area_code: str = Form(""),
    on: str = Form(""),
    destination: str = Form(""),
    grid_q: str = Form("", max_length=100),
):
    form = {"kind": kind, "to_area_code": to_area_code, "on": on, "destination": destination}
    with attempt(session) as tried:
        p = service.load_person(session, principal, person_id, Permission.residents_write)
        household_id = p.household_id
        _move(session, principal, person_id, form)
    if tried.refused:
        errors, status = refusal(tried)
        return _move_page(request, session, principal, person_id, form, errors, status_code=status, grid_q=grid_q)
    if household_id:
        return RedirectResponse(f"/households/{household_id}?moved={person_id}", status_code=303)
    return RedirectResponse(f"/grids/{codes.unpad(p.area_code)}/households", status_code=303)


def _move(session: Session, principal: Principal, person_id: Id, form: dict) -> None:
    """The move the form chose: to another grid, moved away, or died."""
    kind, to_area_code, destination = form["kind"], form["to_area_code"], form["destination"]
    day = date_or_none(form["on"], t("Date"))
    if kind == "grid":
        if not to_area_code.strip():
            raise InvalidInput(t("Choose the grid the person moves to."))
        history.move_person(session, principal, person_id, MoveIn(to_area_code=to_area_code.strip(), on=day))
    elif kind == "away":
        history.move_away(session, principal, person_id, MoveOutIn(on=day, destination=destination.strip()[:200]))
    elif kind == "died":
        if day is None:
            raise InvalidInput(t("Give the date of death."))
        history.record_death(session, principal, person_id, day)
    else:
        raise InvalidInput(t("Choose from the list."))
