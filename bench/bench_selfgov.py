"""Benchmark: self-government on PostgreSQL (or SQLite).

1. The tally of a villagers' meeting of 5,000 adults entered as paper ballots (target <= 1 s): the
   meeting is called (its voter base computed from the register and frozen), everyone signs in, then
   timed: the clerk enters the 5,000 ballots of a motion (each checked against the frozen base, the
   sign-in and earlier votes), a second account confirms them, and the motion is decided with the quorum
   computed from the frozen base.
2. A township's matters list (target <= 100 ms): a county of 20 townships x 20 villages with 60 matters
   each (24,000 matters, a meeting per matter, one in ten failing its quorum); as an official of one
   township, the first page of its matters (with the total), filtered by status, and by a failed quorum.
   Each runs 30 times after a warm-up; the median and the 95th percentile are printed.

    python bench/bench_selfgov.py [--engine postgresql|sqlite] [--adults 5000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from bench_residents_import import area_rows, prepare, with_database  # noqa: E402
from linli.areas.models import Area  # noqa: E402
from linli.authz.principal import principal_for, system_principal  # noqa: E402
from linli.db.engine import make_engine  # noqa: E402
from linli.kit.time import utcnow  # noqa: E402
from linli.residents.models import Person  # noqa: E402
from linli.selfgov import repository as repo  # noqa: E402
from linli.selfgov.models import Matter, Meeting  # noqa: E402
from linli.selfgov.schemas import MeetingIn, VoteIn  # noqa: E402
from linli.selfgov.service import meetings, votes  # noqa: E402

COUNTY = "220102"
HELD = date(2026, 3, 20)


def add_adults(session, grid: str, n: int, start: int) -> None:
    """`n` adults in `grid` (generated; the encrypted columns hold placeholders: no one reads them here)."""
    now = utcnow()
    rows = [
        {"area_code": grid.ljust(15, "0"), "name": f"村民{i}", "gender": "female" if i % 2 else "male",
         "birth_date": date(1950, 1, 1) + timedelta(days=i % 15000), "ethnicity": "汉族", "id_number_enc": "x",
         "id_number_bidx": f"bench{start + i}", "status": "present", "party_member": i % 15 == 0, "generated": True,
         "created_at": now, "updated_at": now}
        for i in range(n)
    ]  # fmt: skip
    for k in range(0, n, 5000):
        session.execute(insert(Person), rows[k : k + 5000])


def tally(url: str, adults: int) -> None:
    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    village = f"{COUNTY}001001"
    clerk, second = system_principal("bench-clerk"), system_principal("bench-second")
    with factory() as s:
        add_adults(s, village + "001", adults, 0)
        s.commit()
        t = time.perf_counter()
        m = meetings.call(
            s,
            clerk,
            MeetingIn(
                area_code=village,
                kind="villagers_meeting",
                title="基准会议",
                notice_on=HELD - timedelta(days=10),
                held_on=HELD,
            ),
        )
        called = time.perf_counter() - t
        base = [v.person_id for v in repo.voters(s, m.id, limit=adults)]
        meetings.sign_in(s, clerk, m.id, base)
        motion = votes.add_motion(s, clerk, m.id, "基准议案")
        s.commit()
        ballots = [VoteIn(person_id=p, choice=("yes", "yes", "no", "abstain")[i % 4]) for i, p in enumerate(base)]
        t = time.perf_counter()
        batch = votes.enter(s, clerk, motion.id, ballots, "paper")
        entered = time.perf_counter() - t
        votes.confirm(s, second, batch.id)
        decided = votes.decide(s, clerk, motion.id)
        s.commit()
        total = time.perf_counter() - t
        q = meetings.quorum(s, m)
        print(f"meeting of {adults} adults called (base computed and frozen): {called * 1000:.0f} ms")
        print(
            f"{adults} paper ballots entered: {entered * 1000:.0f} ms; entered + confirmed + decided: "
            f"{total * 1000:.0f} ms (target <= 1000 ms)"
        )
        print(f"  {q.words}; result {decided.result}: yes {decided.yes}, no {decided.no}, abstain {decided.abstain}")
    engine.dispose()


def matters_list(url: str) -> None:
    engine = make_engine(url)
    factory = sessionmaker(bind=engine)
    now = utcnow()
    with factory() as s:
        villages = list(s.scalars(select(Area.code).where(Area.level == "village")))
        matters, meetings_rows = [], []
        for vi, v in enumerate(villages):
            for k in range(60):
                matters.append({"area_code": v.ljust(15, "0"), "title": f"事项{vi}-{k}", "description": "",
                                "step": k % 7, "status": ("active", "active", "done", "suspended")[k % 4],
                                "created_by": "bench", "generated": True, "created_at": now,
                                "updated_at": now - timedelta(minutes=vi * 60 + k)})  # fmt: skip
        for k in range(0, len(matters), 5000):
            s.execute(insert(Matter), matters[k : k + 5000])
        ids = list(s.scalars(select(Matter.id).order_by(Matter.id)))
        for i, (mid, row) in enumerate(zip(ids, matters, strict=True)):
            meetings_rows.append({"area_code": row["area_code"], "kind": "joint_meeting", "base": "members",
                                  "title": "会", "place": "", "notice_on": HELD, "held_on": HELD,
                                  "rules_name": "villagers-2026", "base_count": 5,
                                  "status": "failed" if i % 10 == 0 else "held", "official": "", "content": "",
                                  "matter_id": mid, "created_by": "bench", "generated": True,
                                  "created_at": now, "updated_at": now})  # fmt: skip
        for k in range(0, len(meetings_rows), 5000):
            s.execute(insert(Meeting), meetings_rows[k : k + 5000])
        s.commit()
        if s.get_bind().dialect.name == "postgresql":
            s.execute(text("ANALYZE"))
            s.commit()
        township = villages[0][:9]
        official = principal_for(1, "bench-official", [("official", township)])
        print(f"{len(matters)} matters in {len(villages)} villages; as an official of township {township}:")
        for label, f in (
            ("first page", repo.MatterFilter()),
            ("suspended", repo.MatterFilter(status="suspended")),
            ("a failed quorum", repo.MatterFilter(failed_quorum=True)),
        ):
            repo.list_matters(s, official, f)
            times = []
            for _ in range(30):
                t = time.perf_counter()
                items, total = repo.list_matters(s, official, f)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            print(
                f"  {label}: {len(items)} of {total}; median {statistics.median(times):.1f} ms, "
                f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms (target <= 100 ms)"
            )
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default="postgresql", choices=("postgresql", "sqlite"))
    ap.add_argument("--adults", type=int, default=5000)
    args = ap.parse_args()
    areas = area_rows([COUNTY], townships=20, villages=20, grids=1)

    def run(url: str) -> None:
        prepare(url, areas)
        tally(url, args.adults)
        matters_list(url)

    with tempfile.TemporaryDirectory() as tmp:
        with_database(args.engine, Path(tmp), run)


if __name__ == "__main__":
    main()
