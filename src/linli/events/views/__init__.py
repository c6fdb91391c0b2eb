"""Web pages of grid events: an area's list, counts and map; handling units and their work queues; an
event page with its timeline, map, steps, supervision note and "me too"; the report form."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events.views import area, event, listing, mine, report, units
from linli.kit.i18n import N_
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)


def _work_queues(principal: Principal) -> str | None:
    """The work queues of the first area where the principal handles events (or manages them)."""
    code = principal.first_area_with(Permission.events_handle) or principal.first_area_with(Permission.events_manage)
    return None if code is None else f"/areas/{code}/units"


NAV = [
    NavLink(30, N_("Events"), at_first_area(Permission.events_read, "/areas/{code}/events")),
    NavLink(70, N_("Work queues"), _work_queues),
]
for _module in (listing, area, units, event, report, mine):
    router.include_router(_module.router)
