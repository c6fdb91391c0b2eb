"""Builders of the workforce domain's rows: a county's rules, workers in post at a level."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from linli.workforce import seed, service
from linli.workforce.schemas import PostIn, WorkerIn
from tests.factories import SYSTEM, VILLAGE_A

COUNTY = "220102"


def county_rules(session, county: str = COUNTY, year: int = 2026, **overrides):
    """The province default plus the county's own row with its pay parameters, pay enabled."""
    service.save_setting(session, SYSTEM, seed.default("22", year))
    values = dict(pay_enabled=True, avg_manager_pay=Decimal("5000.00"), local_coefficient=Decimal("1.1000"),
                  seeded_default=False, source="测试县核定")  # fmt: skip
    values.update(overrides)
    return service.save_setting(session, SYSTEM, seed.default(county, year, **values))


def make_worker(session, *, area=VILLAGE_A, post="staff", level=None, start=date(2026, 1, 1), name="社工甲", **kw):
    values = dict(area_code=area, name=name, education="bachelor", political_status="party_member",
                  work_start=date(2020, 3, 1), source="recruitment")  # fmt: skip
    values.update(kw)
    worker = service.register_worker(session, SYSTEM, WorkerIn(**values))
    if post:
        service.assign_post(session, SYSTEM, worker.id, PostIn(post=post, start=start, level=level))
    return worker


def make_round(session, *, county=COUNTY, posts=None, pass_mark="60", written="0.6", interview="0.4", **kw):
    """An open recruitment round of the county (two staff places unless told)."""
    from linli.workforce.schemas import RoundIn

    values = dict(county=county, year=2026, title="2026年社区工作者公开招聘", conditions="35周岁以下，大专以上学历",
                  posts=posts or {"staff": 2}, written_weight=Decimal(written), interview_weight=Decimal(interview),
                  pass_mark=Decimal(pass_mark))  # fmt: skip
    values.update(kw)
    return service.open_round(session, SYSTEM, RoundIn(**values))


def add_applicant(session, round_id, name, written=None, interview=None, post="staff"):
    from linli.workforce.schemas import ApplicantIn, ApplicantScoresIn

    row = service.add_applicant(
        session, SYSTEM, round_id, ApplicantIn(name=name, education="bachelor", political_status="masses", post=post)
    )
    if written is not None:
        service.score_applicant(
            session, SYSTEM, row.id, ApplicantScoresIn(written=Decimal(written), interview=Decimal(interview))
        )
    return row
