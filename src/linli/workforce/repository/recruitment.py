"""Reads of recruitment rounds and applicants, raters' scores, and the assessments behind dismissal flags."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.workforce.models import Applicant, Assessment, Rating, Round, RoundPost, Worker


def rounds_in(session: Session, scope: AreaScope, area_code: str) -> list[Round]:
    q = select(Round).where(scope.clause(Round.area_code), subtree_clause(Round.area_code, area_code))
    return list(session.scalars(q.order_by(Round.year.desc(), Round.id.desc())))


def get_round(session: Session, scope: AreaScope, round_id: int) -> Round | None:
    found = session.get(Round, round_id)
    return found if found is not None and scope.contains(codes.unpad(found.area_code)) else None


def round_posts(session: Session, round_id: int) -> dict[str, int]:
    rows = session.scalars(select(RoundPost).where(RoundPost.round_id == round_id).order_by(RoundPost.id))
    return {p.post: p.places for p in rows}


def applicants_of(session: Session, round_id: int) -> list[Applicant]:
    q = select(Applicant).where(Applicant.round_id == round_id)
    return list(session.scalars(q.order_by(Applicant.post, Applicant.rank, Applicant.id)))


def applicant(session: Session, applicant_id: int) -> Applicant | None:
    return session.get(Applicant, applicant_id)


def ratings_of(session: Session, worker_id: int, year: int) -> list[Rating]:
    q = select(Rating).where(Rating.worker_id == worker_id, Rating.year == year)
    return list(session.scalars(q.order_by(Rating.rater)))


def ratings_by_year(session: Session, worker_id: int) -> dict[int, list[Rating]]:
    out: dict[int, list[Rating]] = {}
    for r in session.scalars(select(Rating).where(Rating.worker_id == worker_id).order_by(Rating.year, Rating.rater)):
        out.setdefault(r.year, []).append(r)
    return out


def assessments_of_incompetent(session: Session, scope: AreaScope, area_code: str) -> list[tuple[int, str, int, str]]:
    """(worker, community, year, result) of every assessment of the active workers in the area who were
    assessed incompetent at least once: the few the dismissal rule can flag, in two queries' worth."""
    once = (
        select(Assessment.worker_id)
        .join(Worker, Worker.id == Assessment.worker_id)
        .where(Assessment.result == "incompetent", Worker.status == "active")
        .where(scope.clause(Worker.area_code), subtree_clause(Worker.area_code, area_code))
    )
    rows = session.execute(
        select(Worker.id, Worker.area_code, Assessment.year, Assessment.result)
        .join(Assessment, Assessment.worker_id == Worker.id)
        .where(Worker.id.in_(once))
        .order_by(Worker.area_code, Worker.id, Assessment.year)
    ).all()
    return [tuple(r) for r in rows]
