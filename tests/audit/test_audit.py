"""The audit log: what writes record, redaction, the hash chain and its tamper detection, scoped reads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from linli.audit.models import AuditEntry
from linli.audit.service import REDACTED, entry_hash, record, verify_chain
from linli.authn.models import User
from tests.factories import SYSTEM, auth, make_user, principal, token_for


@pytest.fixture
def admin_a(areas):
    user = make_user(areas, "admin_a", "admin", "220102")
    areas.commit()
    return user


@pytest.fixture
def admin_token(areas, admin_a):
    secret = token_for(areas, admin_a)
    areas.commit()
    return secret


def entries(session, **where) -> list[AuditEntry]:
    session.expire_all()
    q = select(AuditEntry).order_by(AuditEntry.seq)
    for key, value in where.items():
        q = q.where(getattr(AuditEntry, key) == value)
    return list(session.scalars(q))


def last_seq(session) -> int:
    return session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))


def raw_log(session) -> str:
    """Everything stored in the audit log, as one string."""
    session.expire_all()
    rows = session.execute(text("SELECT * FROM audit_log")).all()
    return "\n".join(json.dumps([str(v) for v in row], ensure_ascii=False) for row in rows)


def drop_append_only_triggers(session) -> None:
    """What an attacker with direct database access would do first (rolled back with the test)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


@pytest.fixture
def log(areas, admin_a):
    """A log of a handful of entries (areas import, users, grants)."""
    for i in range(3):
        make_user(areas, f"worker{i}", "grid_worker", "220102001")
    areas.commit()
    n = last_seq(areas)
    assert n >= 8
    return n


# --- what the API writes record ---------------------------------------------------------------


def test_creating_a_user_through_the_api_is_recorded(client, areas, admin_a, admin_token):
    r = client.post(
        "/api/v1/users",
        json={"username": "carol", "display_name": "Carol", "area_code": "220102001", "password": "Carol-passw0rd"},
        headers=auth(admin_token),
    )
    assert r.status_code == 201, r.text
    user_id = r.json()["id"]
    [e] = entries(areas, action="user.create", entity_id=str(user_id))
    assert e.actor == "admin_a" and e.actor_id == admin_a.id
    assert e.entity_type == "user"
    assert e.area_code == "220102001000000"
    assert e.before is None
    after = json.loads(e.after)
    assert after["username"] == "carol" and after["display_name"] == "Carol" and after["is_active"] is True
    assert "Carol-passw0rd" not in raw_log(areas)
    assert e.at is not None and e.hash == entry_hash(e)


def test_grant_update_reset_and_revoke_are_recorded_with_before_and_after(client, areas, admin_a, admin_token):
    carol = make_user(areas, "carol", None, "220102001")
    areas.commit()
    h = auth(admin_token)
    r = client.post(
        f"/api/v1/users/{carol.id}/grants", json={"role": "grid_worker", "area_code": "220102001"}, headers=h
    )
    assert r.status_code == 201, r.text
    grant_id = r.json()["id"]
    [g] = entries(areas, action="grant.create", entity_id=str(grant_id))
    assert g.actor == "admin_a" and g.entity_type == "grant" and g.area_code == "220102001000000"
    assert json.loads(g.after) == {"user": "carol", "role": "grid_worker", "area_code": "220102001"}

    r = client.patch(f"/api/v1/users/{carol.id}", json={"display_name": "Carol Z."}, headers=h)
    assert r.status_code == 200
    [u] = entries(areas, action="user.update", entity_id=str(carol.id))
    assert json.loads(u.before)["display_name"] == "Carol"
    assert json.loads(u.after)["display_name"] == "Carol Z."
    assert u.actor == "admin_a" and u.area_code == "220102001000000"

    r = client.post(f"/api/v1/users/{carol.id}/password", headers=h)
    assert r.status_code == 200
    generated = r.json()["password"]
    [p] = entries(areas, action="user.reset_password", entity_id=str(carol.id))
    # The reset ends the account's sessions and revokes its API tokens; the entry says how many.
    assert json.loads(p.after) == {"password": REDACTED, "sessions_ended": 0, "tokens_revoked": 0}
    assert generated not in raw_log(areas)

    r = client.delete(f"/api/v1/grants/{grant_id}", headers=h)
    assert r.status_code == 204
    [rv] = entries(areas, action="grant.revoke", entity_id=str(grant_id))
    assert json.loads(rv.before) == {"user_id": carol.id, "role": "grid_worker", "area_code": "220102001"}
    assert rv.after is None
    # Entries are numbered without gaps, each linked to the one before.
    seqs = [e.seq for e in entries(areas)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_refused_write_records_nothing(client, areas, admin_a, admin_token):
    before = last_seq(areas)
    r = client.post(
        "/api/v1/users",
        json={"username": "eve", "area_code": "220103", "password": "Eve-passw0rd-1"},
        headers=auth(admin_token),
    )
    assert r.status_code == 404  # 220103 is outside admin_a's scope
    areas.expire_all()
    assert last_seq(areas) == before


def test_creating_a_token_records_no_secret(client, areas, admin_a, admin_token):
    r = client.post("/api/v1/tokens", json={"name": "ci"}, headers=auth(admin_token))
    assert r.status_code == 201
    secret = r.json()["token"]
    [e] = entries(areas, action="token.create", entity_id=str(r.json()["id"]))
    assert e.actor == "admin_a" and json.loads(e.after)["name"] == "ci"
    log_text = raw_log(areas)
    assert secret not in log_text and admin_token not in log_text


def newest_entry(session):
    return session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()


# --- redaction --------------------------------------------------------------------------------


def test_personal_data_keys_are_redacted(areas, admin_a):
    actor = principal(admin_a, ("admin", "220102"))
    secrets_ = {
        "password": "Hunter2-password",
        "phone": "13800138000",
        "id_number": "220102199001011234",
        "token": "lnl_abcdefghijklmnop",
        "mobile": "13912345678",
    }
    record(
        areas,
        actor,
        "resident.update",
        "resident",
        7,
        "220102001001",
        before={**secrets_, "name": "张三", "nested": {"phone": "13700000000", "note": "kept"}},
        after={"phone": None, "name": "张三丰", "api_secret": "s3cr3t-value"},
    )
    areas.commit()
    stored = newest_entry(areas)
    before, after = json.loads(stored.before), json.loads(stored.after)
    for key in secrets_:
        assert before[key] == REDACTED
    assert before["name"] == "张三" and after["name"] == "张三丰"
    assert before["nested"] == {"phone": REDACTED, "note": "kept"}
    assert after["phone"] is None  # "no value" stays visible as such
    assert after["api_secret"] == REDACTED
    log_text = raw_log(areas)
    for value in [*secrets_.values(), "13700000000", "s3cr3t-value"]:
        assert value not in log_text
    assert verify_chain(areas).problems == []


def test_personal_data_inside_lists_is_redacted(areas, admin_a):
    record(
        areas,
        SYSTEM,
        "household.update",
        "household",
        1,
        "220102001001",
        after={"members": [{"name": "张三", "phone": "13800138000", "id_number": "220102199001011234"}]},
    )
    areas.commit()
    stored = newest_entry(areas)
    assert "13800138000" not in stored.after
    assert "220102199001011234" not in stored.after


def test_variants_of_personal_data_keys_are_redacted(areas, admin_a):
    record(
        areas,
        SYSTEM,
        "resident.update",
        "resident",
        1,
        "220102001001",
        after={"phone_number": "13800138000", "new_password": "N3w-secret-pass", "contact_phone": "13900000000"},
    )
    areas.commit()
    stored = newest_entry(areas).after
    for value in ("13800138000", "N3w-secret-pass", "13900000000"):
        assert value not in stored


# --- the hash chain ---------------------------------------------------------------------------


def test_intact_log_verifies(areas, log):
    result = verify_chain(areas)
    count, problems = result.count, result.problems
    assert count == log
    assert problems == []


def test_edited_entry_is_named(areas, log):
    target = log - 3
    drop_append_only_triggers(areas)
    areas.execute(text("UPDATE audit_log SET after = :a WHERE seq = :s"), {"a": '{"username": "mallory"}', "s": target})
    areas.expire_all()
    result = verify_chain(areas)
    count, problems = result.count, result.problems
    assert count == log
    assert [(p.seq, p.kind) for p in problems] == [(target, "edited")]
    assert f"entry {target}" in problems[0].message


@pytest.mark.parametrize("column", ["actor", "area_code", "action"])
def test_edited_actor_area_or_action_is_detected(areas, log, column):
    target = 3
    drop_append_only_triggers(areas)
    areas.execute(text(f"UPDATE audit_log SET {column} = :v WHERE seq = :s"), {"v": "22010300", "s": target})
    areas.expire_all()
    result = verify_chain(areas)
    _, problems = result.count, result.problems
    assert [(p.seq, p.kind) for p in problems] == [(target, "edited")]


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(areas, log):
    target = log - 2
    drop_append_only_triggers(areas)
    e = entries(areas, seq=target)[0]
    areas.expunge(e)
    e.after = '{"username": "mallory"}'
    forged = entry_hash(e)
    areas.execute(
        text("UPDATE audit_log SET after = :a, hash = :h WHERE seq = :s"),
        {"a": '{"username": "mallory"}', "h": forged, "s": target},
    )
    areas.expire_all()
    result = verify_chain(areas)
    _, problems = result.count, result.problems
    assert problems, "a forged entry with a recomputed hash went unnoticed"
    assert problems[0].seq == target + 1 and problems[0].kind == "edited"
    assert f"entry {target}" in problems[0].message


def test_deleted_entry_in_the_middle_is_named(areas, log):
    target = log // 2
    drop_append_only_triggers(areas)
    areas.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": target})
    areas.expire_all()
    result = verify_chain(areas)
    count, problems = result.count, result.problems
    assert count == log - 1
    deleted = [p for p in problems if p.kind == "deleted"]
    assert [p.seq for p in deleted] == [target]
    assert f"entry {target} missing" in deleted[0].message
    assert all(p.seq in (target, target + 1) for p in problems)


def test_several_deleted_entries_are_named_as_a_range(areas, log):
    drop_append_only_triggers(areas)
    areas.execute(text("DELETE FROM audit_log WHERE seq IN (3, 4, 5)"))
    areas.expire_all()
    result = verify_chain(areas)
    _, problems = result.count, result.problems
    deleted = [p for p in problems if p.kind == "deleted"]
    assert [p.seq for p in deleted] == [3]
    assert "3" in deleted[0].message and "5" in deleted[0].message


def test_deleted_first_entry_is_named(areas, log):
    drop_append_only_triggers(areas)
    areas.execute(text("DELETE FROM audit_log WHERE seq = 1"))
    areas.expire_all()
    result = verify_chain(areas)
    _, problems = result.count, result.problems
    assert [(p.seq, p.kind) for p in problems if p.kind == "deleted"] == [(1, "deleted")]


def test_deleted_last_entries_are_noticed_from_the_head(areas, log):
    drop_append_only_triggers(areas)
    areas.execute(text("DELETE FROM audit_log WHERE seq > :s"), {"s": log - 2})
    areas.expire_all()
    result = verify_chain(areas)
    count, problems = result.count, result.problems
    assert count == log - 2
    assert [(p.seq, p.kind) for p in problems] == [(log - 1, "deleted")]
    assert str(log - 1) in problems[0].message and str(log) in problems[0].message


def test_deleting_the_whole_log_is_noticed(areas, log):
    drop_append_only_triggers(areas)
    areas.execute(text("DELETE FROM audit_log"))
    areas.expire_all()
    result = verify_chain(areas)
    count, problems = result.count, result.problems
    assert count == 0
    assert [(p.seq, p.kind) for p in problems] == [(1, "deleted")]


def test_edited_last_entry_is_named(areas, log):
    drop_append_only_triggers(areas)
    areas.execute(text("UPDATE audit_log SET actor = 'someone_else' WHERE seq = :s"), {"s": log})
    areas.expire_all()
    result = verify_chain(areas)
    _, problems = result.count, result.problems
    assert problems and {p.seq for p in problems} == {log}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET after = NULL",
    ],
)
def test_database_refuses_changes_to_the_log(areas, log, statement):
    with pytest.raises(DBAPIError, match="append-only"), areas.begin_nested():
        areas.execute(text(statement))
    areas.expire_all()
    assert (verify_chain(areas).count, verify_chain(areas).problems) == (log, [])


def test_database_refuses_orm_deletes_of_entries(areas, log):
    entry = entries(areas, seq=2)[0]
    with pytest.raises(DBAPIError, match="append-only"), areas.begin_nested():
        areas.delete(entry)
        areas.flush()
    areas.expire_all()
    assert (verify_chain(areas).count, verify_chain(areas).problems) == (log, [])


# --- reading the log: GET /api/v1/audit -------------------------------------------------------


@pytest.fixture
def two_districts(client, areas, admin_a, admin_token):
    """Writes in 南关区 220102 (by admin_a) and in its sibling 宽城区 220103 (by admin_b)."""
    admin_b = make_user(areas, "admin_b", "admin", "220103")
    token_b = token_for(areas, admin_b)
    areas.commit()
    r = client.post("/api/v1/users", json={"username": "in_a", "area_code": "220102001"}, headers=auth(admin_token))
    assert r.status_code == 201, r.text
    r = client.post("/api/v1/users", json={"username": "in_b", "area_code": "220103"}, headers=auth(token_b))
    assert r.status_code == 201, r.text
    return areas


def audit_as(client, session, username: str, role: str, area: str, **params):
    user = make_user(session, username, role, area)
    secret = token_for(session, user)
    session.commit()
    return client.get("/api/v1/audit", params={"size": 500, **params}, headers=auth(secret))


def in_subtree(code: str, root: str) -> bool:
    return code.startswith(root)


def test_auditor_sees_own_district_only(client, two_districts):
    r = audit_as(client, two_districts, "auditor_a", "auditor", "220102")
    assert r.status_code == 200, r.text
    body = r.json()
    items = body["items"]
    assert body["total"] == len(items) > 0
    assert all(in_subtree(e["area_code"], "220102") for e in items)
    created = [e for e in items if e["action"] == "user.create" and e["after"]["username"] == "in_a"]
    assert len(created) == 1 and created[0]["actor"] == "admin_a" and created[0]["area_code"] == "220102001"
    assert not any(e["after"] and e["after"].get("username") == "in_b" for e in items)
    assert [e["seq"] for e in items] == sorted((e["seq"] for e in items), reverse=True)


def test_auditor_of_the_sibling_district_does_not_see_it(client, two_districts):
    r = audit_as(client, two_districts, "auditor_b", "auditor", "220103")
    assert r.status_code == 200
    items = r.json()["items"]
    assert items and all(in_subtree(e["area_code"], "220103") for e in items)
    assert any(e["action"] == "user.create" and e["after"]["username"] == "in_b" for e in items)
    assert not any(e["area_code"].startswith("220102") for e in items)
    # Filters do not reach past the scope.
    in_a_id = two_districts.scalar(select(User.id).where(User.username == "in_a"))
    r = audit_as(client, two_districts, "auditor_b2", "auditor", "220103", entity_type="user", entity_id=in_a_id)
    assert r.json()["items"] == [] and r.json()["total"] == 0


def test_auditor_of_the_city_sees_both_districts(client, two_districts):
    r = audit_as(client, two_districts, "auditor_city", "auditor", "2201")
    assert r.status_code == 200
    users = {e["after"]["username"] for e in r.json()["items"] if e["action"] == "user.create"}
    assert {"in_a", "in_b"} <= users
    # The province-wide areas import (area 22) is above the city: not in its reach.
    assert not any(e["action"] == "areas.import" for e in r.json()["items"])


def test_audit_filters_by_entity(client, two_districts):
    in_a_id = two_districts.scalar(select(User.id).where(User.username == "in_a"))
    r = audit_as(client, two_districts, "auditor_f", "auditor", "220102", entity_type="user", entity_id=in_a_id)
    items = r.json()["items"]
    assert [e["action"] for e in items] == ["user.create"]
    assert items[0]["entity_id"] == str(in_a_id)


@pytest.mark.parametrize("role", ["grid_worker", "official", "community_worker"])
def test_roles_without_audit_read_get_403(client, two_districts, role):
    r = audit_as(client, two_districts, f"no_audit_{role}", role, "220102")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_audit_requires_sign_in(client, areas):
    r = client.get("/api/v1/audit")
    assert r.status_code == 401


def test_anchors_noted_outside_catch_a_rewritten_chain(areas):
    admin = make_user(areas, "anchor_admin", "admin", "220102")
    head = verify_chain(areas)
    assert head.problems == [] and head.head_seq >= 2
    noted = {head.head_seq: head.head_hash}
    assert verify_chain(areas, noted).problems == []
    # Someone with database access rewrites the newest entry and recomputes its hash and the head.
    drop_append_only_triggers(areas)
    entry = areas.get(AuditEntry, head.head_seq)
    entry.after = '{"rewritten": true}'
    entry.hash = entry_hash(entry)
    areas.flush()
    areas.execute(text("UPDATE meta SET value = :v WHERE key = 'audit_head'"), {"v": f"{entry.seq}:{entry.hash}"})
    assert verify_chain(areas).problems == []  # the chain alone cannot tell
    problems = verify_chain(areas, noted).problems
    assert [(p.seq, p.kind) for p in problems] == [(head.head_seq, "edited")]
    assert admin is not None


def test_entries_of_a_rolled_back_savepoint_or_transaction_are_not_written(areas, admin_a):
    before = verify_chain(areas).count
    record(areas, SYSTEM, "kept", "thing", 1, "220102")
    savepoint = areas.begin_nested()
    record(areas, SYSTEM, "dropped.savepoint", "thing", 2, "220102")
    savepoint.rollback()
    areas.commit()
    record(areas, SYSTEM, "dropped.rollback", "thing", 3, "220102")
    areas.rollback()
    result = verify_chain(areas)
    assert result.problems == [] and result.count == before + 1
    assert newest_entry(areas).action == "kept"


def test_the_audit_page_shows_changes_as_people_read_them(client, areas, admin_a, admin_token):
    """Chinese as Chinese (not \\u escapes), times labelled as the Beijing times they are."""
    r = client.post(
        "/api/v1/users",
        json={"username": "wang_wu", "display_name": "王五", "area_code": "220102001"},
        headers=auth(admin_token),
    )
    assert r.status_code == 201, r.text
    page = client.get("/audit", headers=auth(admin_token) | {"Cookie": "linli_lang=en"}).text
    assert "When (Beijing time)" in page and "UTC" not in page
    assert "王五" in page and "\\u738b" not in page
    # The action and kind in words (the codes in tooltips), the area by name, each field as field → value.
    assert '<span title="user.create">Account created</span>' in page and 'title="user">account' in page
    assert 'title="220102001">' in page and "<dt>display_name</dt>" in page and "<ins>王五</ins>" in page
    zh = client.get("/audit", headers=auth(admin_token) | {"Cookie": "linli_lang=zh-CN"}).text
    assert '<span title="user.create">新建账号</span>' in zh


def test_a_refusal_says_in_words_what_the_reader_may_not_do(client, areas):
    """Not "您没有权限 audit.read": what the permission lets one do, then its code for the administrator."""
    resident = make_user(areas, "curious", "resident", "220102001001")
    secret = token_for(areas, resident)
    areas.commit()
    page = client.get("/audit", headers=auth(secret))
    assert page.status_code == 403 and "您没有查看审计日志的权限（audit.read）" in page.text
    r = client.get("/api/v1/audit", headers=auth(secret) | {"Accept-Language": "en"})
    assert r.status_code == 403
    assert r.json()["error"]["message"] in (
        "you may not read the audit log (permission audit.read)",
        "您没有查看审计日志的权限（audit.read）",
    )
