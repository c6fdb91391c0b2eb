"""The supervisors' page of ID numbers registered in two workers' areas: both entries side by side, and
the decision (the same person moved, did not move, or different people)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import get_db
from linli.authz.principal import Principal
from linli.kit.errors import DomainError, InvalidInput
from linli.kit.i18n import N_, t
from linli.kit.types import Id
from linli.residents import id_reviews
from linli.residents.kinds import IdReviewStatus
from linli.residents.views.common import PAGE, WRITE, error_lines, helpers
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

OUTCOMES = {
    "moved": N_("The same person, who moved: the older entry moves away, the new one stays"),
    "not_moved": N_("The same person, who did not move: the new entry is withdrawn (kept in the history)"),
    "different": N_("Different people: the new entry's ID number is wrong and must be corrected by its creator"),
}


def _page(request, session, principal, status: str, errors=(), failed=None, status_code=200):
    rows, total = id_reviews.list_reviews(session, principal, status or None, 0, PAGE)
    return render(
        request,
        "residents/id_reviews.html",
        {
            "items": [id_reviews.review_out(session, r) for r in rows],
            "total": total,
            "status": status,
            "outcomes": OUTCOMES,
            "errors": list(errors),
            "failed": failed,
            "breadcrumb": [{"name": t("ID numbers registered twice"), "href": ""}],
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/id-reviews", response_class=HTMLResponse)
def review_list(
    request: Request,
    status: str = Query("open", pattern="^(|open|moved|not_moved|different|corrected)$"),
    principal: Principal = Depends(WRITE),
    session: Session = Depends(get_db, scope="function"),
):
    return _page(request, session, principal, status)


@router.post("/id-reviews/{review_id}/resolve", response_class=HTMLResponse)
def review_resolve(
    review_id: Id,
    request: Request,
    outcome: str = Form(""),
    note: str = Form("", max_length=300),
    principal: Principal = Depends(WRITE),
    session: Session = Depends(get_db, scope="function"),
):
    try:
        id_reviews.load_review(session, principal, review_id)  # out of scope: 404 before anything else
        if outcome not in OUTCOMES:
            raise InvalidInput(t("Choose what the two entries are."))
        id_reviews.resolve(session, principal, review_id, IdReviewStatus(outcome), note)
    except DomainError as exc:
        if exc.status == 404:
            raise
        session.rollback()
        return _page(request, session, principal, "open", error_lines(exc), review_id, exc.status)
    return RedirectResponse(f"/id-reviews?status={outcome}#review-{review_id}", status_code=303)
