"""The certificate counter: issue a certificate on the list to a resident (a picker by name), the list that
applies here with its basis, purpose and handling time, the national negative list with where to go
instead, and the certificates issued (each printable)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.certificates import kinds, repository, service
from linli.certificates.schemas import CertificateIn
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, t
from linli.web.display import prefetch
from linli.web.forms import attempt
from linli.web.nav import NavLink, at_first_area
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
READ, ISSUE = Permission.certificates_read, Permission.certificates_issue
Reader = Annotated[Principal, Depends(Require(READ))]
Issuer = Annotated[Principal, Depends(Require(ISSUE))]
PAGE = 50

NAV = [NavLink(59, N_("Certificates"), at_first_area(ISSUE, "/areas/{code}/certificates"))]


def _counter_page(request, session, principal, area, *, q="", errors=(), form=None, status=200):
    can_issue = area.level == "village" and principal.can(ISSUE, area.code)
    found = (
        repository.residents_named(session, area.code, principal.scope(ISSUE), q.strip())
        if can_issue and q.strip()
        else []
    )
    issued, total = repository.issued_in(session, principal.scope(READ), area.code, limit=PAGE)
    prefetch(request, [codes.unpad(c.area_code) for c in issued])
    context = {
        "area": area,
        "can_issue": can_issue,
        "q": q,
        "found": found,
        "kinds": repository.kinds_at(session, area.code),
        "negative": kinds.NEGATIVE_LIST,
        "source": kinds.SOURCE,
        "issued": issued,
        "total": total,
        "kind_names": repository.kind_names(session, [c.kind_id for c in issued]),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "certificates"),
        "code_of": codes.unpad,
    }
    return render(request, "certificates/counter.html", context, status_code=status)


@router.get("/areas/{code}/certificates", response_class=HTMLResponse)
def counter(code: str, request: Request, principal: Reader, session: DbSession, q: str = ""):
    area = area_in_reach(session, principal, code, READ)
    return _counter_page(request, session, principal, area, q=q[:50])


@router.post("/areas/{code}/certificates", response_class=HTMLResponse)
def issue_post(
    code: str,
    request: Request,
    principal: Issuer,
    session: DbSession,
    kind: str = Form(""),
    person_id: str = Form(""),
    purpose: str = Form(""),
    details: str = Form(""),
    q: str = Form(""),
):
    area = area_in_reach(session, principal, code, ISSUE)
    form = {"kind": kind, "person_id": person_id, "purpose": purpose, "details": details}
    with attempt(session) as tried:
        if not person_id.strip().isdigit():
            raise InvalidInput(t("find the resident by name and choose them"))
        data = CertificateIn(area_code=code, kind=kind, person_id=int(person_id), purpose=purpose, details=details)
        c = service.issue(session, principal, data)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _counter_page(request, session, principal, area, q=q[:50], errors=tried.errors, form=form, status=status)
    return RedirectResponse(f"/areas/{code}/certificates?done={c.id}#issued", status_code=303)
