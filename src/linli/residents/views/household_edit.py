"""Editing a household: its address, unit, room, building, register type and head (户主)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.residents import repository as repo
from linli.residents import service
from linli.residents.kinds import RegisterType
from linli.residents.models import Household
from linli.residents.schemas import HouseholdPatch
from linli.residents.service import households
from linli.residents.views.common import REGISTER_TYPES, Writer, area_crumbs, grid_of, helpers, label, refusal
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
BUILDINGS = 500  # a grid's buildings offered in a list; past that, the building is given by its number
LIMITS = {"address": 300, "unit": 20, "room": 20}  # as HouseholdPatch


def _writable(session: Session, principal: Principal, household_id: Id) -> Household:
    """The household, if the principal may change it (404 outside, 403 read-only) and it is still active (409)."""
    h = service.load_household(session, principal, household_id, Permission.residents_write)
    if h.status == "merged":
        raise Conflict(
            t(
                "Household {id} was merged into household {into}; it can no longer be edited.",
                id=h.id,
                into=h.merged_into_id,
            )
        )
    if h.status != "active":
        raise Conflict(t("Household {id} is dissolved; it can no longer be edited.", id=h.id))
    return h


def _trail(session: Session, principal: Principal, h: Household) -> list[dict[str, str]]:
    grid = grid_of(session, principal, codes.unpad(h.area_code))
    return [
        *area_crumbs(session, principal, grid),
        {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
        {"name": h.address or t("Household {id}", id=h.id), "href": f"/households/{h.id}"},
        {"name": t("Edit household"), "href": ""},
    ]


def _current(h: Household) -> dict[str, str]:
    return {
        "address": h.address,
        "unit": h.unit,
        "room": h.room,
        "register_type": h.register_type,
        "building_id": str(h.building_id or ""),
        "head": str(h.head_person_id or ""),
    }


def _page(request, session, principal, h: Household, form: dict, errors=None, invalid=(), status_code=200):
    out = households.household_out(session, h, with_members=True)
    buildings, total = households.list_buildings(session, principal, codes.unpad(h.area_code), 0, BUILDINGS)
    if h.building_id and total <= BUILDINGS and all(b.id != h.building_id for b in buildings):
        current = repo.get_building(session, h.building_id, principal.visible)  # the select must keep it
        if current is not None:
            buildings.append(current)
    return render(
        request,
        "residents/household_edit.html",
        {
            "h": out,
            "members": out.members or [],
            "form": form,
            "errors": errors or [],
            "invalid": set(invalid),
            "limits": LIMITS,
            "register_types": [(r.value, label(REGISTER_TYPES, r.value)) for r in RegisterType],
            "buildings": buildings,
            "buildings_listed": total <= BUILDINGS,
            "breadcrumb": _trail(session, principal, h),
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/households/{household_id}/edit", response_class=HTMLResponse)
def edit_household_form(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    h = _writable(session, principal, household_id)
    return _page(request, session, principal, h, _current(h))


def _changes(
    session: Session, principal: Principal, h: Household, form: dict[str, str]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The fields that differ from the household's, checked; and the problems found, by field."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    names = {"address": t("Address"), "unit": t("Unit"), "room": t("Room")}
    for key, limit in LIMITS.items():
        value = form[key].strip()
        if len(value) > limit:
            problems.append(
                (key, t("{field}: at most {limit} characters (this one has {count}).", field=names[key],
                        limit=limit, count=len(value)))
            )  # fmt: skip
        elif value != getattr(h, key):
            data[key] = value
    try:
        kind = RegisterType(form["register_type"])
        if kind.value != h.register_type:
            data["register_type"] = kind
    except ValueError:
        problems.append(("register_type", t("Choose a register type from the list.")))
    building = form["building_id"].strip()
    if building and not building.isdigit():
        problems.append(("building_id", t("Give the building's number in digits, or choose from the list.")))
    elif building and int(building) != h.building_id:
        # Another grid's building, one outside your areas and a missing one read alike.
        b = repo.get_building(session, int(building), principal.visible)
        if b is None or b.area_code != h.area_code:
            problems.append(("building_id", t("There is no building {id} in this grid.", id=building)))
        else:
            data["building_id"] = b.id
    elif not building and h.building_id is not None:
        data["building_id"] = None
    head = form["head"].strip()
    if not head:
        if h.head_person_id is not None:  # the service sets a head; it does not take one away
            problems.append(("head", t("Choose the head of household among the members.")))
    elif not head.isdigit() or int(head) not in {m.id for m in repo.members(session, h.id)}:
        problems.append(("head", t("The head must be one of the present members of this household.")))
    elif int(head) != h.head_person_id:
        data["head_person_id"] = int(head)
    return data, problems


@router.post("/households/{household_id}/edit", response_class=HTMLResponse)
def edit_household(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    address: str = Form(""),
    unit: str = Form(""),
    room: str = Form(""),
    register_type: str = Form(""),
    building_id: str = Form(""),
    head: str = Form(""),
):
    form = {"address": address, "unit": unit, "room": room, "register_type": register_type,
            "building_id": building_id, "head": head}  # fmt: skip
    h = _writable(session, principal, household_id)
    data, problems = _changes(session, principal, h, form)
    if problems:
        return _page(request, session, principal, h, form, [m for _, m in problems], [f for f, _ in problems], 422)
    if data:  # nothing changed: nothing to write or audit
        with attempt(session) as tried:
            households.update_household(session, principal, h.id, HouseholdPatch(**data))
        if tried.refused:  # changed meanwhile (a member moved out, ...): the service says what
            h = _writable(session, principal, household_id)
            errors, status = refusal(tried)
            return _page(request, session, principal, h, form, errors, (), status)
    return RedirectResponse(f"/households/{h.id}?saved=1", status_code=303)
