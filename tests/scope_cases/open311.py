"""Scope cases of the Open311 routes: all public at the HTTP level (POST checks its api_key inside)."""

from __future__ import annotations


def cases(w) -> dict:
    from tests.scope_cases import Case

    rid = str(w["ev_id"])
    lon, lat = w["ev_point"]
    return {
        ("GET", "/open311/v2/discovery.{fmt}"): Case(path={"fmt": "json"}, kind="public"),
        ("GET", "/open311/v2/services.{fmt}"): Case(path={"fmt": "xml"}, kind="public"),
        ("GET", "/open311/v2/services/{code}.{fmt}"): Case(path={"code": "0301", "fmt": "json"}, kind="public"),
        ("GET", "/open311/v2/requests.{fmt}"): Case(path={"fmt": "json"}, kind="public"),
        ("POST", "/open311/v2/requests.{fmt}"): Case(
            path={"fmt": "json"}, kind="public", body=None, params={"service_code": "0301", "lat": lat, "long": lon}
        ),
        ("GET", "/open311/v2/tokens/{token}.{fmt}"): Case(path={"token": rid, "fmt": "json"}, kind="public"),
        ("GET", "/open311/v2/requests/{rid}.{fmt}"): Case(path={"rid": rid, "fmt": "xml"}, kind="public"),
    }
