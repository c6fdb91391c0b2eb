"""Writes of the workforce domain: settings (the dated regional rules), workers, posts and levels,
assessments and promotions. Each write is checked whole, audited with ids and codes only (never a name
or an ID number), and changes nothing when refused."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.workforce import repository as repo
from linli.workforce import rules
from linli.workforce.models import (
    PROMOTING,
    Assessment,
    LevelCoefficient,
    Worker,
    WorkerLevel,
    WorkerPost,
    WorkforceSetting,
)
from linli.workforce.schemas import AssessmentIn, ExitIn, PostIn, PromoteIn, SettingIn, WorkerIn

MANAGE = Permission.workforce_manage
READ = Permission.workforce_read


def missing_worker(worker_id: int) -> NotFound:
    return NotFound(t("worker {id} does not exist", id=worker_id))


def _setting_problems(data: SettingIn) -> list[str]:
    problems = []
    for post, low, high in (
        ("head", data.head_min, data.head_max),
        ("member", data.member_min, data.member_max),
        ("staff", data.staff_min, data.staff_max),
    ):
        if low > high:
            problems.append(t("the lowest level of post {post} is above its highest", post=post))
    if data.staff_base_min > data.staff_base_max:
        problems.append(t("the fewest workers of the staffing rule are more than the most"))
    bad = sorted(level for level, c in data.coefficients.items() if not 1 <= level <= 18 or c <= 0)
    if bad:
        problems.append(t("level coefficients must be for levels 1–18 and above zero: {levels}", levels=bad))
    return problems


def save_setting(session: Session, principal: Principal, data: SettingIn) -> WorkforceSetting:
    """Set (or replace) the rules of an area for a year, with its level coefficients."""
    if not codes.is_valid(data.area_code) or len(data.area_code) > 6:
        raise InvalidInput(t("rules are set by a province, city or county; {code} is none", code=data.area_code))
    principal.check(MANAGE, data.area_code, what=t("area {code}", code=data.area_code))
    problems = _setting_problems(data)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    values = data.model_dump(exclude={"area_code", "coefficients"})
    values["education_steps"] = json.dumps(data.education_steps, sort_keys=True)
    values["qualification_steps"] = json.dumps(data.qualification_steps, sort_keys=True)
    setting = repo.setting_at(session, data.area_code, data.year)
    if setting is None:
        setting = WorkforceSetting(area_code=codes.pad(data.area_code), **values)
        session.add(setting)
        session.flush()
    else:
        for key, value in values.items():
            setattr(setting, key, value)
        for c in repo.coefficients(session, setting.id).values():
            session.delete(c)
        session.flush()
    session.add_all(
        LevelCoefficient(setting_id=setting.id, level=level, coefficient=c) for level, c in data.coefficients.items()
    )
    session.flush()
    record(
        session, principal, "workforce.setting_save", "workforce_setting", setting.id, setting.area_code,
        after={"year": data.year, "levels": len(data.coefficients), "pay_enabled": data.pay_enabled},
    )  # fmt: skip
    return setting


def _worker_problems(session: Session, data: WorkerIn) -> list[str]:
    problems = []
    if (data.person_id is None) == (data.name is None):
        problems.append(t("give either the worker's entry in the residents register or their name, not both"))
    elif data.person_id is not None and repo.person_in(session, data.person_id, data.area_code) is None:
        problems.append(t("person {id} does not live in this community", id=data.person_id))
    if data.contract_start and data.contract_end and data.contract_end < data.contract_start:
        problems.append(t("the contract ends before it starts"))
    if data.qualification != "none" and data.qualified_on is None:
        problems.append(t("give the date of the social-work qualification"))
    if data.user_id is not None and repo.worker_of_user(session, data.user_id) is not None:
        problems.append(t("account {id} is linked to another worker already", id=data.user_id))
    return problems


def register_worker(session: Session, principal: Principal, data: WorkerIn, *, generated: bool = False) -> Worker:
    if not codes.is_valid(data.area_code):
        raise NotFound(t("area {code} does not exist", code=data.area_code))
    principal.check(MANAGE, data.area_code, what=t("area {code}", code=data.area_code))
    problems = _worker_problems(session, data)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    worker = Worker(generated=generated, **data.model_dump(exclude={"area_code"}))
    worker.area_code = codes.pad(data.area_code)
    session.add(worker)
    session.flush()
    record(
        session, principal, "workforce.worker_register", "worker", worker.id, worker.area_code,
        after={"person_id": worker.person_id, "source": worker.source, "user_id": worker.user_id},
    )  # fmt: skip
    return worker


def _managed(session: Session, principal: Principal, worker_id: int) -> Worker:
    worker = repo.get_worker(session, principal.scope(READ), worker_id)
    if worker is None:
        raise missing_worker(worker_id)
    principal.check(MANAGE, codes.unpad(worker.area_code), what=t("worker {id}", id=worker_id))
    return worker


def _setting(session: Session, worker: Worker, year: int) -> WorkforceSetting:
    setting = repo.setting_for(session, codes.unpad(worker.area_code), year)
    if setting is None:
        raise InvalidInput(t("no workforce rules for {year} are set for this county or above it", year=year))
    return setting


def assign_post(session: Session, principal: Principal, worker_id: int, data: PostIn) -> WorkerPost:
    """Put the worker in a post from a day (closing the post they held), at a level: the one given, which
    must lie in the post's range, else the initial level rule of the year's setting."""
    worker = _managed(session, principal, worker_id)
    if worker.status != "active":
        raise InvalidInput(t("worker {id} has left; they hold no post", id=worker_id))
    setting = _setting(session, worker, data.start.year)
    low, high = rules.level_range(setting, data.post)
    if data.level is not None and not low <= data.level <= high:
        raise InvalidInput(
            t("level {level} is outside the range of post {post} ({low}–{high})", level=data.level, post=data.post,
              low=low, high=high)
        )  # fmt: skip
    current = repo.post_on(session, worker.id, data.start)
    if current is not None and current.start >= data.start:
        raise Conflict(t("the worker's post changes on {day} already", day=current.start.isoformat()))
    if current is not None:
        current.end = data.start
    post = WorkerPost(worker_id=worker.id, **data.model_dump(exclude={"level"}))
    session.add(post)
    if data.level is None:
        initial = rules.initial_level(
            setting, data.post, work_start=worker.work_start, education=worker.education,
            qualification=worker.qualification, on=data.start,
        )  # fmt: skip
        level, reason = initial.level, "initial"
    else:
        level, reason = data.level, "manual"
    session.add(
        WorkerLevel(worker_id=worker.id, level=level, effective_from=data.start, reason=reason, setting_id=setting.id)
    )
    session.flush()
    record(
        session, principal, "workforce.post_assign", "worker", worker.id, worker.area_code,
        after={"post": data.post, "start": data.start.isoformat(), "level": level, "reason": reason},
    )  # fmt: skip
    return post


def exit_worker(session: Session, principal: Principal, worker_id: int, data: ExitIn) -> Worker:
    worker = _managed(session, principal, worker_id)
    if worker.status != "active":
        raise Conflict(t("worker {id} has left already", id=worker_id))
    current = repo.post_on(session, worker.id, data.on)
    if current is not None:
        current.end = data.on
    worker.status, worker.exit_on, worker.exit_reason = "exited", data.on, data.reason
    session.flush()
    record(session, principal, "workforce.worker_exit", "worker", worker.id, worker.area_code,
           after={"exit_on": data.on.isoformat()})  # fmt: skip
    return worker


def record_assessment(session: Session, principal: Principal, worker_id: int, data: AssessmentIn) -> Assessment:
    worker = _managed(session, principal, worker_id)
    if not repo.posts_overlapping(session, worker.id, date(data.year, 1, 1), date(data.year, 12, 31)):
        raise InvalidInput(t("worker {id} held no post in {year}; there is nothing to assess", id=worker_id,
                             year=data.year))  # fmt: skip
    found = repo.assessment(session, worker.id, data.year)
    before = {"result": found.result} if found else None
    if found is None:
        found = Assessment(worker_id=worker.id, year=data.year, result=data.result, recorded_by=principal.audit_name)
        session.add(found)
    else:
        found.result, found.recorded_by = data.result, principal.audit_name
    session.flush()
    record(
        session, principal, "workforce.assessment_record", "worker", worker.id, worker.area_code,
        before=before, after={"year": data.year, "result": data.result},
    )  # fmt: skip
    return found


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
    return date(year, 1, 1)


def promote(session: Session, principal: Principal, worker_id: int, data: PromoteIn) -> WorkerLevel:
    """One level up from 1 January after the assessment year, when that year's result was excellent or
    competent, the years at the level are met and the post's range allows it."""
    worker = _managed(session, principal, worker_id)
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
    if any(x.assessment_id == found.id or x.effective_from >= start for x in repo.levels_of(session, worker.id)):
        raise Conflict(t("this assessment has been used for a promotion already"))
    setting = _setting(session, worker, data.year)
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
