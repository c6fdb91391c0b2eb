"""Web pages of self-government: a village's (or a township's) matters, meetings and bodies; a matter's
steps; a meeting with its sign-in list, motions, tally and ballot entry (a phone in the clerk's hand);
the minutes as a PDF; the rules table with its citations."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.kit.i18n import N_
from linli.selfgov.views import matters, meetings, places, requests
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)

NAV = [
    NavLink(55, N_("Self-government"), at_first_area(Permission.selfgov_read, "/areas/{code}/selfgov")),
]
router.include_router(places.router)
router.include_router(matters.router)
router.include_router(meetings.router)
router.include_router(requests.router)
