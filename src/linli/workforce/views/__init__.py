"""Web pages of the workforce: one's own record, an area's staffing and workers with the dismissal flags,
a worker's page with the county's forms (post, assessment, raters' scores, promotion, exit), registering
a worker, the county's rules as a form, recruitment rounds, and the monthly pay run."""

from __future__ import annotations

from fastapi import APIRouter

from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.web.nav import NavLink
from linli.workforce.views import pages, rounds, settings, workers


def _href(principal: Principal) -> str | None:
    code = principal.first_area_with(Permission.workforce_read)
    if code is not None:
        return f"/areas/{code}/workforce"
    return "/workforce" if principal.has_role(Role.community_worker) else None


NAV = [NavLink(75, N_("Community workers"), _href, more=True)]
router = APIRouter(include_in_schema=False)
for module in (pages, workers, settings, rounds):
    router.include_router(module.router)
