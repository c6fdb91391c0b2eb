"""The page of a case (its station's staff only): the client, the case worker, its records in order, and
the form for the next one (assessment, plan, note, closing)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import crumbs
from linli.authz.deps import DbSession
from linli.kit import codes
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.socialwork import kinds, reads, service
from linli.socialwork.schemas import EntryIn
from linli.socialwork.views.common import Recorder, helpers, refusal_status
from linli.web import display
from linli.web.forms import attempt, date_field
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _next_steps(status: str) -> list[tuple[str, str]]:
    """The steps a case at `status` may take, the one that moves it on first."""
    if status == "closed":
        return []
    forward = [s for s, follows in kinds.NEXT_STATE.items() if follows == status]
    return [(s, kinds.label(kinds.STEPS, s)) for s in (*forward, "note", "closed")]


def case_page(request, session, principal, case_id: int, *, form=None, errors=(), status=200):
    v = reads.case(session, principal, case_id)
    display.prefetch(request, [v.case.area_code])
    area = area_repo.find_area(session, codes.unpad(v.station.area_code))
    return render(
        request,
        "socialwork/case.html",
        {
            "v": v, "c": v.case, "steps": _next_steps(v.case.status), "form": form or {}, "errors": list(errors),
            "breadcrumb": [*crumbs(session, principal, area, "socialwork"),
                           {"name": v.station.name, "href": f"/socialwork/stations/{v.station.id}"}],
            **helpers(),
        },
        status_code=status,
    )  # fmt: skip


@router.get("/socialwork/cases/{case_id}", response_class=HTMLResponse)
def case_view(case_id: Id, request: Request, principal: Recorder, session: DbSession):
    return case_page(request, session, principal, case_id)


@router.post("/socialwork/cases/{case_id}/entries", response_class=HTMLResponse)
def add_entry(
    case_id: Id,
    request: Request,
    principal: Recorder,
    session: DbSession,
    step: str = Form(""),
    on: str = Form(""),
    text: str = Form(""),
):
    form = {"step": step, "on": on, "text": text}
    with attempt(session) as tried:
        service.cases.add_entry(
            session, principal, case_id, EntryIn(step=step, on=date_field(on, t("date")), text=text)
        )
    if tried.refused:
        return case_page(
            request, session, principal, case_id, form=form, errors=tried.errors, status=refusal_status(tried)
        )
    return RedirectResponse(f"/socialwork/cases/{case_id}?done=saved#entries", status_code=303)
