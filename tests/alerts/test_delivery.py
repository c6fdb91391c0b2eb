"""Warnings reach people: fan-out on issue/update/lift, confirmations, progress by area, reminders, pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.alerts import cap, confirm, delivery, service
from linli.alerts.models import WarningConfirmation
from linli.alerts.schemas import AreaIn, LiftIn, UpdateIn, WarningIn
from linli.areas import grids
from linli.audit.models import AuditEntry
from linli.audit.service import write_pending
from linli.events.models import Event
from linli.events.seed import seed_categories
from linli.kit.errors import Forbidden, NotFound
from linli.kit.time import utcnow
from linli.notify import service as subs
from linli.notify.models import OutboxMessage
from linli.notify.schemas import SubscriptionIn
from linli.notify.worker import deliver_internal
from linli.web.templating import LANG_COOKIE
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_residents import GRID, GRID_B, SIBLING_GRID, make_grids, make_person

TOWNSHIP = "220102001"


@pytest.fixture
def world(session):
    make_grids(session, SIBLING_GRID)
    seed_categories(session)
    u = {}
    for name, role, area in [
        ("gw1", "grid_worker", GRID),
        ("gw2", "grid_worker", GRID_B),
        ("cw1", "community_worker", VILLAGE_A),
        ("gw_sib", "grid_worker", SIBLING_GRID),
        ("res1", None, GRID),
        ("res2", None, GRID_B),
        ("res_no", None, GRID),
        ("res_sib", None, SIBLING_GRID),
        ("official", "official", "220102"),
    ]:
        u[name] = make_user(session, name, role, area)
    for name, grid in [("gw1", GRID), ("gw2", GRID_B), ("gw_sib", SIBLING_GRID)]:
        grids.assign_worker(session, SYSTEM, grid, u[name].id, "worker")
    for name in ("res1", "res_sib"):
        subs.opt_in(session, principal(u[name]), SubscriptionIn(channel="inbox"))
    subs.opt_in(session, principal(u["res2"]), SubscriptionIn(channel="email", address="res2@example.org"))
    subs.opt_in(session, principal(u["res_no"]), SubscriptionIn(channel="inbox", topic="notices"))
    person = make_person(session, None, name="李四", relation=None, grid=GRID_B, phone="13900001111")
    subs.record_for_person(session, SYSTEM, person.id, SubscriptionIn(channel="webhook"))
    session.flush()
    return {"u": u, "person": person}


def warning_in(area_codes=(TOWNSHIP,), **kw) -> WarningIn:
    data = {
        "sender_name": "南关区气象台",
        "agency_code": "QX",
        "event_type": "rainstorm",
        "colour": "yellow",
        "description": "暴雨",
        "instruction": "注意防范",
        "areas": [AreaIn(area_desc="街道", area_codes=list(area_codes))],
    }
    data.update(kw)
    return WarningIn(**data)


def rows(session, thread, suffix=None):
    q = select(OutboxMessage.recipient, OutboxMessage.channel).where(OutboxMessage.ref.like(f"warning:{thread}:%"))
    if suffix is not None:
        q = select(OutboxMessage.recipient, OutboxMessage.channel).where(
            OutboxMessage.ref == f"warning:{thread}:{suffix}"
        )
    return sorted(session.execute(q).all())


def who(u, *names, channel="inbox"):
    return {(f"user:{u[n].id}", channel) for n in names}


def expected_issue(world):
    u = world["u"]
    return (
        who(u, "gw1", "gw2", "cw1", "res1")
        | who(u, "res2", channel="email")
        | {(f"person:{world['person'].id}", "webhook")}
    )


def test_issue_fans_out_to_workers_and_opted_in_residents_of_the_area_only(session, world):
    m = service.issue(session, SYSTEM, warning_in())
    got = set(rows(session, m.thread, m.id))
    assert got == expected_issue(world)  # not gw_sib, res_sib (sibling county) nor res_no (other topic)
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == world["u"]["gw2"].id))
    assert row.area_code == GRID_B and row.subscription_id is None and row.kind == "warning.alert"
    write_pending(session)
    audit = session.scalar(select(AuditEntry).where(AuditEntry.action == "warning.alert"))
    assert '"enqueued": 6' in audit.after


def test_nested_covered_areas_are_fanned_out_once(session, world):
    m = service.issue(session, SYSTEM, warning_in(area_codes=(TOWNSHIP, VILLAGE_A, GRID)))
    assert delivery.top_areas([TOWNSHIP, VILLAGE_A, GRID, "220103"]) == ["220102001", "220103"]
    got = rows(session, m.thread, m.id)
    assert len(got) == len(set(got)) and set(got) == expected_issue(world)


def test_update_fans_out_a_new_message_and_lift_reaches_the_same_people(session, world):
    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    up = service.update(session, SYSTEM, m.identifier, UpdateIn(colour="orange"))
    assert set(rows(session, m.thread, up.id)) == expected_issue(world)
    # res1 withdraws meanwhile: still told of the all-clear.
    sub = session.scalar(
        select(OutboxMessage.subscription_id).where(
            OutboxMessage.user_id == u["res1"].id, OutboxMessage.subscription_id.is_not(None)
        )
    )
    subs.withdraw_own(session, principal(u["res1"]), sub)
    lifted = service.lift(session, SYSTEM, m.identifier, LiftIn())
    assert set(rows(session, m.thread, "lift")) == expected_issue(world)
    assert lifted.lifted
    # Staff stay staff on the lift (no subscription), residents keep their subscription for the address.
    lift_rows = session.scalars(select(OutboxMessage).where(OutboxMessage.ref == f"warning:{m.thread}:lift")).all()
    staff_ids = {r.user_id for r in lift_rows if r.subscription_id is None}
    assert staff_ids == {u["gw1"].id, u["gw2"].id, u["cw1"].id}


def test_exercise_and_restricted_reach_staff_only_and_draft_nobody(session, world):
    u = world["u"]
    ex = service.issue(session, SYSTEM, warning_in(status="Exercise"))
    assert set(rows(session, ex.thread)) == who(u, "gw1", "gw2", "cw1")
    draft = service.issue(session, SYSTEM, warning_in(status="Draft"))
    assert rows(session, draft.thread) == []
    restricted = service.issue(session, SYSTEM, warning_in(scope="Restricted", restriction="仅限工作人员"))
    assert set(rows(session, restricted.thread)) == who(u, "gw1", "gw2", "cw1")
    ex_msg = session.scalar(
        select(OutboxMessage.message_id).where(OutboxMessage.ref == f"warning:{ex.thread}:{ex.id}").limit(1)
    )
    from linli.notify.models import NotifyMessage

    assert session.get(NotifyMessage, ex_msg).title.startswith(delivery.EXERCISE_MARK)


def test_known_cap_identifier_reimported_does_not_fan_out_again(session, world):
    m = service.issue(session, SYSTEM, warning_in())
    before = session.scalar(select(func.count()).select_from(OutboxMessage))
    again, created = service.receive(session, SYSTEM, cap.parse(cap.to_cap_xml(session, m)), source="imported")
    assert not created and again.id == m.id
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == before


def test_confirm_by_a_recipient_and_refused_for_others(session, world):
    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    gw1 = principal(u["gw1"], ("grid_worker", GRID))
    c, created = confirm.confirm(session, gw1, m.identifier, "received")
    assert created and c.area_code == GRID and c.thread == m.thread
    again, created = confirm.confirm(session, gw1, m.identifier, "received")
    assert not created and again.id == c.id
    write_pending(session)
    assert session.scalar(select(func.count()).where(AuditEntry.action == "warning.confirm")) == 1
    # A resident who was sent it is not staff; the official was not sent it; the sibling cannot see it.
    with pytest.raises(Forbidden):
        confirm.confirm(session, principal(u["res1"], ("resident", GRID)), m.identifier, "received")
    with pytest.raises(Forbidden):
        confirm.confirm(session, principal(u["official"], ("official", "220102")), m.identifier, "received")
    with pytest.raises(NotFound):
        confirm.confirm(session, principal(u["gw_sib"], ("grid_worker", SIBLING_GRID)), m.identifier, "received")


def test_danger_found_files_an_event_in_the_workers_grid(session, world):
    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    gw2 = principal(u["gw2"], ("grid_worker", GRID_B))
    c, _ = confirm.confirm(session, gw2, m.identifier, "danger_found", note="围墙开裂")
    event = session.get(Event, c.event_id)
    assert event.area_code == GRID_B and event.category_code == confirm.DANGER_CATEGORY
    assert "围墙开裂" in event.description and event.reporter_id == u["gw2"].id


def test_progress_counts_reached_confirmed_and_overdue(session, world, monkeypatch):
    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    # Deliver the inbox rows of gw1 and res1 only; leave the rest pending.
    keep = {u["gw1"].id, u["res1"].id}
    session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.user_id.not_in(keep) | OutboxMessage.user_id.is_(None))
        .values(next_attempt_at=utcnow() + timedelta(hours=1))
    )
    deliver_internal(session, limit=100)
    confirm.confirm(session, principal(u["gw1"], ("grid_worker", GRID)), m.identifier, "patrolled_ok")
    later = utcnow() + timedelta(minutes=45)
    p = confirm.progress(session, m, TOWNSHIP, now=later)
    by = {r.code: r for r in p.rows}
    assert set(by) == {VILLAGE_A, "220102001002"}
    a = by[VILLAGE_A]  # gw1 (reached, confirmed) and cw1 (pending, overdue)
    assert (a.staff, a.reached, a.confirmed, a.patrolled_ok, a.overdue) == (2, 1, 1, 1, 1)
    assert a.residents["inbox"].delivered == 1 and a.residents["inbox"].total == 1
    b = by["220102001002"]
    assert (b.staff, b.reached, b.confirmed, b.overdue) == (1, 0, 0, 1)
    assert b.residents["email"].pending == 1 and b.residents["webhook"].total == 1
    assert (p.total.staff, p.total.confirmed, p.total.overdue) == (3, 1, 2)
    # Drilling into the village: its grid and the community worker's own row.
    v = {r.code: r for r in confirm.progress(session, m, VILLAGE_A, now=later).rows}
    assert v[GRID].staff == 1 and v[VILLAGE_A].staff == 1
    assert confirm.progress(session, m, TOWNSHIP).total.overdue == 0  # not yet late


def test_reminder_goes_once_to_the_unconfirmed_workers(session, world):
    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    confirm.confirm(session, principal(u["gw1"], ("grid_worker", GRID)), m.identifier, "received")
    assert delivery.remind_unconfirmed(session) == 0  # too early
    later = utcnow() + timedelta(minutes=31)
    assert delivery.remind_unconfirmed(session, now=later) == 2
    assert delivery.remind_unconfirmed(session, now=later + timedelta(minutes=30)) == 0
    reminded = session.scalars(
        select(OutboxMessage.user_id).where(OutboxMessage.ref == f"warning:{m.thread}:reminder")
    ).all()
    assert set(reminded) == {u["gw2"].id, u["cw1"].id}
    service.lift(session, SYSTEM, m.identifier, LiftIn())
    assert delivery.remind_unconfirmed(session, now=later + timedelta(hours=2)) == 0


def test_api_and_pages(client, session, world):
    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    tok_gw = token_for(session, u["gw1"])
    tok_official = token_for(session, u["official"])
    tok_res = token_for(session, u["res1"])
    tok_sib = token_for(session, u["gw_sib"])
    session.commit()
    url = f"/api/v1/warnings/{m.identifier}/confirmations"
    r = client.post(url, json={"kind": "received"}, headers=auth(tok_gw))
    assert r.status_code == 201, r.text
    assert client.post(url, json={"kind": "received"}, headers=auth(tok_gw)).status_code == 200
    assert client.post(url, json={"kind": "bogus"}, headers=auth(tok_gw)).status_code == 422
    assert client.post(url, json={"kind": "received"}, headers=auth(tok_res)).status_code == 403
    assert client.post(url, json={"kind": "received"}, headers=auth(tok_sib)).status_code == 404
    listed = client.get(url, headers=auth(tok_official)).json()
    assert [c["kind"] for c in listed] == ["received"] and listed[0]["area_code"] == GRID
    p = client.get(f"/api/v1/warnings/{m.identifier}/progress", headers=auth(tok_official)).json()
    assert p["total"]["staff"] == 3 and p["total"]["confirmed"] == 1 and p["area_code"] == TOWNSHIP
    assert client.get(f"/api/v1/warnings/{m.identifier}/progress", headers=auth(tok_gw)).status_code == 403
    # The warning page: the confirm form for a worker, the progress table for the official.
    page = client.get(f"/warnings/{m.identifier}", headers=auth(tok_gw)).text
    assert 'id="confirm"' in page and 'value="patrolled_ok"' in page and 'id="progress"' not in page
    # CAP's severity, urgency and certainty in words of the page's language (Chinese by default).
    facts = page.split("<dt>严重程度、紧急程度、确定程度</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Moderate" not in facts and "Expected" not in facts and "较重" in facts, facts
    page = client.get(f"/warnings/{m.identifier}", headers=auth(tok_official)).text
    assert 'hx-trigger="every 5s"' in page and 'aria-live="polite"' in page and 'value="received"' not in page
    frag = client.get(f"/warnings/{m.identifier}/progress?area={VILLAGE_A}", headers=auth(tok_official))
    assert frag.status_code == 200 and 'hx-swap-oob="innerHTML"' in frag.text and GRID in frag.text
    assert "<html" not in frag.text
    r = client.post(
        f"/warnings/{m.identifier}/confirm",
        data={"kind": "danger_found", "note": "树倒了"},
        headers=auth(tok_gw),
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert session.scalar(select(func.count()).select_from(WarningConfirmation)) == 2


def test_the_worker_job_reminds_and_the_reminder_reaches_the_inbox(session, world):
    from linli.notify.models import InboxMessage
    from linli.notify.worker import run_job

    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.ref == f"warning:{m.thread}:{m.id}")
        .values(created_at=utcnow() - timedelta(minutes=40))
    )
    assert run_job(session, delivery.job()) == 3
    assert run_job(session, delivery.job()) == 0
    deliver_internal(session, limit=100)
    titles = session.scalars(
        select(InboxMessage.link).where(InboxMessage.user_id == u["gw2"].id).order_by(InboxMessage.id)
    ).all()
    assert titles == [f"/warnings/{m.identifier}", f"/warnings/{m.identifier}#confirm"]


def test_pages_show_a_refused_form_again_with_its_errors(client, session, world):
    u = world["u"]
    issuer = make_user(session, "qx_issuer", "warning_issuer", "220102")
    m = service.issue(session, SYSTEM, warning_in())
    tok = {name: token_for(session, user) for name, user in (("issuer", issuer), ("gw", u["gw1"]), ("res", u["res1"]))}
    tok["official"] = token_for(session, u["official"])
    tok["sib"] = token_for(session, u["gw_sib"])
    session.commit()

    def post(url, data, who):  # the page in English, as the messages are written here
        headers = auth(tok[who]) | {"Cookie": f"{LANG_COOKIE}=en"}
        return client.post(url, data=data, headers=headers, follow_redirects=False)

    form = {"sender_name": "南关区气象台", "agency_code": "QX", "event_type": "rainstorm", "colour": "yellow"}
    form |= {"description": "暴雨", "headline": "TypedHeadline", "area_codes": TOWNSHIP}
    r = post(f"/areas/{TOWNSHIP}/warnings/new", form | {"expires": "tomorrow"}, "issuer")
    assert r.status_code == 422 and "is not a date and time" in r.text and "TypedHeadline" in r.text
    r = post(f"/areas/{TOWNSHIP}/warnings/new", form | {"area_codes": "220103001"}, "issuer")
    assert r.status_code == 422 and "does not exist" in r.text
    r = post(f"/areas/{TOWNSHIP}/warnings/new", form | {"agency_code": "Q"}, "issuer")  # the schema refuses it
    assert r.status_code == 422 and "agency_code" in r.text
    base = f"/warnings/{m.identifier}"
    r = post(f"{base}/update", {"expires": "soon"}, "issuer")
    assert r.status_code == 422 and "is not a date and time" in r.text
    r = post(f"{base}/update", {"colour": "purple"}, "issuer")
    assert r.status_code == 422 and "unknown colour" in r.text
    r = post(f"{base}/confirm", {"kind": "danger_found", "lon": "east", "lat": "44"}, "gw")
    assert r.status_code == 422 and "longitude and latitude are numbers" in r.text
    r = post(f"{base}/confirm", {"kind": "bogus"}, "gw")
    assert r.status_code == 422 and "unknown confirmation" in r.text
    r = post(f"{base}/confirm", {"kind": "received"}, "official")  # staff it was not sent to: 403, the page again
    assert r.status_code == 403 and m.headline in r.text and 'id="confirm"' not in r.text
    assert post(f"{base}/confirm", {"kind": "received"}, "res").status_code == 403  # no warnings.read at all
    assert post(f"{base}/confirm", {"kind": "received"}, "sib").status_code == 404
    assert post(f"{base}/lift", {}, "issuer").status_code == 303
    r = post(f"{base}/lift", {}, "issuer")  # lifted already: the page again (without its forms)
    assert r.status_code == 422 and m.headline in r.text
    r = post(f"{base}/confirm", {"kind": "received"}, "gw")  # nothing to confirm any more: 409
    assert r.status_code == 409 and m.headline in r.text
    assert session.scalar(select(func.count()).select_from(WarningConfirmation)) == 0


def test_a_warning_awaits_the_confirmation_of_each_worker_it_was_sent_to_on_their_workbench(session, world):
    from linli.alerts import todo

    u = world["u"]
    m = service.issue(session, SYSTEM, warning_in())
    gw1 = principal(u["gw1"], ("grid_worker", GRID))
    (item,) = todo.todos(session, gw1)
    assert (item.count, item.href, item.urgent, item.where) == (1, f"/warnings/{m.identifier}", True, m.headline)
    # Not for those it was not sent to as staff: the official, a resident, the sibling county's worker.
    assert todo.todos(session, principal(u["official"], ("official", "220102"))) == []
    assert todo.todos(session, principal(u["res1"], ("resident", GRID))) == []
    assert todo.todos(session, principal(u["gw_sib"], ("grid_worker", SIBLING_GRID))) == []
    # Answered: no longer waiting; another worker still waits; lifted: nobody waits.
    confirm.confirm(session, gw1, m.identifier, "received")
    assert todo.todos(session, gw1) == []
    gw2 = principal(u["gw2"], ("grid_worker", GRID_B))
    assert len(todo.todos(session, gw2)) == 1
    service.lift(session, SYSTEM, m.identifier, LiftIn())
    assert todo.todos(session, gw2) == []
