"""A reporter's phone and e-mail: encrypted at rest, masked for staff in lists and details, in clear for the
reporter, revealed (audited) only to those who must call the reporter back; the free text shown to others
has phone numbers, e-mail addresses and ID numbers masked."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, select, text

from linli.audit.models import AuditEntry
from linli.authz.permissions import ROLE_PERMISSIONS, Permission, Role
from linli.cli import rekey
from linli.db.engine import make_engine
from linli.db.migrate import upgrade
from linli.events import contacts, reporting
from linli.events.catalog import add_member, create_unit
from linli.events.models import EMAIL_CONTEXT, PHONE_CONTEXT
from linli.events.schemas import ReportIn, UnitIn
from linli.kit import crypto
from tests import postgres
from tests.factories import SYSTEM, VILLAGE_A, auth, token_for
from tests.factories_events import as_principal, events_world, report, step

PHONE = "138 1234 5678"
EMAIL = "li.ming@example.cn"


@pytest.fixture
def cw(session, client):
    w = events_world(session)
    p = w["people"]
    body = ReportIn(category_code="0301", title="垃圾堆积", lon=w["point"][0], lat=w["point"][1], contact_phone=PHONE)
    done = reporting.report(
        session, as_principal(session, p["resident"]), body, contact=reporting.Contact(name="李明", email=EMAIL)
    )
    w["event"] = done.event
    w["h"] = {k: auth(token_for(session, u)) for k, u in p.items()}
    session.commit()
    client.cookies.set("linli_lang", "en")
    return w


def test_contacts_are_encrypted_at_rest(session, cw):
    row = session.execute(
        text("SELECT contact_phone_enc, contact_email_enc FROM events WHERE id = :id"), {"id": cw["event"].id}
    ).one()
    assert all(v.startswith("v1:") for v in row)
    assert "5678" not in row[0] and "example" not in row[1]
    ring = crypto.keyring()
    assert ring.decrypt(row[0], PHONE_CONTEXT) == PHONE and ring.decrypt(row[1], EMAIL_CONTEXT) == EMAIL
    # Registered for key rotation (`linli keys rotate` and `linli keys status` find them).
    usage = rekey.key_usage(session, ring)
    assert usage["events.contact_phone_enc"][ring.current_id] == usage["events.contact_email_enc"][ring.current_id] == 1


@pytest.mark.parametrize("who", ["community", "street", "county", "handler", "auditor", "gridworker"])
def test_staff_see_the_contact_masked_in_the_detail_and_the_list(client, cw, who):
    ev = cw["event"].id
    one = client.get(f"/api/v1/events/{ev}", headers=cw["h"][who]).json()
    assert one["contact_phone"] == "138****5678" and one["contact_email"] == "l***@example.cn"
    assert one["contact_name"] == "李明"
    listed = client.get("/api/v1/events", headers=cw["h"][who]).json()["items"]
    row = next(e for e in listed if e["id"] == ev)
    assert row["contact_phone"] == "138****5678" and row["contact_email"] == "l***@example.cn"
    assert "5678" in str(listed) and "1234" not in str(listed) and EMAIL not in str(listed)


def test_the_reporter_sees_their_own_contact_and_neighbours_see_none(client, cw):
    ev = cw["event"].id
    mine = client.get(f"/api/v1/events/{ev}", headers=cw["h"]["resident"]).json()
    assert mine["contact_phone"] == PHONE and mine["contact_email"] == EMAIL
    theirs = client.get(f"/api/v1/events/{ev}", headers=cw["h"]["neighbour"]).json()
    assert theirs["public"] and theirs["contact_phone"] is None and theirs["contact_email"] is None


def _reveals(session, event_id):
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "event.reveal_contact", AuditEntry.entity_id == str(event_id))
    ).all()
    return [(r.actor, json.loads(r.after)) for r in rows]


@pytest.mark.parametrize("who", ["community", "street", "county"])
def test_managers_of_the_place_reveal_the_contact_and_each_reveal_is_audited(client, session, cw, who):
    ev = cw["event"]
    r = client.post(f"/api/v1/events/{ev.id}/contact/reveal", headers=cw["h"][who])
    assert r.status_code == 200, r.text
    assert r.json() == {"event_id": ev.id, "contact_name": "李明", "contact_phone": PHONE, "contact_email": EMAIL}
    assert r.headers["cache-control"] == "no-store"
    client.post(f"/api/v1/events/{ev.id}/contact/reveal", headers=cw["h"][who])
    reveals = _reveals(session, ev.id)
    username = cw["people"][who].username
    assert len(reveals) == 2 and {actor for actor, _ in reveals} == {username}
    # Whose contact was seen: the reporter; the values themselves stay out of the log.
    assert reveals[0][1]["reporter_id"] == cw["people"]["resident"].id and reveals[0][1]["fields"] == ["phone", "email"]
    assert "5678" not in json.dumps(reveals) and EMAIL not in json.dumps(reveals)


@pytest.mark.parametrize("who", ["auditor", "gridworker", "neighbour"])
def test_readers_without_the_permission_get_403_and_nothing_is_logged(client, session, cw, who):
    r = client.post(f"/api/v1/events/{cw['event'].id}/contact/reveal", headers=cw["h"][who])
    assert r.status_code == 403, r.text
    assert "1234" not in r.text and _reveals(session, cw["event"].id) == []


def test_only_those_who_call_the_reporter_back_hold_the_permission():
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if Permission.events_reveal_contact in perms}
    assert holders == {Role.admin, Role.official, Role.community_worker, Role.department_handler}


def test_out_of_scope_reveal_reads_like_a_missing_event(client, cw):
    r = client.post(f"/api/v1/events/{cw['event'].id}/contact/reveal", headers=cw["h"]["sibling"])
    missing = client.post("/api/v1/events/99999999/contact/reveal", headers=cw["h"]["sibling"])
    assert r.status_code == missing.status_code == 404
    assert r.json()["error"]["code"] == missing.json()["error"]["code"]


def test_a_department_handler_reveals_only_for_the_unit_the_event_is_dispatched_to(client, session, cw):
    ev = cw["event"]
    url = f"/api/v1/events/{ev.id}/contact/reveal"
    street = as_principal(session, cw["people"]["street"])
    step(session, street, ev.id, "register")
    other = create_unit(session, SYSTEM, UnitIn(name="另一个单位", kind="county_department", area_code="220102"))
    add_member(session, SYSTEM, other.id, cw["people"]["other_handler"].id)
    step(session, street, ev.id, "dispatch", unit_id=cw["unit"].id)
    session.commit()
    assert client.post(url, headers=cw["h"]["other_handler"]).status_code == 403
    r = client.post(url, headers=cw["h"]["handler"])
    assert r.status_code == 200 and r.json()["contact_phone"] == PHONE


def test_the_event_page_masks_and_reveals_with_a_button(client, session, cw):
    ev = cw["event"].id
    page = client.get(f"/events/{ev}", headers=cw["h"]["community"]).text
    assert "138****5678" in page and "l***@example.cn" in page and PHONE not in page
    assert 'id="reveal-contact"' in page
    r = client.post(f"/events/{ev}/contact", headers=cw["h"]["community"])
    assert r.status_code == 200 and PHONE in r.text and EMAIL in r.text
    assert r.headers["cache-control"] == "no-store" and 'id="reveal-contact"' not in r.text
    assert len(_reveals(session, ev)) == 1
    # An auditor reads the event, masked, without the button; the reporter sees it in clear.
    page = client.get(f"/events/{ev}", headers=cw["h"]["auditor"]).text
    assert "138****5678" in page and 'id="reveal-contact"' not in page
    assert client.post(f"/events/{ev}/contact", headers=cw["h"]["auditor"]).status_code == 403
    page = client.get(f"/events/{ev}", headers=cw["h"]["resident"]).text
    assert PHONE in page and 'id="reveal-contact"' not in page


def test_others_see_the_free_text_with_contacts_masked(client, session, cw):
    p = cw["people"]
    text_ = "楼下垃圾 电话13912345678 邮箱 wang@example.com 身份证220102199001011234 座机0431-88886666"
    who = as_principal(session, p["resident"])
    event = report(session, who, cw["point"], title="垃圾 13912345678", description=text_)
    session.commit()
    theirs = client.get(f"/api/v1/events/{event.id}", headers=cw["h"]["neighbour"]).json()
    for secret in ("13912345678", "wang@example.com", "220102199001011234", "88886666"):
        assert secret not in theirs["description"] and secret not in theirs["title"]
    assert "139****5678" in theirs["description"] and "w***@example.com" in theirs["description"]
    assert "220102********1234" in theirs["description"] and "楼下垃圾" in theirs["description"]
    staff = client.get(f"/api/v1/events/{event.id}", headers=cw["h"]["community"]).json()
    assert staff["description"] == text_
    # The same on the map and among a neighbour's possible duplicates.
    shown = client.get("/api/v1/events/map", params={"area": VILLAGE_A}, headers=cw["h"]["neighbour"]).text
    assert "13912345678" not in shown and "139****5678" in shown
    lon, lat = cw["point"]
    params = {"category": "0301", "lon": lon, "lat": lat}
    shown = client.get("/api/v1/events/duplicates", params=params, headers=cw["h"]["neighbour"]).text
    assert "13912345678" not in shown and "139****5678" in shown


def test_masks():
    assert contacts.mask_phone_text("+86 138-1234-5678") == "138****5678"
    assert contacts.mask_phone_text("0431-88886666") == "0431****6666"
    assert contacts.mask_phone_text("12") == "**"
    assert contacts.mask_email("a@b.cn") == "a***@b.cn" and contacts.mask_email("nobody") == "n***"


# --- the migration that encrypted the contacts stored in clear -----------------------------------------


@pytest.fixture
def scratch_engine(backend, tmp_path):
    """An empty database of its own (the migration is run step by step on it)."""
    if backend == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield eng
        eng.dispose()
        return
    with postgres.own_database("linli_mig") as url:
        eng = make_engine(url)
        try:
            yield eng
        finally:
            eng.dispose()


def test_the_migration_encrypts_the_contacts_stored_in_clear(scratch_engine):
    from alembic import command

    from linli.db.migrate import alembic_config

    upgrade(scratch_engine, "0009")
    with scratch_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO event_categories (code, name, name_en, unit_kind, register_limit, register_unit,"
                " handle_limit, handle_unit, verify_limit, verify_unit, active, created_at, updated_at) VALUES"
                " (:code, 'x', 'x', 'utility', 1, 'hours', 1, 'hours', 1, 'hours', true, :now, :now)"
            ),
            [{"code": c, "now": "2026-11-30 00:00:00"} for c in ("03", "0301", "06", "0601")],
        )
        for i, (phone, email) in enumerate([("13812345678", "a@example.cn"), (None, "b@example.cn"), (None, None)]):
            conn.execute(
                text(
                    "INSERT INTO events (id, category_code, state, title, description, lon, lat, address, source,"
                    " contact_phone, contact_email, escalation_level, reported_at, updated_at, me_too_count,"
                    " generated, area_code) VALUES (:id, '0301', 'reported', 't', '', 125.3, 43.9, '', 'api',"
                    " :phone, :email, 0, :now, :now, 0, false, '220102001001001')"
                ),
                {"id": i + 1, "phone": phone, "email": email, "now": "2026-11-30 00:00:00"},
            )
    upgrade(scratch_engine)
    ring = crypto.keyring()
    with scratch_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, contact_phone_enc, contact_email_enc FROM events ORDER BY id")).all()
        public = dict(conn.execute(text("SELECT code, public FROM event_categories")).all())
        columns = {c["name"] for c in inspect(conn).get_columns("events")}
    assert "contact_phone" not in columns and "contact_email" not in columns
    assert ring.decrypt(rows[0][1], PHONE_CONTEXT) == "13812345678"
    assert ring.decrypt(rows[0][2], EMAIL_CONTEXT) == "a@example.cn"
    assert rows[1][1] is None and ring.decrypt(rows[1][2], EMAIL_CONTEXT) == "b@example.cn"
    assert rows[2][1:] == (None, None)
    assert {k: bool(v) for k, v in public.items()} == {"03": True, "0301": True, "06": False, "0601": False}
    # And back: the clear values return.
    with scratch_engine.connect() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0009")
        conn.commit()
        back = conn.execute(text("SELECT contact_phone, contact_email FROM events ORDER BY id")).all()
    assert [tuple(r) for r in back] == [("13812345678", "a@example.cn"), (None, "b@example.cn"), (None, None)]
