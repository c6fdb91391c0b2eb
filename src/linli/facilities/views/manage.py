"""The forms of an area's facilities page for the county and the staff: designate a happy-community
demonstration site and record its yearly review (county or above), open an elderly university branch
and add a class to it. Each calls the service the API calls; a refusal shows the area's page again with
the reason at the form and everything typed kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from linli.areas.pages import area_in_reach
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.facilities import service
from linli.facilities.schemas import BranchIn, ClassIn, HappyReviewIn, HappySiteIn
from linli.facilities.views.staff import Posted, render_area
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.web.forms import attempt, date_field

router = APIRouter(include_in_schema=False)
Manager = Annotated[Principal, Depends(Require(Permission.facilities_manage))]


def _typed(form: FormData, which: str, fields: tuple[str, ...]) -> dict:
    out = {k: str(form.get(k, "")) for k in fields}
    out["criteria"] = [str(v) for v in form.getlist("criteria")]
    out["form"] = which
    return out


def _whole(value: str, what: str, low: int = 1, high: int = 10**9) -> int:
    """A whole number typed in a field, between low and high, or an error in words naming the field."""
    text = value.strip()
    if not text:
        raise InvalidInput(t("{what}: give a number", what=what))
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a whole number", what=what, value=value)) from None
    if not low <= number <= high:
        raise InvalidInput(t("{what} must be from {low} to {high} (given {value})", what=what, low=low, high=high,
                             value=number))  # fmt: skip
    return number


def _criteria(values: list[str]) -> list[str]:
    if not values:
        raise InvalidInput(t("tick at least one criterion the community meets"))
    return values


def _place(value: str) -> str:
    if not value.strip():
        raise InvalidInput(t("choose the community or village"))
    return value.strip()


def _answer(request, session, principal, code: str, tried, typed: dict, anchor: str):
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return render_area(request, session, principal, code, typed=typed, errors=tried.errors, status=status)
    return RedirectResponse(f"/areas/{code}/facilities?done={typed['form']}#{anchor}", status_code=303)


@router.post("/areas/{code}/facilities/sites", response_class=HTMLResponse)
def designate(code: str, request: Request, principal: Manager, session: DbSession, form: Posted):
    area_in_reach(session, principal, code, Permission.facilities_manage)
    typed = _typed(form, "site", ("place", "year", "note"))
    with attempt(session) as tried:
        year = _whole(typed["year"], t("the designation year"), 2000, 2100)
        body = HappySiteIn(area_code=_place(typed["place"]), year=year, criteria=_criteria(typed["criteria"]),
                           note=typed["note"])  # fmt: skip
        service.designate_site(session, principal, body)
    return _answer(request, session, principal, code, tried, typed, "sites")


@router.post("/areas/{code}/facilities/sites/{site_id}/reviews", response_class=HTMLResponse)
def review(code: str, site_id: Id, request: Request, principal: Manager, session: DbSession, form: Posted):
    area_in_reach(session, principal, code, Permission.facilities_manage)
    typed = _typed(form, f"review-{site_id}", ("year", "result", "note"))
    with attempt(session) as tried:
        year = _whole(typed["year"], t("the review year"), 2000, 2100)
        body = HappyReviewIn(year=year, result=typed["result"] or "kept", note=typed["note"])
        service.review_site(session, principal, site_id, body)
    return _answer(request, session, principal, code, tried, typed, f"site-{site_id}")


@router.post("/areas/{code}/facilities/branches", response_class=HTMLResponse)
def open_branch(code: str, request: Request, principal: Manager, session: DbSession, form: Posted):
    area_in_reach(session, principal, code, Permission.facilities_manage)
    typed = _typed(form, "branch", ("place", "name", "facility"))
    with attempt(session) as tried:
        facility = typed["facility"].strip()
        body = BranchIn(area_code=_place(typed["place"]), name=typed["name"].strip(),
                        facility_id=_whole(facility, t("the facility")) if facility else None)  # fmt: skip
        service.create_branch(session, principal, body)
    return _answer(request, session, principal, code, tried, typed, "branches")


CLASS_FIELDS = ("course", "teacher", "term", "starts_on", "ends_on", "schedule", "capacity")


@router.post("/areas/{code}/facilities/branches/{branch_id}/classes", response_class=HTMLResponse)
def add_class(code: str, branch_id: Id, request: Request, principal: Manager, session: DbSession, form: Posted):
    area_in_reach(session, principal, code, Permission.facilities_manage)
    typed = _typed(form, f"class-{branch_id}", CLASS_FIELDS)
    with attempt(session) as tried:
        body = ClassIn(
            course=typed["course"].strip(), teacher=typed["teacher"].strip(), term=typed["term"].strip(),
            starts_on=date_field(typed["starts_on"], t("the first day"), required=True),
            ends_on=date_field(typed["ends_on"], t("the last day"), required=True),
            schedule=typed["schedule"].strip(), capacity=_whole(typed["capacity"], t("the number of places"), 1, 1000),
        )  # fmt: skip
        service.add_class(session, principal, branch_id, body)
    return _answer(request, session, principal, code, tried, typed, f"branch-{branch_id}")
