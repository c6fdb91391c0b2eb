"""Scope cases of the warnings routes: JSON API, CAP documents, feeds and push, web pages."""

from __future__ import annotations

from linli.alerts import service
from linli.alerts.schemas import AreaIn, WarningIn
from linli.authz.models import Grant
from linli.kit import codes
from tests.factories import SYSTEM, VILLAGE_A

HEADLINE = "ScopeCaseWarning"
PUSH = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>220102QX2026070115020077</identifier><sender>qx@example</sender>
  <sent>2026-07-01T15:02:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>雷电预警</event><urgency>Expected</urgency>
    <severity>Moderate</severity><certainty>Likely</certainty><senderName>南关区气象台</senderName>
    <headline>推送</headline><description>雷电</description>
    <area><areaDesc>社区</areaDesc><geocode><valueName>GB/T 2260</valueName><value>{code}</value></geocode></area>
  </info>
</alert>
""".replace("{code}", VILLAGE_A).encode()


def body() -> dict:
    return {
        "sender_name": "南关区气象台",
        "agency_code": "QX",
        "event_type": "gale",
        "colour": "blue",
        "description": "大风",
        "areas": [{"area_desc": "社区", "area_codes": [VILLAGE_A]}],
    }


def setup(session, w) -> dict:
    # The in-area admin is also a community worker of the village: a recipient who may confirm.
    session.add(Grant(user_id=w["users"]["in"].id, role="community_worker", area_code=codes.pad(VILLAGE_A)))
    # Each admin is also the meteorological service's duty officer of their area: only they issue, update
    # and lift the weather warnings these cases send (an admin alone may not; tests/alerts/test_weather_issuer).
    for who, area in (("in", "220102"), ("sibling", "220103"), ("ancestor", "2201")):
        session.add(Grant(user_id=w["users"][who].id, role="warning_issuer", area_code=codes.pad(area)))
    session.flush()
    data = WarningIn(
        sender_name="南关区气象台",
        agency_code="QX",
        event_type="lightning",
        colour="yellow",
        headline=HEADLINE,
        description="雷电",
        areas=[AreaIn(area_desc="社区", area_codes=[VILLAGE_A])],
    )
    return {"warning": service.issue(session, SYSTEM, data).identifier}


def cases(w) -> dict:
    from tests.scope_cases import Case

    ident = {"identifier": w["warning"]}
    return {
        ("GET", "/api/v1/warnings"): Case(kind="list", hidden=HEADLINE),
        # An area out of the issuer's scope is refused like one that does not exist (422, "does not exist").
        ("POST", "/api/v1/warnings"): Case(body=body(), sibling_status=422),
        ("GET", "/api/v1/warnings/{identifier}"): Case(path=ident),
        ("POST", "/api/v1/warnings/{identifier}/updates"): Case(path=ident, body={"colour": "orange"}),
        ("POST", "/api/v1/warnings/{identifier}/lift"): Case(path=ident, body={}),
        ("POST", "/cap/push"): Case(data=PUSH, sibling_status=422),
        ("GET", "/cap/alerts/{identifier}.xml"): Case(kind="public", path=ident),
        ("GET", "/cap/{area_code}.atom"): Case(kind="public", path={"area_code": "220102"}),
        ("GET", "/areas/{code}/warnings"): Case(path={"code": "220102"}),
        ("GET", "/warnings/{identifier}"): Case(path=ident),
        ("GET", "/areas/{code}/warnings/new"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/warnings/new"): Case(
            path={"code": VILLAGE_A},
            data={k: v for k, v in body().items() if k != "areas"} | {"area_codes": VILLAGE_A},
        ),
        ("POST", "/warnings/{identifier}/update"): Case(path=ident, data={"colour": "red"}),
        ("POST", "/warnings/{identifier}/lift"): Case(path=ident, data={}),
        # Only the workers a warning was sent to confirm it: the ancestor admin was not sent it.
        ("POST", "/api/v1/warnings/{identifier}/confirmations"): Case(
            path=ident, body={"kind": "received"}, ancestor_status=403
        ),
        ("GET", "/api/v1/warnings/{identifier}/confirmations"): Case(path=ident),
        ("GET", "/api/v1/warnings/{identifier}/progress"): Case(path=ident),
        ("GET", "/warnings/{identifier}/progress"): Case(path=ident),
        ("POST", "/warnings/{identifier}/confirm"): Case(path=ident, data={"kind": "received"}, ancestor_status=403),
    }
