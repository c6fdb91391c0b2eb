"""The outbox worker, the inbox, overdue escalation and the working-day calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from linli.events.escalation import escalate_overdue
from linli.events.models import Event, EventLog
from linli.kit import workdays as calendar
from linli.kit.time import BEIJING, as_utc, utcnow
from linli.notify import channels
from linli.notify.models import InboxMessage, OutboxMessage
from linli.notify.outbox import enqueue
from linli.notify.worker import MAX_ATTEMPTS, backoff, deliver_due
from tests.factories import auth, load_world, make_user, token_for
from tests.factories_events import as_principal, events_world, report, step


def test_calendar_holidays_make_up_days_and_working_hours():
    # 2026-09-30 09:00 Beijing, a Wednesday before the National Day holiday (Oct 1–7).
    start = datetime(2026, 9, 30, 9, 0, tzinfo=BEIJING)
    assert calendar.add_working_hours(start, 4).astimezone(BEIJING) == datetime(2026, 9, 30, 14, 30, tzinfo=BEIJING)
    assert calendar.add_working_hours(start, 8).astimezone(BEIJING) == datetime(2026, 10, 8, 9, 30, tzinfo=BEIJING)
    assert calendar.add_working_days(start, 1).astimezone(BEIJING).date().isoformat() == "2026-10-08"
    # 2026-01-04 is a Sunday made a working day (元旦 make-up day); Saturday 2026-01-03 is a holiday.
    assert calendar.is_workday(datetime(2026, 1, 4).date()) and not calendar.is_workday(datetime(2026, 1, 3).date())
    end = calendar.add_working_hours(start, 10)
    assert calendar.working_seconds_between(start, end) == pytest.approx(10 * 3600)
    assert calendar.working_seconds_between(end, start) == pytest.approx(-10 * 3600)


def test_calendar_beyond_its_data_falls_back_to_weekdays(caplog):
    day = datetime(2031, 3, 3).date()  # a Monday in a year the package has no data for
    assert not calendar.covered(day)
    assert calendar.is_workday(day) and not calendar.is_workday(datetime(2031, 3, 2).date())


def test_working_hours_come_from_settings(monkeypatch):
    from linli.config import get_settings

    monkeypatch.setenv("LINLI_WORKING_HOURS", "09:00-17:00")
    get_settings.cache_clear()
    start = datetime(2026, 9, 29, 9, 0, tzinfo=BEIJING)
    assert calendar.add_working_hours(start, 8).astimezone(BEIJING) == datetime(2026, 9, 29, 17, 0, tzinfo=BEIJING)
    with pytest.raises(ValueError, match="HH:MM"):
        calendar.parse_periods("nine to five")


def test_worker_delivers_to_the_inbox_once(session):
    load_world(session)
    user = make_user(session, "inboxer", None, "220102")
    enqueue(session, kind="t", key="k1", recipient=f"user:{user.id}", payload={"title": "你好", "body": "b"})
    enqueue(session, kind="t", key="k1", recipient=f"user:{user.id}", payload={"title": "again"})  # same key: no-op
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    r = deliver_due(session)
    assert (r.delivered, r.retried, r.dead) == (1, 0, 0)
    msg = session.scalar(select(InboxMessage).where(InboxMessage.user_id == user.id))
    assert msg.title == "你好"
    # A redelivery (the 'delivered' mark lost in a crash) does not duplicate the message.
    row = session.scalar(select(OutboxMessage))
    row.status = "pending"
    session.flush()
    deliver_due(session)
    assert session.scalar(select(func.count()).select_from(InboxMessage)) == 1


def test_failures_back_off_and_give_up(session, monkeypatch):
    load_world(session)
    user = make_user(session, "flaky", None, "220102")
    calls = []

    class Flaky:
        name = "flaky"

        def deliver(self, session, message):
            calls.append(message.id)
            raise ConnectionError("gateway down")

    monkeypatch.setitem(channels.CHANNELS, "flaky", Flaky())
    enqueue(session, kind="t", key="f1", recipient=f"user:{user.id}", payload={}, channel="flaky")
    enqueue(session, kind="t", key="f2", recipient="user:999999", payload={})  # unknown user: permanent
    now = utcnow()
    r = deliver_due(session, now=now + timedelta(seconds=1))
    assert (r.retried, r.dead) == (1, 1)
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.key == "f1"))
    assert row.attempts == 1 and as_utc(row.next_attempt_at) == now + timedelta(seconds=1) + backoff(1)
    assert "gateway down" in row.last_error
    assert deliver_due(session, now=now + timedelta(seconds=2)).handled == 0  # not due yet
    t = now
    for _ in range(MAX_ATTEMPTS):
        t += timedelta(days=1)
        deliver_due(session, now=t)
    assert row.status == "dead" and row.attempts == MAX_ATTEMPTS
    assert backoff(1) == timedelta(seconds=30) and backoff(3) == timedelta(seconds=120)


def test_inbox_api_lists_and_marks_read_only_ones_own(client, session):
    load_world(session)
    a = make_user(session, "inbox_a", None, "220102")
    b = make_user(session, "inbox_b", None, "220102")
    for i in range(3):
        enqueue(session, kind="t", key=f"a{i}", recipient=f"user:{a.id}", payload={"title": f"m{i}"})
    enqueue(session, kind="t", key="b0", recipient=f"user:{b.id}", payload={"title": "for b"})
    deliver_due(session)
    ta, tb = token_for(session, a), token_for(session, b)
    session.commit()
    page = client.get("/api/v1/inbox", headers=auth(ta)).json()
    assert [m["title"] for m in page["items"]] == ["m2", "m1", "m0"] and page["unread"] == 3
    mid = page["items"][0]["id"]
    assert client.post(f"/api/v1/inbox/{mid}/read", headers=auth(tb)).status_code == 404
    assert client.post(f"/api/v1/inbox/{mid}/read", headers=auth(ta)).json()["read_at"] is not None
    assert client.get("/api/v1/inbox?unread=true", headers=auth(ta)).json()["total"] == 2
    assert client.post("/api/v1/inbox/read-all", headers=auth(ta)).json() == {"marked": 2}
    assert client.get("/api/v1/inbox", headers=auth(tb)).json()["unread"] == 1


def test_overdue_events_escalate_one_level_at_a_time(session):
    w = events_world(session)
    p = w["people"]
    event = report(session, as_principal(session, p["resident"]), w["point"])
    deadline = as_utc(event.stage_deadline)
    assert escalate_overdue(session, now=deadline - timedelta(minutes=1)) == 0
    later = deadline + timedelta(minutes=5)
    assert escalate_overdue(session, now=later) == 1
    assert event.escalation_level == 1
    assert escalate_overdue(session, now=later + timedelta(minutes=5)) == 0  # waits a working day
    assert escalate_overdue(session, now=later + timedelta(days=5)) == 1
    assert event.escalation_level == 2
    assert escalate_overdue(session, now=later + timedelta(days=30)) == 0  # the city is the top
    steps = session.scalars(select(EventLog).where(EventLog.event_id == event.id, EventLog.action == "escalate")).all()
    assert len(steps) == 2 and "county" in steps[0].note and "city" in steps[1].note
    # The county official heard of the first escalation, the city official of the second.
    keys = set(session.scalars(select(OutboxMessage.key)))
    assert any(k == f"event:{event.id}:log:{steps[0].id}:user:{p['county'].id}" for k in keys)
    assert any(k == f"event:{event.id}:log:{steps[1].id}:user:{p['city'].id}" for k in keys)


def test_escalation_counts_in_the_overdue_filter_and_stats(client, session):
    w = events_world(session)
    p = w["people"]
    event = report(session, as_principal(session, p["resident"]), w["point"])
    event.stage_deadline = datetime(2020, 1, 1, tzinfo=UTC)
    session.flush()
    tok = token_for(session, p["county"])
    session.commit()
    r = client.get("/api/v1/events", params={"overdue": True}, headers=auth(tok)).json()
    assert [e["id"] for e in r["items"]] == [event.id] and r["items"][0]["deadline"]["overdue"] is True
    stats = client.get("/api/v1/events/stats", params={"area": "220102"}, headers=auth(tok)).json()
    assert stats["area"]["overdue"] == 1 and stats["area"]["overdue_rate"] == 1.0


def test_supervision_note_reaches_the_unit(client, session):
    w = events_world(session)
    p = w["people"]
    event = report(session, as_principal(session, p["resident"]), w["point"])
    street = as_principal(session, p["street"])
    step(session, street, event.id, "register")
    step(session, street, event.id, "dispatch", unit_id=w["unit"].id)
    tok = token_for(session, p["county"])
    res_tok = token_for(session, p["resident"])
    session.commit()
    r = client.post(f"/api/v1/events/{event.id}/supervision", json={"note": "限今日办结"}, headers=auth(tok))
    assert r.status_code == 201 and r.json()["action"] == "supervise"
    r = client.post(f"/api/v1/events/{event.id}/supervision", json={"note": "x"}, headers=auth(res_tok))
    assert r.status_code == 403
    deliver_due(session)
    inbox = session.scalars(select(InboxMessage.title).where(InboxMessage.user_id == p["handler"].id)).all()
    assert any("督办" in t for t in inbox)
    assert session.get(Event, event.id).state == "dispatched"
