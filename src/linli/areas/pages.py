"""The areas domain's part of every page: the area a page is about (checked against the reader's
grants), its breadcrumb. Other domains' views import this module, never the areas views."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import DomainError, NotFound
from linli.kit.i18n import t


def area_in_reach(session: Session, principal: Principal, code: str, permission: Permission) -> Area:
    """The area `code` when the principal holds `permission` there; else the same 404 as an unknown area."""
    principal.check(permission, code, what=t("area {code}", code=code))
    area = area_repo.find_area(session, code)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def area_trail(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    """The area's ancestors the principal may see, each linking to its area page."""
    try:
        return [
            {"name": a.name, "href": f"/areas/{a.code}"} for a in area_repo.breadcrumb(session, principal, area.code)
        ]
    except DomainError:
        return []


def crumbs(session: Session, principal: Principal, area: Area, section: str) -> list[dict[str, str]]:
    """The breadcrumb of a page of `section` (events, warnings, notices, …) of an area."""
    return [*area_trail(session, principal, area), {"name": area.name, "href": f"/areas/{area.code}/{section}"}]


def area_crumbs(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    """The breadcrumb of the area's own page (a grid's is its grid page): its trail, then the area."""
    href = f"/grids/{area.code}" if area.level == "grid" else f"/areas/{area.code}"
    return [*area_trail(session, principal, area), {"name": area.name, "href": href}]


def reader_place(session: Session, principal: Principal, prefer: str | None = None) -> Area | None:
    """The place a map shows as the reader's own: `prefer` (their grid as a warning's recipient, the
    grid of their registration) when they may see it, else the area of their first grant; None for
    a principal without grants."""
    for code in [prefer, *principal.grant_areas]:
        if code and principal.visible.contains(code):
            area = area_repo.find_area(session, codes.unpad(codes.pad(code)))
            if area is not None:
                return area
    return None
