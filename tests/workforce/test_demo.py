"""The demo workforce: marked generated, several posts and levels, one assessment year, pay runs that run."""

from __future__ import annotations

from sqlalchemy import select

from linli.workforce import demo, payroll
from linli.workforce.models import Assessment, Worker, WorkerLevel
from tests.factories import SYSTEM


def test_demo_workers_levels_assessments_and_a_pay_run(session, areas):
    said = []
    demo.step(session, SYSTEM, said.append)
    workers = session.scalars(select(Worker)).all()
    assert workers and all(w.generated and "演示" in w.name for w in workers)
    levels = {x.level for x in session.scalars(select(WorkerLevel))}
    assert len(levels) >= 4
    assert {a.year for a in session.scalars(select(Assessment))} == {2025}
    assert any(x.reason == "promotion" for x in session.scalars(select(WorkerLevel)))
    run = payroll.compute(session, SYSTEM, "220102", "2026-03")
    assert len(run.lines) == len(workers) and run.total > 0
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    assert len(session.scalars(select(Worker)).all()) == len(workers)
