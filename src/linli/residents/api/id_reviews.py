"""API of the supervisors' reviews of an ID number registered in two workers' areas (residents.write)."""

from __future__ import annotations

from fastapi import Depends

from linli.authz.deps import DbSession
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.residents import id_reviews
from linli.residents.api import Writer, router
from linli.residents.kinds import IdReviewStatus
from linli.residents.schemas import IdReviewDecision, IdReviewOut


@router.get("/id-reviews", response_model=Page[IdReviewOut], summary="ID numbers registered twice, for you to decide")
def list_id_reviews(
    principal: Writer,
    session: DbSession,
    status: IdReviewStatus | None = IdReviewStatus.open,
    pp: PageParams = Depends(page_params),
):
    rows, total = id_reviews.list_reviews(session, principal, status.value if status else None, pp.offset, pp.size)
    return Page(items=[id_reviews.review_out(session, r) for r in rows], total=total, page=pp.page, size=pp.size)


@router.get("/id-reviews/{review_id}", response_model=IdReviewOut)
def get_id_review(review_id: Id, principal: Writer, session: DbSession):
    return id_reviews.review_out(session, id_reviews.load_review(session, principal, review_id))


@router.post("/id-reviews/{review_id}/resolve", response_model=IdReviewOut, summary="Decide a review")
def resolve_id_review(
    review_id: Id,
    body: IdReviewDecision,
    principal: Writer,
    session: DbSession,
):
    review = id_reviews.resolve(session, principal, review_id, IdReviewStatus(body.outcome), body.note)
    return id_reviews.review_out(session, review)
