"""Pieces every domain's pages share: the area a page is about, its breadcrumb, and errors as lines."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.areas import service as area_service
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import DomainError, NotFound
from linli.kit.i18n import t


def area_in_reach(session: Session, principal: Principal, code: str, permission: Permission) -> Area:
    """The area `code` when the principal holds `permission` there; else the same 404 as an unknown area."""
    principal.check(permission, code, what=t("area {code}", code=code))
    area = session.get(Area, code)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def area_trail(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    """The area's ancestors the principal may see, each linking to its area page."""
    try:
        return [
            {"name": a.name, "href": f"/areas/{a.code}"} for a in area_service.breadcrumb(session, principal, area.code)
        ]
    except DomainError:
        return []


def crumbs(session: Session, principal: Principal, area: Area, section: str) -> list[dict[str, str]]:
    """The breadcrumb of a page of `section` (events, warnings, notices, …) of an area."""
    return [*area_trail(session, principal, area), {"name": area.name, "href": f"/areas/{area.code}/{section}"}]


def error_lines(exc: DomainError | ValidationError) -> list[str]:
    """An error as the lines a form shows: each field's problem, each listed detail, or the message."""
    if isinstance(exc, ValidationError):
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    if isinstance(exc.details, list) and exc.details and all(isinstance(d, str) for d in exc.details):
        return list(exc.details)
    return [exc.message]
