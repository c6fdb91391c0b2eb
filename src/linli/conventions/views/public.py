"""Public pages of the conventions (no sign-in): a village's conventions in force with how they were
adopted and filed, and the drafts open for opinions; a signed-in resident's opinion form."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.authz.deps import DbSession, SignedIn, public
from linli.conventions import repository, rules, service
from linli.kit.i18n import gettext
from linli.kit.types import Id
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def body_label(body: str | None) -> str:
    return gettext(rules.BODY_NAMES[body]) if body in rules.BODY_NAMES else ""


@router.get("/public/conventions/{code}", response_class=HTMLResponse, dependencies=[Depends(public)])
def in_force_page(code: str, request: Request, session: DbSession):
    area = repository.village(session, code)
    ctx = {
        "area": area,
        "in_force": repository.in_force(session, code),
        "collecting": repository.collecting(session, code),
        "body_label": body_label,
    }
    return render(request, "conventions/public.html", ctx)


def _opinion_page(request, session, version, *, errors=(), form=None, status=200):
    convention = repository.convention(session, version.convention_id)
    area = repository.village(session, version.area_code[:12])
    ctx = {"area": area, "c": convention, "v": version, "errors": list(errors), "form": form or {}}
    return render(request, "conventions/opinion.html", ctx, status_code=status)


def _collecting(session, version_id: int):
    v = repository.version(session, version_id)
    if v is None or v.status != "opinions":
        raise repository.version_missing(version_id)
    return v


@router.get("/conventions/versions/{version_id}/opinion", response_class=HTMLResponse)
def opinion_form(version_id: Id, request: Request, principal: SignedIn, session: DbSession):
    return _opinion_page(request, session, _collecting(session, version_id))


@router.post("/conventions/versions/{version_id}/opinion", response_class=HTMLResponse)
def opinion_post(version_id: Id, request: Request, principal: SignedIn, session: DbSession, text: str = Form("")):
    v = _collecting(session, version_id)
    with attempt(session) as tried:
        service.give_opinion(session, principal, version_id, text)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _opinion_page(request, session, v, errors=tried.errors, form={"text": text}, status=status)
    return RedirectResponse(f"/public/conventions/{v.area_code[:12]}?done=opinion", status_code=303)
