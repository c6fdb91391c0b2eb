"""The demo road chiefs: on 南岭街道's demo community, marked generated, patrols by the chiefs' own accounts
with one finding reported as a (generated) grid event, once."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.chiefs import demo
from linli.chiefs.models import Appointment, Patrol, Road
from linli.events.models import Event
from tests.factories import SYSTEM, make_user
from tests.factories_events import GRID, events_world


def test_demo_chiefs_patrols_and_a_reported_finding(session, monkeypatch):
    events_world(session)
    make_user(session, "street", "official", "220102001")
    make_user(session, "community", "community_worker", "220102001001")
    make_user(session, "gridworker", "grid_worker", GRID)
    monkeypatch.setattr(demo, "DEMO_GRID", GRID)
    said = []
    demo.step(session, SYSTEM, said.append)
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    chiefs = session.scalars(select(Appointment)).all()
    assert len(chiefs) == 4 and all(a.generated for a in chiefs)
    assert {a.level for a in chiefs} == {"street", "road", "lane"}
    assert session.scalar(select(func.count()).where(Road.generated.is_(False))) == 0
    patrols = session.scalars(select(Patrol)).all()
    assert len(patrols) == 3 and all(p.generated for p in patrols)
    [event] = session.scalars(select(Event).where(Event.source == "chief_patrol")).all()
    assert event.generated and event.area_code == GRID
    assert len(said) == 1 and "4 road chiefs" in said[0]


def test_the_demo_lane_chief_reads_their_own_appointment(session, monkeypatch):
    from linli.chiefs import reads
    from tests.factories_events import as_principal

    events_world(session)
    make_user(session, "street", "official", "220102001")
    make_user(session, "community", "community_worker", "220102001001")
    gw = make_user(session, "gridworker", "grid_worker", GRID)
    monkeypatch.setattr(demo, "DEMO_GRID", GRID)
    demo.step(session, SYSTEM, lambda _: None)
    lane = session.scalar(select(Appointment).where(Appointment.user_id == gw.id))
    a, covers = reads.appointment(session, as_principal(session, gw), lane.id)
    assert a.level == "lane" and covers
