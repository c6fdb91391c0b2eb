"""Registering a new household with its members on one page (from a grid's households page)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from linli.areas.models import Area
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.residents import id_reviews
from linli.residents.kinds import RegisterType, Relation, Tag
from linli.residents.schemas import HouseholdIn, NewMemberIn
from linli.residents.service import households
from linli.residents.views.common import (
    REGISTER_TYPES,
    RELATIONS,
    TAGS,
    Writer,
    area_crumbs,
    grid_of,
    label,
    refusal,
)
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
BUILDINGS = 500  # a grid's buildings offered in a list; past that, the building is given by its number
FIRST_ROWS, MAX_ROWS = 3, 20  # member rows shown at first; at most (a bigger household: add the rest later)
HOUSEHOLD_FIELDS = {"address": 300, "unit": 20, "room": 20, "building_id": 12, "register_type": 12}
MEMBER_FIELDS = {"relation": 16, "name": 100, "id_number": 40, "phone": 40, "ethnicity": 20}


def _writable_grid(session: Session, principal: Principal, code: str) -> Area:
    grid = grid_of(session, principal, code)
    principal.check(Permission.residents_write, grid.code, what=t("grid {code}", code=code))
    return grid


def _blank_member(n: int) -> dict[str, Any]:
    return {"relation": "head" if n == 1 else "", "name": "", "id_number": "", "phone": "", "ethnicity": "", "tags": []}


def _page(request, session, principal, grid: Area, form: dict, errors=None, status_code=200):
    buildings, total = households.list_buildings(session, principal, grid.code, 0, BUILDINGS)
    return render(
        request,
        "residents/household_new.html",
        {
            "grid": grid,
            "form": form,
            "errors": errors or [],
            "limits": {**HOUSEHOLD_FIELDS, **MEMBER_FIELDS},
            "max_rows": MAX_ROWS,
            "buildings": buildings,
            "buildings_listed": total <= BUILDINGS,
            "register_types": [(r.value, label(REGISTER_TYPES, r.value)) for r in RegisterType],
            "relations": [(r.value, label(RELATIONS, r.value)) for r in Relation],
            "tag_choices": [(tg.value, label(TAGS, tg.value)) for tg in Tag],
            "breadcrumb": [
                *area_crumbs(session, principal, grid),
                {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
                {"name": t("Register a new household"), "href": ""},
            ],
        },
        status_code=status_code,
    )


@router.get("/grids/{code}/households/new", response_class=HTMLResponse)
def new_household_form(code: str, request: Request, principal: Writer, session: DbSession):
    grid = _writable_grid(session, principal, code)
    form = {"address": "", "unit": "", "room": "", "building_id": "", "register_type": RegisterType.local.value}
    form["members"] = [_blank_member(n) for n in range(1, FIRST_ROWS + 1)]
    return _page(request, session, principal, grid, form)


def _typed(raw: FormData, fields: tuple[str, ...]) -> dict[str, Any]:
    """The form as typed (each value cut to its field's length), with its member rows (m1_name, …)."""
    form: dict[str, Any] = {k: str(raw.get(k, ""))[:n] for k, n in HOUSEHOLD_FIELDS.items()}
    rows = min(MAX_ROWS, int(str(raw.get("rows", FIRST_ROWS))) if str(raw.get("rows", "")).isdigit() else FIRST_ROWS)
    form["members"] = [
        {**{k: str(raw.get(f"m{n}_{k}", ""))[:MEMBER_FIELDS[k]] for k in fields},
         "tags": [str(v) for v in raw.getlist(f"m{n}_tags")]}
        for n in range(1, max(rows, 1) + 1)
    ]  # fmt: skip
    return form


def _compact(form: dict) -> list[NewMemberIn]:
    """The member rows with anything typed in them (a row with only a relation chosen is empty), moved to
    the top of the form so that "Member 3" in an error is the third row shown."""
    filled = [
        m
        for m in form["members"]
        if any(str(m[k]).strip() for k in ("name", "id_number", "phone", "ethnicity")) or m["tags"]
    ]
    blanks = [_blank_member(n) for n in range(len(filled) + 1, len(form["members"]) + 1)]
    form["members"] = filled + blanks
    return [NewMemberIn(**m) for m in filled]


def _household_in(grid: Area, form: dict) -> HouseholdIn:
    building = form["building_id"].strip()
    if building and not building.isdigit():
        raise InvalidInput(t("Give the building's number in digits, or choose from the list."))
    try:
        register_type = RegisterType(form["register_type"])
    except ValueError:
        raise InvalidInput(t("Choose from the list.")) from None
    return HouseholdIn(
        area_code=grid.code,
        building_id=int(building) if building else None,
        unit=form["unit"].strip(),
        room=form["room"].strip(),
        address=form["address"].strip(),
        register_type=register_type,
    )


@router.post("/grids/{code}/households/new", response_class=HTMLResponse)
async def create_household(code: str, request: Request, principal: Writer, session: DbSession):
    raw = await request.form()
    form = _typed(raw, ("relation", "name", "id_number", "phone", "ethnicity"))  # and the tags of each member
    grid = _writable_grid(session, principal, code)
    if raw.get("more"):  # "another member": the same form with one more row, nothing saved
        if len(form["members"]) < MAX_ROWS:
            form["members"].append(_blank_member(len(form["members"]) + 1))
        return _page(request, session, principal, grid, form)
    members = _compact(form)
    with attempt(session) as tried:
        h = await run_in_threadpool(
            households.register_household, session, principal, _household_in(grid, form), members
        )
    if tried.refused:
        id_reviews.record_lost_lookups(session)  # an "already registered" answered a lookup: it stays audited
        errors, status = refusal(tried)
        return _page(request, session, principal, grid, form, errors, status_code=status)
    return RedirectResponse(f"/households/{h.id}?registered=1", status_code=303)
