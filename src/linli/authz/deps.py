"""FastAPI dependencies: the database session of a request, and who is asking.

Every route declares either `Depends(Require(Permission.X))` or `dependencies=[Depends(public)]`;
a test walks the router and fails on a route with neither.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from linli.authn import service as authn
from linli.authn.models import ApiToken, User
from linli.authz.models import Grant
from linli.authz.permissions import Permission, refusal
from linli.authz.principal import Principal, principal_for
from linli.authz.token_uses import TOKEN_USES
from linli.db import raw
from linli.db.session import unit_of_work
from linli.kit.codes import unpad
from linli.kit.errors import Forbidden, Unauthenticated
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow

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
    A write request starts its transaction as a writer (on SQLite a read transaction cannot become one
    once another writer has committed since it began: "database is locked" at once, the busy timeout does
    not apply); a read route that must record something writes it in a short transaction of its own
    (see the residents export).
    """
    with unit_of_work(request.app.state.session_factory, writes=request.method not in SAFE_METHODS) as session:
        request.state.db = session  # the page's navigation reads its badges in the same transaction
        yield session


def load_principal(session: Session, user: User, via: str) -> Principal:
    grants = session.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user.id)).all()
    return principal_for(user.id, user.username, [(r, unpad(a)) for r, a in grants], via=via)


_tokens, _users, _grants = ApiToken.__table__, User.__table__, Grant.__table__
# Every API request asks this: the token, its account and the account's grants in one round trip, as
# one statement built once (building an ORM query cost more than running it).
_TOKEN_LOOKUP = (
    select(
        _tokens.c.id,
        _tokens.c.revoked_at,
        _tokens.c.expires_at,
        _tokens.c.last_used_at,
        _users.c.id.label("user_id"),
        _users.c.username,
        _users.c.display_name,
        _users.c.locale,
        _users.c.is_active,
        _grants.c.role,
        _grants.c.area_code,
    )
    .select_from(
        _tokens.outerjoin(_users, _users.c.id == _tokens.c.user_id).outerjoin(_grants, _grants.c.user_id == _users.c.id)
    )
    .where(_tokens.c.token_hash == bindparam("token_hash"))
)


def token_principal(session: Session, secret: str) -> tuple[SignedInUser, Principal]:
    """The account and principal of a bearer token; Unauthenticated for an unknown, revoked or expired
    token or a disabled account."""
    rows = raw.run(session, _TOKEN_LOOKUP, {"token_hash": authn.token_hash(secret)}).fetchall()
    now = utcnow()
    if not rows:
        raise Unauthenticated(t("the API token is not valid"), code="invalid_token")
    first = rows[0]
    if first.revoked_at is not None:
        raise Unauthenticated(t("the API token has been revoked"), code="token_revoked")
    if first.expires_at is not None and as_utc(first.expires_at) <= now:
        raise Unauthenticated(t("the API token has expired"), code="token_expired")
    if first.user_id is None or not first.is_active:
        raise Unauthenticated(t("the account of this API token is disabled"), code="invalid_token")
    # Record use at most once a minute, off the request's transaction (see linli.authz.token_uses).
    if first.last_used_at is None or now - as_utc(first.last_used_at) > authn.TOKEN_USE_GRANULARITY:
        TOKEN_USES.note(session, first.id, now)
    grants = [(r.role, unpad(r.area_code)) for r in rows if r.role is not None]
    user = SignedInUser(first.user_id, first.username, first.display_name, first.locale)
    return user, principal_for(first.user_id, first.username, grants, via="token")


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
        # Database work runs in the thread pool: blocking the event loop here (a lock wait on the token
        # row, SQLite's write lock) would stall the very requests that hold the lock, until timeouts.
        user, principal = await run_in_threadpool(token_principal, session, bearer_secret(auth))
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
    request.state.user = (
        user if isinstance(user, SignedInUser) else SignedInUser(user.id, user.username, user.display_name, user.locale)
    )
    return principal


def bearer_secret(authorization: str) -> str:
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated(t("use 'Authorization: Bearer <token>'"), code="invalid_token")
    return secret.strip()


def holding(principal: Principal, permission: Permission) -> Principal:
    """The principal, if it holds `permission` somewhere; Forbidden (403) if nowhere."""
    if not principal.holds_anywhere(permission):
        raise Forbidden(refusal(permission, here=False))
    return principal


class Require:
    """Dependency: a principal holding `permission` somewhere (403 if nowhere)."""

    def __init__(self, permission: Permission):
        self.permission = permission

    async def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        return holding(principal, self.permission)

    def __repr__(self) -> str:
        return f"Require({self.permission.value})"


@dataclass(frozen=True)
class Credentials:
    """A bearer token not checked yet, and the permission it must carry: see RequireLater."""

    secret: str
    permission: Permission

    def __repr__(self) -> str:  # never the secret in a log or traceback
        return f"Credentials(permission={self.permission.value})"


def principal_of(session: Session, credentials: Credentials) -> Principal:
    """Check deferred credentials exactly as Require would have: 401 for a bad token, 403 without the
    permission."""
    _, principal = token_principal(session, credentials.secret)
    return holding(principal, credentials.permission)


class RequireLater(Require):
    """Require, for a route that checks a bearer token within its own database work: the event intake
    checks the tokens of a whole batch of reports in its batch's transaction, so a report costs the
    request no database round trip and no thread hop of its own. A bearer token gives Credentials (a
    malformed header is refused at once); a session cookie is checked at once, as by Require (with
    CSRF), and gives the Principal."""

    async def __call__(self, request: Request) -> Principal | Credentials:  # type: ignore[override]
        auth = request.headers.get("authorization", "")
        if auth:
            return Credentials(bearer_secret(auth), self.permission)
        uow = unit_of_work(request.app.state.session_factory, writes=request.method not in SAFE_METHODS)
        session = await run_in_threadpool(uow.__enter__)
        try:
            principal = await current_principal(request, session)
        except BaseException as exc:
            await run_in_threadpool(uow.__exit__, type(exc), exc, exc.__traceback__)
            raise
        await run_in_threadpool(uow.__exit__, None, None, None)
        return holding(principal, self.permission)


class Authenticated:
    """Dependency: any signed-in principal (for things about oneself: own tokens, own password)."""

    async def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        return principal


signed_in = Authenticated()

# The parameters every route writes, once: `session: DbSession`, `principal: SignedIn`. A domain names
# its own principals the same way: `Reader = Annotated[Principal, Depends(Require(Permission.x_read))]`.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
SignedIn = Annotated[Principal, Depends(signed_in)]


def public() -> None:
    """Marker dependency for routes anyone may call (health, login page, public feeds)."""


# --- what the routes declare (read once at start-up: the body limits, the OpenAPI document) -----------


def iter_routes(routes) -> Iterator[APIRoute]:
    """APIRoutes of an app, through included routers (FastAPI ≥ 0.160 wraps them)."""
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        elif hasattr(r, "original_router"):
            yield from iter_routes(r.original_router.routes)


def access_of(route: APIRoute) -> str:
    """'public', 'signed_in' or 'permission': how the route's dependencies let a caller in."""
    found: set[str] = set()

    def walk(dep) -> None:
        if isinstance(dep.call, Require):
            found.add("permission")
        elif isinstance(dep.call, Authenticated):
            found.add("signed_in")
        elif dep.call is public:
            found.add("public")
        for sub in dep.dependencies:
            walk(sub)

    walk(route.dependant)
    for kind in ("permission", "signed_in", "public"):
        if kind in found:
            return kind
    return "public"
