"""Web pages of the residents register: a grid's households, a household, add/edit a person, move out,
reveal, a person's tags, splitting and merging households, transfers between areas, an area's counts
and name search, and the import page. Every write goes through the services
(which check permissions and audit); ID and phone numbers are shown masked unless revealed."""

from fastapi import APIRouter

from linli.authz.permissions import Permission, Role
from linli.kit.i18n import N_
from linli.residents.views import accounts as account_links
from linli.residents.views import (
    area,
    household_list,
    household_new,
    households,
    id_reviews,
    move,
    split_merge,
    tags,
    transfers,
)
from linli.residents.views.household_edit import router as household_edit_router
from linli.web.nav import NavLink, at_first_area, for_role

router = APIRouter(include_in_schema=False)

NAV = [
    NavLink(20, N_("Residents"), at_first_area(Permission.residents_read, "/areas/{code}/residents")),
    NavLink(100, N_("My registration"), for_role(Role.resident, "/account/registration"), account=True),
]
router.include_router(household_list.router)
router.include_router(household_new.router)
router.include_router(households.router)
router.include_router(move.router)
router.include_router(area.router)
router.include_router(transfers.router)
router.include_router(tags.router)
router.include_router(split_merge.router)
router.include_router(household_edit_router)
router.include_router(account_links.router)
router.include_router(id_reviews.router)
