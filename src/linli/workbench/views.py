"""The start page `/`: the workbench of staff; a resident (no other role) goes to their place."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as areas
from linli.authz.deps import DbSession, SignedIn
from linli.authz.permissions import Role
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.web import todo
from linli.web.labels import role_label
from linli.web.nav import NavLink
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def is_staff(principal: Principal) -> bool:
    """Any role but resident somewhere (the system principal is staff everywhere)."""
    return principal.system or any(role != Role.resident for role, _code in principal.roles_held)


NAV = [
    NavLink(5, N_("Workbench"), lambda p: "/" if is_staff(p) else None),
    NavLink(10, N_("My areas"), lambda p: None if is_staff(p) else "/"),
]


def _places(session, principal: Principal) -> list[dict]:
    names = areas.get_areas(session, list(principal.grant_areas))
    return [
        {
            "role_label": role_label(r.value),
            "code": c,
            "name": names[c].name if c in names else c,
            "href": f"/grids/{c}" if len(c) == 15 else f"/areas/{c}",
        }
        for r, c in principal.roles_held
    ]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: SignedIn, session: DbSession):
    places = _places(session, principal)
    if not is_staff(principal) and len(places) == 1 and request.query_params.get("stay") is None:
        return RedirectResponse(places[0]["href"], status_code=303)
    todos = todo.gather(session, principal) if is_staff(principal) else []
    return render(request, "workbench.html", {"grants": places, "todos": todos, "staff": is_staff(principal)})
