"""JSON API about oneself: who am I, my password, my API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from linli.authn import service
from linli.authn.models import User
from linli.authn.schemas import PasswordChange, PasswordChanged, TokenCreated, TokenIn, TokenOut, UserOut
from linli.authn.users import change_own_password, grants_of
from linli.authz.deps import SESSION_COOKIE, get_db, signed_in
from linli.authz.principal import Principal
from linli.kit.codes import unpad
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1", tags=["me"])


def user_out(user: User, grants) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        is_active=user.is_active,
        home_area=unpad(user.area_code),
        grants=[{"id": g.id, "role": g.role, "area_code": g.code} for g in grants],
    )


@router.get("/me", response_model=UserOut)
def me(principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")):
    user = session.get(User, principal.user_id)
    return user_out(user, grants_of(session, [user.id])[user.id])


@router.post("/me/password", response_model=PasswordChanged)
def change_password(
    body: PasswordChange,
    request: Request,
    principal: Principal = Depends(signed_in),
    session: Session = Depends(get_db, scope="function"),
):
    """Change one's password: the other browser sessions end; with `revoke_tokens` the API tokens too.
    The answer says how many tokens still work."""
    return change_own_password(
        session,
        principal,
        body.current_password,
        body.new_password,
        keep_session=request.cookies.get(SESSION_COOKIE),
        revoke_tokens=body.revoke_tokens,
    )


@router.get("/tokens", response_model=list[TokenOut], tags=["tokens"])
def list_tokens(principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")):
    return service.list_tokens(session, principal.user_id)


@router.post("/tokens", response_model=TokenCreated, status_code=201, tags=["tokens"])
def create_token(
    body: TokenIn, principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")
):
    user = session.get(User, principal.user_id)
    token, secret = service.create_token(session, principal, user, body.name, body.expires_in_days)
    return TokenCreated(**TokenOut.model_validate(token).model_dump(), token=secret)


@router.delete("/tokens/{token_id}", status_code=204, tags=["tokens"])
def revoke_token(
    token_id: Id, principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")
):
    service.revoke_token(session, principal, token_id)
