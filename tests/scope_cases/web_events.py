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
        ("GET", "/areas/{code}/events/new"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/events/new"): Case(
            path={"code": VILLAGE_A},
            data={"category_code": "0301", "title": TITLE + "Web", "lon": str(lon), "lat": str(lat)},
        ),
    }
