"""JSON API of accounts: users and their grants (administrators, within their scope), and oneself (who
am I, my password, my API tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from linli.accounts import repository as repo
from linli.accounts import service
from linli.accounts.schemas import (
    GrantIn,
    GrantOut,
    PasswordChange,
    PasswordChanged,
    PasswordReset,
    TokenCreated,
    TokenIn,
    TokenOut,
    UserCreated,
    UserIn,
    UserOut,
    UserPatch,
)
from linli.authn.models import User
from linli.authz.deps import SESSION_COOKIE, DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1")
Reader = Annotated[Principal, Depends(Require(Permission.users_read))]
Manager = Annotated[Principal, Depends(Require(Permission.users_manage))]
USERS, GRANTS, ME, TOKENS = ["users"], ["users", "grants"], ["me"], ["me", "tokens"]


def user_out(user: User, grants) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        is_active=user.is_active,
        home_area=unpad(user.area_code),
        grants=[{"id": g.id, "role": g.role, "area_code": g.code} for g in grants],
    )


def _user_in_reach(session, principal: Principal, user: User) -> UserOut:
    """The account with the grants the reader may see (those inside their users_read scope)."""
    return user_out(user, repo.grants_of(session, [user.id], principal.scope(Permission.users_read))[user.id])


# --- users and grants -------------------------------------------------------------------------


@router.get("/users", response_model=Page[UserOut], tags=USERS)
def list_users(
    principal: Reader,
    session: DbSession,
    pp: PageParams = Depends(page_params),
    q: str | None = Query(None, max_length=64),
):
    scope = principal.scope(Permission.users_read)
    rows, total = repo.list_users(session, scope, offset=pp.offset, limit=pp.size, q=q)
    grants = repo.grants_of(session, [u.id for u in rows], scope)
    return Page(items=[user_out(u, grants[u.id]) for u in rows], total=total, page=pp.page, size=pp.size)


@router.post("/users", response_model=UserCreated, status_code=201, tags=USERS)
def create_user(body: UserIn, principal: Manager, session: DbSession):
    user, password = service.create_user(
        session, principal, body.username, body.display_name, body.area_code, body.password
    )
    return UserCreated(**user_out(user, []).model_dump(), password=password)


@router.get("/users/{user_id}", response_model=UserOut, tags=USERS)
def get_user(user_id: Id, principal: Reader, session: DbSession):
    return _user_in_reach(session, principal, repo.get_user(session, principal.scope(Permission.users_read), user_id))


@router.patch("/users/{user_id}", response_model=UserOut, tags=USERS)
def update_user(user_id: Id, body: UserPatch, principal: Manager, session: DbSession):
    user = service.update_user(session, principal, user_id, display_name=body.display_name, is_active=body.is_active)
    return _user_in_reach(session, principal, user)


@router.post(
    "/users/{user_id}/password",
    response_model=PasswordReset,
    summary="Reset a user's password to a generated one; their sessions end and API tokens are revoked",
    tags=USERS,
)
def reset_password(user_id: Id, principal: Manager, session: DbSession):
    password, ended = service.reset_password(session, principal, user_id)
    return PasswordReset(password=password, **ended)


@router.post("/users/{user_id}/grants", response_model=GrantOut, status_code=201, tags=GRANTS)
def grant(user_id: Id, body: GrantIn, principal: Manager, session: DbSession):
    g = service.grant_role(session, principal, user_id, body.role, body.area_code)
    return GrantOut(id=g.id, role=g.role, area_code=g.code)


@router.delete("/grants/{grant_id}", status_code=204, tags=GRANTS)
def revoke(grant_id: Id, principal: Manager, session: DbSession):
    service.revoke_grant(session, principal, grant_id)


# --- oneself ----------------------------------------------------------------------------------


@router.get("/me", response_model=UserOut, tags=ME)
def me(principal: SignedIn, session: DbSession):
    user = repo.own_user(session, principal.user_id)
    return user_out(user, repo.grants_of(session, [user.id])[user.id])


@router.post("/me/password", response_model=PasswordChanged, tags=ME)
def change_password(body: PasswordChange, request: Request, principal: SignedIn, session: DbSession):
    """Change one's password: the other browser sessions end; with `revoke_tokens` the API tokens too.
    The answer says how many tokens still work."""
    return service.change_own_password(
        session,
        principal,
        body.current_password,
        body.new_password,
        keep_session=request.cookies.get(SESSION_COOKIE),
        revoke_tokens=body.revoke_tokens,
    )


@router.get("/tokens", response_model=list[TokenOut], tags=TOKENS)
def list_tokens(principal: SignedIn, session: DbSession):
    return repo.list_tokens(session, principal.user_id)


@router.post("/tokens", response_model=TokenCreated, status_code=201, tags=TOKENS)
def create_token(body: TokenIn, principal: SignedIn, session: DbSession):
    token, secret = service.create_own_token(session, principal, body.name, body.expires_in_days)
    return TokenCreated(**TokenOut.model_validate(token).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=204, tags=TOKENS)
def revoke_token(token_id: Id, principal: SignedIn, session: DbSession):
    service.revoke_token(session, principal, token_id)
