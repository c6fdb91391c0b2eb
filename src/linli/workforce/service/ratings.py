"""The annual assessment from several raters' scores: each rater the county names (the street, the
residents' representatives, colleagues, the Party organisation) scores 0–100; the county's weights make
the weighted score and its lowest score of each grade makes the result."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t
from linli.workforce import kinds, rules
from linli.workforce import repository as repo
from linli.workforce.models import Assessment, Rating
from linli.workforce.schemas import ScoresIn
from linli.workforce.service.assessments import held_post_in, write_assessment
from linli.workforce.service.common import managed, setting_of


def _named(raters) -> str:
    return ", ".join(gettext(kinds.RATERS[r]) if r in kinds.RATERS else r for r in sorted(raters))


def _problems(scores: dict[str, Decimal], weights: dict[str, Decimal]) -> list[str]:
    problems = [
        t("the score of {rater} is {score}; a score is from 0 to 100", rater=_named([r]), score=s)
        for r, s in sorted(scores.items())
        if not 0 <= s <= 100
    ]
    missing = sorted(set(weights) - set(scores))
    if missing:
        problems.append(t("the county's rule needs a score from each of its raters; missing: {raters}",
                          raters=_named(missing)))  # fmt: skip
    extra = sorted(set(scores) - set(weights))
    if extra:
        problems.append(t("the county's rule gives no weight to {raters}", raters=_named(extra)))
    return problems


def record_scores(session: Session, principal: Principal, worker_id: int, data: ScoresIn) -> Assessment:
    """Keep each rater's score with its weight and write the year's assessment from their weighted sum."""
    worker = managed(session, principal, worker_id)
    held_post_in(session, worker, data.year)
    setting = setting_of(session, worker, data.year)
    weights = rules.weights(setting)
    problems = _problems(data.scores, weights)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    score = rules.weighted_score(setting, data.scores)
    kept = {r.rater: r for r in repo.ratings_of(session, worker.id, data.year)}
    for rater, value in data.scores.items():
        row = kept.pop(rater, None) or Rating(worker_id=worker.id, year=data.year, rater=rater)
        row.score, row.weight = value, weights[rater]
        session.add(row)
    for stale in kept.values():
        session.delete(stale)
    return write_assessment(session, principal, worker, data.year, rules.grade(setting, score), score)
