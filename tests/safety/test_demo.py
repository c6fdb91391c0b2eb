"""The demo safety units: police and a legal adviser for each demo community, a judge in the demo grid,
cases linked to the demo's dispute events in each outcome, all marked generated; a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.events.seed import seed_categories
from linli.safety import demo
from linli.safety.models import Appointment, LegalSession, MediationCase
from tests.factories import SYSTEM, inside_point, square
from tests.factories_safety import make_event


def test_demo_appointments_cases_and_sessions(session, areas):
    seed_categories(session)
    lon, lat = inside_point("220102")
    grids.create_grid(session, SYSTEM, demo.GRIDS[0], "第一网格", GridKind.residential, square(lon, lat))
    events = [make_event(session, demo.GRIDS[0]) for _ in range(4)] + [make_event(session, demo.GRIDS[0], "0301")]
    said: list[str] = []
    demo.step(session, SYSTEM, said.append)
    made = session.scalars(select(Appointment)).all()
    assert all(a.generated for a in made)
    assert sorted(a.duty for a in made) == ["judge"] + ["legal_adviser"] * 3 + ["police"] * 3
    cases = session.scalars(select(MediationCase).order_by(MediationCase.id)).all()
    assert [c.event_id for c in cases] == [e.id for e in events[:4]]  # the disputes only
    assert [c.outcome for c in cases] == ["agreement", "failed", "referred", None] and all(c.generated for c in cases)
    police = next(a for a in made if a.duty == "police" and a.area_code.startswith(demo.COMMUNITIES[0]))
    assert {c.appointment_id for c in cases} == {police.id} and all(police.name in c.mediator for c in cases)
    assert len(session.scalars(select(LegalSession)).all()) == 2
    demo.step(session, SYSTEM, said.append)
    assert len(session.scalars(select(Appointment)).all()) == len(made)
