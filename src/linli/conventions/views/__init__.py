"""Web pages of the conventions: the public page of what is in force (and open for opinions), a
resident's opinion, and the staff's pages (an area's conventions, a convention's steps, the diff)."""

from fastapi import APIRouter

from linli.conventions.views import public, staff
from linli.web.nav import NavLink

router = APIRouter(include_in_schema=False)
# Not in the main menu: linked from the self-government page (see disclosure.views).
NAV: list[NavLink] = []
router.include_router(public.router)
router.include_router(staff.router)
