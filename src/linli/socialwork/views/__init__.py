"""Web pages of social work stations: an area's stations with their figures (and the form to register
one), a station's page with its staff, services, rooms, records and (for staff) cases, and a case's page."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.kit.i18n import N_
from linli.socialwork.views import cases, stations
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)

NAV = [NavLink(76, N_("Social work"), at_first_area(Permission.socialwork_read, "/areas/{code}/socialwork"), more=True)]
for _module in (stations, cases):
    router.include_router(_module.router)
