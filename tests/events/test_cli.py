"""`linli events seed` and `linli worker` against a fresh SQLite database."""

from __future__ import annotations

from sqlalchemy import select

from linli.events.models import EventCategory, HandlingUnit
from linli.events.seed import CATEGORIES
from linli.notify.models import InboxMessage, OutboxMessage
from linli.notify.outbox import enqueue
from tests.factories import DATA


def test_events_seed_is_idempotent_and_refuses_unknown_counties(cli):
    assert cli("import", "areas", DATA / "divisions-22.json").exit_code == 0
    r = cli("events", "seed", "220102")
    assert r.exit_code == 0, r.output
    assert f"{len(CATEGORIES)} added" in r.output and "handling units" in r.output
    assert cli.count(EventCategory) == len(CATEGORIES)
    units = cli.count(HandlingUnit)
    r = cli("events", "seed", "220102")
    assert "0 added" in r.output and "0 handling units and 0 routing rules added" in r.output
    assert cli.count(HandlingUnit) == units
    r = cli("events", "seed", "999999")
    assert r.exit_code == 1 and "999999 is not a known county" in r.output


def test_worker_once_delivers_the_outbox(cli):
    assert cli("import", "areas", DATA / "divisions-22.json").exit_code == 0
    r = cli("user", "create", "li.ming", "--area", "22")
    assert r.exit_code == 0, r.output
    with cli.db() as s:
        from linli.authn.models import User

        uid = s.scalar(select(User.id).where(User.username == "li.ming"))
        enqueue(s, kind="t", key="cli-1", recipient=f"user:{uid}", payload={"title": "通知"})
        s.commit()
    r = cli("worker", "--once")
    assert r.exit_code == 0, r.output
    assert "delivered 1" in r.output
    assert cli.count(InboxMessage) == 1 and cli.count(OutboxMessage, OutboxMessage.status == "delivered") == 1
