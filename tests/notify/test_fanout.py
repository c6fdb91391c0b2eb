"""Fan-out of a message to an area: who gets it, once; the inbox delivery; counts by child area."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from linli.areas import grids
from linli.areas.repository import staff_of
from linli.authn.models import User
from linli.kit.time import utcnow
from linli.notify import models as notify_models
from linli.notify import outbox
from linli.notify import service as subs
from linli.notify.models import InboxMessage, OutboxMessage
from linli.notify.outbox import Subscribers, delivery_counts
from linli.notify.schemas import SubscriptionIn
from linli.notify.worker import deliver_due
from linli.residents.models import Person
from linli.residents.repository import tagged_persons
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, SIBLING_GRID, make_grids, make_person

CONTENT = {"title": "暴雨红色预警 rainstorm red", "body": "请勿外出", "link": "/warnings/1"}


def optin(session, user, channel="inbox", address=None, topic="warnings"):
    return subs.opt_in(session, principal(user), SubscriptionIn(channel=channel, address=address, topic=topic))


@pytest.fixture
def world(session):
    make_grids(session, SIBLING_GRID)
    u = {}
    for name, role, area in [
        ("gw1", "grid_worker", GRID),
        ("chief1", "grid_worker", GRID),
        ("gw2", "grid_worker", GRID_B),
        ("cw1", "community_worker", VILLAGE_A),
        ("gw_sib", "grid_worker", SIBLING_GRID),
        ("res1", None, GRID),
        ("res2", None, GRID_B),
        ("res_gone", None, GRID),
        ("res_sib", None, SIBLING_GRID),
    ]:
        u[name] = make_user(session, name, role, area)
    for name, grid, duty in [("gw1", GRID, "worker"), ("chief1", GRID, "chief"), ("gw2", GRID_B, "worker")]:
        grids.assign_worker(session, SYSTEM, grid, u[name].id, duty)
    grids.assign_worker(session, SYSTEM, SIBLING_GRID, u["gw_sib"].id, "worker")
    optin(session, u["res1"])
    optin(session, u["res2"], "email", "res2@example.org")
    optin(session, u["res2"], "inbox", topic="notices")  # another topic: not a warning subscriber
    gone = optin(session, u["res_gone"])
    subs.withdraw_own(session, principal(u["res_gone"]), gone.id)
    optin(session, u["res_sib"])
    optin(session, u["gw1"])  # staff who also opted in: still one inbox message
    elder = make_person(session, None, name="独居老人", relation=None, grid=GRID, tags=("elderly_alone",))
    other = make_person(session, None, name="李四", relation=None, grid=GRID_B, phone="13900001111")
    subs.record_for_person(session, SYSTEM, elder.id, SubscriptionIn(channel="webhook"))
    subs.record_for_person(session, SYSTEM, other.id, SubscriptionIn(channel="webhook"))
    session.flush()
    return {"u": u, "elder": elder, "other": other}


def recipients(session, ref):
    return set(session.execute(select(OutboxMessage.recipient, OutboxMessage.channel).where(OutboxMessage.ref == ref)))


def staff(u):
    return {(f"user:{u[n].id}", "inbox") for n in ("gw1", "chief1", "gw2", "cw1")}


def test_fan_out_reaches_staff_and_opted_in_residents_of_the_subtree_once(session, world):
    u = world["u"]
    r = outbox.fan_out(
        session,
        ref="warning:1",
        kind="warning.issue",
        area_code="220102001",
        content=CONTENT,
        users=staff_of("220102001"),
        subscribers=Subscribers(),
    )
    expected = staff(u) | {
        (f"user:{u['res1'].id}", "inbox"),
        (f"user:{u['res2'].id}", "email"),
        (f"person:{world['elder'].id}", "webhook"),
        (f"person:{world['other'].id}", "webhook"),
    }
    assert recipients(session, "warning:1") == expected
    assert r.enqueued == len(expected) and r.staff == 4
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == f"user:{u['gw2'].id}"))
    assert row.area_code == GRID_B and row.user_id == u["gw2"].id and row.message_id == r.message_id
    assert row.key == f"warning:1:user:{u['gw2'].id}:inbox"
    # Running it again (a retried request, a crashed issuer) adds nothing.
    again = outbox.fan_out(
        session,
        ref="warning:1",
        kind="warning.issue",
        area_code="220102001",
        content=CONTENT,
        users=staff_of("220102001"),
        subscribers=Subscribers(),
    )
    assert again.enqueued == 0 and again.message_id == r.message_id
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == len(expected)
    # The lift goes to the same people, as a message of its own.
    lift = outbox.fan_out(
        session,
        ref="warning:1",
        kind="warning.lift",
        area_code="220102001",
        content={"title": "解除预警 lifted"},
        users=staff_of("220102001"),
        subscribers=Subscribers(),
        key_suffix=":lift",
    )
    assert lift.ref == "warning:1:lift" and recipients(session, "warning:1:lift") == expected


def test_audiences_workers_only_and_a_tag(session, world):
    u = world["u"]
    outbox.fan_out(session, ref="w:2", kind="k", area_code="220102", content=CONTENT, users=staff_of("220102"))
    assert recipients(session, "w:2") == staff(u)
    outbox.fan_out(
        session,
        ref="w:3",
        kind="k",
        area_code="220102",
        content=CONTENT,
        users=staff_of("220102"),
        subscribers=Subscribers(persons=tagged_persons("elderly_alone", date.today())),
    )
    assert recipients(session, "w:3") == staff(u) | {(f"person:{world['elder'].id}", "webhook")}


def test_a_grid_reaches_its_community_workers(session, world):
    u = world["u"]
    outbox.fan_out(session, ref="w:4", kind="k", area_code=GRID, content=CONTENT, users=staff_of(GRID))
    assert recipients(session, "w:4") == {(f"user:{u[n].id}", "inbox") for n in ("gw1", "chief1", "cw1")}


def test_inbox_delivery_is_batched_once_and_counted_by_child_area(session, world):
    u = world["u"]
    outbox.fan_out(
        session,
        ref="w:5",
        kind="warning.issue",
        area_code="220102001",
        content=CONTENT,
        users=staff_of("220102001"),
        subscribers=Subscribers(),
    )
    deliver_due(session, limit=1000, external_limit=0)
    deliver_due(session, limit=1000, external_limit=0)
    inbox = session.scalars(select(InboxMessage).where(InboxMessage.outbox_key.startswith("w:5:"))).all()
    assert {m.user_id for m in inbox} == {u[n].id for n in ("gw1", "chief1", "gw2", "cw1", "res1")}
    assert len(inbox) == 5 and inbox[0].title == CONTENT["title"] and inbox[0].link == "/warnings/1"
    counts = delivery_counts(session, "w:5", "220102001")
    village_b = GRID_B[:12]
    assert counts[VILLAGE_A].total == 5 and counts[VILLAGE_A].delivered == 4 and counts[VILLAGE_A].pending == 1
    assert counts[village_b].total == 3 and counts[village_b].delivered == 1
    assert delivery_counts(session, "w:5", "220102001", channel="inbox")[VILLAGE_A].pending == 0
    assert delivery_counts(session, "w:5", "220103") == {}


def test_subscriptions_api_own_and_recorded_by_staff(client, session, world):
    u = world["u"]
    tok = token_for(session, u["res1"])
    staff_tok = token_for(session, u["gw1"])
    sib_tok = token_for(session, u["gw_sib"])
    session.commit()
    r = client.post("/api/v1/subscriptions", json={"channel": "email", "address": "me@example.org"}, headers=auth(tok))
    assert r.status_code == 201 and r.json()["address"] == "m***@example.org" and r.json()["area_code"] == GRID
    assert client.post("/api/v1/subscriptions", json={"channel": "email"}, headers=auth(tok)).status_code == 422
    mine = client.get("/api/v1/subscriptions", headers=auth(tok)).json()
    assert {s["channel"] for s in mine} == {"inbox", "email"}
    sid = r.json()["id"]
    assert client.delete(f"/api/v1/subscriptions/{sid}", headers=auth(staff_tok)).status_code == 404
    assert client.delete(f"/api/v1/subscriptions/{sid}", headers=auth(tok)).json()["withdrawn_at"]
    elder = world["elder"].id
    theirs = client.get(f"/api/v1/persons/{elder}/subscriptions", headers=auth(staff_tok)).json()
    assert theirs[0]["address"] == "138****5678"  # the resident's phone, masked
    assert client.get(f"/api/v1/persons/{elder}/subscriptions", headers=auth(sib_tok)).status_code == 404
    r = client.post(f"/api/v1/persons/{elder}/subscriptions", json={"channel": "inbox"}, headers=auth(staff_tok))
    assert r.status_code == 422
    assert client.get(f"/api/v1/persons/{elder}/subscriptions", headers=auth(tok)).status_code == 403


# --- the public API, linli.notify.outbox: selectables of people ------------------------------------


def test_outbox_enqueues_to_a_selectable_of_users_and_of_persons(session, world):
    u = world["u"]
    users = select(User.id, User.area_code).where(User.username.in_(["res2", "gw_sib"]))
    elder = world["elder"].id
    subscribers = outbox.Subscribers("warnings", persons=select(Person.id).where(Person.id == elder))
    r = outbox.fan_out(
        session, ref="w:6", kind="k", area_code="220102001", content=CONTENT, users=users, subscribers=subscribers
    )
    # The users given, wherever they are (the sibling grid too); subscribers of the subtree among the persons.
    assert recipients(session, "w:6") == {
        (f"user:{u['res2'].id}", "inbox"),
        (f"user:{u['gw_sib'].id}", "inbox"),
        (f"person:{elder}", "webhook"),
    }
    assert (r.staff, r.subscribers) == (2, 1)
    again = outbox.fan_out(session, ref="w:6", kind="k", area_code="220102001", content=CONTENT, users=users)
    assert again.enqueued == 0 and again.message_id == r.message_id


def test_outbox_copies_the_recipients_of_earlier_messages(session, world):
    u = world["u"]
    outbox.fan_out(
        session,
        ref="w:7",
        kind="k",
        area_code="220102001",
        content=CONTENT,
        users=staff_of("220102001"),
        subscribers=Subscribers(),
        key_suffix=":1",
    )
    everyone = recipients(session, "w:7:1")
    args = dict(ref="w:7", kind="k", area_code="220102001", content={"title": "again"}, of="w:7:")
    assert outbox.copy_recipients(session, key_suffix=":all", **args) == len(everyone)
    assert recipients(session, "w:7:all") == everyone
    gw1 = select(User.id).where(User.username == "gw1")
    past, later = utcnow() - timedelta(hours=1), utcnow() + timedelta(hours=1)
    staff_args = dict(args, staff_only=True, except_users=gw1, excluding=("w:7:all",))
    assert outbox.copy_recipients(session, key_suffix=":early", told_before=past, **staff_args) == 0
    assert outbox.copy_recipients(session, key_suffix=":staff", told_before=later, **staff_args) == 3
    assert recipients(session, "w:7:staff") == staff(u) - {(f"user:{u['gw1'].id}", "inbox")}
    assert outbox.copy_recipients(session, key_suffix=":staff", told_before=later, **staff_args) == 0


def test_outbox_reads_progress_of_staff_and_subscribers(session, world):
    u = world["u"]
    outbox.fan_out(
        session,
        ref="w:8",
        kind="k",
        area_code="220102001",
        content=CONTENT,
        users=staff_of("220102001"),
        subscribers=Subscribers(),
    )
    deliver_due(session, limit=1000, external_limit=0)
    rows = session.execute(outbox.staff_recipients("w:8", "220102001")).all()
    assert {r.user_id for r in rows} == {u[n].id for n in ("gw1", "chief1", "gw2", "cw1")}
    assert all(r.reached == 1 for r in rows)
    by_gw2 = next(r for r in rows if r.user_id == u["gw2"].id)
    assert by_gw2.area_code == GRID_B
    counts = outbox.subscriber_counts(session, "w:8", "220102001")
    assert {key: (c.total, c.delivered) for key, c in counts.items()} == {
        (VILLAGE_A, "inbox"): (1, 1),
        (VILLAGE_A, "webhook"): (1, 0),
        (GRID_B[:12], "email"): (1, 0),
        (GRID_B[:12], "webhook"): (1, 0),
    }
    assert outbox.staff_area(session, ["w:8"], u["gw2"].id) == GRID_B
    assert outbox.staff_area(session, ["w:8"], u["res1"].id) is None  # a subscriber, not staff


def test_notify_names_no_table_of_another_domain():
    """Other domains' people reach notify only as selectables their own repositories build."""
    root = Path(notify_models.__file__).parent
    foreign = ("grid_assignments", "GridAssignment", "person_tags", "PersonTag", "Grant", "grants")
    for path in sorted(root.glob("*.py")):
        text = path.read_text()
        assert not [w for w in foreign if w in text], path.name
