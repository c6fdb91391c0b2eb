"""Pages of accounts: users in an administrator's scope and their role grants; one's own API tokens and
password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.accounts import repository as repo
from linli.accounts import service
from linli.areas import repository as area_repo
from linli.authz.deps import SESSION_COOKIE, DbSession, Require, SignedIn
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, t
from linli.kit.types import Id, PageNumber
from linli.residents import accounts as resident_accounts
from linli.web import display
from linli.web.forms import attempt
from linli.web.labels import level_label, role_label
from linli.web.nav import NavLink, always, for_staff, where_held
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [
    NavLink(80, N_("Users"), where_held(Permission.users_read, "/admin/users"), more=True),
    # Under the account for everyone (the page stays open to all), in the menu for staff only.
    NavLink(110, N_("API tokens"), for_staff("/account/tokens"), account=True),
    NavLink(120, N_("Password"), always("/account/password"), account=True),
]
Reader = Annotated[Principal, Depends(Require(Permission.users_read))]
Manager = Annotated[Principal, Depends(Require(Permission.users_manage))]
PAGE = 50


def _roles() -> list[tuple[str, str]]:
    return [(r.value, role_label(r.value)) for r in Role]


# --- users in an administrator's scope --------------------------------------------------------


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    principal: Reader,
    session: DbSession,
    q: str = Query("", max_length=64),
    page: PageNumber = Query(1),
):
    return _users_page(request, session, principal, q, page)


def _users_page(request, session, principal, q, page, *, form=None, error="", created=None, status=200):
    scope = principal.scope(Permission.users_read)
    rows, total = repo.list_users(session, scope, offset=(page - 1) * PAGE, limit=PAGE, q=q or None)
    grants = repo.grants_of(session, [u.id for u in rows], scope)
    display.prefetch(request, [g.code for gs in grants.values() for g in gs] + [unpad(u.area_code) for u in rows])
    return render(
        request,
        "admin/users.html",
        {
            "rows": rows,
            "total": total,
            "q": q,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "grants": grants,
            "unpad": unpad,
            "role_label": role_label,
            "roles": _roles(),
            "can_manage": principal.holds_anywhere(Permission.users_manage),
            "form": form or {"username": "", "display_name": "", "area_code": "", "role": ""},
            "error": error,
            "created": created,
        },
        status_code=status,
    )


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(
    request: Request,
    principal: Manager,
    session: DbSession,
    username: str = Form(""),
    display_name: str = Form(""),
    area_code: str = Form(""),
    role: str = Form(""),
):
    form = {"username": username, "display_name": display_name, "area_code": area_code, "role": role}
    with attempt(session) as tried:
        user, password = service.create_user(session, principal, username, display_name, area_code.strip())
        if role:
            service.grant_role(session, principal, user.id, role, area_code.strip())
    if tried.refused:
        error = tried.error
        return _users_page(request, session, principal, "", 1, form=form, error=error.message, status=error.status)
    return _users_page(
        request, session, principal, "", 1, created={"username": user.username, "password": password}, status=201
    )


PICKER_LIMIT = 20


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(
    user_id: Id, request: Request, principal: Reader, session: DbSession, area_q: str = Query("", max_length=50)
):
    return _user_page(request, session, principal, user_id, area_q=area_q.strip())


def _user_page(
    request, session, principal, user_id, *, error="", password=None, ended=None, form=None, status=200, area_q=""
):
    scope = principal.scope(Permission.users_read)
    user = repo.get_user(session, scope, user_id)
    grants = repo.grants_of(session, [user.id], scope)[user.id]
    # The grant form's area picker: areas in the administrator's reach found by name.
    manage = principal.scope(Permission.users_manage)
    choices = area_repo.named_in_scope(session, manage, area_q, limit=PICKER_LIMIT) if area_q else []
    display.prefetch(request, [a.code for a in choices])
    return render(
        request,
        "admin/user.html",
        {
            "u": user,
            "grants": grants,
            "unpad": unpad,
            "role_label": role_label,
            "roles": _roles(),
            "error": error,
            "password": password,
            "ended": ended,
            "can_manage": repo.reachable(session, principal.scope(Permission.users_manage), user.id),
            "register_entry": resident_accounts.register_entry_of(session, principal, user),
            "form": form or {"role": "", "area_code": unpad(user.area_code)},
            "area_q": area_q,
            "area_choices": choices,
            "picker_limit": PICKER_LIMIT,
            "level_label": level_label,
        },
        status_code=status,
    )


@router.post("/admin/users/{user_id}/grants", response_class=HTMLResponse)
def add_grant(
    user_id: Id,
    request: Request,
    principal: Manager,
    session: DbSession,
    role: str = Form(""),
    area_code: str = Form(""),
    chosen: str = Form(""),
):
    # `chosen`: an area picked from the search's results (its button); else the code typed.
    area_code = chosen or area_code
    with attempt(session) as tried:
        service.grant_role(session, principal, user_id, role, area_code.strip())
    if tried.refused:
        error = tried.error
        form = {"role": role, "area_code": area_code}
        return _user_page(request, session, principal, user_id, error=error.message, form=form, status=error.status)
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/grants/{grant_id}/revoke")
def revoke_grant(grant_id: Id, principal: Manager, session: DbSession, user_id: Id = Form(...)):
    service.revoke_grant(session, principal, grant_id)
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/active")
def set_active(user_id: Id, principal: Manager, session: DbSession, active: str = Form(...)):
    service.update_user(session, principal, user_id, is_active=active == "1")
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def reset_password(user_id: Id, request: Request, principal: Manager, session: DbSession):
    password, ended = service.reset_password(session, principal, user_id)
    return _user_page(request, session, principal, user_id, password=password, ended=ended)


# --- one's own API tokens and password --------------------------------------------------------


def _tokens_page(request, session, principal, *, created=None, error="", form=None, status=200):
    return render(
        request,
        "account/tokens.html",
        {
            "tokens": repo.list_tokens(session, principal.user_id),
            "created": created,
            "error": error,
            "form": form or {"name": "", "days": "90"},
        },
        status_code=status,
    )


@router.get("/account/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, principal: SignedIn, session: DbSession):
    return _tokens_page(request, session, principal)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, principal: SignedIn, session: DbSession, name: str = Form(""), days: str = Form("90")
):
    with attempt(session) as tried:
        if days.strip() and not days.strip().isdigit():
            raise InvalidInput(t("Days must be a whole number, or empty for no expiry."))
        token, secret = service.create_own_token(session, principal, name, int(days) if days.strip() else None)
    if tried.refused:
        error = tried.error
        form = {"name": name, "days": days}
        return _tokens_page(request, session, principal, error=error.message, form=form, status=error.status)
    return _tokens_page(request, session, principal, created={"name": token.name, "secret": secret}, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: Id, principal: SignedIn, session: DbSession):
    service.revoke_token(session, principal, token_id)
    return RedirectResponse("/account/tokens", status_code=303)


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, principal: SignedIn, session: DbSession):
    return render(request, "account/password.html", {"tokens_active": repo.active_tokens(session, principal.user_id)})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    principal: SignedIn,
    session: DbSession,
    current_password: str = Form(""),
    new_password: str = Form(""),
    repeat_password: str = Form(""),
    revoke_tokens: str = Form(""),
):
    with attempt(session) as tried:
        if new_password != repeat_password:
            raise InvalidInput(t("The two new passwords differ."))
        done = service.change_own_password(
            session,
            principal,
            current_password,
            new_password,
            keep_session=request.cookies.get(SESSION_COOKIE),
            revoke_tokens=bool(revoke_tokens),
        )
    if tried.refused:
        return render(
            request,
            "account/password.html",
            {"error": tried.error.message, "tokens_active": repo.active_tokens(session, principal.user_id)},
            status_code=tried.error.status,
        )
    return render(
        request,
        "account/password.html",
        {
            "flash": t("Your password was changed."),
            "tokens_active": done["tokens_active"],
            "tokens_revoked": done["tokens_revoked"],
        },
    )
