"""Several raters' scores make the year's assessment by the county's weights and thresholds; the weights
must add up to 1; probation stops a promotion; two incompetent years in a row flag a worker for review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from linli.kit.errors import InvalidInput
from linli.workforce import reads, service
from linli.workforce.models import Assessment, Rating
from linli.workforce.schemas import AssessmentIn, ExitIn, PostIn, PromoteIn, ScoresIn
from tests.factories import SYSTEM
from tests.factories_workforce import COUNTY, county_rules, make_worker

D = Decimal
WEIGHTS = {"street": D("0.5"), "residents": D("0.3"), "colleagues": D("0.2")}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_weights_not_adding_up_to_one_and_unordered_thresholds_are_refused(session, areas):
    with pytest.raises(InvalidInput, match="add up to 1; they add up to 0.9") as refused:
        county_rules(session, rater_weights={"street": D("0.5"), "residents": D("0.4")}, basic_min=D("95"))
    assert any("fall from excellent" in line for line in refused.value.details)


def test_scores_weighted_into_a_grade_by_the_county_thresholds(session, areas):
    county_rules(session, rater_weights=WEIGHTS, excellent_min=D("90"), competent_min=D("75"), basic_min=D("60"))
    worker = make_worker(session, level=4)
    scores = {"street": D("80"), "residents": D("70"), "colleagues": D("90")}  # 40 + 21 + 18 = 79
    found = service.record_scores(session, SYSTEM, worker.id, ScoresIn(year=2026, scores=scores))
    assert (found.score, found.result) == (D("79.00"), "competent")
    again = service.record_scores(session, SYSTEM, worker.id, ScoresIn(year=2026, scores={**scores, "street": D("60")}))
    assert (again.score, again.result) == (D("69.00"), "basic") and again.id == found.id
    detail = reads.detail(session, worker)
    assert {(r.rater, r.weight) for r in detail.assessments[0].ratings} == {(k, v) for k, v in WEIGHTS.items()}
    assert _count(session, Rating) == 3
    whole = service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="excellent"))
    assert (whole.result, whole.score, _count(session, Rating)) == ("excellent", None, 0)  # the scores go with it


def test_bad_scores_a_missing_rater_and_no_post_that_year_are_refused_whole(session, areas):
    county_rules(session, rater_weights=WEIGHTS)
    worker = make_worker(session, level=4)
    with pytest.raises(InvalidInput, match="from 0 to 100"):
        service.record_scores(session, SYSTEM, worker.id,
                              ScoresIn(year=2026, scores={**WEIGHTS, "street": D("101")}))  # fmt: skip
    with pytest.raises(InvalidInput, match="missing: colleagues$"):
        service.record_scores(session, SYSTEM, worker.id,
                              ScoresIn(year=2026, scores={"street": D("80"), "residents": D("80")}))  # fmt: skip
    with pytest.raises(InvalidInput, match="gives no weight to the community Party organisation"):
        service.record_scores(session, SYSTEM, worker.id, ScoresIn(year=2026, scores={**WEIGHTS, "party": D("80")}))
    with pytest.raises(InvalidInput, match="held no post in 2025"):
        service.record_scores(session, SYSTEM, worker.id, ScoresIn(year=2025, scores={k: D("80") for k in WEIGHTS}))
    assert _count(session, Rating) == 0 and _count(session, Assessment) == 0
    with pytest.raises(ValidationError):
        ScoresIn(year=2026, scores={"neighbours": D("80")})


def test_no_promotion_during_probation_and_the_next_date_waits_for_it(session, areas):
    county_rules(session, promotion_years=0, probation_months=12)
    worker = make_worker(session, level=4, start=date(2026, 3, 1))
    assert worker.probation_until == date(2027, 3, 1)
    service.record_assessment(session, SYSTEM, worker.id, AssessmentIn(year=2026, result="excellent"))
    with pytest.raises(InvalidInput, match="on probation until 2027-03-01: no promotion for 2026"):
        service.promote(session, SYSTEM, worker.id, PromoteIn(year=2026))
    assert reads.detail(session, worker).next_promotion == date(max(2028, reads.today().year + 1), 1, 1)
    # A second post does not restart the probation.
    service.assign_post(session, SYSTEM, worker.id, PostIn(post="member", start=date(2026, 9, 1)))
    assert worker.probation_until == date(2027, 3, 1)


def test_two_incompetent_years_in_a_row_flag_the_worker_until_they_leave(session, areas):
    for year in (2024, 2025, 2026):
        county_rules(session, year=year)
    flagged = make_worker(session, level=4, start=date(2024, 1, 1))
    once = make_worker(session, name="社工乙", level=4, start=date(2024, 1, 1))
    for year, a, b in ((2024, "incompetent", "incompetent"), (2025, "incompetent", "competent"),
                       (2026, "incompetent", "incompetent")):  # fmt: skip
        service.record_assessment(session, SYSTEM, flagged.id, AssessmentIn(year=year, result=a))
        service.record_assessment(session, SYSTEM, once.id, AssessmentIn(year=year, result=b))
    gap = make_worker(session, name="社工丙", level=4, start=date(2024, 1, 1))  # not assessed in 2025
    for year in (2024, 2026):
        service.record_assessment(session, SYSTEM, gap.id, AssessmentIn(year=year, result="incompetent"))
    flags = reads.flags(session, SYSTEM, COUNTY)
    assert [(f.worker_id, f.years, f.rule_years, f.name) for f in flags] == [(flagged.id, [2025, 2026], 2, "社工甲")]
    county_rules(session, year=2026, dismiss_incompetent_years=3)
    assert reads.flags(session, SYSTEM, COUNTY)[0].years == [2024, 2025, 2026]
    service.exit_worker(session, SYSTEM, flagged.id, ExitIn(on=date(2026, 12, 31), reason="解除合同"))
    assert reads.flags(session, SYSTEM, COUNTY) == []
