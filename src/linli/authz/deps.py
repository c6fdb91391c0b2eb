"""FastAPI dependencies: the database session of a request, and who is asking.

Every route declares either `Depends(Require(Permission.X))` or `dependencies=[Depends(public)]`;
a test walks the router and fails on a route with neither.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authn import service as authn
from linli.authn.models import User
from linli.authz.models import Grant
from linli.authz.permissions import Permission
from linli.authz.principal import Principal, principal_for
from linli.db.session import unit_of_work
from linli.kit.errors import Forbidden, Unauthenticated
from linli.kit.i18n import t

SESSION_COOKIE = "linli_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class SignedInUser:
    id: int
    username: str
    display_name: str
    locale: str


def get_db(request: Request) -> Iterator[Session]:
    """One session per request, committed once when the route succeeds, rolled back otherwise.

    Always declared as `Depends(get_db, scope="function")`: the commit must happen before the response
    leaves (a browser follows a redirect at once), and a failed commit must become an error response.
    """
    with unit_of_work(request.app.state.session_factory, writes=request.method not in SAFE_METHODS) as session:
        yield session


def load_principal(session: Session, user: User, via: str) -> Principal:
    grants = session.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user.id)).all()
    from linli.kit.codes import unpad

    return principal_for(user.id, user.username, [(r, unpad(a)) for r, a in grants], via=via)


def _token_principal(session: Session, secret: str) -> tuple[User, Principal]:
    user = authn.token_user(session, secret)
    return user, load_principal(session, user, "token")


def same_secret(supplied: str, expected: str) -> bool:
    """Constant-time comparison that also accepts non-ASCII input (compare_digest on str does not)."""
    return secrets.compare_digest(supplied.encode(), expected.encode())


async def _csrf_ok(request: Request, expected: str) -> bool:
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        supplied = (await request.form()).get("csrf_token")
    return isinstance(supplied, str) and same_secret(supplied, expected)


async def current_principal(request: Request, session: Session = Depends(get_db, scope="function")) -> Principal:
    """The signed-in principal, from a bearer token or the session cookie (with CSRF on writes)."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, secret = auth.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated(t("use 'Authorization: Bearer <token>'"), code="invalid_token")
        # Database work runs in the thread pool: blocking the event loop here (a lock wait on the token
        # row, SQLite's write lock) would stall the very requests that hold the lock, until timeouts.
        user, principal = await run_in_threadpool(_token_principal, session, secret.strip())
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        found = await run_in_threadpool(authn.session_user, session, cookie) if cookie else None
        if found is None:
            raise Unauthenticated(
                t("your session has expired; please sign in again") if cookie else t("please sign in"),
                code="session_expired" if cookie else "unauthenticated",
            )
        user, web_session = found
        if request.method not in SAFE_METHODS and not await _csrf_ok(request, web_session.csrf_token):
            raise Forbidden(t("the form's security token is missing or wrong; reload the page"), code="csrf")
        request.state.csrf_token = web_session.csrf_token
        principal = await run_in_threadpool(load_principal, session, user, "session")
    request.state.principal = principal
    # A plain copy: error pages render after the request's session has closed.
    request.state.user = SignedInUser(user.id, user.username, user.display_name, user.locale)
    return principal


class Require:
    """Dependency: a principal holding `permission` somewhere (403 if nowhere)."""

    def __init__(self, permission: Permission):
        self.permission = permission

    async def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        if not principal.holds_anywhere(self.permission):
            raise Forbidden(t("you do not have the permission {permission}", permission=self.permission.value))
        return principal

    def __repr__(self) -> str:
        return f"Require({self.permission.value})"


class Authenticated:
    """Dependency: any signed-in principal (for things about oneself: own tokens, own password)."""

    async def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        return principal


signed_in = Authenticated()


def public() -> None:
    """Marker dependency for routes anyone may call (health, login page, public feeds)."""
