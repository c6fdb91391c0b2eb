"""Web pages of the facilities domain: the public page of a community's or village's facilities (opening
hours first; no sign-in), the staff's pages (an area's figures and facilities, a new facility, a
facility with its photos) and a resident's elderly university classes (enrol, withdraw)."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.facilities.views import classes, desk, manage, public, staff
from linli.kit.i18n import N_
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)
NAV = [
    NavLink(
        76, N_("Service facilities"), at_first_area(Permission.facilities_read, "/areas/{code}/facilities"), more=True
    ),
    NavLink(
        58,
        N_("Elderly university"),
        lambda p: (
            "/facilities/classes"
            if p.holds_anywhere(Permission.facilities_enrol) and not p.holds_anywhere(Permission.facilities_read)
            else None
        ),
    ),
]
router.include_router(public.router)
router.include_router(classes.router)  # /facilities/classes before /facilities/{facility_id}
router.include_router(staff.router)
router.include_router(desk.router)
router.include_router(manage.router)
