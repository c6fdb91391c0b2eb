"""Web pages of organizations and social forces: the registry, alliances with their three lists, needs
and projects, dual reporting on an organization's page, pairings, an alliance's agreements, meetings and
reviews, units' evaluations, and an area's figures."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.kit.i18n import N_
from linli.organizations.views import alliances, lists, pairings, records, registry
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)

NAV = [
    NavLink(55, N_("Alliances"), at_first_area(Permission.orgs_read, "/areas/{code}/alliances")),
]
for _module in (registry, alliances, lists, pairings, records):
    router.include_router(_module.router)
