"""The supervisors' page of ID numbers registered in two workers' areas: both entries side by side, and
the decision (the same person moved, did not move, or different people)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.authz.deps import DbSession
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, t
from linli.kit.types import Id
from linli.residents import id_reviews
from linli.residents.kinds import IdReviewStatus
from linli.residents.views.common import PAGE, Writer, helpers, refusal
from linli.web.forms import attempt
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
    principal: Writer,
    session: DbSession,
    status: str = Query("open", pattern="^(|open|moved|not_moved|different|corrected)$"),
):
    return _page(request, session, principal, status)


@router.post("/id-reviews/{review_id}/resolve", response_class=HTMLResponse)
def review_resolve(
    review_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    outcome: str = Form(""),
    note: str = Form("", max_length=300),
):
    with attempt(session) as tried:
        id_reviews.load_review(session, principal, review_id)  # out of scope: 404 before anything else
        if outcome not in OUTCOMES:
            raise InvalidInput(t("Choose what the two entries are."))
        id_reviews.resolve(session, principal, review_id, IdReviewStatus(outcome), note)
    if tried.refused:
        errors, status = refusal(tried)
        if status == 404:
            raise tried.error
        return _page(request, session, principal, "open", errors, review_id, status)
    return RedirectResponse(f"/id-reviews?status={outcome}#review-{review_id}", status_code=303)
