"""JSON API of event categories and their limits, handling units and routing rules."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession
from linli.events import catalog
from linli.events.api.common import CategoryManager, Manager, Reader
from linli.events.repository import reads
from linli.events.schemas import (
    CategoryOut,
    EventOut,
    LimitsIn,
    LimitsOut,
    MemberIn,
    RuleIn,
    RuleOut,
    UnitIn,
    UnitOut,
)
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["events"])


@router.get("/event-categories", response_model=list[CategoryOut], summary="The category tree (大类 and 小类)")
def list_categories(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, description="show the limits that apply in this area"),
):
    return reads.category_tree(session, principal, area or None)


@router.put(
    "/event-categories/{code}/limits",
    response_model=LimitsOut,
    summary="Set a category's time limits for an area (the deepest area's apply)",
)
def set_limits(
    code: str,
    body: LimitsIn,
    principal: CategoryManager,
    session: DbSession,
):
    row = catalog.set_limits(session, principal, code, body)
    return LimitsOut(category_code=row.category_code, **body.model_dump())


@router.get("/handling-units", response_model=Page[UnitOut], summary="Handling units sitting in an area's subtree")
def list_units(
    principal: Reader,
    session: DbSession,
    area: str = Query(..., description="area code"),
    pp: PageParams = Depends(page_params),
):
    items, total = reads.units_out_of_area(session, principal, area, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


@router.post("/handling-units", response_model=UnitOut, status_code=201, summary="Create a handling unit")
def create_unit(body: UnitIn, principal: Manager, session: DbSession):
    u = catalog.create_unit(session, principal, body)
    return catalog.unit_out(u, list(dict.fromkeys(body.serves)))


@router.post("/handling-units/{unit_id}/members", status_code=201, summary="Add a user who acts for the unit")
def add_member(
    unit_id: Id,
    body: MemberIn,
    principal: Manager,
    session: DbSession,
):
    m = catalog.add_member(session, principal, unit_id, body.user_id)
    return {"unit_id": m.unit_id, "user_id": m.user_id}


@router.get(
    "/handling-units/{unit_id}/queue",
    response_model=Page[EventOut],
    summary="A unit's work queue: dispatched and accepted events, nearest deadline first",
)
def unit_queue(
    unit_id: Id,
    principal: Reader,
    session: DbSession,
    pp: PageParams = Depends(page_params),
):
    items, total = reads.unit_queue(session, principal, unit_id, pp.offset, pp.size)
    return Page(items=items, total=total, page=pp.page, size=pp.size)


def _rule_out(r) -> RuleOut:
    return RuleOut(id=r.id, category_code=r.category_code, area_code=codes.unpad(r.area_code), unit_id=r.unit_id)


@router.get("/routing-rules", response_model=Page[RuleOut], summary="Routing rules set in an area's subtree")
def list_rules(
    principal: Reader,
    session: DbSession,
    area: str = Query(...),
    pp: PageParams = Depends(page_params),
):
    rows, total = reads.rules_of_area(session, principal, area, pp.offset, pp.size)
    return Page(items=[_rule_out(r) for r in rows], total=total, page=pp.page, size=pp.size)


@router.post(
    "/routing-rules",
    response_model=RuleOut,
    status_code=201,
    summary="Route a category in an area subtree to a unit (the deepest area's rule wins)",
)
def create_rule(body: RuleIn, principal: Manager, session: DbSession):
    return _rule_out(catalog.create_rule(session, principal, body))
