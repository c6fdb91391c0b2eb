"""Convening on request: a village's requests (opened from its page), a request's page with its progress
against the share of the day's text, its supporters (entered from a name search of the register or by
register number, one a line) and the meeting the committee called on it."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.types import Id
from linli.residents import repository as residents_repo
from linli.selfgov import repository as repo
from linli.selfgov.service import bodies, convening
from linli.selfgov.views.common import Reader, Writer, helpers
from linli.web.display import prefetch
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _page(request, session, principal, request_id: int, *, errors=(), form=None, status=200):
    r = repo.request_readable(session, principal, request_id)
    code = codes.unpad(r.area_code)
    writing = principal.can(Permission.selfgov_write, code)
    form = form or {}
    supporters = repo.supporters_of(session, r.id) if writing else []
    ctx = {
        "r": r,
        "code": code,
        "words": convening.words(r),
        "basis": gettext(convening.BASIS_LABELS[r.basis]),
        "writing": writing,
        "supporters": supporters,
        "names": residents_repo.names_of(session, [s.person_id for s in supporters]),
        "meetings": repo.meetings_of_kind(session, code, convening.BASES[r.basis][1]) if writing else [],
        "meeting": repo.meeting(session, r.meeting_id) if r.meeting_id else None,
        "errors": list(errors),
        "form": form,
        "picked": [],
        **helpers(),
    }
    who = form.get("who", "")
    if writing and who.strip():
        with attempt(session) as tried:
            ctx["picked"] = bodies.candidates(session, principal, code, who).persons
        ctx["errors"] += tried.errors
        status = 422 if tried.refused and status == 200 else status
        prefetch(request, [p.area_code for p in ctx["picked"]])
    return render(request, "selfgov/request.html", ctx, status_code=status)


@router.post("/areas/{code}/selfgov/requests", response_class=HTMLResponse)
def open_request(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    basis: str = Form(""),
    title: str = Form(""),
    reason: str = Form(""),
):
    from linli.selfgov.views.places import place_page_after

    with attempt(session) as tried:
        r = convening.open_request(session, principal, code, basis, title, reason)
    if tried.refused:
        form = {"rq_basis": basis, "rq_title": title, "rq_reason": reason}
        return place_page_after(request, session, principal, code, errors=tried.errors, form=form)
    return RedirectResponse(f"/selfgov/requests/{r.id}", status_code=303)


@router.get("/selfgov/requests/{request_id}", response_class=HTMLResponse)
def request_page(request_id: Id, request: Request, principal: Reader, session: DbSession, who: str = ""):
    return _page(request, session, principal, request_id, form={"who": who[:200]})


def _numbers(lines: str, picked: list[str]) -> list[int]:
    out: list[int] = [int(p) for p in picked if p.isdigit() and len(p) <= 10]
    bad = []
    for line in lines.splitlines():
        for word in line.replace(",", " ").replace("，", " ").split():
            if word.isdigit() and len(word) <= 10:
                out.append(int(word))
            else:
                bad.append(word[:20])
    if bad:
        raise InvalidInput(t("not numbers in the register: {words}", words=", ".join(bad[:10])))
    if not out:
        raise InvalidInput(t("choose supporters from the search, or give their numbers in the register"))
    return out


@router.post("/selfgov/requests/{request_id}/supporters", response_class=HTMLResponse)
def add_supporters(
    request_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    numbers: str = Form(""),
    who: str = Form(""),
    person_id: list[str] = Form([]),
):
    """Supporters ticked in the name search's list (`person_id`) and typed by number (`numbers`)."""
    numbers, who, picked = numbers[:60000], who[:200], person_id[:5000]
    with attempt(session) as tried:
        convening.support(session, principal, request_id, _numbers(numbers, picked))
    if tried.refused:
        form = {"numbers": numbers, "who": who, "checked": set(picked)}
        return _page(request, session, principal, request_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/selfgov/requests/{request_id}", status_code=303)


@router.post("/selfgov/requests/{request_id}/convened", response_class=HTMLResponse)
def record_convened(
    request_id: Id, request: Request, principal: Writer, session: DbSession, meeting_id: str = Form("")
):
    with attempt(session) as tried:
        if not meeting_id.isdigit() or len(meeting_id) > 10:
            raise InvalidInput(t("choose the meeting that was called"))
        convening.convened(session, principal, request_id, int(meeting_id))
    if tried.refused:
        return _page(request, session, principal, request_id, errors=tried.errors, form={}, status=422)
    return RedirectResponse(f"/selfgov/requests/{request_id}", status_code=303)
