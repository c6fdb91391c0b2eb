"""Web pages for administrators: users in their scope and their role grants."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authn import users
from linli.authz import service
from linli.authz.deps import Require, get_db
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.errors import DomainError
from linli.kit.i18n import N_
from linli.kit.types import Id, PageNumber
from linli.residents import accounts
from linli.web.labels import role_label
from linli.web.nav import NavLink, where_held
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [NavLink(80, N_("Users"), where_held(Permission.users_read, "/admin/users"))]
READ = Require(Permission.users_read)
MANAGE = Require(Permission.users_manage)
PAGE = 50


def _roles() -> list[tuple[str, str]]:
    return [(r.value, role_label(r.value)) for r in Role]


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    q: str = Query("", max_length=64),
    page: PageNumber = Query(1),
    principal: Principal = Depends(READ),
    session: Session = Depends(get_db, scope="function"),
):
    return _users_page(request, session, principal, q, page)


def _users_page(request, session, principal, q, page, *, form=None, error="", created=None, status=200):
    rows, total = users.list_users(
        session, principal.scope(Permission.users_read), offset=(page - 1) * PAGE, limit=PAGE, q=q or None
    )
    grants = users.grants_of(session, [u.id for u in rows], principal.scope(Permission.users_read))
    names = area_repo.get_areas(
        session, sorted({g.code for gs in grants.values() for g in gs} | {unpad(u.area_code) for u in rows})
    )
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
            "names": {c: a.name for c, a in names.items()},
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
    username: str = Form(""),
    display_name: str = Form(""),
    area_code: str = Form(""),
    role: str = Form(""),
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    form = {"username": username, "display_name": display_name, "area_code": area_code, "role": role}
    try:
        user, password = users.create_user(session, principal, username, display_name, area_code.strip())
        if role:
            service.grant_role(session, principal, user.id, role, area_code.strip())
    except DomainError as exc:
        session.rollback()
        return _users_page(request, session, principal, "", 1, form=form, error=exc.message, status=exc.status)
    return _users_page(
        request, session, principal, "", 1, created={"username": user.username, "password": password}, status=201
    )


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(
    user_id: Id,
    request: Request,
    principal: Principal = Depends(READ),
    session: Session = Depends(get_db, scope="function"),
):
    return _user_page(request, session, principal, user_id)


def _user_page(request, session, principal, user_id, *, error="", password=None, ended=None, form=None, status=200):
    user = users.get_user(session, principal.scope(Permission.users_read), user_id)
    grants = users.grants_of(session, [user.id], principal.scope(Permission.users_read))[user.id]
    names = area_repo.get_areas(session, [g.code for g in grants] + [unpad(user.area_code)])
    return render(
        request,
        "admin/user.html",
        {
            "u": user,
            "grants": grants,
            "names": {c: a.name for c, a in names.items()},
            "unpad": unpad,
            "role_label": role_label,
            "roles": _roles(),
            "error": error,
            "password": password,
            "ended": ended,
            "can_manage": users.reachable(session, principal.scope(Permission.users_manage), user.id),
            "register_entry": accounts.register_entry_of(session, principal, user),
            "form": form or {"role": "", "area_code": unpad(user.area_code)},
        },
        status_code=status,
    )


@router.post("/admin/users/{user_id}/grants", response_class=HTMLResponse)
def add_grant(
    user_id: Id,
    request: Request,
    role: str = Form(""),
    area_code: str = Form(""),
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    try:
        service.grant_role(session, principal, user_id, role, area_code.strip())
    except DomainError as exc:
        session.rollback()
        return _user_page(
            request,
            session,
            principal,
            user_id,
            error=exc.message,
            form={"role": role, "area_code": area_code},
            status=exc.status,
        )
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/grants/{grant_id}/revoke")
def revoke_grant(
    grant_id: Id,
    user_id: Id = Form(...),
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    service.revoke_grant(session, principal, grant_id)
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/active")
def set_active(
    user_id: Id,
    active: str = Form(...),
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    users.update_user(session, principal, user_id, is_active=active == "1")
    return RedirectResponse(f"/admin/users/{user_id}", status_code=303)


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def reset_password(
    user_id: Id,
    request: Request,
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    password, ended = users.reset_password(session, principal, user_id)
    return _user_page(request, session, principal, user_id, password=password, ended=ended)
