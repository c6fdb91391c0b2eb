"""Three posts, eighteen levels: the initial level rule, ranges, assessments and promotions, the monthly
pay run (explained lines, refused naming what is missing), who sees what."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from linli.areas.repository import names_of
from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.workforce import payroll, reads, seed, service
from linli.workforce.models import PayLine, WorkerLevel, WorkerPost
from linli.workforce.schemas import AssessmentIn, PostIn, PromoteIn
from tests.factories import SYSTEM, VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_workforce import COUNTY, county_rules, make_worker


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_initial_level_from_years_education_and_qualification(session, areas):
    county_rules(session)
    # 5 full years of service by 2026-01-01 → 1 step (one per 3 years); bachelor → 1; no certificate → 0.
    plain = make_worker(session)
    assert reads.detail(session, plain).levels[0].level == 1 + 1 + 1
    senior = make_worker(session, name="社工乙", post="head", qualification="senior", qualified_on=date(2022, 5, 1))
    assert reads.detail(session, senior).levels[0].level == 7 + 1 + 1 + 3
    assert reads.detail(session, senior).levels[0].reason == "initial"


def test_a_level_outside_the_posts_range_is_refused_and_nothing_written(session, areas):
    county_rules(session)
    worker = make_worker(session, post=None)
    with pytest.raises(InvalidInput, match="outside the range of post head"):
        service.assign_post(session, SYSTEM, worker.id, PostIn(post="head", start=date(2026, 2, 1), level=5))
    assert _count(session, WorkerPost) == 0 and _count(session, WorkerLevel) == 0
    service.assign_post(session, SYSTEM, worker.id, PostIn(post="head", start=date(2026, 2, 1), level=7))


def test_assessment_needs_a_post_that_year_and_promotion_needs_assessment_and_years(session, areas):
    county_rules(session, promotion_years=1)
    worker = make_worker(session, level=4)
    with pytest.raises(InvalidInput, match="held no post in 2025"):
        service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2025, result="excellent"))
    with pytest.raises(InvalidInput, match="no assessment for 2026"):
        service.promote(session, SYSTEM, worker.id, PromoteIn(year=2026))
    service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="basic"))
    with pytest.raises(InvalidInput, match="excellent or competent"):
        service.promote(session, SYSTEM, worker.id, PromoteIn(year=2026))
    service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="competent"))
    new = service.promote(session, SYSTEM, worker.id, PromoteIn(year=2026))
    assert (new.level, new.effective_from) == (5, date(2027, 1, 1))
    with pytest.raises(Conflict):
        service.promote(session, SYSTEM, worker.id, PromoteIn(year=2026))


def test_promotion_refused_before_the_years_are_met(session, areas):
    county_rules(session)  # three years at a level
    worker = make_worker(session, level=4)
    service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="excellent"))
    with pytest.raises(InvalidInput, match="needs 3 years at the level"):
        service.promote(session, SYSTEM, worker.id, PromoteIn(year=2026))
    assert reads.detail(session, worker).next_promotion == date(max(2029, reads.today().year + 1), 1, 1)


def test_pay_run_lines_are_explained_and_confirmed_once(session, areas):
    county_rules(session)
    a = make_worker(session, level=4)
    make_worker(session, name="社工乙", post="head", level=10)
    run = payroll.compute(session, SYSTEM, COUNTY, "2026-03")
    by_worker = {x.worker_id: x for x in run.lines}
    # 5000 × 1.1 × 0.70 × (1.00 + 0.05 × 3) = 4427.50
    assert by_worker[a.id].amount == Decimal("4427.50")
    assert run.total == Decimal("4427.50") + Decimal("5000") * Decimal("1.1") * Decimal("0.7") * Decimal("1.45")
    out = reads.run_out(session, run)
    text = out.lines[0].explanation
    assert "5000.00" in text and "1.1000" in text and f"rules row {run.setting.id}" in text
    # The post in words and the county by name, not their codes ("post head", "220102 2026").
    assert {x.explanation.split(",")[0] for x in out.lines} == {"post staff", "post community head"}
    county_name = names_of(session, [COUNTY])[COUNTY]
    assert f"{county_name} 2026" in text and f"{COUNTY} 2026" not in text
    assert _count(session, PayLine) == 0  # a preview writes nothing
    saved = payroll.confirm(session, SYSTEM, COUNTY, "2026-03")
    assert _count(session, PayLine) == 2 and saved.total == run.total
    with pytest.raises(Conflict):
        payroll.confirm(session, SYSTEM, COUNTY, "2026-03")
    sheet = load_workbook(io.BytesIO(reads.pay_table_xlsx(session, out))).active
    assert sheet.max_row == 4 and str(sheet.cell(4, 7).value) == str(run.total)


def test_pay_run_refused_naming_the_missing_coefficient_or_parameter(session, areas):
    table = seed.coefficients()
    del table[4]
    county_rules(session, coefficients=table)
    make_worker(session, level=4)
    make_worker(session, name="社工乙", level=3)
    with pytest.raises(InvalidInput, match="2026 coefficient table of 220102 has no coefficient for levels 4"):
        payroll.compute(session, SYSTEM, COUNTY, "2026-03")
    county_rules(session, avg_manager_pay=None)
    with pytest.raises(InvalidInput, match="lack: avg_manager_pay"):
        payroll.compute(session, SYSTEM, COUNTY, "2026-03")
    with pytest.raises(InvalidInput, match="not enabled"):
        payroll.compute(session, SYSTEM, COUNTY, "2025-12")  # no rules for 2025


def test_staffing_against_the_rule_and_no_names_in_the_audit(session, areas):
    county_rules(session)
    make_worker(session)
    rows = reads.staffing(session, SYSTEM, "220102001")
    assert [(r.area_code, r.workers, r.fewest, r.most, r.verdict) for r in rows] == [(VILLAGE_A, 1, 10, 15, "below")]
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("workforce.%"))).all()
    assert entries and not any("社工甲" in json.dumps([e.before, e.after], ensure_ascii=False) for e in entries)


def test_api_scope_own_record_and_pay_table(session, areas, client):
    county_rules(session)
    own = make_user(session, "wf_cw", "community_worker", VILLAGE_A)
    worker = make_worker(session, level=4, user_id=own.id)
    county = make_user(session, "wf_county", "official", COUNTY)
    sibling = make_user(session, "wf_sib", "official", "220103")
    tokens = {u.username: token_for(session, u) for u in (own, county, sibling)}
    session.commit()
    me = client.get("/api/v1/workforce/me", headers=auth(tokens["wf_cw"]))
    assert (
        me.status_code == 200
        and me.json()["level"] == 4
        and me.json()["next_promotion"] == f"{max(2029, reads.today().year + 1)}-01-01"
    )
    assert client.get(f"/api/v1/workforce/workers/{worker.id}", headers=auth(tokens["wf_sib"])).status_code == 404
    assert client.get("/api/v1/workforce/me", headers=auth(tokens["wf_sib"])).status_code == 404
    body = {"county": COUNTY, "month": "2026-03"}
    r = client.post("/api/v1/workforce/pay-runs/preview", json=body, headers=auth(tokens["wf_sib"]))
    assert r.status_code == 404
    r = client.post("/api/v1/workforce/pay-runs/preview", json=body, headers=auth(tokens["wf_cw"]))
    assert r.status_code == 403
    r = client.post("/api/v1/workforce/pay-runs", json=body, headers=auth(tokens["wf_county"]))
    assert r.status_code == 201, r.text
    run_id = r.json()["id"]
    r = client.get(f"/api/v1/workforce/pay-runs/{run_id}/table.xlsx", headers=auth(tokens["wf_county"]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert client.get(f"/api/v1/workforce/pay-runs/{run_id}", headers=auth(tokens["wf_sib"])).status_code == 404
    with pytest.raises(NotFound):
        reads.readable_worker(session, principal(sibling, ("official", "220103")), worker.id)
