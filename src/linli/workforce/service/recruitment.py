"""Open recruitment (公开招聘) of a county: a round with its posts and places, conditions, the weights of
the written test and the interview and the pass mark; applicants with their scores; publishing ranks each
post's applicants by the weighted total and passes those at or above the pass mark within the places; a
passed applicant is registered once as a worker (source: open recruitment) in their post, on probation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import gettext, t
from linli.kit.time import utcnow
from linli.workforce import kinds
from linli.workforce import repository as repo
from linli.workforce.models import Applicant, Round, RoundPost, Worker
from linli.workforce.schemas import ApplicantIn, ApplicantScoresIn, HireIn, PostIn, RoundIn, WorkerIn
from linli.workforce.service.common import MANAGE, READ
from linli.workforce.service.workers import assign_post, register_worker

CENT = Decimal("0.01")


def _round(session: Session, principal: Principal, round_id: int, *, open_only: bool = False) -> Round:
    found = repo.get_round(session, principal.scope(READ), round_id)
    if found is None:
        raise NotFound(t("recruitment round {id} does not exist", id=round_id))
    principal.check(MANAGE, codes.unpad(found.area_code), what=t("recruitment round {id}", id=round_id))
    if open_only and found.status != "open":
        raise Conflict(t("the results of round {id} are published; it takes no more applicants or scores", id=round_id))
    return found


def _applicant(session: Session, principal: Principal, applicant_id: int) -> tuple[Applicant, Round]:
    found = repo.applicant(session, applicant_id)
    if found is None or repo.get_round(session, principal.scope(READ), found.round_id) is None:
        raise NotFound(t("applicant {id} does not exist", id=applicant_id))
    return found, _round(session, principal, found.round_id)


def open_round(session: Session, principal: Principal, data: RoundIn, *, generated: bool = False) -> Round:
    if not codes.is_valid(data.county):
        raise NotFound(t("area {code} does not exist", code=data.county))
    principal.check(MANAGE, data.county, what=t("area {code}", code=data.county))
    problems = []
    if data.written_weight + data.interview_weight != 1:
        problems.append(t("the weights of the written test and the interview must add up to 1; they add up to {total}",
                          total=data.written_weight + data.interview_weight))  # fmt: skip
    if any(not 1 <= n <= 500 for n in data.posts.values()):
        problems.append(t("each post of a round has from 1 to 500 places"))
    if problems:
        raise InvalidInput(problems[0], details=problems)
    found = Round(
        area_code=codes.pad(data.county), year=data.year, title=data.title.strip(), conditions=data.conditions.strip(),
        written_weight=data.written_weight, interview_weight=data.interview_weight, pass_mark=data.pass_mark,
        status="open", generated=generated,
    )  # fmt: skip
    session.add(found)
    session.flush()
    session.add_all(RoundPost(round_id=found.id, post=p, places=n) for p, n in data.posts.items())
    session.flush()
    record(session, principal, "workforce.round_open", "workforce_round", found.id, found.area_code,
           after={"year": data.year, "posts": dict(data.posts), "pass_mark": str(data.pass_mark)})  # fmt: skip
    return found


def add_applicant(
    session: Session, principal: Principal, round_id: int, data: ApplicantIn, *, generated: bool = False
) -> Applicant:
    found = _round(session, principal, round_id, open_only=True)
    if data.post not in repo.round_posts(session, found.id):
        raise InvalidInput(t("round {id} recruits no {post}", id=round_id, post=gettext(kinds.POSTS[data.post])))
    row = Applicant(round_id=found.id, generated=generated, **data.model_dump())
    row.name = data.name.strip()
    session.add(row)
    session.flush()
    record(session, principal, "workforce.applicant_add", "workforce_round", found.id, found.area_code,
           after={"applicant": row.id, "post": data.post})  # fmt: skip
    return row


def score_applicant(session: Session, principal: Principal, applicant_id: int, data: ApplicantScoresIn) -> Applicant:
    row, found = _applicant(session, principal, applicant_id)
    if found.status != "open":
        raise Conflict(t("the results of round {id} are published; it takes no more applicants or scores", id=found.id))
    before = {"written": str(row.written), "interview": str(row.interview)} if row.written is not None else None
    row.written, row.interview = data.written, data.interview
    session.flush()
    record(session, principal, "workforce.applicant_score", "workforce_round", found.id, found.area_code,
           before=before, after={"applicant": row.id, "written": str(data.written),
                                 "interview": str(data.interview)})  # fmt: skip
    return row


def rank(found: Round, places: dict[str, int], applicants: list[Applicant]) -> None:
    """Total = written × its weight + interview × its weight; each post's applicants ranked by total (then
    the written score); passed: at or above the pass mark and within the post's places."""
    for a in applicants:
        a.total = (a.written * found.written_weight + a.interview * found.interview_weight).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
    for post, n in places.items():
        mine = sorted((a for a in applicants if a.post == post), key=lambda a: (-a.total, -a.written, a.id))
        for i, a in enumerate(mine, start=1):
            a.rank, a.passed = i, i <= n and a.total >= found.pass_mark


def publish(session: Session, principal: Principal, round_id: int) -> Round:
    found = _round(session, principal, round_id, open_only=True)
    applicants = repo.applicants_of(session, found.id)
    unscored = [a.id for a in applicants if a.written is None or a.interview is None]
    if not applicants:
        raise InvalidInput(t("round {id} has no applicants", id=round_id))
    if unscored:
        raise InvalidInput(t("every applicant needs both scores before the results are published; {n} have none",
                             n=len(unscored)))  # fmt: skip
    rank(found, repo.round_posts(session, found.id), applicants)
    found.status, found.published_on = "published", utcnow().date()
    session.flush()
    record(session, principal, "workforce.round_publish", "workforce_round", found.id, found.area_code,
           after={"applicants": len(applicants), "passed": sum(a.passed for a in applicants)})  # fmt: skip
    return found


def hire(session: Session, principal: Principal, applicant_id: int, data: HireIn) -> Worker:
    """Register a passed applicant of a published round as a worker in a community of the county, in the post
    they applied for from `start` (level by the initial rule; the probation starts): once."""
    row, found = _applicant(session, principal, applicant_id)
    if row.worker_id is not None:
        raise Conflict(t("applicant {id} is registered as worker {worker} already", id=row.id, worker=row.worker_id))
    if found.status != "published" or not row.passed:
        raise InvalidInput(t("only an applicant who passed a published round can be registered as a worker"))
    if not codes.in_subtree(codes.pad(data.area_code), codes.unpad(found.area_code)):
        raise InvalidInput(t("the community must lie in the round's county"))
    worker = register_worker(
        session, principal,
        WorkerIn(area_code=data.area_code, name=row.name, user_id=data.user_id, education=row.education,
                 political_status=row.political_status, work_start=data.start, source="recruitment"),
        generated=row.generated,
    )  # fmt: skip
    assign_post(session, principal, worker.id, PostIn(post=row.post, start=data.start))
    row.worker_id = worker.id
    session.flush()
    record(session, principal, "workforce.applicant_hire", "workforce_round", found.id, found.area_code,
           after={"applicant": row.id, "worker": worker.id})  # fmt: skip
    return worker
