"""Browser pages of the core: sign in, sign out, the start page, local API docs."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authn import service as authn
from linli.authz.deps import SESSION_COOKIE, get_db, public, same_secret, signed_in
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.kit.errors import TooManyRequests, Unauthenticated
from linli.web.templating import templates

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "linli_login_csrf"


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _safe_next(value: str | None) -> str:
    # Only local paths: an open redirect after sign-in is a phishing aid.
    if not value or not value.startswith("/") or value.startswith("//") or urlsplit(value).netloc:
        return "/"
    return value


def _login_page(request: Request, *, error: str = "", username: str = "", next_: str = "/", status: int = 200):
    token = secrets.token_urlsafe(32)
    resp = templates.TemplateResponse(
        request,
        "login.html",
        {"csrf_token": token, "error": error, "username": username, "next": next_, "user": None},
        status_code=status,
    )
    resp.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=get_settings().secure_cookies,
        max_age=3600,
    )
    return resp


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(public)])
def login_form(request: Request, next: str = "/"):
    return _login_page(request, next_=_safe_next(next))


@router.post("/login", dependencies=[Depends(public)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
    session: Session = Depends(get_db),
):
    settings = get_settings()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not same_secret(csrf_token, expected):
        return _login_page(
            request,
            error="表单已过期，请重试。The form expired; please try again.",
            username=username,
            status=403,
        )
    try:
        user = authn.authenticate(session, username, password, _address(request), settings)
    except Unauthenticated:
        authn.record_failed_login(session, username, _address(request), settings)
        return _login_page(
            request,
            error="用户名或密码错误。Wrong user name or password.",
            username=username,
            next_=_safe_next(next),
            status=401,
        )
    except TooManyRequests as exc:
        return _login_page(request, error=f"登录失败次数过多，请稍后再试。{exc.message}", username=username, status=429)
    new = authn.start_session(session, user, _address(request), settings)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        new.cookie_value,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_hours * 3600,
    )
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout")
def logout(request: Request, principal: Principal = Depends(signed_in), session: Session = Depends(get_db)):
    authn.end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: Principal = Depends(signed_in), session: Session = Depends(get_db)):
    names = area_repo.get_areas(session, [c for _, c in principal.grants])
    grants = [{"role": r.value, "code": c, "name": names[c].name if c in names else c} for r, c in principal.grants]
    return templates.TemplateResponse(
        request,
        "home.html",
        {"user": request.state.user, "csrf_token": getattr(request.state, "csrf_token", ""), "grants": grants},
    )


@router.get("/docs", response_class=HTMLResponse, dependencies=[Depends(public)])
def api_docs():
    return HTMLResponse("""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Linli API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>""")
