"""Scope cases of the web pages of events."""

from __future__ import annotations

from tests.factories import VILLAGE_A
from tests.scope_cases import Case
from tests.scope_cases.events import TITLE


def cases(w) -> dict:
    lon, lat = w["ev_point"]
    ev = w["ev_id"]
    return {
        ("GET", "/areas/{code}/events"): Case(path={"code": "220102"}),
        ("GET", "/events/{event_id}"): Case(path={"event_id": ev}),
        ("POST", "/events/{event_id}/step"): Case(path={"event_id": ev}, data={"action": "register"}),
        ("GET", "/areas/{code}/events/counts"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/events/map"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/units"): Case(path={"code": "220102"}),
        ("GET", "/units/{unit_id}/queue"): Case(path={"unit_id": w["ev_unit"]}),
        ("POST", "/events/{event_id}/contact"): Case(path={"event_id": ev}),
        ("POST", "/events/{event_id}/supervise"): Case(path={"event_id": ev}, data={"note": "请加快处理"}),
        ("POST", "/events/{event_id}/me-too"): Case(path={"event_id": ev}),
        ("GET", "/areas/{code}/events/new"): Case(path={"code": VILLAGE_A}),
        ("GET", "/my/reports"): Case(kind="self"),
        ("GET", "/areas/{code}/events.xlsx"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/events/verify"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/events/nearby"): Case(
            path={"code": VILLAGE_A}, params={"lon": lon, "lat": lat, "category_code": "0301"}
        ),
        ("POST", "/areas/{code}/events/new"): Case(
            path={"code": VILLAGE_A},
            data={"category_code": "0301", "title": TITLE + "Web", "lon": str(lon), "lat": str(lat)},
        ),
    }
