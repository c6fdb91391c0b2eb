"""Web pages of the disclosure boards: the public board (no sign-in; askers masked), its print layout and
PDF, a resident's question, and the staff's pages (the board's items, writing and publishing, answers,
the township's overdue report, local settings)."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.disclosure.views import public, staff
from linli.kit.i18n import N_
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)
NAV = [
    NavLink(52, N_("Disclosure"), at_first_area(Permission.disclosure_read, "/areas/{code}/disclosure")),
]
router.include_router(public.router)
router.include_router(staff.router)
