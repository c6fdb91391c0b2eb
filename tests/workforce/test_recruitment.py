"""Open recruitment: a round's weights and pass mark, ranking within the places, publishing once, and a
passed applicant registered as a worker once (source: open recruitment, in their post, on probation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from linli.kit.errors import Conflict, InvalidInput
from linli.workforce import reads, service
from linli.workforce.schemas import ApplicantScoresIn, HireIn, RoundIn
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_workforce import COUNTY, add_applicant, county_rules, make_round


def test_weights_must_sum_to_one_and_scores_lie_in_0_to_100(session, areas):
    with pytest.raises(InvalidInput, match="must add up to 1; they add up to 1.1"):
        make_round(session, written="0.7", interview="0.4")
    with pytest.raises(ValidationError):
        RoundIn(county=COUNTY, year=2026, title="x", conditions="y", posts={"staff": 1}, written_weight=Decimal("0.5"),
                interview_weight=Decimal("0.5"), pass_mark=Decimal("101"))  # fmt: skip
    found = make_round(session)
    a = add_applicant(session, found.id, "应聘甲")
    for bad in ("-1", "100.5"):
        with pytest.raises(ValidationError):
            ApplicantScoresIn(written=Decimal(bad), interview=Decimal("80"))
    with pytest.raises(InvalidInput, match="recruits no community head"):
        add_applicant(session, found.id, "应聘乙", post="head")
    assert reads.round_out(session, found).applicants[0].id == a.id


def test_ranking_within_places_and_the_pass_mark_then_published_once(session, areas):
    found = make_round(session, posts={"staff": 2}, pass_mark="70")
    best = add_applicant(session, found.id, "应聘甲", "90", "80")  # 0.6×90 + 0.4×80 = 86
    second = add_applicant(session, found.id, "应聘乙", "70", "75")  # 72
    third = add_applicant(session, found.id, "应聘丙", "80", "78")  # 79.2
    low = add_applicant(session, found.id, "应聘丁", "60", "50")  # 56
    unscored = add_applicant(session, found.id, "应聘戊")
    with pytest.raises(InvalidInput, match="1 have none"):
        service.publish(session, SYSTEM, found.id)
    session.delete(unscored)
    service.publish(session, SYSTEM, found.id)
    out = {a.id: a for a in reads.round_out(session, found).applicants}
    assert (out[best.id].total, out[best.id].rank, out[best.id].passed) == (Decimal("86.00"), 1, True)
    assert (out[third.id].rank, out[third.id].passed) == (2, True)
    assert (out[second.id].rank, out[second.id].passed) == (3, False)  # above the mark, beyond the places
    assert (out[low.id].rank, out[low.id].passed) == (4, False)
    with pytest.raises(Conflict, match="published"):
        service.publish(session, SYSTEM, found.id)
    with pytest.raises(Conflict, match="published"):
        add_applicant(session, found.id, "迟到者")


def test_a_passed_applicant_is_registered_once_in_post_on_probation(session, areas):
    county_rules(session, probation_months=6)
    found = make_round(session, posts={"staff": 1})
    passed = add_applicant(session, found.id, "应聘甲", "90", "90")
    failed = add_applicant(session, found.id, "应聘乙", "50", "50")
    hire = HireIn(area_code=VILLAGE_A, start=date(2026, 3, 1))
    with pytest.raises(InvalidInput, match="passed a published round"):
        service.hire(session, SYSTEM, passed.id, hire)  # not published yet
    service.publish(session, SYSTEM, found.id)
    with pytest.raises(InvalidInput, match="passed a published round"):
        service.hire(session, SYSTEM, failed.id, hire)
    with pytest.raises(InvalidInput, match="round's county"):
        service.hire(session, SYSTEM, passed.id, HireIn(area_code="220103001001", start=date(2026, 3, 1)))
    worker = service.hire(session, SYSTEM, passed.id, hire)
    detail = reads.detail(session, worker)
    assert (detail.source, detail.posts[0].post, detail.probation_until) == ("recruitment", "staff", date(2026, 9, 1))
    assert detail.name == "应聘甲" and detail.levels[0].reason == "initial"
    with pytest.raises(Conflict, match="registered as worker"):
        service.hire(session, SYSTEM, passed.id, hire)
