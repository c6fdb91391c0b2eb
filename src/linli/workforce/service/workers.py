"""Writes of workers: registering, putting in a post at a level, recording an exit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.workforce import repository as repo
from linli.workforce import rules
from linli.workforce.models import (
    Worker,
    WorkerLevel,
    WorkerPost,
)
from linli.workforce.schemas import ExitIn, PostIn, WorkerIn
from linli.workforce.service.common import MANAGE, managed, setting_of


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


def assign_post(session: Session, principal: Principal, worker_id: int, data: PostIn) -> WorkerPost:
    """Put the worker in a post from a day (closing the post they held), at a level: the one given, which
    must lie in the post's range, else the initial level rule of the year's setting."""
    worker = managed(session, principal, worker_id)
    if worker.status != "active":
        raise InvalidInput(t("worker {id} has left; they hold no post", id=worker_id))
    setting = setting_of(session, worker, data.start.year)
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
    if worker.probation_until is None and not repo.posts_of(session, worker.id):
        worker.probation_until = rules.add_months(data.start, setting.probation_months)  # the first post
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
    worker = managed(session, principal, worker_id)
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
