"""Warnings: issuing, updating, lifting; CAP 1.2 import and export; feeds; bad input; scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import etree
from sqlalchemy import select

from linli.alerts import cap, repository, service
from linli.alerts.kinds import now_cst
from linli.alerts.schemas import AreaIn, LiftIn, UpdateIn, WarningIn
from linli.areas.models import Area
from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.time import BEIJING
from tests.factories import SYSTEM, auth, make_user, token_for
from tests.factories_alerts import ALERT_ID, NONGAN, SIBLING, cap_file, issuer, load_alert_world

CST = BEIJING
CAP_FIELDS = (
    "identifier", "sender", "sent", "status", "msg_type", "scope", "references", "language", "event", "event_type",
    "colour", "severity", "urgency", "certainty", "effective", "onset", "expires", "sender_name", "headline",
    "description", "instruction", "agency_code",
)  # fmt: skip


def _import(session, name, who=SYSTEM):
    return service.receive(session, who, cap.parse(cap_file(name)), source="imported")


def _fields(m):
    return {f: getattr(m, f) for f in CAP_FIELDS}


def test_lightning_yellow_issued_updated_to_orange_and_lifted(session, warning_areas):
    alert, created = _import(session, "lightning-yellow-alert.xml")
    assert created and alert.colour == "yellow" and alert.severity == "Moderate" and alert.event_type == "lightning"
    assert alert.sender_name == "农安县气象台" and alert.identifier == ALERT_ID and alert.thread == ALERT_ID
    assert repository.coverage_of(session, [alert.id])[alert.id] == [NONGAN]
    upd, _ = _import(session, "lightning-orange-update.xml")
    assert upd.colour == "orange" and upd.thread == ALERT_ID and upd.previous_id == alert.id
    cancel, _ = _import(session, "lightning-cancel.xml")
    session.refresh(alert)
    session.refresh(upd)
    assert (alert.is_current, upd.is_current, cancel.is_current, cancel.lifted) == (False, False, True, True)
    assert [m.msg_type for m in repository.chain(session, alert)] == ["Alert", "Update", "Cancel"]
    actions = [e.action for e in session.query(AuditEntry).filter(AuditEntry.entity_type == "warning")]
    assert actions == ["warning.alert", "warning.update", "warning.cancel"]


def test_issue_generates_the_national_identifier_and_raise_lower_lift(session, warning_areas):
    who = issuer(session)
    sent = now_cst().replace(second=0) - timedelta(minutes=5)
    data = WarningIn(
        sender_name="农安县气象台",
        agency_code="QX",
        event_type="lightning",
        colour="yellow",
        description="6小时内可能发生雷电活动。",
        instruction="注意防雷。",
        sent=sent,
        expires=sent + timedelta(hours=6),
        areas=[AreaIn(area_desc="农安县", area_codes=[NONGAN])],
    )
    m = service.issue(session, who, data)
    assert m.identifier == f"220122QX{sent:%Y%m%d%H%M%S}01"
    assert m.headline == "农安县气象台发布雷电黄色预警信号"
    again = service.issue(session, who, data)
    assert again.identifier == f"220122QX{sent:%Y%m%d%H%M%S}02"
    up = service.update(session, who, m.identifier, UpdateIn(colour="orange"))
    assert up.msg_type == "Update" and up.colour == "orange" and up.severity == "Severe"
    assert "升级为雷电橙色" in up.headline and up.references.split(",")[1] == m.identifier
    down = service.update(session, who, up.identifier, UpdateIn(colour="blue"))
    assert "降级为" in down.headline and down.severity == "Minor" and down.instruction == "注意防雷。"
    lifted = service.lift(session, who, m.identifier, LiftIn())
    assert lifted.msg_type == "Cancel" and lifted.lifted and "解除" in lifted.headline
    with pytest.raises(Conflict):
        service.update(session, who, m.identifier, UpdateIn(colour="red"))


def test_export_validates_against_the_xsd_and_round_trip_is_lossless(session, warning_areas):
    ids = []
    for name in ("lightning-yellow-alert.xml", "lightning-orange-update.xml", "lightning-cancel.xml"):
        ids.append(_import(session, name)[0].identifier)
    exported = {}
    for ident in ids:
        m = repository.by_identifier(session, ident)
        xml = cap.to_cap_xml(session, m)
        assert cap.schema().validate(etree.fromstring(xml)), cap.schema().error_log
        exported[ident] = (xml, _fields(m), repository.areas_of(session, m))
    session.rollback()  # a fresh database: import what was exported
    load_alert_world(session)
    for ident in ids:
        xml, fields, areas = exported[ident]
        again, created = service.receive(session, SYSTEM, cap.parse(xml), source="imported")
        assert created
        assert _fields(again) == fields
        assert repository.areas_of(session, again) == areas
        assert cap.to_cap_xml(session, again) == xml


def test_import_same_identifier_twice_changes_nothing(session, warning_areas):
    first, created = _import(session, "lightning-yellow-alert.xml")
    second, created2 = _import(session, "lightning-yellow-alert.xml")
    assert created and not created2 and first.id == second.id


def test_cap_that_fails_the_schema_lists_line_numbers(session, warning_areas):
    with pytest.raises(cap.CapInvalid) as exc:
        cap.parse(cap_file("invalid-schema.xml"))
    assert exc.value.status == 422 and exc.value.details[0]["line"] == 5
    assert "line 5" in exc.value.message and "sent" in exc.value.message
    with pytest.raises(cap.CapInvalid) as exc:
        cap.parse(b"<alert><oops></alert>")
    assert "not well-formed" in exc.value.message


def test_swapped_polygon_is_named(session, warning_areas):
    with pytest.raises(InvalidInput) as exc:
        _import(session, "invalid-swapped-polygon.xml")
    assert "swapped" in exc.value.message and "polygon 1" in exc.value.message


def test_unclosed_polygon_is_refused(session, warning_areas):
    with pytest.raises(InvalidInput) as exc:
        _import(session, "invalid-unclosed-polygon.xml")
    assert "not closed" in exc.value.message
    assert repository.by_identifier(session, "220122QX2026070115020003") is None


def test_update_of_an_unknown_warning_is_refused(session, warning_areas):
    with pytest.raises(InvalidInput) as exc:
        _import(session, "invalid-update-unknown.xml")
    assert exc.value.code == "unknown_reference" and "no known warning" in exc.value.message


def test_every_problem_is_listed(session, warning_areas):
    data = WarningIn(
        sender_name="x", agency_code="QX", event_type="volcano", colour="purple", description="d",
        areas=[AreaIn(area_codes=["229999"], circles=["125.0,44.4 10"])],
    )  # fmt: skip
    with pytest.raises(InvalidInput) as exc:
        service.issue(session, SYSTEM, data)
    problems = exc.value.details
    assert any("volcano" in p for p in problems) and any("purple" in p for p in problems)
    assert any("229999 does not exist" in p for p in problems) and any("swapped" in p for p in problems)


def test_circle_and_polygon_map_to_areas(session, warning_areas):
    data = WarningIn(
        sender_name="农安县气象台", agency_code="QX", event_type="hail", colour="orange", description="冰雹",
        areas=[AreaIn(area_desc="县城周边", circles=["44.42,124.96 5"])],
    )  # fmt: skip
    m = service.issue(session, SYSTEM, data)
    assert repository.coverage_of(session, [m.id])[m.id] == [NONGAN]


def test_warning_outside_the_issuers_scope(session, warning_areas):
    sibling = issuer(session, "sibling_qx", SIBLING)
    with pytest.raises(InvalidInput) as exc:  # as for an area that does not exist
        _import(session, "lightning-yellow-alert.xml", who=sibling)
    assert "area 220122 does not exist" in exc.value.message
    assert repository.by_identifier(session, ALERT_ID) is None
    # A resident of the county may read but not issue.
    resident = make_user(session, "res", "resident", NONGAN)
    from tests.factories import principal

    with pytest.raises(Exception) as exc2:
        _import(session, "lightning-yellow-alert.xml", who=principal(resident, ("resident", NONGAN)))
    assert exc2.value.status == 403


def _in_force(name: str) -> bytes:
    """A fixture without its expiry (the fixtures' dates are past): in force until lifted."""
    return cap_file(name).replace(b"<expires>2026-07-01T21:00:00+08:00</expires>", b"")


def test_cap_routes_feed_and_push(client, session, warning_areas):
    user = make_user(session, "feedpush", "warning_issuer", NONGAN)
    tok = token_for(session, user)
    session.commit()
    headers = {**auth(tok), "Content-Type": "application/cap+xml"}
    r = client.post("/cap/push", content=_in_force("lightning-yellow-alert.xml"), headers=headers)
    assert r.status_code == 201, r.text
    assert r.json() == {"identifier": ALERT_ID, "created": True}
    r = client.post("/cap/push", content=cap_file("lightning-yellow-alert.xml"), headers=headers)
    assert r.status_code == 200 and r.json()["created"] is False
    r = client.post("/cap/push", content=cap_file("invalid-schema.xml"), headers=headers)
    assert r.status_code == 422 and r.json()["error"]["details"][0]["line"] == 5
    assert client.post("/cap/push", content=cap_file("lightning-yellow-alert.xml")).status_code == 401

    r = client.get(f"/cap/alerts/{ALERT_ID}.xml")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/cap+xml")
    assert cap.schema().validate(etree.fromstring(r.content))
    # The feed of the county, of a township beneath it (the county's warning applies there) and of the
    # city above it (a warning for a place beneath it) carry the warning; a sibling county's does not.
    town = session.scalar(select(Area.code).where(Area.parent_code == NONGAN).order_by(Area.code).limit(1))
    for code in (NONGAN, town, "2201"):
        feed = client.get(f"/cap/{code}.atom")
        assert feed.status_code == 200 and ALERT_ID in feed.text, code
        assert feed.headers["content-type"].startswith("application/atom+xml")
    assert ALERT_ID not in client.get(f"/cap/{SIBLING}.atom").text
    assert client.get("/cap/229999.atom").status_code == 404
    # Lifted: the Cancel message stays in the feed for a day, and it says so.
    client.post("/cap/push", content=cap_file("lightning-orange-update.xml"), headers=headers)
    client.post("/cap/push", content=cap_file("lightning-cancel.xml"), headers=headers)
    feed = client.get(f"/cap/{NONGAN}.atom").text
    assert ALERT_ID not in feed


def test_non_public_warnings_stay_off_public_routes(client, session, warning_areas):
    xml = cap_file("lightning-yellow-alert.xml").replace(b"<status>Actual</status>", b"<status>Exercise</status>")
    service.receive(session, SYSTEM, cap.parse(xml), source="imported")
    session.commit()
    assert client.get(f"/cap/alerts/{ALERT_ID}.xml").status_code == 404
    assert ALERT_ID not in client.get(f"/cap/{NONGAN}.atom").text


def test_json_api_issue_update_lift_and_read(client, session, warning_areas):
    user = make_user(session, "api_qx", "warning_issuer", NONGAN)
    tok = token_for(session, user)
    reader = make_user(session, "api_res", "resident", NONGAN + "001")
    rtok = token_for(session, reader)
    sib = make_user(session, "api_sib", "resident", SIBLING)
    stok = token_for(session, sib)
    session.commit()
    body = {
        "sender_name": "农安县气象台",
        "agency_code": "QX",
        "event_type": "lightning",
        "colour": "yellow",
        "description": "雷电",
        "areas": [{"area_desc": "农安县", "area_codes": [NONGAN]}],
    }
    r = client.post("/api/v1/warnings", json=body, headers=auth(tok))
    assert r.status_code == 201, r.text
    ident = r.json()["identifier"]
    assert r.json()["level"] == "III"
    r = client.post(f"/api/v1/warnings/{ident}/updates", json={"colour": "red"}, headers=auth(tok))
    assert r.status_code == 201 and r.json()["level"] == "I" and len(r.json()["chain"]) == 2
    r = client.post(f"/api/v1/warnings/{ident}/lift", json={}, headers=auth(tok))
    assert r.status_code == 201 and r.json()["lifted"] is True
    r = client.get("/api/v1/warnings", params={"area": NONGAN + "001"}, headers=auth(rtok))
    assert r.status_code == 200 and r.json()["total"] == 3
    assert client.get(f"/api/v1/warnings/{ident}", headers=auth(rtok)).status_code == 200
    assert client.get(f"/api/v1/warnings/{ident}", headers=auth(stok)).status_code == 404
    assert client.get("/api/v1/warnings", headers=auth(stok)).json()["total"] == 0
    assert client.post("/api/v1/warnings", json=body, headers=auth(rtok)).status_code == 403
    bad = {**body, "colour": "purple", "areas": [{"polygons": ["44.40,124.94 44.40,125.00 44.45,125.00"]}]}
    r = client.post("/api/v1/warnings", json=bad, headers=auth(tok))
    assert r.status_code == 422 and len(r.json()["error"]["details"]) == 2


def test_the_warnings_page_lists_warnings_not_messages(client, session, warning_areas):
    """An issued, updated and lifted warning is one row (its state: lifted), beside one in force: two."""
    for name in ("lightning-yellow-alert.xml", "lightning-orange-update.xml", "lightning-cancel.xml"):
        _import(session, name)
    other = service.issue(
        session,
        issuer(session),
        WarningIn(
            sender_name="农安县气象台",
            agency_code="QX",
            event_type="gale",
            colour="blue",
            description="大风",
            areas=[AreaIn(area_desc="农安县", area_codes=[NONGAN])],
        ),
    )
    reader = make_user(session, "list_reader", "official", NONGAN)
    tok = token_for(session, reader)
    session.commit()
    h = auth(tok) | {"Cookie": "linli_lang=en"}
    page = client.get(f"/areas/{NONGAN}/warnings", headers=h).text
    assert '<span class="meta">(2)</span>' in page
    assert page.count('href="/warnings/') == 2 and f'href="/warnings/{other.identifier}"' in page
    assert "Lifted" in page and "<strong>In force</strong>" in page
    in_force = client.get(f"/areas/{NONGAN}/warnings", params={"current": "1"}, headers=h).text
    assert '<span class="meta">(1)</span>' in in_force and f'href="/warnings/{other.identifier}"' in in_force
