"""create_app(): the API routers, web pages, error handlers and security headers."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from linli import __version__, apidoc, domains
from linli.areas import repository as areas_repository
from linli.authz.deps import iter_routes, public
from linli.authz.token_uses import TOKEN_USES
from linli.config import get_settings
from linli.db.session import get_session_factory
from linli.events.intake import IntakeBatcher
from linli.kit import i18n
from linli.kit.errors import DomainError, Unauthenticated
from linli.kit.i18n import N_
from linli.web import display, nav, todo
from linli.web.body_limit import BodyLimit, RouteLimits
from linli.web.middleware import RequestContext, request_locale, security_headers
from linli.web.pages import problem
from linli.web.templating import render
from linli.web.views import router as web_router

STATIC = Path(__file__).parent / "web" / "static"
# Error pages' titles, in the reader's language.
TITLES = {
    400: N_("Bad request"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not possible here"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("Invalid input"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return (
        path.startswith(("/api/", "/cap/"))
        or path == "/openapi.json"
        or "application/json" in request.headers.get("accept", "")
    )


def _error_response(request: Request, status: int, code: str, message: str, details=None, headers=None):
    if _wants_json(request):
        body = {"error": {"code": code, "message": message}}
        if details is not None:
            body["error"]["details"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    if status == 401:
        expired = "&expired=1" if code == "session_expired" else ""
        return RedirectResponse(f"/login?next={quote(request.url.path)}{expired}", status_code=303)
    title = i18n.gettext(TITLES.get(status, N_("Something went wrong")))
    lines = details if status == 422 and isinstance(details, list) and all(isinstance(d, str) for d in details) else []
    context = {"status": status, "title": title, "message": message, "lines": lines}
    response = render(request, "error.html", context, status_code=status)
    response.headers.update(headers or {})
    return response


def _allowed_methods(app: FastAPI, path: str) -> str:
    """Every method some route serves at `path` (Starlette's 405 names only the first route's)."""
    methods = {m for r in iter_routes(app.routes) if r.path_regex.match(path) for m in r.methods}
    return ", ".join(sorted(methods))


def _install_error_handlers(app: FastAPI) -> None:
    """Every refusal answered the one way: JSON for the API, a page (or the sign-in page) for people."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        return _error_response(request, exc.status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        if not _wants_json(request):  # a person: every field's problem in words, in their language
            lines = [problem(e) for e in exc.errors()]
            message = i18n.t("Some of what was sent cannot be used; nothing was changed.")
            return _error_response(request, 422, "invalid_input", message, lines)
        details = [
            {"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "message": e.get("msg")}
            for e in exc.errors()
        ]
        first = details[0] if details else {"field": "", "message": "invalid input"}
        msg = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return _error_response(request, 422, "invalid_input", msg, details)

    @app.exception_handler(MultiPartException)
    async def unreadable_form(request: Request, exc: MultiPartException):
        # Routes that stream their uploads run the multipart parser themselves; its refusal is the client's.
        message = i18n.t("The uploaded form data cannot be read ({reason}).", reason=exc.message)
        return _error_response(request, 400, "invalid_form", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = getattr(exc, "code", None) or {404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error"
        )
        message = str(exc.detail)
        if exc.status_code == 404:
            message = i18n.t("This page or resource does not exist.")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(app, request.url.path)
            message = i18n.t("This address does not answer a {method} request.", method=request.method)
        return _error_response(request, exc.status_code, code, message, headers=headers)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # Runs outside the request middleware (Starlette's outermost layer): the language and the
        # security headers are set here, and the menu reads no badges (the request's session failed).
        token = i18n.set_locale(request_locale(request.scope))
        try:
            request.state.db = None
            message = i18n.t("Something went wrong on our side. Nothing you sent was saved; please try again.")
            response = _error_response(request, 500, "internal_error", message)
        finally:
            i18n.reset_locale(token)
        response.headers.update(security_headers())
        return response


def _mount_domains(app: FastAPI) -> None:
    # Every domain's JSON routes (in DOMAINS order: the busiest first), the sign-in pages, then the
    # domains' pages; the navigation is their NAV links.
    for domain in domains.DOMAINS:
        for router in domain.api_routers():
            app.include_router(router)
    app.include_router(web_router)
    for domain in domains.DOMAINS:
        for router in domain.view_routers():
            app.include_router(router)
    nav.install(link for domain in domains.DOMAINS for link in domain.nav())
    todo.install(p for p in (domain.todo_provider() for domain in domains.DOMAINS) if p is not None)
    display.install(areas_repository.names_and_parents)


def create_app(session_factory: sessionmaker[Session] | None = None, *, intake_batch: int | None = None) -> FastAPI:
    """The application. `intake_batch`: the largest batch of event reports written together (1: each in
    its request's transaction); by default the setting, and 1 for an app given a session factory (tests)."""
    if intake_batch is None:
        intake_batch = get_settings().event_intake_batch if session_factory is None else 1

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What exists once the app is built (mappers, routes, schemas, caches: hundreds of thousands of
        # objects) lives as long as the process: out of the garbage collector's sight, its full
        # collections stop walking them, pauses that showed as the slowest percent of event reports.
        gc.collect()
        gc.freeze()
        yield
        if app.state.intake is not None:
            app.state.intake.close()  # writes what is queued
        TOKEN_USES.flush()

    app = FastAPI(
        lifespan=lifespan,
        title="Linli API",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        description="Community governance and service platform. Authenticate with "
        "`Authorization: Bearer <token>` (create tokens at /api/v1/tokens).",
    )
    app.state.session_factory = session_factory or get_session_factory()
    app.state.intake = IntakeBatcher(app.state.session_factory, intake_batch) if intake_batch > 1 else None

    _install_error_handlers(app)

    # Added before RequestContext, so it runs inside it: its answers get the language and headers.
    body_limits = RouteLimits()
    app.add_middleware(BodyLimit, limits=body_limits, respond=_error_response)
    app.add_middleware(RequestContext)

    # FastAPI tries the routes in order, at a cost per route tried (about 0.8 ms for the last of ~200 on
    # FastAPI 0.165): the health check and the event reports, the busiest paths, come first.
    @app.get("/healthz", include_in_schema=False, dependencies=[Depends(public)])
    async def healthz():
        return {"status": "ok", "version": __version__}

    _mount_domains(app)
    apidoc.install(app)

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(public)])
    def openapi():
        return JSONResponse(app.openapi())

    domains.check(app)
    body_limits.build(app.routes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


__all__ = ["Unauthenticated", "create_app"]
