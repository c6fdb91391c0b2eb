"""External channels: the webhook (signed, idempotency key; 500 and timeouts retried, then failed and
listed) and e-mail over SMTP (Message-ID from the outbox key)."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from linli.areas.repository import staff_of
from linli.kit.time import utcnow
from linli.notify import outbox
from linli.notify import repository as deliveries
from linli.notify import service as subs
from linli.notify.channels import message_id_for, sign
from linli.notify.models import OutboxMessage
from linli.notify.outbox import Subscribers
from linli.notify.schemas import SubscriptionIn
from linli.notify.worker import MAX_ATTEMPTS, deliver_due
from tests.factories import SYSTEM, auth, make_user, principal, token_for
from tests.factories_residents import GRID, make_grids, make_person


class Gateway:
    """A local HTTP server standing in for the SMS gateway: answers `status`, after `delay` seconds."""

    def __init__(self):
        self.status, self.delay, self.requests = 200, 0.0, []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((dict(self.headers), body))
                time.sleep(gateway.delay)
                try:
                    self.send_response(gateway.status)
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the client gave up (timeout)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(monkeypatch):
    from linli.config import get_settings

    gw = Gateway()
    monkeypatch.setenv("LINLI_WEBHOOK_URL", gw.url)
    monkeypatch.setenv("LINLI_WEBHOOK_SECRET", "s3cret")
    monkeypatch.setenv("LINLI_WEBHOOK_TIMEOUT", "0.3")
    get_settings.cache_clear()
    yield gw
    gw.close()


@pytest.fixture
def resident(session):
    make_grids(session)
    person = make_person(session, None, name="王五", relation=None, grid=GRID, phone="13700001234")
    subs.record_for_person(session, SYSTEM, person.id, SubscriptionIn(channel="webhook"))
    return person


def warn(session, ref="warning:7"):
    return outbox.fan_out(
        session,
        ref=ref,
        kind="warning.issue",
        area_code="220102",
        content={"title": "大风蓝色预警", "body": "注意防风"},
        users=staff_of("220102"),
        subscribers=Subscribers(),
    )


def webhook_row(session, ref="warning:7") -> OutboxMessage:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.ref == ref, OutboxMessage.channel == "webhook"))


def test_webhook_is_signed_and_carries_the_idempotency_key(session, gateway, resident):
    warn(session)
    r = deliver_due(session)
    assert r.delivered == 1
    headers, body = gateway.requests[0]
    row = webhook_row(session)
    assert row.status == "delivered" and row.attempts == 1
    assert headers["Idempotency-Key"] == row.key == f"warning:7:person:{resident.id}:webhook"
    assert headers["X-Linli-Signature"] == sign("s3cret", body)
    sent = json.loads(body)
    assert sent["address"] == "13700001234" and sent["title"] == "大风蓝色预警" and sent["ref"] == "warning:7"


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_failing_webhook_is_retried_with_backoff_then_failed_and_listed(session, client, gateway, resident, failure):
    if failure == "500":
        gateway.status = 500
    else:
        gateway.delay = 1.0
    warn(session)
    now = utcnow()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due(session, now=now)
        row = webhook_row(session)
        session.refresh(row)
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert row.status == "pending" and ("500" in row.last_error or "timed out" in row.last_error)
            waits.append(row.next_attempt_at - now)
            assert deliver_due(session, now=now + timedelta(seconds=1)).handled == 0  # not due yet
            now = row.next_attempt_at
    assert row.status == "dead"
    assert waits == sorted(waits) and waits[1] == 2 * waits[0]  # backoff doubles
    assert len(gateway.requests) == MAX_ATTEMPTS
    # Failed, not dropped: staff in scope see it and may retry it.
    admin = make_user(session, "notify_admin", "community_worker", "220102")
    sib = make_user(session, "notify_sib", "community_worker", "220103")
    tok, sib_tok = token_for(session, admin), token_for(session, sib)
    session.commit()
    listed = client.get("/api/v1/deliveries/failed", headers=auth(tok)).json()
    assert [i["key"] for i in listed["items"]] == [row.key] and listed["items"][0]["attempts"] == MAX_ATTEMPTS
    assert client.get("/api/v1/deliveries/failed", headers=auth(sib_tok)).json()["total"] == 0
    assert client.post(f"/api/v1/deliveries/{row.id}/retry", headers=auth(sib_tok)).status_code == 404
    r = client.post(f"/api/v1/deliveries/{row.id}/retry", headers=auth(tok))
    assert r.status_code == 200
    session.refresh(row)
    assert row.status == "pending" and row.attempts == 0
    gateway.status, gateway.delay = 200, 0.0
    deliver_due(session)
    session.refresh(row)
    assert row.status == "delivered"
    assert deliveries.failed(session)[1] == 0


def test_expired_lease_is_reclaimed(session, gateway, resident):
    """A worker that claimed a row and died: after the lease the row is sent again (at-least-once)."""
    from linli.notify.worker import claim_external

    warn(session)
    claimed = claim_external(session, limit=10, lease_seconds=60)
    assert len(claimed) == 1 and webhook_row(session).status == "sending"
    assert deliver_due(session).handled == 0  # still leased
    r = deliver_due(session, now=utcnow() + timedelta(seconds=61))
    assert r.delivered == 1 and webhook_row(session).status == "delivered"


def test_email_over_smtp_with_message_id_from_the_key(session, monkeypatch):
    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    from linli.config import get_settings

    received = []

    class Handler:
        async def handle_DATA(self, server, smtp_session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # the controller checks its server by connecting: it needs a real port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = aiosmtpd.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("LINLI_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("LINLI_SMTP_PORT", str(port))
        monkeypatch.setenv("LINLI_SMTP_FROM", "alerts@linli.example")
        get_settings.cache_clear()
        make_grids(session)
        user = make_user(session, "mailme", None, GRID)
        subs.opt_in(session, principal(user), SubscriptionIn(channel="email", address="mail.me@example.org"))
        warn(session, "warning:8")
        assert deliver_due(session).delivered == 1
    finally:
        controller.stop()
    (env,) = received
    text = env.content.decode()
    key = f"warning:8:user:{user.id}:email"
    assert env.rcpt_tos == ["mail.me@example.org"]
    assert f"Message-ID: {message_id_for(key, 'linli.example')}" in text and f"X-Linli-Key: {key}" in text
