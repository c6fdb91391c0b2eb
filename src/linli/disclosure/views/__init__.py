"""Web pages of the disclosure boards: the public board (no sign-in; askers masked), its print layout and
PDF, a resident's question, and the staff's pages (the board's items, writing and publishing, answers,
the township's overdue report, local settings)."""

from fastapi import APIRouter

from linli.disclosure.views import public, staff
from linli.web.nav import NavLink

router = APIRouter(include_in_schema=False)
# Not in the main menu: the self-government page (/areas/{code}/selfgov) links its boards, conventions and
# consultations, the area page their public pages, and the workbench the items due.
NAV: list[NavLink] = []
router.include_router(public.router)
router.include_router(staff.router)
