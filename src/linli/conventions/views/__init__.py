"""Web pages of the conventions: the public page of what is in force (and open for opinions), a
resident's opinion, and the staff's pages (an area's conventions, a convention's steps, the diff)."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.conventions.views import public, staff
from linli.kit.i18n import N_
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)
NAV = [
    NavLink(53, N_("Conventions"), at_first_area(Permission.conventions_read, "/areas/{code}/conventions")),
]
router.include_router(public.router)
router.include_router(staff.router)
