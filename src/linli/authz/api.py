"""JSON API of users and grants, for admins within their scope."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from linli.authn import users
from linli.authn.api import user_out
from linli.authn.schemas import GrantIn, GrantOut, PasswordReset, UserCreated, UserIn, UserOut, UserPatch
from linli.authz import service
from linli.authz.deps import Require, get_db
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["users"])
READ = Require(Permission.users_read)
MANAGE = Require(Permission.users_manage)


@router.get("/users", response_model=Page[UserOut])
def list_users(
    pp: PageParams = Depends(page_params),
    q: str | None = Query(None, max_length=64),
    principal: Principal = Depends(READ),
    session: Session = Depends(get_db, scope="function"),
):
    rows, total = users.list_users(
        session, principal.scope(Permission.users_read), offset=pp.offset, limit=pp.size, q=q
    )
    grants = users.grants_of(session, [u.id for u in rows], principal.scope(Permission.users_read))
    return Page(items=[user_out(u, grants[u.id]) for u in rows], total=total, page=pp.page, size=pp.size)


@router.post("/users", response_model=UserCreated, status_code=201)
def create_user(
    body: UserIn, principal: Principal = Depends(MANAGE), session: Session = Depends(get_db, scope="function")
):
    user, password = users.create_user(
        session, principal, body.username, body.display_name, body.area_code, body.password
    )
    return UserCreated(**user_out(user, []).model_dump(), password=password)


@router.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: Id, principal: Principal = Depends(READ), session: Session = Depends(get_db, scope="function")):
    user = users.get_user(session, principal.scope(Permission.users_read), user_id)
    return user_out(user, users.grants_of(session, [user.id], principal.scope(Permission.users_read))[user.id])


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(
    user_id: Id,
    body: UserPatch,
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    user = users.update_user(session, principal, user_id, display_name=body.display_name, is_active=body.is_active)
    return user_out(user, users.grants_of(session, [user.id], principal.scope(Permission.users_read))[user.id])


@router.post(
    "/users/{user_id}/password",
    response_model=PasswordReset,
    summary="Reset a user's password to a generated one; their sessions end and API tokens are revoked",
)
def reset_password(
    user_id: Id, principal: Principal = Depends(MANAGE), session: Session = Depends(get_db, scope="function")
):
    password, ended = users.reset_password(session, principal, user_id)
    return PasswordReset(password=password, **ended)


@router.post("/users/{user_id}/grants", response_model=GrantOut, status_code=201, tags=["grants"])
def grant(
    user_id: Id,
    body: GrantIn,
    principal: Principal = Depends(MANAGE),
    session: Session = Depends(get_db, scope="function"),
):
    g = service.grant_role(session, principal, user_id, body.role, body.area_code)
    return GrantOut(id=g.id, role=g.role, area_code=g.code)


@router.delete("/grants/{grant_id}", status_code=204, tags=["grants"])
def revoke(grant_id: Id, principal: Principal = Depends(MANAGE), session: Session = Depends(get_db, scope="function")):
    service.revoke_grant(session, principal, grant_id)
