"""The demo workforce: marked generated, several posts and levels, one assessment year, pay runs that run."""

from __future__ import annotations

from sqlalchemy import select

from linli.workforce import demo, payroll, reads
from linli.workforce.models import Assessment, Round, Worker, WorkerLevel
from tests.factories import SYSTEM


def test_demo_workers_levels_assessments_and_a_pay_run(session, areas):
    said = []
    demo.step(session, SYSTEM, said.append)
    workers = session.scalars(select(Worker)).all()
    assert workers and all(w.generated and "演示" in w.name for w in workers)
    levels = {x.level for x in session.scalars(select(WorkerLevel))}
    assert len(levels) >= 4
    assert {a.year for a in session.scalars(select(Assessment))} == {2024, 2025}
    assert any(x.reason == "promotion" for x in session.scalars(select(WorkerLevel)))
    run = payroll.compute(session, SYSTEM, "220102", "2026-03")
    assert len(run.lines) == len(workers) and run.total > 0
    # Raters' scores for 2025, one worker flagged for dismissal review, a published round with a hired
    # applicant and an open one.
    scored = session.scalars(select(Assessment).where(Assessment.year == 2025)).all()
    assert scored and all(a.score is not None for a in scored)
    (flag,) = reads.flags(session, SYSTEM, "220102")
    assert flag.years == [2024, 2025] and "演示" in flag.name
    published, still = reads.rounds(session, SYSTEM, "220102")[::-1]
    assert (published.status, still.status) == ("published", "open") and published.generated
    out = reads.round_out(session, session.get(Round, published.id))
    assert sum(a.passed for a in out.applicants) >= 1 and sum(a.worker_id is not None for a in out.applicants) == 1
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    assert len(session.scalars(select(Worker)).all()) == len(workers)
