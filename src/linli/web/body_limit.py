"""Request bodies: no write without credentials reads one, and none is larger than its route allows.

FastAPI reads and parses a body before it solves a route's dependencies, so a check of the token in a
dependency comes too late: a 400 MB JSON body sent without a token cost the server 1.6 GB. This plain
ASGI middleware runs before the app sees the request. For a write to a route that is not public and
carries neither an `Authorization` header nor the session cookie it answers 401 without reading
anything; it refuses a declared `Content-Length` over the route's limit with 413, again unread, and
counts the body as it streams in (chunked transfer), refusing it at the limit.

The limit comes from the route's class, computed once from the app's routes: an upload route (a
`File` parameter, or one named in UPLOADS because it reads its stream itself) takes its domain's
setting; a JSON body `LINLI_MAX_JSON_KB`; anything else (forms, no body) `LINLI_MAX_FORM_KB`. Starlette's
RequestBodyLimitMiddleware counts the same way, but answers in plain text with one limit for the app.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.params import File, Form
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linli.authz.deps import SESSION_COOKIE, access_of, iter_routes
from linli.config import Settings, get_settings
from linli.kit.i18n import t

MULTIPART_SLACK = 128 * 1024  # boundaries and part headers around an uploaded file, and the form's fields
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Routes that take a file, and the setting that bounds it. A route with a File parameter must be here
# (RouteLimits.build fails otherwise), as must one that reads its stream itself.
UPLOADS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/event-photos"): "photo",
    ("POST", "/areas/{code}/events/new"): "photo",
    ("POST", "/api/v1/residents/import"): "import",
    ("POST", "/residents/import"): "import",
    ("POST", "/residents/import/bad-rows.xlsx"): "import",  # the file checked again for its bad rows
    ("POST", "/api/v1/grids/import"): "import",
    ("POST", "/areas/{code}/grids/new"): "json",  # one grid's GeoJSON, as POST /api/v1/grids takes it
    ("POST", "/grids/{code}/edit"): "json",
    ("POST", "/api/v1/notices/{notice_id}/attachments"): "attachment",
    ("POST", "/notices/{notice_id}/attachments"): "attachment",
    ("POST", "/cap/push"): "cap",  # a CAP document, streamed by the route itself under its own setting
    ("POST", "/api/v1/services/catalogue/import"): "import",
    ("POST", "/areas/{code}/services/catalogue-import"): "import",
    ("POST", "/api/v1/services/applications/{application_id}/materials/{position}"): "attachment",
    ("POST", "/services/applications/{application_id}/materials/{position}"): "attachment",
    ("POST", "/api/v1/facilities/{facility_id}/photos"): "photo",
    ("POST", "/facilities/{facility_id}/photos"): "photo",
    ("POST", "/api/v1/alliances/{alliance_id}/agreements"): "attachment",  # the signed co-construction agreement
    ("POST", "/alliances/{alliance_id}/agreements"): "attachment",
}


def class_limits(settings: Settings) -> dict[str, int]:
    """Bytes allowed per route class; a file's class adds room for the multipart wrapping."""
    mb = 1024 * 1024
    return {
        "json": settings.max_json_kb * 1024,
        "form": settings.max_form_kb * 1024,
        "cap": settings.cap_push_max_kb * 1024,
        "photo": settings.event_photo_max_bytes + MULTIPART_SLACK,
        "import": settings.import_max_mb * mb + MULTIPART_SLACK,
        "attachment": settings.notice_attachment_max_mb * mb + MULTIPART_SLACK,
    }


def route_class(method: str, route: APIRoute) -> str:
    named = UPLOADS.get((method, route.path))
    if named:
        return named
    params = route.dependant.body_params
    if any(isinstance(p.field_info, File) for p in params):
        raise RuntimeError(f"{method} {route.path} takes a file: name its limit in linli.web.body_limit.UPLOADS")
    if params and not any(isinstance(p.field_info, Form) for p in params):
        return "json"
    return "form"


@dataclass(frozen=True)
class Limit:
    public: bool
    bytes: int
    upload: bool


@dataclass(frozen=True)
class _Entry:
    path: str | None  # the path of a route without parameters, compared as a string
    regex: re.Pattern[str]
    limit: Limit


class RouteLimits:
    """The limit of each write route, built once from the app's routes (create_app calls build).

    Routes are grouped by method and by the first segment of their path, so a request tries only the
    routes that could match (a few, not the hundred write routes), in the router's order."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], list[_Entry]] = {}
        self._anywhere: dict[str, list[_Entry]] = {}
        self.default = Limit(public=True, bytes=256 * 1024, upload=False)

    def build(self, routes, settings: Settings | None = None) -> RouteLimits:
        limits = class_limits(settings or get_settings())
        self.default = Limit(public=True, bytes=limits["form"], upload=False)
        grouped: dict[tuple[str, str], list[tuple[int, _Entry]]] = {}
        anywhere: dict[str, list[tuple[int, _Entry]]] = {}  # routes whose first segment is a parameter
        known: set[tuple[str, str]] = set()
        for order, route in enumerate(iter_routes(routes)):
            pub = access_of(route) == "public"
            first = _first_segment(route.path)
            for method in route.methods - SAFE_METHODS:
                known.add((method, route.path))
                cls = route_class(method, route)
                limit = Limit(public=pub, bytes=limits[cls], upload=cls in ("photo", "import", "attachment"))
                static = route.path if not route.param_convertors else None
                entry = (order, _Entry(static, route.path_regex, limit))
                if "{" in first:
                    anywhere.setdefault(method, []).append(entry)
                else:
                    grouped.setdefault((method, first), []).append(entry)
        stale = set(UPLOADS) - known
        if stale:
            raise RuntimeError(f"linli.web.body_limit.UPLOADS names routes that do not exist: {sorted(stale)}")
        for (method, _), entries in grouped.items():
            entries.extend(anywhere.get(method, ()))
            entries.sort(key=lambda e: e[0])
        self._routes = {key: [e for _, e in entries] for key, entries in grouped.items()}
        self._anywhere = {method: [e for _, e in entries] for method, entries in anywhere.items()}
        return self

    def of(self, method: str, path: str) -> Limit:
        """The limit of the route a request goes to, in the router's order; an unknown route (the
        app answers 404 or 405 without reading a body) gets the form limit and no credentials check."""
        candidates = self._routes.get((method, _first_segment(path)))
        if candidates is None:
            candidates = self._anywhere.get(method, ())
        for entry in candidates:
            if entry.path == path if entry.path is not None else entry.regex.match(path):
                return entry.limit
        return self.default


def _first_segment(path: str) -> str:
    return path.split("/", 2)[1] if path.count("/") else path


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def too_large(limit: Limit) -> tuple[str, str]:
    """The code and message of a refused body."""
    if limit.upload:
        return "file_too_large", t("the file is larger than the {size} this upload may have", size=_size(limit.bytes))
    return "body_too_large", t("the request is larger than the {size} this address accepts", size=_size(limit.bytes))


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the streamed body passes the limit; FastAPI passes HTTPExceptions on
    while reading a body, so the app's handler answers it in the app's shape."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(status_code=413, detail=message)
        self.code = code


def _has_credentials(scope: Scope) -> bool:
    cookie_marker = SESSION_COOKIE.encode() + b"="
    for key, value in scope["headers"]:
        if key == b"authorization" or (key == b"cookie" and cookie_marker in value):
            return True
    return False


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


Respond = Callable[[Request, int, str, str], object]


class BodyLimit:
    """The middleware; `respond(request, status, code, message)` builds the app's error response."""

    def __init__(self, app: ASGIApp, limits: RouteLimits, respond: Respond) -> None:
        self.app = app
        self.limits = limits
        self.respond = respond

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:  # no route reads a GET's body
            await self.app(scope, receive, send)
            return
        limit = self.limits.of(scope["method"], scope["path"])
        if not limit.public and not _has_credentials(scope):
            await self._answer(scope, receive, send, 401, "unauthenticated", t("please sign in"))
            return
        declared = _content_length(scope)
        if declared is not None and declared > limit.bytes:
            await self._answer(scope, receive, send, 413, *too_large(limit))
            return

        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.bytes:
                    raise BodyTooLarge(*too_large(limit))
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as exc:  # raised where no handler of the app caught it
            if started:
                raise
            await self._answer(scope, receive, send, 413, exc.code, str(exc.detail))

    async def _answer(self, scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str):
        response = self.respond(Request(scope, receive), status, code, message)
        await response(scope, receive, send)  # type: ignore[operator]
