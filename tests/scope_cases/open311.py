"""Scope cases of the Open311 routes: all public at the HTTP level, each checking its api_key inside.

The reads are called with the principal's token as `Authorization: Bearer` (an api_key): they must be
scoped exactly like GET /api/v1/events. The scope case's event is unreviewed, so the anonymous public
does not see it at all (tests/events/test_open311.py covers the anonymous answers).
"""

from __future__ import annotations


def cases(w) -> dict:
    from tests.scope_cases import Case
    from tests.scope_cases.events import TITLE

    rid = str(w["ev_id"])
    lon, lat = w["ev_point"]
    return {
        ("GET", "/open311/v2/discovery.{fmt}"): Case(path={"fmt": "json"}, kind="public"),
        ("GET", "/open311/v2/services.{fmt}"): Case(path={"fmt": "xml"}, kind="public"),
        ("GET", "/open311/v2/services/{code}.{fmt}"): Case(path={"code": "0301", "fmt": "json"}, kind="public"),
        ("GET", "/open311/v2/requests.{fmt}"): Case(path={"fmt": "json"}, kind="list", hidden=TITLE),
        ("POST", "/open311/v2/requests.{fmt}"): Case(
            path={"fmt": "json"}, kind="public", body=None, params={"service_code": "0301", "lat": lat, "long": lon}
        ),
        ("GET", "/open311/v2/tokens/{token}.{fmt}"): Case(path={"token": rid, "fmt": "json"}),
        ("GET", "/open311/v2/requests/{rid}.{fmt}"): Case(path={"rid": rid, "fmt": "xml"}),
    }
