"""Pairings (结对共建): a unit pairs with a community once; one-to-one is the community's only pairing; the
unit (its contact) logs activities of an active pairing; the community ends it; counts roll up."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.organizations import counts, service
from linli.organizations.schemas import ActivityIn, PairingEndIn, PairingIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A
from tests.factories_organizations import VILLAGE_B, org_world


@pytest.fixture
def w(areas):
    return org_world(areas)


def pair(session, who, org, area=VILLAGE_A, kind="many_to_one", started_on=None):
    return service.pairings.create(
        session, who, PairingIn(organization_id=org.id, area_code=area, kind=kind, started_on=started_on)
    )


def test_pairing_kinds_and_once_per_community(session, w):
    a, b, c = w["orgs"]["a"], w["orgs"]["b"], w["orgs"]["c"]
    pair(session, w["p"]["cw"], a)
    with pytest.raises(Conflict, match="paired with this community already"):
        pair(session, w["p"]["cw"], a)
    with pytest.raises(Conflict, match="only one"):
        pair(session, w["p"]["cw"], b, kind="one_to_one")
    pair(session, w["p"]["cw"], b)  # many-to-one beside a
    one = pair(session, w["p"]["cw"], c, area=VILLAGE_B, kind="one_to_one")
    with pytest.raises(Conflict, match="one-to-one already"):
        pair(session, w["p"]["cw"], a, area=VILLAGE_B)
    service.pairings.end(session, w["p"]["cw"], one.id, PairingEndIn())
    assert pair(session, w["p"]["cw"], a, area=VILLAGE_B).status == "active"
    with pytest.raises(InvalidInput, match="community or a village"):
        pair(session, w["p"]["cw"], c, area=TOWN_A)
    rows, total = counts.by_child(session, SYSTEM.scope(), TOWN_A, residents=False)
    assert total.figures["pairs"] == 3
    assert {r.code: r.figures["pairs"] for r in rows if r.figures["pairs"]} == {VILLAGE_A: 2, VILLAGE_B: 1}


def test_activities_by_the_units_contact_only(session, w):
    p = pair(session, SYSTEM, w["orgs"]["a"], started_on=date.today() - timedelta(days=30))
    good = ActivityIn(held_on=date.today(), title="共建座谈会", participants=12)
    with pytest.raises(Forbidden, match="not a contact of"):
        service.pairings.log_activity(session, w["p"]["contact_b"], p.id, good)
    with pytest.raises(NotFound):
        service.pairings.log_activity(session, w["p"]["sibling"], p.id, good)
    with pytest.raises(InvalidInput, match="between the pairing's start and today"):
        service.pairings.log_activity(
            session, w["p"]["contact_a"], p.id, ActivityIn(held_on=date.today() - timedelta(days=31), title="早")
        )
    a = service.pairings.log_activity(session, w["p"]["contact_a"], p.id, good)
    assert (a.participants, a.area_code) == (12, p.area_code)
    with pytest.raises(Forbidden):  # a contact does not end the community's pairing
        service.pairings.end(session, w["p"]["contact_a"], p.id, PairingEndIn())
    service.pairings.end(session, w["p"]["cw"], p.id, PairingEndIn())
    with pytest.raises(Conflict, match="has ended"):
        service.pairings.log_activity(session, w["p"]["contact_a"], p.id, good)
    with pytest.raises(Conflict, match="ended already"):
        service.pairings.end(session, w["p"]["cw"], p.id, PairingEndIn())
