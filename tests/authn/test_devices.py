"""Sign-in limits that an attacker cannot turn against the owner, and addresses only from trusted proxies
(issue 12, finding 13)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from linli.authn import service as authn
from linli.authn.models import LoginFailure
from linli.config import Settings, get_settings
from linli.kit.time import as_utc, utcnow
from tests.factories import PASSWORD, login, run_apart

ATTACKER = ("10.66.66.66", 40000)
NEW_DEVICE = ("10.7.7.7", 42000)


@pytest.fixture
def attacker(app):
    with TestClient(app, client=ATTACKER) as c:
        yield c


@pytest.fixture
def new_device(app):
    with TestClient(app, client=NEW_DEVICE) as c:
        yield c


def _known_device(client) -> None:
    """The owner signs in once from `client` (which keeps the device cookie) and signs out."""
    assert login(client, "alice", PASSWORD).status_code == 303
    assert client.cookies.get(authn.DEVICE_COOKIE)
    client.cookies.delete("linli_session")


def _lock_by_attacker(attacker) -> None:
    for _ in range(5):
        assert login(attacker, "alice", "Wrong-passw0rd").status_code == 401


def _pass_time(session, key: str) -> None:
    """As if the row's delay had run out."""
    session.expire_all()
    row = session.get(LoginFailure, key)
    row.locked_until = utcnow() - timedelta(seconds=1)
    session.commit()


def _error(html: str) -> str:
    m = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    return m.group(1).strip() if m else ""


def test_the_device_cookie_is_signed_bound_httponly_and_long_lived(client, areas, alice):
    r = login(client, "alice", PASSWORD)
    header = next(h for h in r.headers.get_list("set-cookie") if h.startswith(authn.DEVICE_COOKIE + "="))
    assert "HttpOnly" in header and "SameSite=lax" in header
    assert int(re.search(r"Max-Age=(\d+)", header).group(1)) >= 365 * 24 * 3600
    value = client.cookies.get(authn.DEVICE_COOKIE)
    settings = get_settings()
    assert authn.known_device(value, alice.id, settings)
    assert authn.known_device(value, alice.id + 1, settings) is None  # bound to the account
    device, uid, mac = value.split(".")
    assert authn.known_device(f"{device}.{uid}.{'0' * len(mac)}", alice.id, settings) is None  # signed


def test_owner_signs_in_at_once_from_a_known_device_while_an_attacker_holds_the_account(client, attacker, areas, alice):
    _known_device(client)
    _lock_by_attacker(attacker)
    assert login(attacker, "alice", PASSWORD).status_code == 429
    r = login(client, "alice", PASSWORD)
    assert r.status_code == 303 and "linli_session" in client.cookies


def test_owner_on_a_new_device_waits_a_short_delay_not_the_window(new_device, attacker, areas, alice):
    _lock_by_attacker(attacker)
    r = login(new_device, "alice", PASSWORD)
    assert r.status_code == 429
    # The page says when to try again, in seconds.
    assert re.search(r"\d+", _error(r.text)) and ("seconds" in _error(r.text) or "秒" in _error(r.text))
    areas.expire_all()
    row = areas.get(LoginFailure, "user:alice")
    delay = as_utc(row.locked_until) - utcnow()
    assert delay <= timedelta(seconds=Settings().login_delay_seconds)  # not the 15-minute window
    _pass_time(areas, "user:alice")
    r = login(new_device, "alice", PASSWORD)
    assert r.status_code == 303 and "linli_session" in new_device.cookies


def test_each_failure_past_the_limit_doubles_the_delay(attacker, areas, alice):
    _lock_by_attacker(attacker)
    areas.expire_all()
    first = as_utc(areas.get(LoginFailure, "user:alice").locked_until) - utcnow()
    _pass_time(areas, "user:alice")
    assert login(attacker, "alice", "Wrong-passw0rd").status_code == 401
    areas.expire_all()
    second = as_utc(areas.get(LoginFailure, "user:alice").locked_until) - utcnow()
    assert second > first + timedelta(seconds=Settings().login_delay_seconds // 2)
    # Inside the delay nothing is tried (nor counted): the right password waits too.
    assert login(attacker, "alice", PASSWORD).status_code == 429
    areas.expire_all()
    assert areas.get(LoginFailure, "user:alice").failures == 6


def test_failures_from_a_known_device_count_for_that_device(client, new_device, areas, alice):
    _known_device(client)
    for _ in range(5):
        assert login(client, "alice", "Wrong-passw0rd").status_code == 401
    assert login(client, "alice", PASSWORD).status_code == 429
    areas.expire_all()
    assert areas.get(LoginFailure, "user:alice") is None  # the account itself is not held up
    assert areas.scalar(select(LoginFailure.failures).where(LoginFailure.key.like("dev:%"))) == 5
    assert login(new_device, "alice", PASSWORD).status_code == 303


def test_another_accounts_device_cookie_is_an_unknown_device(client, attacker, areas, alice, bob):
    assert login(attacker, "bob", PASSWORD).status_code == 303  # the attacker's own account
    attacker.cookies.delete("linli_session")
    _lock_by_attacker(attacker)
    assert login(attacker, "alice", PASSWORD).status_code == 429


def test_the_address_limit_stays(client, areas, alice):
    _known_device(client)
    for i in range(20):
        login(client, f"ghost{i}", "Wrong-passw0rd")
    assert login(client, "alice", PASSWORD).status_code == 429


# --- trusted proxies --------------------------------------------------------------------------


def test_forwarded_headers_are_believed_only_from_configured_proxies(monkeypatch):
    from linli.cli import main

    assert main.proxy_options(Settings(trusted_proxies="")) == {"proxy_headers": False, "forwarded_allow_ips": []}
    assert main.proxy_options(Settings(trusted_proxies=" 10.0.0.5, 192.168.1.0/24 ")) == {
        "proxy_headers": True,
        "forwarded_allow_ips": ["10.0.0.5", "192.168.1.0/24"],
    }
    seen = {}
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setattr(main, "migrate_quietly", lambda: None)
    main.serve()
    assert seen["proxy_headers"] is False


def test_a_loopback_client_cannot_name_another_address(areas, alice):
    """uvicorn's proxy middleware with the options `linli serve` passes: with no trusted proxy, an
    X-Forwarded-For from 127.0.0.1 does not change the address the sign-in limit counts."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    from linli.cli.main import proxy_options

    seen = []

    async def app(scope, receive, send):
        seen.append(scope["client"][0])

    opts = proxy_options(Settings(trusted_proxies=""))
    wrapped = ProxyHeadersMiddleware(app, trusted_hosts=opts["forwarded_allow_ips"]) if opts["proxy_headers"] else app
    scope = {
        "type": "http",
        "client": ("127.0.0.1", 5000),
        "headers": [(b"x-forwarded-for", b"203.0.113.9")],
        "scheme": "http",
    }
    run_apart(wrapped(scope, None, None))
    assert seen == ["127.0.0.1"]
    opts = proxy_options(Settings(trusted_proxies="127.0.0.1"))
    run_apart(ProxyHeadersMiddleware(app, trusted_hosts=opts["forwarded_allow_ips"])(dict(scope), None, None))
    assert seen[-1] == "203.0.113.9"
