"""Seeding categories, demo units and routing, and generated demo events: idempotent and consistent."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.events.demo import generate_events
from linli.events.models import Event, EventCategory, EventLog, HandlingUnit, RoutingRule
from linli.events.seed import CATEGORIES, seed_categories, seed_units
from linli.events.workflow import STATES
from tests.factories import SYSTEM
from tests.factories_events import as_principal, events_world, report


def test_seed_is_idempotent_and_routes_by_unit_kind(session):
    w = events_world(session)
    assert session.scalar(select(func.count()).select_from(EventCategory)) == len(CATEGORIES)
    assert seed_categories(session) == 0
    parents = {c.code for c in session.scalars(select(EventCategory).where(EventCategory.parent_code.is_(None)))}
    assert len(parents) == 9
    units, rules = seed_units(session, "220102")
    assert units > 10 and rules > 20
    assert seed_units(session, "220102") == (0, 0)
    # Illegal parking goes to the township's police station, a gas hazard to the county's gas company.
    who = as_principal(session, w["people"]["resident"])
    parking = report(session, who, w["point"], category="0203")
    gas = report(session, who, w["point"], category="0702")
    assert session.get(HandlingUnit, parking.unit_id).name.endswith("派出所")
    assert session.get(HandlingUnit, gas.unit_id).name == "南关区燃气公司"
    assert session.scalar(select(func.count()).select_from(RoutingRule)) == rules


def test_demo_events_span_the_states_with_timelines(session):
    events_world(session)
    seed_units(session, "220102")
    assert generate_events(session, SYSTEM, ("220102",), 300) == 300
    assert generate_events(session, SYSTEM, ("220102",), 300) == 0  # once
    states = dict(session.execute(select(Event.state, func.count()).group_by(Event.state)).all())
    assert set(states) <= set(STATES) and len(states) >= 6
    assert session.scalar(select(func.count()).select_from(Event).where(Event.generated.is_(False))) == 0
    steps = session.scalar(select(func.count()).select_from(EventLog))
    assert steps > 300 * 3


def test_open_states_of_the_partial_index_match_the_workflow():
    from linli.events.models import OPEN_SQL
    from linli.events.workflow import OPEN_STATES

    assert ", ".join(f"'{s}'" for s in OPEN_STATES) == OPEN_SQL


def test_counts_follow_every_state_change_and_match_a_rebuild(session):
    from linli.events.models import EventCount
    from linli.events.repository import rebuild_counts
    from tests.factories_events import step

    w = events_world(session)
    who = as_principal(session, w["people"]["resident"])
    street = as_principal(session, w["people"]["street"])
    a = report(session, who, w["point"])
    b = report(session, who, w["point"], category="0302")
    step(session, street, a.id, "register")
    step(session, street, b.id, "reject", reason="不属实")
    seed_units(session, "220102")
    generate_events(session, SYSTEM, ("220102",), 100)

    def snapshot():
        rows = session.execute(select(EventCount.area_code, EventCount.state, EventCount.n)).all()
        return {(c, s): n for c, s, n in rows if n}

    kept = snapshot()
    assert kept[("220102001001000", "registered")] >= 1
    rebuild_counts(session)
    assert snapshot() == kept


def test_queue_states_of_the_partial_index_match_the_queries():
    from linli.events.models import QUEUE_SQL
    from linli.events.repository import QUEUE_STATES

    assert ", ".join(f"'{s}'" for s in QUEUE_STATES) == QUEUE_SQL
