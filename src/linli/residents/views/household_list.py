"""A grid's (or an area's) households: the search by address, name, room, ID or phone number, building, tag
and register type, in address order, a page at a time."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from linli.areas import service as areas_service
from linli.areas.models import Area
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import PageNumber
from linli.residents import id_reviews, service
from linli.residents import repository as repo
from linli.residents.kinds import RegisterType, Tag
from linli.residents.schemas import HouseholdSearchIn, SearchIn
from linli.residents.service import households
from linli.residents.views.common import (
    PAGE,
    REGISTER_TYPES,
    TAGS,
    Reader,
    area_crumbs,
    grid_of,
    helpers,
    label,
    refusal,
)
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
BUILDINGS = 500  # a grid's buildings offered as a filter (past that, the filter is not offered)
FILTERS = ("q", "room", "building", "id_number", "phone", "tag", "register_type")


@router.get("/grids/{code}/households", response_class=HTMLResponse)
def grid_households(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    q: str = Query("", max_length=100),
    room: str = Query("", max_length=20),
    building: str = Query("", max_length=12),
    id_number: str = Query("", max_length=40),
    phone: str = Query("", max_length=40),
    tag: str = Query("", max_length=24),
    register_type: str = Query("", max_length=12),
    page: PageNumber = Query(1),
):
    grid = grid_of(session, principal, code)
    principal.check(Permission.residents_read, grid.code, what=t("grid {code}", code=code))
    form = {"q": q, "room": room, "building": building, "id_number": id_number, "phone": phone, "tag": tag,
            "register_type": register_type}  # fmt: skip
    return _page(request, session, principal, grid, form, page)


@router.get("/areas/{code}/households", response_class=HTMLResponse)
def area_households(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    q: str = Query("", max_length=100),
    room: str = Query("", max_length=20),
    id_number: str = Query("", max_length=40),
    phone: str = Query("", max_length=40),
    tag: str = Query("", max_length=24),
    register_type: str = Query("", max_length=12),
    page: PageNumber = Query(1),
):
    """The same search over the households of a community, a street or any area in reach."""
    area = areas_service.get_area(session, principal, code)
    principal.check(Permission.residents_read, area.code, what=t("area {code}", code=code))
    form = {"q": q, "room": room, "building": "", "id_number": id_number, "phone": phone, "tag": tag,
            "register_type": register_type}  # fmt: skip
    return _page(request, session, principal, area, form, page)


def _search_in(area: Area, form: dict[str, str], page: int) -> HouseholdSearchIn:
    """The search as typed; a value not in its list is refused (a hand-made address)."""
    building = form["building"].strip()
    if building and not building.isdigit():
        raise InvalidInput(t("Choose from the list."))
    try:
        tag = Tag(form["tag"]) if form["tag"] else None
        register_type = RegisterType(form["register_type"]) if form["register_type"] else None
    except ValueError:
        raise InvalidInput(t("Choose from the list.")) from None
    return HouseholdSearchIn(
        area_code=area.code,
        text=form["q"].strip(),
        room=form["room"].strip(),
        building_id=int(building) if building else None,
        id_number=form["id_number"].strip() or None,
        phone=form["phone"].strip() or None,
        tag=tag,
        register_type=register_type,
        page=page,
        size=PAGE,
    )


def _page(request: Request, session: Session, principal: Principal, area: Area, form: dict[str, str], page: int):
    items, total, errors, status = [], 0, [], 200
    kept = {k: v for k, v in form.items() if v}
    # Above a community the whole list in address order is no one's task (and sorts ~170,000 households
    # of a county): there the page waits for a condition.
    listed = bool(kept) or area.level in ("grid", "village")
    with attempt(session) as tried:
        search = _search_in(area, form, page)
        if listed:
            items, total = households.search_households(session, principal, search)
    if tried.refused:
        id_reviews.record_lost_lookups(session)
        errors, status = refusal(tried)
    found, found_total = [], 0
    if form["q"].strip() and not errors:  # the persons of that name too, each linked to their entry
        found, found_total = service.find_persons(
            session, principal, SearchIn(area_code=area.code, name=form["q"].strip(), size=PAGE)
        )
    is_grid = area.level == "grid"
    buildings, building_total = (
        households.list_buildings(session, principal, area.code, 0, BUILDINGS) if is_grid else ([], 0)
    )
    return render(
        request,
        "residents/households.html",
        {
            "area": area,
            "is_grid": is_grid,
            "action": f"/grids/{area.code}/households" if is_grid else f"/areas/{area.code}/households",
            "items": items,
            "tags": repo.current_tags_of_households(session, [h.id for h in items], date.today()),
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "query": urlencode(kept),
            "form": form,
            "searched": bool(kept),
            "listed": listed,
            "advanced": any(form[k] for k in FILTERS[1:]),
            "errors": errors,
            "found": found,
            "found_total": found_total,
            "buildings": buildings if building_total <= BUILDINGS else [],
            "tag_choices": [(tg.value, label(TAGS, tg.value)) for tg in Tag],
            "register_choices": [(r.value, label(REGISTER_TYPES, r.value)) for r in RegisterType],
            "can_write": is_grid and principal.can(Permission.residents_write, area.code),
            "breadcrumb": [*area_crumbs(session, principal, area), {"name": t("Households"), "href": ""}],
            **helpers(),
        },
        status_code=status,
    )
