"""Writes of the annual assessment and the promotion it may earn, and the next promotion date."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import t
from linli.workforce import repository as repo
from linli.workforce import rules
from linli.workforce.models import (
    PROMOTING,
    Assessment,
    Worker,
    WorkerLevel,
)
from linli.workforce.schemas import AssessmentIn, PromoteIn
from linli.workforce.service.common import managed, setting_of


def held_post_in(session: Session, worker: Worker, year: int) -> None:
    """Refuse an assessment of a year in which the worker held no post."""
    if not repo.posts_overlapping(session, worker.id, date(year, 1, 1), date(year, 12, 31)):
        raise InvalidInput(t("worker {id} held no post in {year}; there is nothing to assess", id=worker.id,
                             year=year))  # fmt: skip


def write_assessment(
    session: Session, principal: Principal, worker: Worker, year: int, result: str, score=None
) -> Assessment:
    """The year's assessment (a new one or the one replaced), audited with its result and score."""
    found = repo.assessment(session, worker.id, year)
    before = {"result": found.result, "score": str(found.score) if found.score is not None else None} if found else None
    if found is None:
        found = Assessment(worker_id=worker.id, year=year, result=result, recorded_by=principal.audit_name)
        session.add(found)
    found.result, found.score, found.recorded_by = result, score, principal.audit_name
    session.flush()
    after = {"year": year, "result": result} | ({"score": str(score)} if score is not None else {})
    record(session, principal, "workforce.assessment_record", "worker", worker.id, worker.area_code, before=before,
           after=after)  # fmt: skip
    return found


def record_assessment(session: Session, principal: Principal, worker_id: int, data: AssessmentIn) -> Assessment:
    worker = managed(session, principal, worker_id)
    held_post_in(session, worker, data.year)
    for stale in repo.ratings_of(session, worker.id, data.year):  # a result given whole replaces any scores
        session.delete(stale)
    return write_assessment(session, principal, worker, data.year, data.result)


def next_promotion(session: Session, worker: Worker, today: date) -> date | None:
    """The first 1 January, after today, from which the years at the current level are met (by the
    rules of the year before it); None without a post, a level or rules."""
    level = repo.level_on(session, worker.id, today)
    post = repo.post_on(session, worker.id, today)
    if level is None or post is None:
        return None
    setting = repo.setting_for(session, codes.unpad(worker.area_code), today.year)
    if setting is None or level.level >= rules.level_range(setting, post.post)[1]:
        return None
    due = date(level.effective_from.year + setting.promotion_years, level.effective_from.month, 1)
    year = max(due.year + (1 if (due.month, due.day) > (1, 1) else 0), today.year + 1)
    if worker.probation_until is not None:  # a year ending in probation earns no promotion
        end = worker.probation_until
        year = max(year, end.year + (0 if (end.month, end.day) == (1, 1) else 1))
    return date(year, 1, 1)


def promote(session: Session, principal: Principal, worker_id: int, data: PromoteIn) -> WorkerLevel:
    """One level up from 1 January after the assessment year, when that year's result was excellent or
    competent, the years at the level are met and the post's range allows it."""
    worker = managed(session, principal, worker_id)
    found = repo.assessment(session, worker.id, data.year)
    if found is None:
        raise InvalidInput(t("worker {id} has no assessment for {year}", id=worker_id, year=data.year))
    if found.result not in PROMOTING:
        raise InvalidInput(t("a promotion needs an excellent or competent assessment"))
    start = date(data.year + 1, 1, 1)
    last_day = date(data.year, 12, 31)
    level, post = repo.level_on(session, worker.id, last_day), repo.post_on(session, worker.id, last_day)
    if level is None or post is None:
        raise InvalidInput(t("worker {id} held no post at the end of {year}", id=worker_id, year=data.year))
    if worker.probation_until is not None and worker.probation_until > start:
        raise InvalidInput(
            t("worker {id} is on probation until {day}: no promotion for {year}", id=worker_id,
              day=worker.probation_until.isoformat(), year=data.year)
        )  # fmt: skip
    if any(x.assessment_id == found.id or x.effective_from >= start for x in repo.levels_of(session, worker.id)):
        raise Conflict(t("this assessment has been used for a promotion already"))
    setting = setting_of(session, worker, data.year)
    held = rules.full_years(level.effective_from, start)
    if held < setting.promotion_years:
        raise InvalidInput(
            t("a promotion needs {years} years at the level; by {day} the worker has {held}",
              years=setting.promotion_years, day=start.isoformat(), held=held)
        )  # fmt: skip
    if level.level + 1 > rules.level_range(setting, post.post)[1]:
        raise InvalidInput(t("level {level} is the highest of post {post}", level=level.level, post=post.post))
    new = WorkerLevel(worker_id=worker.id, level=level.level + 1, effective_from=start, reason="promotion",
                      assessment_id=found.id, setting_id=setting.id)  # fmt: skip
    session.add(new)
    session.flush()
    record(
        session, principal, "workforce.promote", "worker", worker.id, worker.area_code,
        before={"level": level.level}, after={"level": new.level, "from": start.isoformat(), "year": data.year},
    )  # fmt: skip
    return new
