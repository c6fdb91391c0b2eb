"""Request bodies: a write without credentials is refused unread, and no body passes its route's limit.

The ASGI app is called directly with a `receive` that counts what it hands out, so "unread" and
"bounded" are facts about the calls, not about timing or memory.
"""

from __future__ import annotations

import asyncio
import threading

import pytest
from fastapi import APIRouter, Depends, File, UploadFile

from linli.app import create_app
from linli.authz.deps import public
from linli.web.body_limit import UPLOADS, RouteLimits
from tests.factories import load_world, login, make_user, token_for

CHUNK = 64 * 1024


def call(app, method, path, headers: dict[str, str], chunks: int, chunk: bytes = b"x" * CHUNK, first: bytes = b""):
    """Send `chunks` chunks of body (`first`, then `chunk`s; more_body until the last); the status,
    headers and body of the answer, and how many chunks the app read."""
    read = 0
    messages = []

    async def receive():
        nonlocal read
        if read >= chunks:
            await asyncio.sleep(3600)  # a client that stopped sending: only a disconnect would come
        read += 1
        body = first if read == 1 and first else chunk
        return {"type": "http.request", "body": body, "more_body": read < chunks}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "server": ("testserver", 80), "client": ("127.0.0.1", 1234),
        "headers": [(b"host", b"testserver")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip
    # In its own thread: the browser tests' Playwright keeps an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    runner.start()
    runner.join(60)
    assert not runner.is_alive(), "the app kept waiting for the body"
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return start["status"], dict((k.decode(), v.decode()) for k, v in start["headers"]), body, read


@pytest.fixture
def world(session, areas):
    admin = make_user(session, "limits_admin", "admin", "22")
    tok = token_for(session, admin)
    session.commit()
    return {"token": tok}


HUGE = 400 * 1024 * 1024  # as declared; the test's receive would hand out 6,400 chunks of it


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/notices", "/cap/push", "/api/v1/residents/import"])
def test_a_write_without_credentials_is_refused_before_its_body_is_read(app, path):
    json_type = {"content-type": "application/json"}
    status, _, body, read = call(app, "POST", path, {**json_type, "content-length": str(HUGE)}, HUGE // CHUNK)
    assert (status, read) == (401, 0)
    assert b'"unauthenticated"' in body
    # Chunked (no length declared): still nothing read.
    status, _, _, read = call(app, "POST", path, json_type, HUGE // CHUNK)
    assert (status, read) == (401, 0)


def test_a_page_form_without_a_session_goes_to_sign_in_unread(app):
    form = {"content-type": "application/x-www-form-urlencoded"}
    status, headers, _, read = call(app, "POST", "/areas/22/notices/new", form, 1000)
    assert (status, read) == (303, 0)
    assert headers["location"].startswith("/login?next=/areas/22/notices/new")


def test_a_declared_length_over_the_limit_is_refused_unread(app, world):
    headers = {"authorization": f"Bearer {world['token']}", "content-type": "application/json"}
    status, _, body, read = call(app, "POST", "/api/v1/events", {**headers, "content-length": str(HUGE)}, 6400)
    assert (status, read) == (413, 0)
    assert b'"body_too_large"' in body and b"1 MB" in body


@pytest.mark.parametrize("token", ["valid", "garbage"])
def test_a_streamed_body_is_refused_at_the_limit(app, world, token):
    """Chunked JSON with a token (good or garbage): FastAPI reads a body before it checks the token, so
    the limit is what bounds it: 1 MB is 16 chunks of 64 KB, refused on the 17th."""
    secret = world["token"] if token == "valid" else "garbage-" + "x" * 60
    headers = {"authorization": f"Bearer {secret}", "content-type": "application/json"}
    for path in ("/api/v1/events", "/api/v1/notices", "/cap/push"):
        status, _, body, read = call(app, "POST", path, headers, HUGE // CHUNK)
        if path == "/cap/push" and token == "garbage":
            # The push takes no body parameter: its token is checked first, and nothing is read.
            assert (status, read) == (401, 0), body
            continue
        assert status == 413, (path, body)
        assert read == 17, path  # /cap/push: LINLI_CAP_PUSH_MAX_KB, also 1 MB by default
        assert b'"body_too_large"' in body


def test_an_upload_has_its_domains_limit(app, world):
    headers = {"authorization": f"Bearer {world['token']}", "content-type": "multipart/form-data; boundary=b"}
    # 10 MB photos: a declared 11 MB is refused unread, as a file.
    status, _, body, read = call(app, "POST", "/api/v1/event-photos", {**headers, "content-length": str(11 << 20)}, 176)
    assert (status, read) == (413, 0)
    assert b'"file_too_large"' in body and b"10 MB" in body
    # Streamed: refused past 10 MB and the room for the form's wrapping (128 KB): the part's head, and
    # 162 chunks of 64 KB.
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    status, _, body, read = call(app, "POST", "/api/v1/event-photos", headers, 400, chunk=b"\0" * CHUNK, first=head)
    assert (status, read) == (413, 1 + 162), body
    assert b'"file_too_large"' in body


def test_limits_follow_the_settings(session_factory, world, monkeypatch):
    from linli.config import get_settings

    monkeypatch.setenv("LINLI_MAX_JSON_KB", "64")
    monkeypatch.setenv("LINLI_MAX_FORM_KB", "16")
    get_settings.cache_clear()
    app = create_app(session_factory=session_factory)
    headers = {"authorization": f"Bearer {world['token']}", "content-type": "application/json"}
    status, _, body, read = call(app, "POST", "/api/v1/grids", {**headers, "content-length": str(65 * 1024)}, 2)
    assert (status, read) == (413, 0) and b"64 KB" in body
    status, _, _, read = call(app, "POST", "/api/v1/grids", headers, 3, chunk=b"x" * 32 * 1024)
    assert (status, read) == (413, 3)
    # A route without a JSON body (here: retire a grid) has the form limit.
    retire = "/api/v1/grids/220102001001001/retire"
    status, _, body, read = call(app, "POST", retire, {**headers, "content-length": str(17 * 1024)}, 1)
    assert (status, read) == (413, 0) and b"16 KB" in body


def test_sign_in_is_public_and_its_form_is_bounded(app, client, session):
    load_world(session)
    make_user(session, "alice", "grid_worker", "220102001")
    session.commit()
    r = login(client, "alice", "Passw0rd-test")
    assert r.status_code == 303 and r.headers["location"] == "/"
    form = {"content-type": "application/x-www-form-urlencoded"}
    status, _, body, read = call(app, "POST", "/login", form, 5)  # 320 KB of form, past 256 KB
    assert (status, read) == (413, 5)
    assert b'"body_too_large"' not in body and b"256 KB" in body  # the sign-in page is a page


def test_a_page_form_over_the_limit_is_an_error_page(client, session):
    """With a session cookie the form's page answers 413 as a page, in the visitor's language."""
    load_world(session)
    make_user(session, "alice", "admin", "22")
    session.commit()
    assert login(client, "alice", "Passw0rd-test").status_code == 303
    client.cookies.set("linli_lang", "en")
    r = client.post("/areas/22/notices/new", data={"title": "x" * (300 * 1024)})
    assert r.status_code == 413
    assert "text/html" in r.headers["content-type"] and "256 KB" in r.text


def test_every_upload_route_names_its_limit(app):
    RouteLimits().build(app.routes)  # fails on a File route missing from UPLOADS, or a stale entry
    router = APIRouter()

    @router.post("/new-upload", dependencies=[Depends(public)])
    def new_upload(file: UploadFile = File(...)):
        return {}

    with pytest.raises(RuntimeError, match="UPLOADS"):
        RouteLimits().build(router.routes)
    assert ("POST", "/api/v1/residents/import") in UPLOADS
