"""Security headers (a strict CSP on every response, no-store on pages and signed-in answers, static files
cached) and preferences that change only by POST. The browser tests check the same pages in Chromium;
these run everywhere."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from linli.authn.models import User, WebSession
from linli.web.middleware import content_security_policy, tile_source
from tests import ROOT
from tests.factories import auth, make_user, token_for

PASSWORD = "Passw0rd-test"


def sign_in(client: TestClient, username: str) -> str:
    """Signs in through the form; returns the session's CSRF token (from the next page)."""
    r = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/"})
    assert r.status_code == 200, r.text
    return re.search(r'name="csrf_token" value="([^"]+)"', r.text).group(1)


def directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


def test_a_page_runs_under_a_strict_csp_and_is_not_stored(client):
    r = client.get("/login")
    assert r.status_code == 200
    csp = directives(r.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:", "blob:"]
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_error_pages_and_the_api_docs_carry_the_csp(client):
    for path in ("/areas/229999", "/docs"):
        r = client.get(path)
        assert "script-src 'self'" in r.headers["content-security-policy"], path
        assert r.headers["cache-control"] == "no-store", path


def test_pages_hold_no_inline_script_or_style(client):
    # What the CSP would refuse, so that a page does not silently lose a script or a style.
    html = client.get("/login").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)


def test_static_files_keep_caching(client):
    r = client.get("/static/linli.css")
    assert r.status_code == 200
    assert "no-store" not in r.headers.get("cache-control", "")
    assert r.headers.get("etag")
    # The same policy is harmless on a file and covers one opened directly.
    assert r.headers["content-security-policy"] == content_security_policy()


def test_answers_to_a_signed_in_request_are_not_stored(client, areas):
    make_user(areas, "hdr_admin", "admin", "220102")
    areas.commit()
    # Not a page, not the API: stored when anonymous, not when signed in (session cookie or token).
    assert "cache-control" not in client.get("/healthz").headers
    sign_in(client, "hdr_admin")
    assert client.get("/healthz").headers["cache-control"] == "no-store"
    tok = token_for(areas, areas.scalars(select(User).where(User.username == "hdr_admin")).one())
    areas.commit()
    fresh = TestClient(client.app)
    assert fresh.get("/healthz", headers=auth(tok)).headers["cache-control"] == "no-store"
    assert fresh.get("/api/v1/areas/220102", headers=auth(tok)).headers["cache-control"] == "no-store"


def test_the_map_tile_host_is_allowed_for_images(monkeypatch, session_factory):
    from linli.app import create_app
    from linli.config import get_settings

    monkeypatch.setenv("LINLI_MAP_TILE_URL", "https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    get_settings.cache_clear()
    with TestClient(create_app(session_factory=session_factory)) as c:
        csp = directives(c.get("/login").headers["content-security-policy"])
    assert csp["img-src"] == ["'self'", "data:", "blob:", "https://*.tiles.example.org"]
    assert csp["connect-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("", ""),
        ("https://tiles.example/{z}/{x}/{y}.png", "https://tiles.example"),
        ("http://tiles.example:8080/{z}/{x}/{y}.png", "http://tiles.example:8080"),
        ("https://{s}.tile.example/{z}/{x}/{y}.png", "https://*.tile.example"),
        ("https://t{s}.example/{z}/{x}/{y}.png", "https:"),  # templated mid-host: the scheme alone
        # docs/maps.md's 天地图 example: the host, whatever the key in the query.
        (
            "https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
            "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=YOUR_TIANDITU_KEY",
            "https://t0.tianditu.gov.cn",
        ),
        ("https://x.example;script-src *", "https:"),  # nothing that could add a directive
        ("javascript:alert(1)", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),  # same host: 'self' covers it
    ],
)
def test_tile_source(url, source):
    assert tile_source(url) == source


# --- preferences: POST forms, never a GET that changes something -------------------------------


def test_preferences_do_not_change_on_get(client):
    for path in ("/prefs/lang/en?next=/login", "/prefs/text/large?next=/login"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 405, path
        assert "set-cookie" not in r.headers, path


def test_language_and_text_size_are_forms_for_anonymous_visitors(client):
    html = client.get("/login?next=/areas/22").text
    assert 'href="/prefs/' not in html
    assert re.search(r'<form method="post" action="/prefs/lang/en"', html)
    assert 'name="next" value="/login?next=/areas/22"' in html
    r = client.post("/prefs/lang/en", data={"next": "/login?next=/areas/22"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/areas/22"
    assert client.cookies.get("linli_lang") == "en"
    assert "Sign in" in client.get("/login").text
    r = client.post("/prefs/text/large", data={"next": "/login"}, follow_redirects=False)
    assert r.status_code == 303 and client.cookies.get("linli_text") == "large"
    assert 'class="large-text"' in client.get("/login").text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", ""])
def test_preferences_go_back_only_to_a_local_page(client, target):
    r = client.post("/prefs/text/large", data={"next": target}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_the_account_language_changes_only_with_the_forms_token(client, areas):
    user = make_user(areas, "hdr_lang", "admin", "220102")
    areas.commit()
    csrf = sign_in(client, "hdr_lang")

    def account_locale() -> str:
        areas.expire_all()
        return areas.get(User, user.id).locale

    before = account_locale()
    assert before != "en"
    # Another site's form (no token): the cookie may change, the account does not.
    client.post("/prefs/lang/en", data={"next": "/"}, follow_redirects=False)
    assert account_locale() == before
    client.post("/prefs/lang/en", data={"next": "/", "csrf_token": csrf + "x"}, follow_redirects=False)
    assert account_locale() == before
    r = client.post("/prefs/lang/en", data={"next": "/", "csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303 and account_locale() == "en"
    # The form on a signed-in page carries the session's token.
    assert areas.scalar(select(WebSession.csrf_token).where(WebSession.user_id == user.id)) == csrf


# --- what the CSP would refuse, or what would draw typed text as HTML, found in the source -------

WEB = ROOT / "src" / "linli" / "web"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"), "an inline <script>"),
    (re.compile(r"<style\b"), "a <style> element"),
    (re.compile(r"\sstyle="), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*="), "an inline event handler"),
    (re.compile(r"\bhx-on\b"), "hx-on (evaluated script)"),
    (re.compile(r"\|\s*safe\b"), "|safe (unescaped output)"),
    (re.compile(r"\bjavascript:"), "a javascript: URL"),
]
# Leaflet writes a string given to bindTooltip/bindPopup/setContent as HTML: the console's scripts give
# them a function that builds DOM nodes. The properties write HTML too.
AS_HTML = re.compile(
    r"\.(innerHTML|outerHTML|insertAdjacentHTML)\b"
    r"|\.(bindTooltip|bindPopup|setContent)\((?!\s*function\b)"
)


def test_templates_hold_nothing_the_csp_refuses():
    found = [
        f"{path.relative_to(WEB)}:{n}: {what}"
        for path in sorted((WEB / "templates").rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for pattern, what in INLINE
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_scripts_draw_text_as_text():
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted((WEB / "static").glob("*.js"))  # the console's own scripts, not vendor/
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if AS_HTML.search(line)
    ]
    assert not found, "\n".join(found)
