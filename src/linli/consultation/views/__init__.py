"""Web pages of consultations: the village's public page (no sign-in), raising a topic and giving an
opinion (signed in), and the staff's pages (an area's topics, a topic's steps)."""

from fastapi import APIRouter

from linli.consultation.views import pages
from linli.web.nav import NavLink

router = APIRouter(include_in_schema=False)
# Not in the main menu: linked from the self-government page (see disclosure.views).
NAV: list[NavLink] = []
router.include_router(pages.router)
