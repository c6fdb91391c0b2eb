"""Pages of account links: staff link a resident's account to a person after checking the identity
card (`/persons/{id}/account`), and a resident reads their own registration (`/account/registration`)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, SignedIn
from linli.authz.principal import Principal
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.residents import accounts
from linli.residents.views.common import Writer, helpers, refusal
from linli.residents.views.households import person_page_parts
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _link_page(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: Id,
    *,
    username: str = "",
    errors: list[str] | None = None,
    status_code: int = 200,
):
    out, grid, trail = person_page_parts(session, principal, person_id)
    return render(
        request,
        "residents/person_account.html",
        {
            "p": out,
            "grid": grid,
            "link": accounts.link_of_person(session, principal, person_id),
            "username": username,
            "errors": errors or [],
            "done": request.query_params.get("done", ""),
            "back": f"/households/{out.household_id}#person-{out.id}" if out.household_id else "",
            "breadcrumb": [*trail, {"name": t("Account of {name}", name=out.name), "href": ""}],
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/persons/{person_id}/account", response_class=HTMLResponse)
def link_form(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    return _link_page(request, session, principal, person_id)


@router.post("/persons/{person_id}/account", response_class=HTMLResponse)
def link_account(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    username: str = Form(""),
):
    with attempt(session) as tried:
        accounts.link(session, principal, person_id, username[:64])
    if tried.refused:
        errors, status = refusal(tried)
        return _link_page(request, session, principal, person_id, username=username, errors=errors, status_code=status)
    out, _, _ = person_page_parts(session, principal, person_id)
    if out.household_id:
        return RedirectResponse(f"/households/{out.household_id}?account=linked#person-{out.id}", status_code=303)
    return RedirectResponse(f"/persons/{out.id}/account?done=linked", status_code=303)


@router.post("/persons/{person_id}/account/unlink", response_class=HTMLResponse)
def unlink_account(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    with attempt(session) as tried:
        accounts.unlink(session, principal, person_id)
    if tried.refused:
        errors, status = refusal(tried)
        return _link_page(request, session, principal, person_id, errors=errors, status_code=status)
    out, _, _ = person_page_parts(session, principal, person_id)
    if out.household_id:
        return RedirectResponse(f"/households/{out.household_id}?account=unlinked#person-{out.id}", status_code=303)
    return RedirectResponse(f"/persons/{out.id}/account?done=unlinked", status_code=303)


# --- the resident's own registration ------------------------------------------------------------


def _registration_page(request: Request, session: Session, principal: Principal, *, confirm: bool = False):
    mine = accounts.my_registration(session, principal)
    return render(
        request,
        "account/registration.html",
        {
            "mine": mine,
            "community": None if mine else accounts.home_community(session, principal),
            "confirm": confirm and mine is not None,
            "unlinked": request.query_params.get("unlinked") == "1" and mine is None,
            **helpers(),
        },
    )


@router.get("/account/registration", response_class=HTMLResponse)
def my_registration(request: Request, principal: SignedIn, session: DbSession):
    return _registration_page(request, session, principal)


@router.post("/account/registration/unlink", response_class=HTMLResponse)
def unlink_mine(
    request: Request,
    principal: SignedIn,
    session: DbSession,
    confirm: str = Form(""),
):
    """First press: the page asks to confirm; with confirm=yes the link is removed (audited)."""
    if confirm != "yes":
        return _registration_page(request, session, principal, confirm=True)
    if accounts.my_registration(session, principal) is not None:
        accounts.unlink_own(session, principal)
    return RedirectResponse("/account/registration?unlinked=1", status_code=303)
