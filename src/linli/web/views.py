"""Browser pages of the core: sign in and out, preferences (language, text size), the start page, API docs."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.authn import service as authn
from linli.authn.models import User
from linli.authz.deps import SESSION_COOKIE, DbSession, SignedIn, public, same_secret
from linli.config import get_settings
from linli.kit import i18n
from linli.kit.errors import TooManyRequests, Unauthenticated
from linli.kit.i18n import t
from linli.web.pages import is_local_path
from linli.web.templating import LANG_COOKIE, TEXT_COOKIE, render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "linli_login_csrf"
YEAR = 365 * 24 * 3600


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def safe_next(value: str | None) -> str:
    return value if is_local_path(value) else "/"


def _login_page(
    request: Request, *, error: str = "", notice: str = "", username: str = "", next_: str = "/", status: int = 200
):
    token = secrets.token_urlsafe(32)
    resp = render(
        request,
        "login.html",
        {
            "csrf_token": token,
            "error": error,
            "notice": notice,
            "username": username,
            "next": next_,
            "user": None,
            "nav": [],
        },
        status_code=status,
    )
    resp.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=get_settings().secure_cookies, max_age=3600
    )
    return resp


@router.get("/login", response_class=HTMLResponse, dependencies=[Depends(public)])
def login_form(request: Request, next: str = "/", expired: str = ""):
    notice = t("Your session has expired; please sign in again.") if expired else ""
    return _login_page(request, next_=safe_next(next), notice=notice)


@router.post("/login", dependencies=[Depends(public)])
def login(
    request: Request,
    session: DbSession,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
):
    settings = get_settings()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not same_secret(csrf_token, expected):
        return _login_page(
            request,
            error=t("The form expired; please try again."),
            username=username,
            next_=safe_next(next),
            status=403,
        )
    device = request.cookies.get(authn.DEVICE_COOKIE)
    try:
        user = authn.authenticate(session, username, password, _address(request), settings, device)
    except Unauthenticated:
        authn.record_failed_login(session, username, _address(request), settings, device)
        return _login_page(
            request, error=t("Wrong user name or password."), username=username, next_=safe_next(next), status=401
        )
    except TooManyRequests as exc:
        return _login_page(request, error=exc.message, username=username, status=429)
    new = authn.start_session(session, user, _address(request), settings)
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        new.cookie_value,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=settings.session_hours * 3600,
    )
    # This browser is now a known device of the account: failures elsewhere will not hold it up.
    if authn.known_device(device, user.id, settings) is None:
        resp.set_cookie(
            authn.DEVICE_COOKIE,
            authn.new_device_cookie(user.id, settings),
            httponly=True,
            samesite="lax",
            secure=settings.secure_cookies,
            max_age=authn.DEVICE_COOKIE_SECONDS,
        )
    # The account's language follows it from device to device.
    resp.set_cookie(LANG_COOKIE, user.locale, max_age=YEAR, samesite="lax", secure=settings.secure_cookies)
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout")
def logout(request: Request, principal: SignedIn, session: DbSession):
    authn.end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


# Preferences are forms (POST), not links: a GET changes nothing. They work without a session (on the
# sign-in page) and without scripts, and go back to the local page they came from.
@router.post("/prefs/lang/{locale}", dependencies=[Depends(public)])
def switch_language(
    locale: str,
    request: Request,
    session: DbSession,
    next: str = Form("/"),
    csrf_token: str = Form(""),
):
    """Remember the language in a cookie, and on the account when signed in (only with the form's CSRF
    token: another site must not change an account's language)."""
    chosen = i18n.normalize(locale) or i18n.WEB_DEFAULT
    cookie = request.cookies.get(SESSION_COOKIE)
    found = authn.session_user(session, cookie) if cookie else None
    if found is not None and same_secret(csrf_token, found[1].csrf_token):
        user: User = found[0]
        user.locale = chosen
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(LANG_COOKIE, chosen, max_age=YEAR, samesite="lax", secure=get_settings().secure_cookies)
    return resp


@router.post("/prefs/text/{size}", dependencies=[Depends(public)])
def switch_text_size(size: str, next: str = Form("/")):
    resp = RedirectResponse(safe_next(next), status_code=303)
    resp.set_cookie(
        TEXT_COOKIE,
        "large" if size == "large" else "normal",
        max_age=YEAR,
        samesite="lax",
        secure=get_settings().secure_cookies,
    )
    return resp


@router.get("/docs", response_class=HTMLResponse, dependencies=[Depends(public)])
def api_docs():
    # Swagger UI 5 (vendored, static/vendor/README.md): 4.x cannot read FastAPI's OpenAPI 3.1. No inline
    # script or style, so it runs under the CSP of every page; static/swagger-init.js starts it.
    return HTMLResponse("""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Linli API</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>""")
