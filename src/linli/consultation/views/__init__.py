"""Web pages of consultations: the village's public page (no sign-in), raising a topic and giving an
opinion (signed in), and the staff's pages (an area's topics, a topic's steps)."""

from fastapi import APIRouter

from linli.authz.permissions import Permission
from linli.consultation.views import pages
from linli.kit.i18n import N_
from linli.web.nav import NavLink, at_first_area

router = APIRouter(include_in_schema=False)
NAV = [NavLink(54, N_("Consultations"), at_first_area(Permission.consultation_read, "/areas/{code}/consultations"))]
router.include_router(pages.router)
