"""Scope cases of the notification routes: own and residents' subscriptions, delivery counts, failed deliveries."""

from __future__ import annotations

from linli.kit.codes import pad
from linli.notify import service as subs
from linli.notify.models import OutboxMessage
from linli.notify.schemas import SubscriptionIn
from tests.factories import SYSTEM, VILLAGE_A, principal
from tests.factories_residents import make_person
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def setup(session, w) -> dict:
    me = w["users"]["in"]
    own = subs.opt_in(session, principal(me, ("admin", "220102")), SubscriptionIn(channel="inbox"))
    person = make_person(session, None, name="孙八", relation=None, grid=GRID)
    theirs = subs.record_for_person(session, SYSTEM, person.id, SubscriptionIn(channel="webhook"))
    dead = OutboxMessage(
        kind="warning.issue",
        key="ScopeCaseDead:person:1:webhook",
        payload="{}",
        recipient=f"person:{person.id}",
        channel="webhook",
        status="dead",
        attempts=8,
        ref="ScopeCaseDead",
        area_code=pad(GRID),
        last_error="RuntimeError: webhook answered 500",
    )
    session.add(dead)
    session.flush()
    return {"nt_own": own.id, "nt_person": person.id, "nt_theirs": theirs.id, "nt_dead": dead.id}


def cases(w) -> dict:
    person = w["nt_person"]
    return {
        ("GET", "/api/v1/subscriptions"): Case(kind="self"),
        ("POST", "/api/v1/subscriptions"): Case(kind="self", body={"channel": "inbox", "topic": "notices"}),
        ("DELETE", "/api/v1/subscriptions/{subscription_id}"): Case(
            kind="owner", path={"subscription_id": w["nt_own"]}
        ),
        ("GET", "/api/v1/persons/{person_id}/subscriptions"): Case(path={"person_id": person}),
        ("POST", "/api/v1/persons/{person_id}/subscriptions"): Case(
            path={"person_id": person}, body={"channel": "email", "address": "sun@example.org"}
        ),
        ("DELETE", "/api/v1/persons/{person_id}/subscriptions/{subscription_id}"): Case(
            path={"person_id": person, "subscription_id": w["nt_theirs"]}
        ),
        ("GET", "/account/notifications"): Case(kind="self"),
        ("POST", "/account/notifications"): Case(kind="self", data={"topic": "notices", "channel": "inbox"}),
        ("POST", "/account/notifications/{subscription_id}/withdraw"): Case(
            kind="owner", path={"subscription_id": w["nt_own"]}
        ),
        ("GET", "/api/v1/deliveries/counts"): Case(params={"ref": "ScopeCaseDead", "area": "220102"}),
        ("GET", "/api/v1/deliveries/failed"): Case(kind="list", hidden="ScopeCaseDead"),
        ("POST", "/api/v1/deliveries/{delivery_id}/retry"): Case(path={"delivery_id": w["nt_dead"]}),
    }
