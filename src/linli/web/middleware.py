"""The request middleware: language of the request, security headers and the server's time.

Security headers: every response carries a strict Content-Security-Policy (scripts and styles only
from this server's files, no inline script or style, no plugins, no framing, forms only to this
server; Swagger UI at /docs runs under it too). Every page (HTML) and
every answer to a signed-in request (session cookie or bearer token) is `Cache-Control: no-store`,
unless the route set its own: pages show revealed ID and phone numbers, and a shared or back-button
cache must not keep them. Static files keep their caching.

A plain ASGI middleware rather than `@app.middleware("http")`: Starlette's BaseHTTPMiddleware runs
the app in a second task and streams the response through a queue, which cost a third of the
server's throughput on the intake benchmark (bench/bench_events_intake.py).
"""

from __future__ import annotations

import time
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from linli.authz.deps import SESSION_COOKIE
from linli.config import get_settings
from linli.kit import i18n
from linli.web.templating import LANG_COOKIE

_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]
_NO_STORE = (b"cache-control", b"no-store")
_SESSION = f"{SESSION_COOKIE}=".encode()


def tile_source(url: str) -> str:
    """The CSP source of the map tiles' host, from the tile URL template (`{s}.tile.example` becomes
    `*.tile.example`); empty when there is no tile URL, the scheme alone when the host is templated
    otherwise."""
    if not url.strip():
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = parts.netloc.rpartition("@")[2]
    if host.startswith("{") and "}." in host:
        host = "*." + host.split("}.", 1)[1]
    if any(c in host for c in "{} ;,'\""):
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str = "") -> str:
    """The policy of every response: what the console's pages need (the vendored scripts and styles,
    data:/blob: images for Leaflet and ECharts, the map tiles' host), and nothing else."""
    images = " ".join(filter(None, ["'self' data: blob:", tile_source(tile_url)]))
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    )


def security_headers() -> dict[str, str]:
    """The headers every response carries (for an answer made outside this middleware: a server error)."""
    csp = content_security_policy(get_settings().map_tile_url)
    return {k.decode(): v.decode() for k, v in [*_COMMON, (b"content-security-policy", csp.encode())]} | {
        "cache-control": "no-store"
    }


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


def _signed_in(scope: Scope) -> bool:
    """Whether the request carries credentials (a bearer token or a session cookie), valid or not."""
    return any(k == b"authorization" or (k == b"cookie" and _SESSION in v) for k, v in scope["headers"])


def _is_page(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Built once (the middleware stack is built at the first request, after the settings are read).
        tiles = get_settings().map_tile_url
        self.extra = [*_COMMON, (b"content-security-policy", content_security_policy(tiles).encode())]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, extra = scope["path"], self.extra
        static = path.startswith("/static/")
        private = not static and (path.startswith("/api/") or _signed_in(scope))
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in present]
                if b"cache-control" not in present and not static and (private or _is_page(headers)):
                    headers.append(_NO_STORE)
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
