"""The request middleware: language of the request, security headers and the server's time.

A plain ASGI middleware rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware runs
the app in a second task and streams the response through a queue, which cost a third of the
server's throughput on the intake benchmark (bench/bench_events_intake.py).
"""

from __future__ import annotations

import time
from http.cookies import CookieError, SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linli.kit import i18n
from linli.web.templating import LANG_COOKIE

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
_API_ONLY = [(b"cache-control", b"no-store")]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def _cookie(scope: Scope, name: str) -> str | None:
    raw = _header(scope, b"cookie")
    if not raw:
        return None
    try:
        morsel = SimpleCookie(raw).get(name)
    except CookieError:
        return None
    return morsel.value if morsel else None


def request_locale(scope: Scope) -> str:
    """The visitor's choice (cookie), else for API clients their Accept-Language (English by
    default), and for pages Chinese. Open311 (GeoReport v2) answers in English always: its errors
    are for machine clients, the spec has no notion of a language, and its own messages are English,
    so messages it shares with the API (coordinates, areas, categories) must not turn Chinese."""
    if scope["path"].startswith("/open311/"):
        return "en"
    api = scope["path"].startswith(("/api/", "/cap/"))  # machine clients: English unless asked
    chosen = i18n.normalize(_cookie(scope, LANG_COOKIE))
    if chosen is None and api:
        chosen = i18n.from_accept_language(_header(scope, b"accept-language"))
    return chosen or ("en" if api else i18n.WEB_DEFAULT)


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _COMMON + (_API_ONLY if scope["path"].startswith("/api/") else [])
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                # Server time of the request, for browsers' dev tools and bench/bench_pages.py.
                took = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={took:.1f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        token = i18n.set_locale(request_locale(scope))
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            i18n.reset_locale(token)
