"""Scope cases of the events routes: events, photos, categories, units, routing, inbox."""

from __future__ import annotations

from linli.events.catalog import create_unit
from linli.events.photos import attach, upload
from linli.events.schemas import UnitIn
from linli.events.seed import seed_categories
from linli.notify.models import InboxMessage
from tests.factories import SYSTEM, VILLAGE_A, make_user
from tests.factories_events import as_principal, image_bytes, report

TITLE = "ScopeCaseEvent"


def setup(session, w) -> dict:
    seed_categories(session)
    lon, lat = w["lonlat"]
    point = (lon + 0.001, lat + 0.001)
    reporter = make_user(session, "ev_reporter", "resident", VILLAGE_A)
    who = as_principal(session, reporter)
    event = report(session, who, point, title=TITLE, contact_phone="13812345678")
    target = report(session, who, (point[0] + 0.0001, point[1]), title="ScopeCaseTarget")
    photo = upload(session, who, image_bytes())
    attach([photo], event.id, event.area_code, "report")
    unit = create_unit(session, SYSTEM, UnitIn(name="ScopeCaseUnit", kind="county_department", area_code="220102"))
    message = InboxMessage(user_id=w["users"]["in"].id, kind="test", title="hello", outbox_key="scope-case-inbox")
    session.add(message)
    session.flush()
    return {
        "ev_point": point,
        "ev_id": event.id,
        "ev_target": target.id,
        "ev_photo": photo.id,
        "ev_unit": unit.id,
        "ev_message": message.id,
    }


def cases(w) -> dict:
    from tests.scope_cases import Case

    lon, lat = w["ev_point"]
    ev, unit = w["ev_id"], w["ev_unit"]
    return {
        ("GET", "/api/v1/event-categories"): Case(kind="self"),
        ("PUT", "/api/v1/event-categories/{code}/limits"): Case(
            path={"code": "0301"},
            body={
                "area_code": VILLAGE_A,
                "register_limit": 1,
                "register_unit": "hours",
                "handle_limit": 1,
                "handle_unit": "days",
                "verify_limit": 2,
                "verify_unit": "hours",
            },
        ),
        ("GET", "/api/v1/handling-units"): Case(params={"area": "220102"}),
        ("POST", "/api/v1/handling-units"): Case(body={"name": "新单位", "kind": "utility", "area_code": "220102"}),
        ("POST", "/api/v1/handling-units/{unit_id}/members"): Case(
            path={"unit_id": unit}, body={"user_id": w["target"].id}
        ),
        ("GET", "/api/v1/handling-units/{unit_id}/queue"): Case(path={"unit_id": unit}),
        ("GET", "/api/v1/routing-rules"): Case(params={"area": "220102"}),
        ("POST", "/api/v1/routing-rules"): Case(
            body={"category_code": "0301", "area_code": "220102001", "unit_id": unit}
        ),
        ("POST", "/api/v1/event-photos"): Case(kind="self", files={"file": ("p.jpg", image_bytes(), "image/jpeg")}),
        ("GET", "/api/v1/event-photos/{photo_id}"): Case(path={"photo_id": w["ev_photo"]}),
        ("POST", "/api/v1/events"): Case(
            body={"category_code": "0301", "title": "新事件", "lon": lon, "lat": lat}, sibling_status=422
        ),
        ("GET", "/api/v1/events"): Case(kind="list", hidden=TITLE),
        ("GET", "/api/v1/events/duplicates"): Case(
            params={"category": "0301", "lon": lon, "lat": lat}, sibling_status=422
        ),
        ("GET", "/api/v1/events/stats"): Case(params={"area": "220102"}),
        ("GET", "/api/v1/events/map"): Case(params={"area": "220102"}),
        ("GET", "/api/v1/events/map-points"): Case(params={"area": "220102"}),
        # Outside one's areas is said, naming nothing: the sibling hears "not in your areas", not the grid.
        ("GET", "/api/v1/events/report-place"): Case(
            params={"lon": lon, "lat": lat}, kind="list", hidden=VILLAGE_A + "001"
        ),
        ("GET", "/api/v1/events/{event_id}"): Case(path={"event_id": ev}),
        ("POST", "/api/v1/events/{event_id}/contact/reveal"): Case(path={"event_id": ev}),
        ("POST", "/api/v1/events/{event_id}/transitions"): Case(path={"event_id": ev}, body={"action": "register"}),
        ("POST", "/api/v1/events/{event_id}/supervision"): Case(path={"event_id": ev}, body={"note": "请加快处理"}),
        ("POST", "/api/v1/events/{event_id}/me-too"): Case(path={"event_id": ev}),
        ("GET", "/api/v1/inbox"): Case(kind="self"),
        ("POST", "/api/v1/inbox/{message_id}/read"): Case(path={"message_id": w["ev_message"]}, kind="owner"),
        ("POST", "/api/v1/inbox/read-all"): Case(kind="self"),
        # The message centre's pages: the same messages.
        ("GET", "/inbox"): Case(kind="self"),
        ("POST", "/inbox/{message_id}/open"): Case(path={"message_id": w["ev_message"]}, kind="owner"),
        ("POST", "/inbox/{message_id}/read"): Case(path={"message_id": w["ev_message"]}, kind="owner"),
        ("POST", "/inbox/read-all"): Case(kind="self"),
    }
