"""Web pages about oneself: API tokens and the password."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authn import service
from linli.authn.models import User
from linli.authn.users import change_own_password
from linli.authz.deps import SESSION_COOKIE, get_db, signed_in
from linli.authz.principal import Principal
from linli.kit.errors import DomainError, InvalidInput
from linli.kit.i18n import N_, t
from linli.kit.types import Id
from linli.web.nav import NavLink, always
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [
    NavLink(110, N_("API tokens"), always("/account/tokens")),
    NavLink(120, N_("Password"), always("/account/password")),
]


def _tokens_page(request, session, principal, *, created=None, error="", form=None, status=200):
    return render(
        request,
        "account/tokens.html",
        {
            "tokens": service.list_tokens(session, principal.user_id),
            "created": created,
            "error": error,
            "form": form or {"name": "", "days": "90"},
        },
        status_code=status,
    )


@router.get("/account/tokens", response_class=HTMLResponse)
def tokens_page(
    request: Request, principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")
):
    return _tokens_page(request, session, principal)


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    name: str = Form(""),
    days: str = Form("90"),
    principal: Principal = Depends(signed_in),
    session: Session = Depends(get_db, scope="function"),
):
    try:
        if days.strip() and not days.strip().isdigit():
            raise InvalidInput(t("Days must be a whole number, or empty for no expiry."))
        user = session.get(User, principal.user_id)
        token, secret = service.create_token(session, principal, user, name, int(days) if days.strip() else None)
    except DomainError as exc:
        session.rollback()
        return _tokens_page(
            request, session, principal, error=exc.message, form={"name": name, "days": days}, status=exc.status
        )
    return _tokens_page(request, session, principal, created={"name": token.name, "secret": secret}, status=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(
    token_id: Id, principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")
):
    service.revoke_token(session, principal, token_id)
    return RedirectResponse("/account/tokens", status_code=303)


@router.get("/account/password", response_class=HTMLResponse)
def password_page(
    request: Request, principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")
):
    return render(
        request, "account/password.html", {"tokens_active": service.active_tokens(session, principal.user_id)}
    )


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    current_password: str = Form(""),
    new_password: str = Form(""),
    repeat_password: str = Form(""),
    revoke_tokens: str = Form(""),
    principal: Principal = Depends(signed_in),
    session: Session = Depends(get_db, scope="function"),
):
    try:
        if new_password != repeat_password:
            raise InvalidInput(t("The two new passwords differ."))
        done = change_own_password(
            session,
            principal,
            current_password,
            new_password,
            keep_session=request.cookies.get(SESSION_COOKIE),
            revoke_tokens=bool(revoke_tokens),
        )
    except DomainError as exc:
        session.rollback()
        return render(
            request,
            "account/password.html",
            {"error": exc.message, "tokens_active": service.active_tokens(session, principal.user_id)},
            status_code=exc.status,
        )
    return render(
        request,
        "account/password.html",
        {
            "flash": t("Your password was changed."),
            "tokens_revoked": done["tokens_revoked"],
            "tokens_active": done["tokens_active"],
        },
    )
