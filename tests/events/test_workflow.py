"""The event workflow through the API: every step, who may take it, deadlines, timeline, audit, outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.events.models import Event, EventLog
from linli.notify.models import OutboxMessage
from tests.factories import auth, token_for
from tests.factories_events import events_world


@pytest.fixture
def ew(session):
    w = events_world(session)
    w["tokens"] = {k: token_for(session, u) for k, u in w["people"].items()}
    session.commit()
    return w


def _h(ew, who):
    return auth(ew["tokens"][who])


def _report(client, ew, who="resident", **kw):
    lon, lat = kw.pop("point", ew["point"])
    body = {"category_code": "0301", "title": "垃圾堆积", "lon": lon, "lat": lat, **kw}
    return client.post("/api/v1/events", json=body, headers=_h(ew, who))


def _do(client, ew, who, event_id, action, **fields):
    return client.post(f"/api/v1/events/{event_id}/transitions", json={"action": action, **fields}, headers=_h(ew, who))


def test_full_cycle_with_deadlines_timeline_audit_and_outbox(client, session, ew):
    r = _report(client, ew)
    assert r.status_code == 201, r.text
    ev = r.json()["event"]
    assert ev["state"] == "reported" and ev["area_code"] == "220102001001001"
    assert ev["deadline"]["stage"] == "register" and ev["deadline"]["overdue"] is False
    eid = ev["id"]
    unit = ew["unit"].id
    assert _do(client, ew, "street", eid, "register").json()["state"] == "registered"
    r = _do(client, ew, "street", eid, "dispatch", unit_id=unit)
    assert r.status_code == 200 and r.json()["unit_id"] == unit and r.json()["deadline"]["stage"] == "handle"
    assert _do(client, ew, "handler", eid, "accept").json()["state"] == "accepted"
    assert _do(client, ew, "handler", eid, "handle", report="已清运").json()["state"] == "handled"
    r = _do(client, ew, "gridworker", eid, "verify", passed=False, note="仍有残留")
    assert r.json()["state"] == "accepted"
    _do(client, ew, "handler", eid, "handle", report="已彻底清理")
    assert _do(client, ew, "gridworker", eid, "verify", passed=True).json()["state"] == "verified"
    assert _do(client, ew, "community", eid, "close").json()["state"] == "closed"
    r = _do(client, ew, "resident", eid, "evaluate", satisfaction=2, comment="太慢")
    assert r.json()["state"] == "evaluated"
    r = _do(client, ew, "resident", eid, "reopen", reason="又堆上了")
    assert r.status_code == 200 and r.json()["state"] == "dispatched"

    detail = client.get(f"/api/v1/events/{eid}", headers=_h(ew, "street")).json()
    actions = [t["action"] for t in detail["timeline"]]
    assert actions == [
        "report", "register", "dispatch", "accept", "handle", "verify", "handle", "verify", "close", "evaluate",
        "reopen",
    ]  # fmt: skip
    assert detail["timeline"][5]["note"] == "仍有残留"
    n_audit = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity_type == "event"))
    assert n_audit == len(actions)
    # The handler heard of the dispatch; the grid worker of the handling; the reporter of state changes.
    keys = set(session.scalars(select(OutboxMessage.key)))
    handler, gw, res = (ew["people"][k].id for k in ("handler", "gridworker", "resident"))
    assert any(k.endswith(f"user:{handler}") for k in keys)
    assert any(k.endswith(f"user:{gw}") for k in keys)
    assert sum(k.endswith(f"user:{res}") for k in keys) >= 8


def test_invalid_transition_is_409_with_allowed_steps_and_changes_nothing(client, session, ew):
    eid = _report(client, ew).json()["event"]["id"]
    r = _do(client, ew, "street", eid, "close")
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "invalid_transition"
    assert err["details"]["allowed"] == ["register", "reject", "cancel", "merge"]
    assert "allowed next steps: register, reject, cancel, merge" in err["message"]
    r = _do(client, ew, "street", eid, "dispatch")  # skipping registration
    assert r.status_code == 409
    r = _do(client, ew, "street", eid, "reject")  # reason missing
    assert r.status_code == 422 and "reason" in r.json()["error"]["message"]
    r = _do(client, ew, "street", eid, "fly")
    assert r.status_code == 422
    session.expire_all()
    assert session.get(Event, eid).state == "reported"
    assert session.scalar(select(func.count()).select_from(EventLog).where(EventLog.event_id == eid)) == 1


def test_who_may_take_a_step(client, session, ew):
    eid = _report(client, ew).json()["event"]["id"]
    # A resident may not register; the sibling county's official does not even see the event.
    assert _do(client, ew, "resident", eid, "register").status_code == 403
    assert _do(client, ew, "neighbour", eid, "cancel", reason="x").status_code == 403
    r = _do(client, ew, "sibling", eid, "register")
    assert r.status_code == 404 and "does not exist" in r.json()["error"]["message"]
    # The city official above may (ancestor area).
    assert _do(client, ew, "city", eid, "register").status_code == 200
    assert _do(client, ew, "street", eid, "dispatch", unit_id=ew["unit"].id).status_code == 200
    # A handler of another unit may not accept; a grid worker may not handle.
    assert _do(client, ew, "other_handler", eid, "accept").status_code == 403
    assert _do(client, ew, "gridworker", eid, "accept").status_code == 403
    r = _do(client, ew, "handler", eid, "return", reason="不归我们管")
    assert r.json()["state"] == "returned"
    # Only the reporter evaluates.
    session.expire_all()
    assert session.get(Event, eid).state == "returned"


def test_reporter_may_cancel_own_report(client, ew):
    eid = _report(client, ew).json()["event"]["id"]
    r = _do(client, ew, "resident", eid, "cancel", reason="已自行解决")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert _do(client, ew, "resident", eid, "register").status_code == 409


def test_bad_reports_change_nothing(client, session, ew):
    before = session.scalar(select(func.count()).select_from(Event))
    r = _report(client, ew, category_code="9999")
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_category"
    r = _report(client, ew, category_code="03")
    assert r.status_code == 422 and "sub-categor" in r.json()["error"]["message"]
    r = _report(client, ew, point=(0.0, 0.0))
    assert r.status_code == 422 and r.json()["error"]["code"] == "outside_service_area"
    # A point in the sibling county reads exactly like a point nowhere.
    r2 = _report(client, ew, point=ew["sibling_point"])
    assert r2.status_code == 422 and r2.json()["error"]["code"] == "outside_service_area"
    r = _report(client, ew, lon=None, lat=None)
    assert r.status_code == 422 and r.json()["error"]["code"] == "no_location"
    assert session.scalar(select(func.count()).select_from(Event)) == before


def test_idempotency_key_returns_the_same_event(client, session, ew):
    h = {**_h(ew, "resident"), "Idempotency-Key": "abc-123"}
    lon, lat = ew["point"]
    body = {"category_code": "0301", "title": "垃圾", "lon": lon, "lat": lat}
    r1 = client.post("/api/v1/events", json=body, headers=h)
    r2 = client.post("/api/v1/events", json=body, headers=h)
    assert r1.status_code == 201 and r2.status_code == 200
    assert r1.json()["event"]["id"] == r2.json()["event"]["id"] and r2.json()["created"] is False
    assert session.scalar(select(func.count()).select_from(Event)) == 1
    # The same key from someone else is their own key.
    r3 = client.post("/api/v1/events", json=body, headers={**_h(ew, "neighbour"), "Idempotency-Key": "abc-123"})
    assert r3.status_code == 201 and r3.json()["event"]["id"] != r1.json()["event"]["id"]


def test_residents_see_the_public_part_of_others_events(client, ew):
    eid = _report(client, ew, contact_phone="13800000000").json()["event"]["id"]
    mine = client.get(f"/api/v1/events/{eid}", headers=_h(ew, "resident")).json()
    assert mine["public"] is False and mine["contact_phone"] == "13800000000"
    other = client.get(f"/api/v1/events/{eid}", headers=_h(ew, "neighbour")).json()
    assert other["public"] is True
    assert other["reporter_id"] is None and other["contact_phone"] is None
    assert all(t["actor"] is None and t["note"] is None for t in other["timeline"])
    staff = client.get(f"/api/v1/events/{eid}", headers=_h(ew, "gridworker")).json()
    assert staff["public"] is False and staff["reporter_id"] == ew["people"]["resident"].id
    listed = client.get("/api/v1/events", headers=_h(ew, "neighbour")).json()["items"]
    assert [e["id"] for e in listed] == [eid] and listed[0]["contact_phone"] is None
    assert client.get("/api/v1/events?mine=true", headers=_h(ew, "neighbour")).json()["total"] == 0


def test_duplicates_me_too_and_merge(client, session, ew):
    first = _report(client, ew).json()["event"]["id"]
    lon, lat = ew["point"]
    r = _report(client, ew, who="neighbour", point=(lon + 0.0005, lat))  # about 40 m east
    dup = r.json()
    assert [d["id"] for d in dup["possible_duplicates"]] == [first]
    assert 30 < dup["possible_duplicates"][0]["distance_m"] < 50
    far = _report(client, ew, who="neighbour", point=(lon - 0.0009, lat - 0.0009)).json()  # ~120 m: still offered
    assert first in [d["id"] for d in far["possible_duplicates"]]
    other_cat = _report(client, ew, who="neighbour", category_code="0302").json()
    assert other_cat["possible_duplicates"] == []
    q = client.get(
        "/api/v1/events/duplicates", params={"category": "0301", "lon": lon, "lat": lat}, headers=_h(ew, "resident")
    )
    assert first in [d["id"] for d in q.json()]
    # Me too, once.
    assert client.post(f"/api/v1/events/{first}/me-too", headers=_h(ew, "neighbour")).json()["me_too_count"] == 1
    assert client.post(f"/api/v1/events/{first}/me-too", headers=_h(ew, "neighbour")).status_code == 409
    assert client.post(f"/api/v1/events/{first}/me-too", headers=_h(ew, "resident")).status_code == 409
    # Staff merge the duplicate into the first.
    second = dup["event"]["id"]
    r = _do(client, ew, "street", second, "merge", into_id=first)
    assert r.status_code == 200 and r.json()["state"] == "merged" and r.json()["merged_into_id"] == first
    session.expire_all()
    assert session.get(Event, first).me_too_count == 2
    assert _do(client, ew, "street", first, "merge", into_id=first).status_code == 422


def test_lists_stats_queue_and_map_in_and_across_areas(client, ew):
    eid = _report(client, ew).json()["event"]["id"]
    _report(client, ew, category_code="0302")
    _do(client, ew, "street", eid, "register")
    _do(client, ew, "street", eid, "dispatch", unit_id=ew["unit"].id)
    r = client.get("/api/v1/events", params={"state": "dispatched", "area": "220102"}, headers=_h(ew, "county"))
    assert [e["id"] for e in r.json()["items"]] == [eid]
    assert client.get("/api/v1/events", params={"category": "03"}, headers=_h(ew, "county")).json()["total"] == 2
    assert client.get("/api/v1/events", params={"overdue": True}, headers=_h(ew, "county")).json()["total"] == 0
    assert client.get("/api/v1/events", params={"state": "nope"}, headers=_h(ew, "county")).status_code == 422
    stats = client.get("/api/v1/events/stats", params={"area": "2201"}, headers=_h(ew, "city")).json()
    assert stats["area"]["total"] == 2 and stats["area"]["by_state"] == {"dispatched": 1, "reported": 1}
    assert [c["code"] for c in stats["children"]] == ["220102"]
    town = client.get("/api/v1/events/stats", params={"area": "220102001"}, headers=_h(ew, "street")).json()
    assert town["children"][0]["code"] == "220102001001" and town["children"][0]["open"] == 2
    assert client.get("/api/v1/events/stats", params={"area": "220102"}, headers=_h(ew, "sibling")).status_code == 404
    sib = client.get("/api/v1/events", headers=_h(ew, "sibling")).json()
    assert sib["total"] == 0
    queue = client.get(f"/api/v1/handling-units/{ew['unit'].id}/queue", headers=_h(ew, "handler")).json()
    assert [e["id"] for e in queue["items"]] == [eid]
    # A resident of the village does not see a county unit at all.
    assert client.get(f"/api/v1/handling-units/{ew['unit'].id}/queue", headers=_h(ew, "resident")).status_code == 404
    geo = client.get("/api/v1/events/map", params={"area": "220102001001"}, headers=_h(ew, "community")).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2


def test_routing_most_specific_area_wins_and_default_is_the_dispatch_desk(client, session, ew):
    eid = _report(client, ew).json()["event"]["id"]
    session.expire_all()
    desk = session.get(Event, eid).unit_id
    from linli.events.models import HandlingUnit

    assert session.get(HandlingUnit, desk).kind == "dispatch_desk"
    h = _h(ew, "county")
    town_unit = client.post(
        "/api/v1/handling-units",
        json={"name": "街道城管", "kind": "street_department", "area_code": "220102001"},
        headers=h,
    ).json()["id"]
    r = client.post(
        "/api/v1/routing-rules",
        json={"category_code": "03", "area_code": "220102", "unit_id": ew["unit"].id},
        headers=h,
    )
    assert r.status_code == 201
    assert _report(client, ew).json()["event"]["unit_id"] == ew["unit"].id
    client.post(
        "/api/v1/routing-rules",
        json={"category_code": "0301", "area_code": "220102001", "unit_id": town_unit},
        headers=h,
    )
    assert _report(client, ew).json()["event"]["unit_id"] == town_unit
    assert _report(client, ew, category_code="0302").json()["event"]["unit_id"] == ew["unit"].id
    # The sibling county's official cannot route in this county.
    r = client.post(
        "/api/v1/routing-rules",
        json={"category_code": "0302", "area_code": "220102", "unit_id": ew["unit"].id},
        headers=_h(ew, "sibling"),
    )
    assert r.status_code == 404


def test_category_limits_per_area(client, ew):
    body = {
        "area_code": "220102001",
        "register_limit": 1,
        "register_unit": "days",
        "handle_limit": 2,
        "handle_unit": "days",
        "verify_limit": 1,
        "verify_unit": "days",
    }
    assert client.put("/api/v1/event-categories/0301/limits", json=body, headers=_h(ew, "community")).status_code == 403
    assert client.put("/api/v1/event-categories/0301/limits", json=body, headers=_h(ew, "sibling")).status_code == 404
    assert client.put("/api/v1/event-categories/0301/limits", json=body, headers=_h(ew, "street")).status_code == 200
    cats = client.get("/api/v1/event-categories", params={"area": "220102001001"}, headers=_h(ew, "street")).json()
    c = next(c for c in cats if c["code"] == "0301")
    assert (c["register_limit"], c["register_unit"]) == (1, "days")
    ev = _report(client, ew).json()["event"]
    assert ev["deadline"]["due"].endswith(("09:30:00Z", "09:30:00+00:00"))  # 17:30 in Beijing
