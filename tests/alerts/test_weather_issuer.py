"""Meteorological warning signals are the meteorological service's word: only `warning_issuer` of the
area issues, updates and lifts them; an official over the area relays and follows them (issues the
warnings that are theirs: safety, public health…). One test per role that holds warnings.issue."""

from __future__ import annotations

import pytest

from tests.factories import auth, make_user, token_for
from tests.factories_alerts import NONGAN

LIGHTNING = {
    "sender_name": "农安县气象台",
    "agency_code": "QX",
    "event_type": "lightning",
    "colour": "yellow",
    "description": "雷电",
    "areas": [{"area_desc": "农安县", "area_codes": [NONGAN]}],
}
SAFETY = {**LIGHTNING, "sender_name": "农安县人民政府", "agency_code": "ZF", "event_type": "safety"}


@pytest.fixture
def tokens(session, warning_areas):
    people = {
        "issuer": make_user(session, "wx_qx", "warning_issuer", NONGAN),
        "official": make_user(session, "wx_official", "official", NONGAN),
        "admin": make_user(session, "wx_admin", "admin", NONGAN),
    }
    toks = {k: token_for(session, u) for k, u in people.items()}
    session.commit()
    return toks


def issue(client, tok, body) -> str:
    r = client.post("/api/v1/warnings", json=body, headers=auth(tok))
    assert r.status_code == 201, r.text
    return r.json()["identifier"]


def test_the_meteorological_service_issues_updates_and_lifts_a_lightning_warning(client, tokens):
    ident = issue(client, tokens["issuer"], LIGHTNING)
    r = client.post(f"/api/v1/warnings/{ident}/updates", json={"colour": "orange"}, headers=auth(tokens["issuer"]))
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/warnings/{ident}/lift", json={}, headers=auth(tokens["issuer"]))
    assert r.status_code == 201 and r.json()["lifted"] is True


@pytest.mark.parametrize("role", ["official", "admin"])
def test_an_official_or_admin_may_not_issue_a_meteorological_warning(client, tokens, role):
    r = client.post("/api/v1/warnings", json=LIGHTNING, headers=auth(tokens[role]))
    assert r.status_code == 403
    message = r.json()["error"]["message"]
    assert "meteorological service only" in message and "warnings.issue_weather" in message
    assert client.get("/api/v1/warnings", headers=auth(tokens[role])).json()["total"] == 0  # nothing stored


@pytest.mark.parametrize("role", ["official", "admin"])
def test_an_official_may_not_update_or_lift_the_meteorological_services_warning(client, tokens, role):
    ident = issue(client, tokens["issuer"], LIGHTNING)
    tok = tokens[role]
    r = client.post(f"/api/v1/warnings/{ident}/updates", json={"colour": "red"}, headers=auth(tok))
    assert r.status_code == 403 and "meteorological service only" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/warnings/{ident}/lift", json={}, headers=auth(tok))
    assert r.status_code == 403 and "meteorological service only" in r.json()["error"]["message"]
    # An update may not turn it into a type of the official's either: the warning stays the service's.
    r = client.post(f"/api/v1/warnings/{ident}/updates", json={"event_type": "safety"}, headers=auth(tok))
    assert r.status_code in (403, 422)
    current = client.get(f"/api/v1/warnings/{ident}", headers=auth(tok)).json()
    assert current["lifted"] is False and len(current["chain"]) == 1
    # The official follows it: the warning and its progress are theirs to read.
    assert client.get(f"/api/v1/warnings/{ident}/progress", headers=auth(tok)).status_code == 200


def test_an_official_issues_updates_and_lifts_a_safety_warning(client, tokens):
    ident = issue(client, tokens["official"], SAFETY)
    r = client.post(f"/api/v1/warnings/{ident}/lift", json={}, headers=auth(tokens["official"]))
    assert r.status_code == 201, r.text


def test_the_pages_offer_an_official_only_what_they_may_issue(client, tokens):
    ident = issue(client, tokens["issuer"], LIGHTNING)
    official = auth(tokens["official"])
    page = client.get(f"/warnings/{ident}", headers=official).text
    assert 'id="relay-only"' in page and f"/warnings/{ident}/lift" not in page
    form = client.get(f"/areas/{NONGAN}/warnings/new", headers=official).text
    assert 'value="safety"' in form and 'value="lightning"' not in form and 'id="type-hint"' in form
    # The meteorological service sees the update and lift forms and every type.
    issuer = auth(tokens["issuer"])
    page = client.get(f"/warnings/{ident}", headers=issuer).text
    assert f"/warnings/{ident}/lift" in page and 'id="relay-only"' not in page
    form = client.get(f"/areas/{NONGAN}/warnings/new", headers=issuer).text
    assert 'value="lightning"' in form and 'id="type-hint"' not in form


def test_a_cap_update_from_an_official_may_not_turn_the_services_warning_into_theirs(session, warning_areas):
    """Through CAP an Update carries its own type: the type of the warning it updates counts too."""
    from linli.alerts import cap, service
    from linli.authz.principal import principal_for
    from linli.kit.errors import Forbidden
    from tests.factories import SYSTEM
    from tests.factories_alerts import cap_file

    service.receive(session, SYSTEM, cap.parse(cap_file("lightning-yellow-alert.xml")), source="imported")
    update = cap.parse(cap_file("lightning-orange-update.xml")).model_copy(update={"event_type": "safety"})
    official = principal_for(1, "wx_official", [("official", NONGAN)])
    with pytest.raises(Forbidden, match="meteorological service only"):
        service.receive(session, official, update, source="imported")
