"""Signing in (form, throttling, CSRF), browser sessions, API tokens and one's own password."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select, update

from linli.authn import passwords
from linli.authn.models import ApiToken, User, WebSession
from linli.authn.passwords import check_strength, hash_password, needs_rehash, verify_password
from linli.config import get_settings
from linli.kit.errors import InvalidInput
from linli.kit.time import utcnow
from tests.factories import PASSWORD, auth, csrf_of, login, login_token, token_for

OTHER_ADDRESS = ("10.9.8.7", 41000)


@pytest.fixture
def other_client(app):
    """A browser at another network address."""
    with TestClient(app, client=OTHER_ADDRESS) as c:
        yield c


def error_text(html: str) -> str:
    m = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    return m.group(1).strip() if m else ""


def session_cookie_header(response) -> str:
    return next(h for h in response.headers.get_list("set-cookie") if h.startswith("linli_session="))


def sessions_of(session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(WebSession).where(WebSession.user_id == user.id))


def tokens_of(session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id))


def api_error(r) -> str:
    return r.json()["error"]["code"]


# --- passwords --------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id():
    h = hash_password("Correct-horse-9")
    assert h.startswith("$argon2id$")
    assert "Correct-horse-9" not in h
    assert verify_password(h, "Correct-horse-9")
    assert not verify_password(h, "Correct-horse-8")
    assert not verify_password(None, "Correct-horse-9")
    assert hash_password("Correct-horse-9") != h  # salted


def test_the_production_hasher_has_production_strength(monkeypatch):
    """The tests hash at the lowest cost (LINLI_PASSWORD_HASH_COST=test, set by conftest); the
    application's default is RFC 9106's low-memory profile, argon2-cffi's default: 3 passes over 64 MiB."""
    monkeypatch.delenv("LINLI_PASSWORD_HASH_COST")
    get_settings.cache_clear()
    assert get_settings().password_hash_cost == "production"
    production = passwords.hasher()
    assert (production.time_cost, production.memory_cost) >= (3, 65536)
    h = hash_password("Correct-horse-9")
    assert h.startswith("$argon2id$v=19$m=65536,t=3")
    assert verify_password(h, "Correct-horse-9")
    assert not verify_password(None, "Correct-horse-9")
    assert not needs_rehash(h)


def test_the_hash_cost_follows_the_setting(monkeypatch):
    """The setting is read at each call: a hash made at one cost verifies at the other, and is due for a
    rehash there; the hash checked for an unknown account is of the current cost."""
    h = hash_password("Correct-horse-9")
    assert h.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    monkeypatch.setenv("LINLI_PASSWORD_HASH_COST", "production")
    get_settings.cache_clear()
    assert verify_password(h, "Correct-horse-9")
    assert needs_rehash(h)
    assert passwords._hasher_of("production")[1].startswith("$argon2id$v=19$m=65536,t=3")
    assert passwords._hasher_of("test")[1].startswith("$argon2id$v=19$m=8,t=1,p=1$")


@pytest.mark.parametrize("value", ["fast", "Test", "low", ""])
def test_an_unknown_hash_cost_is_refused_at_settings_load(monkeypatch, value):
    monkeypatch.setenv("LINLI_PASSWORD_HASH_COST", value)
    get_settings.cache_clear()
    with pytest.raises(ValidationError, match="password_hash_cost"):
        get_settings()


@pytest.mark.parametrize("weak", ["short1!", "abcdefghijkl", "123456789012", "", "Passw0rd"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(InvalidInput):
        check_strength(weak)
    with pytest.raises(InvalidInput):
        hash_password(weak)


def test_stored_hash_of_a_user_is_argon2id(areas, alice):
    areas.expire_all()
    stored = areas.get(User, alice.id).password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_api_refuses_a_weak_password_for_a_new_user(client, areas, alice):
    r = client.post(
        "/api/v1/users",
        json={"username": "weakling", "area_code": "220102", "password": "password"},
        headers=auth(token_for(areas, alice)),
    )
    assert r.status_code == 422
    assert areas.scalar(select(User).where(User.username == "weakling")) is None


# --- the login form ---------------------------------------------------------------------------


def test_login_page_sets_csrf_cookie_and_hidden_field(client):
    r = client.get("/login")
    assert r.status_code == 200
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("linli_login_csrf="))
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert m and cookie.startswith(f"linli_login_csrf={m.group(1)};")


def test_wrong_password_and_unknown_user_answer_alike(client, areas, alice):
    wrong = login(client, "alice", "Wrong-passw0rd")
    unknown = login(client, "nobody-here", "Wrong-passw0rd")
    assert wrong.status_code == unknown.status_code == 401
    assert error_text(wrong.text) and error_text(wrong.text) == error_text(unknown.text)
    for r in (wrong, unknown):
        assert "linli_session" not in r.headers.get("set-cookie", "")
    assert sessions_of(areas, alice) == 0


def test_disabled_user_cannot_sign_in(client, areas, alice):
    areas.get(User, alice.id).is_active = False
    areas.commit()
    r = login(client, "alice", PASSWORD)
    assert r.status_code == 401
    assert error_text(r.text) == error_text(login(client, "nobody-here", PASSWORD).text)


@pytest.mark.parametrize("csrf", ["", "not-the-cookie-value"])
def test_login_without_the_right_csrf_token_is_refused(client, areas, alice, csrf):
    login_token(client)
    r = login(client, "alice", PASSWORD, csrf=csrf)
    assert r.status_code == 403
    assert "linli_session" not in r.headers.get("set-cookie", "")
    assert "linli_session" not in client.cookies
    assert sessions_of(areas, alice) == 0


def test_login_without_the_csrf_cookie_is_refused(client, areas, alice):
    token = login_token(client)
    client.cookies.clear()
    r = login(client, "alice", PASSWORD, csrf=token)
    assert r.status_code == 403
    assert sessions_of(areas, alice) == 0


def test_login_with_a_non_ascii_csrf_token_is_403_not_500(app, areas, alice):
    with TestClient(app, raise_server_exceptions=False) as c:
        login_token(c)
        r = login(c, "alice", PASSWORD, csrf="令牌")
    assert r.status_code == 403
    assert sessions_of(areas, alice) == 0


def test_successful_login_sets_a_protected_session_cookie(client, areas, alice):
    r = login(client, "alice", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = session_cookie_header(r).lower()
    assert "httponly" in cookie
    assert re.search(r"samesite=(lax|strict)", cookie)
    assert sessions_of(areas, alice) == 1
    secret = client.cookies.get("linli_session")
    # Only the SHA-256 of the cookie is stored.
    areas.expire_all()
    ws = areas.scalars(select(WebSession).where(WebSession.user_id == alice.id)).one()
    assert ws.id == hashlib.sha256(secret.encode()).hexdigest() and ws.id != secret


@pytest.mark.parametrize(
    ("next_", "expected"),
    [
        ("/api/v1/me", "/api/v1/me"),
        ("/areas?code=220102", "/areas?code=220102"),
        ("https://evil.example", "/"),
        ("https://evil.example/login", "/"),
        ("//evil.example", "/"),
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_login_redirects_only_to_local_paths(client, areas, alice, next_, expected):
    r = login(client, "alice", PASSWORD, next_=next_)
    assert r.status_code == 303
    assert r.headers["location"] == expected


@pytest.mark.parametrize("next_", ["/\\evil.example", "/\t/evil.example", "/\\/evil.example"])
def test_login_redirect_never_leaves_the_site_even_as_a_browser_reads_it(client, areas, alice, next_):
    r = login(client, "alice", PASSWORD, next_=next_)
    assert r.status_code == 303
    # Browsers read "\" as "/" and drop tabs: the target must still be on this host.
    location = r.headers["location"].replace("\\", "/").replace("\t", "")
    assert urlsplit(urljoin("http://testserver/login", location)).netloc == "testserver"


def test_home_page_without_session_sends_to_login(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


# --- throttling -------------------------------------------------------------------------------


def test_account_is_throttled_after_five_failures(client, other_client, areas, alice, bob):
    for _ in range(5):
        assert login(client, "alice", "Wrong-passw0rd").status_code == 401
    r = login(client, "alice", PASSWORD)
    assert r.status_code == 429
    assert "linli_session" not in r.headers.get("set-cookie", "")
    # The lock is on the account: the right password from another address is refused too.
    assert login(other_client, "alice", PASSWORD).status_code == 429
    assert sessions_of(areas, alice) == 0
    # Another account from another address is not affected.
    r = login(other_client, "bob", PASSWORD)
    assert r.status_code == 303 and "linli_session" in other_client.cookies


def test_four_failures_do_not_lock_and_success_resets_the_count(client, areas, alice):
    for _ in range(4):
        assert login(client, "alice", "Wrong-passw0rd").status_code == 401
    assert login(client, "alice", PASSWORD).status_code == 303
    for _ in range(4):
        assert login(client, "alice", "Wrong-passw0rd").status_code == 401
    assert login(client, "alice", PASSWORD).status_code == 303


def test_account_lock_ends_with_its_window(client, areas, alice):
    from linli.authn.models import LoginFailure

    for _ in range(5):
        login(client, "alice", "Wrong-passw0rd")
    assert login(client, "alice", PASSWORD).status_code == 429
    areas.expire_all()
    for row in areas.scalars(select(LoginFailure)):
        row.locked_until = utcnow() - timedelta(seconds=1)
        row.window_start = utcnow() - timedelta(hours=1)
    areas.commit()
    assert login(client, "alice", PASSWORD).status_code == 303


def test_address_is_throttled_after_twenty_failures_across_accounts(client, other_client, areas, alice):
    for i in range(19):
        assert login(client, f"ghost{i}", "Wrong-passw0rd").status_code == 401
    # 19 failures from the address: still allowed.
    assert login(client, "alice", PASSWORD).status_code == 303
    client.cookies.clear()
    assert login(client, "ghost19", "Wrong-passw0rd").status_code == 401
    # The 20th failure locks the address, whatever the account.
    r = login(client, "alice", PASSWORD)
    assert r.status_code == 429
    assert "linli_session" not in r.headers.get("set-cookie", "")
    # The account itself is not locked: from another address it signs in.
    assert login(other_client, "alice", PASSWORD).status_code == 303


def test_a_very_long_user_name_is_a_plain_failed_login(app, areas):
    # Regression: the throttle key once overflowed login_failures.key on PostgreSQL (500).
    with TestClient(app, raise_server_exceptions=False) as c:
        results = [login(c, "x" * 300, "Wrong-passw0rd").status_code for _ in range(6)]
    # Counted like any other name: five failures, then throttled.
    assert results == [401] * 5 + [429]


# --- browser sessions -------------------------------------------------------------------------


@pytest.fixture
def browser(client, areas, alice):
    """A client signed in as alice with the session cookie."""
    assert login(client, "alice", PASSWORD).status_code == 303
    return client


def test_session_cookie_authenticates_reads(browser):
    r = browser.get("/api/v1/me")
    assert r.status_code == 200
    assert r.json()["username"] == "alice" and r.json()["home_area"] == "220102"


def test_cookie_write_without_csrf_header_is_refused_and_changes_nothing(browser, areas, alice):
    r = browser.post("/api/v1/tokens", json={"name": "from a forged page"})
    assert r.status_code == 403
    assert api_error(r) == "csrf"
    r = browser.post("/api/v1/tokens", json={"name": "forged"}, headers={"X-CSRF-Token": "wrong-token"})
    assert r.status_code == 403 and api_error(r) == "csrf"
    assert tokens_of(areas, alice) == 0


def test_cookie_write_with_the_session_csrf_token_works(browser, areas, alice):
    csrf = csrf_of(areas, alice)
    r = browser.post("/api/v1/tokens", json={"name": "laptop"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201, r.text
    assert tokens_of(areas, alice) == 1


def test_home_page_exposes_the_session_csrf_token(browser, areas, alice):
    r = browser.get("/")
    assert r.status_code == 200
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', r.text))
    assert tokens == {csrf_of(areas, alice)}


def test_csrf_token_of_another_session_is_refused(app, browser, areas, alice, bob):
    with TestClient(app) as other:
        assert login(other, "bob", PASSWORD).status_code == 303
    bob_csrf = csrf_of(areas, bob)
    r = browser.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": bob_csrf})
    assert r.status_code == 403 and api_error(r) == "csrf"


def test_non_ascii_csrf_header_is_403_not_500(app, areas, alice):
    with TestClient(app, raise_server_exceptions=False) as c:
        assert login(c, "alice", PASSWORD).status_code == 303
        r = c.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "é".encode("latin-1")})
    assert r.status_code == 403
    assert tokens_of(areas, alice) == 0


def test_logout_ends_the_session(browser, areas, alice):
    old_cookie = browser.cookies.get("linli_session")
    page = browser.get("/")
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = browser.post("/logout", data={"csrf_token": form_token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert sessions_of(areas, alice) == 0
    browser.cookies.clear()
    assert browser.get("/api/v1/me").status_code == 401
    # Replaying the old cookie does not work either: the session is gone on the server.
    r = browser.get("/api/v1/me", headers={"Cookie": f"linli_session={old_cookie}"})
    assert r.status_code == 401
    assert api_error(r) == "session_expired"


def test_logout_without_csrf_token_is_refused(browser, areas, alice):
    r = browser.post("/logout", follow_redirects=False)
    assert r.status_code == 403
    assert sessions_of(areas, alice) == 1
    assert browser.get("/api/v1/me").status_code == 200


def test_expired_session_is_401_session_expired(browser, areas, alice):
    areas.expire_all()
    ws = areas.scalars(select(WebSession).where(WebSession.user_id == alice.id)).one()
    ws.expires_at = utcnow() - timedelta(minutes=1)
    areas.commit()
    r = browser.get("/api/v1/me")
    assert r.status_code == 401
    assert api_error(r) == "session_expired"
    assert r.json()["error"]["message"]


def test_unknown_session_cookie_is_401(client, areas):
    r = client.get("/api/v1/me", headers={"Cookie": "linli_session=made-up-value"})
    assert r.status_code == 401 and api_error(r) == "session_expired"
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and api_error(r) == "unauthenticated"


# --- API tokens -------------------------------------------------------------------------------


@pytest.fixture
def alice_token(areas, alice):
    secret = token_for(areas, alice)
    areas.commit()
    return secret


def test_token_is_shown_once_and_only_its_sha256_is_stored(client, areas, alice, alice_token):
    r = client.post("/api/v1/tokens", json={"name": "ci", "expires_in_days": 30}, headers=auth(alice_token))
    assert r.status_code == 201, r.text
    body = r.json()
    secret = body["token"]
    assert secret.startswith("lnl_") and len(secret) > 30
    assert body["name"] == "ci" and body["expires_at"] is not None and body["revoked_at"] is None
    areas.expire_all()
    row = areas.get(ApiToken, body["id"])
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(getattr(row, c.key)) for c in ApiToken.__table__.columns]
    assert not any(secret in value for value in stored)
    # Listing shows the tokens, never a secret.
    r = client.get("/api/v1/tokens", headers=auth(alice_token))
    assert r.status_code == 200
    listed = r.json()
    assert {t["name"] for t in listed} == {"test", "ci"}
    assert all("token" not in t and "token_hash" not in t for t in listed)
    assert secret not in r.text and alice_token not in r.text
    assert row.token_hash not in r.text


def test_new_token_works_as_bearer(client, areas, alice, alice_token):
    secret = client.post("/api/v1/tokens", json={"name": "ci"}, headers=auth(alice_token)).json()["token"]
    r = client.get("/api/v1/me", headers=auth(secret))
    assert r.status_code == 200 and r.json()["username"] == "alice"


@pytest.mark.parametrize(
    "body", [{"name": "  "}, {"name": "x", "expires_in_days": 0}, {"name": "x", "expires_in_days": 9999}]
)
def test_token_with_bad_input_is_refused(client, areas, alice, alice_token, body):
    r = client.post("/api/v1/tokens", json=body, headers=auth(alice_token))
    assert r.status_code == 422
    assert tokens_of(areas, alice) == 1


def test_revoked_token_is_401_token_revoked(client, areas, alice, alice_token):
    created = client.post("/api/v1/tokens", json={"name": "ci"}, headers=auth(alice_token)).json()
    assert client.get("/api/v1/me", headers=auth(created["token"])).status_code == 200
    r = client.delete(f"/api/v1/tokens/{created['id']}", headers=auth(alice_token))
    assert r.status_code == 204
    r = client.get("/api/v1/me", headers=auth(created["token"]))
    assert r.status_code == 401
    assert api_error(r) == "token_revoked"
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=auth(alice_token)).json()}
    assert listed[created["id"]]["revoked_at"] is not None
    # The other token is untouched.
    assert client.get("/api/v1/me", headers=auth(alice_token)).status_code == 200


def test_expired_token_is_401_token_expired(client, areas, alice, alice_token):
    areas.expire_all()
    row = areas.scalars(select(ApiToken).where(ApiToken.user_id == alice.id)).one()
    row.expires_at = utcnow() - timedelta(seconds=5)
    areas.commit()
    r = client.get("/api/v1/me", headers=auth(alice_token))
    assert r.status_code == 401
    assert api_error(r) == "token_expired"


def test_token_of_another_user_cannot_be_revoked(client, areas, alice, bob, alice_token):
    bob_secret = token_for(areas, bob)
    areas.commit()
    bob_token_id = areas.scalars(select(ApiToken.id).where(ApiToken.user_id == bob.id)).one()
    r = client.delete(f"/api/v1/tokens/{bob_token_id}", headers=auth(alice_token))
    assert r.status_code == 404
    assert api_error(r) == "not_found"
    assert client.get("/api/v1/me", headers=auth(bob_secret)).json()["username"] == "bob"
    # And a token id that does not exist answers the same.
    r = client.delete("/api/v1/tokens/999999", headers=auth(alice_token))
    assert r.status_code == 404


@pytest.mark.parametrize(
    "header",
    ["Basic YWxpY2U6cGFzcw==", "Bearer", "Bearer    ", "Token lnl_abc", "lnl_abc", "Bearer lnl_not-a-real-token"],
)
def test_malformed_or_unknown_authorization_is_401(client, areas, alice_token, header):
    r = client.get("/api/v1/me", headers={"Authorization": header})
    assert r.status_code == 401
    assert api_error(r) in {"invalid_token", "unauthenticated"}
    assert r.json()["error"]["message"]


def test_token_of_a_disabled_user_stops_working(client, areas, alice, bob, alice_token):
    bob_secret = token_for(areas, bob)
    areas.commit()
    assert client.get("/api/v1/me", headers=auth(bob_secret)).status_code == 200
    r = client.patch(f"/api/v1/users/{bob.id}", json={"is_active": False}, headers=auth(alice_token))
    assert r.status_code == 200, r.text
    r = client.get("/api/v1/me", headers=auth(bob_secret))
    assert r.status_code == 401


def test_session_of_a_disabled_user_stops_working(app, client, areas, alice, bob, alice_token):
    with TestClient(app) as bob_browser:
        assert login(bob_browser, "bob", PASSWORD).status_code == 303
        assert bob_browser.get("/api/v1/me").status_code == 200
        r = client.patch(f"/api/v1/users/{bob.id}", json={"is_active": False}, headers=auth(alice_token))
        assert r.status_code == 200
        assert bob_browser.get("/api/v1/me").status_code == 401


# --- one's own password -----------------------------------------------------------------------


def test_change_own_password(client, areas, alice, alice_token):
    url = "/api/v1/me/password"
    r = client.post(
        url, json={"current_password": "Not-my-passw0rd", "new_password": "N3w-secret-pass"}, headers=auth(alice_token)
    )
    assert r.status_code == 422
    assert r.json()["error"]["message"]
    # A weak new password is refused and changes nothing.
    r = client.post(url, json={"current_password": PASSWORD, "new_password": "weak"}, headers=auth(alice_token))
    assert r.status_code == 422
    assert login(client, "alice", PASSWORD).status_code == 303
    client.cookies.clear()
    r = client.post(
        url, json={"current_password": PASSWORD, "new_password": "N3w-secret-pass"}, headers=auth(alice_token)
    )
    assert r.status_code == 200, r.text
    # Without asking, the tokens stay (the answer says so): the one in use still works.
    assert r.json()["tokens_revoked"] == 0 and r.json()["tokens_active"] == 1
    assert login(client, "alice", PASSWORD).status_code == 401
    r = login(client, "alice", "N3w-secret-pass")
    assert r.status_code == 303 and "linli_session" in client.cookies


def test_changing_own_password_ends_the_other_sessions(client, other_client, areas, alice):
    assert login(client, "alice", PASSWORD).status_code == 303
    assert login(other_client, "alice", PASSWORD).status_code == 303
    assert sessions_of(areas, alice) == 2
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    r = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "Brand-new-pass-7"},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 200 and r.json()["sessions_ended"] == 1, r.text
    assert client.get("/api/v1/me").status_code == 200
    assert other_client.get("/api/v1/me").status_code == 401
    assert sessions_of(areas, alice) == 1


def test_an_expired_session_says_so_on_the_sign_in_page(browser, areas, alice):
    areas.execute(update(WebSession).values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    areas.commit()
    r = browser.get("/areas/220102", follow_redirects=False)
    assert r.status_code == 303 and "expired=1" in r.headers["location"]
    page = browser.get(r.headers["location"])
    assert "Your session has expired" in page.text or "登录已过期" in page.text


# --- a new password shuts every door (issue 12, finding 12) -------------------------------------


def _audit_after(session, action: str) -> dict:
    from linli.audit.models import AuditEntry

    session.expire_all()
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq.desc())
    ).first()
    return json.loads(entry.after)


def test_an_admins_reset_revokes_the_accounts_tokens_and_sessions(client, other_client, areas, alice, bob):
    bob_token = token_for(areas, bob)
    alice_token = token_for(areas, alice)
    areas.commit()
    assert login(other_client, "bob", PASSWORD).status_code == 303
    r = client.post(f"/api/v1/users/{bob.id}/password", headers=auth(alice_token))
    assert r.status_code == 200, r.text
    assert r.json()["tokens_revoked"] == 1 and r.json()["sessions_ended"] == 1
    r = client.get("/api/v1/me", headers=auth(bob_token))
    assert r.status_code == 401 and api_error(r) == "token_revoked"
    assert other_client.get("/api/v1/me").status_code == 401
    after = _audit_after(areas, "user.reset_password")
    assert after["tokens_revoked"] == 1 and after["sessions_ended"] == 1
    # The page says so too.
    bob_token = token_for(areas, bob)
    areas.commit()
    page = client.post(f"/admin/users/{bob.id}/password", headers=auth(alice_token))
    assert page.status_code == 200 and 'id="access-ended"' in page.text
    assert client.get("/api/v1/me", headers=auth(bob_token)).status_code == 401


def test_disabling_an_account_revokes_its_tokens_for_good(client, areas, alice, bob):
    bob_token = token_for(areas, bob)
    alice_token = token_for(areas, alice)
    areas.commit()
    r = client.patch(f"/api/v1/users/{bob.id}", json={"is_active": False}, headers=auth(alice_token))
    assert r.status_code == 200
    assert _audit_after(areas, "user.update")["tokens_revoked"] == 1
    r = client.patch(f"/api/v1/users/{bob.id}", json={"is_active": True}, headers=auth(alice_token))
    assert r.status_code == 200
    r = client.get("/api/v1/me", headers=auth(bob_token))
    assert r.status_code == 401 and api_error(r) == "token_revoked"


def test_own_password_change_may_revoke_ones_tokens(client, areas, alice, alice_token):
    second = token_for(areas, alice)
    areas.commit()
    r = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "N3w-secret-pass", "revoke_tokens": True},
        headers=auth(alice_token),
    )
    assert r.status_code == 200, r.text
    assert r.json()["tokens_revoked"] == 2 and r.json()["tokens_active"] == 0
    assert client.get("/api/v1/me", headers=auth(second)).status_code == 401
    assert _audit_after(areas, "user.change_password")["tokens_revoked"] == 2


def test_password_page_offers_to_revoke_tokens_and_counts_them(browser, areas, alice):
    token_for(areas, alice)
    token_for(areas, alice)
    areas.commit()
    page = browser.get("/account/password")
    assert 'name="revoke_tokens"' in page.text
    assert re.search(r'id="tokens-active">\D*2\D', page.text), page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    form = {"current_password": PASSWORD, "new_password": "N3w-secret-pass", "repeat_password": "N3w-secret-pass"}
    r = browser.post("/account/password", data={**form, "csrf_token": csrf})
    assert r.status_code == 200 and re.search(r'id="tokens-active">\D*2\D', r.text)
    form = {
        "current_password": "N3w-secret-pass",
        "new_password": "Th1rd-secret-pass",
        "repeat_password": "Th1rd-secret-pass",
    }
    r = browser.post("/account/password", data={**form, "csrf_token": csrf, "revoke_tokens": "1"})
    assert r.status_code == 200 and 'id="tokens-revoked"' in r.text
    assert re.search(r'id="tokens-active">\D*0\D', r.text)
    assert tokens_of(areas, alice) == 2  # revoked, kept for the record
