"""Shared parts of the residents pages: permissions, labels shown for stored values, error lines, the
breadcrumb down to an area or grid."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.orm import Session

from linli.areas import grids as area_grids
from linli.areas.models import Area
from linli.areas.pages import area_trail
from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import DomainError
from linli.kit.i18n import N_, gettext
from linli.residents.kinds import TAG_NAMES
from linli.web.forms import Attempt

READ = Require(Permission.residents_read)
WRITE = Require(Permission.residents_write)
Reader = Annotated[Principal, Depends(READ)]
Writer = Annotated[Principal, Depends(WRITE)]
PAGE = 50

REGISTER_TYPES = {
    "local": N_("Local register (户籍)"),
    "resident": N_("Resident (常住)"),
    "floating": N_("Floating (流动)"),
}
RELATIONS = {
    "head": N_("Head of household"),
    "spouse": N_("Spouse"),
    "child": N_("Child"),
    "parent": N_("Parent"),
    "grandchild": N_("Grandchild"),
    "grandparent": N_("Grandparent"),
    "sibling": N_("Sibling"),
    "in_law": N_("Child-in-law"),
    "other": N_("Other relation"),
}
GENDERS = {"male": N_("Male"), "female": N_("Female")}
TAGS = TAG_NAMES  # (its home is kinds: other domains name the tags too)
STATUSES = {
    "present": N_("Present"),
    "moved_out": N_("Moved out"),
    "deceased": N_("Deceased"),
    "withdrawn": N_("Withdrawn (registered elsewhere)"),
}
EVENTS = {
    "registered": N_("Registered"),
    "withdrawn": N_("Entry withdrawn"),
    "born": N_("Born"),
    "moved_in": N_("Moved in"),
    "moved": N_("Moved to another grid"),
    "moved_away": N_("Moved away"),
    "died": N_("Died"),
    "joined_household": N_("Joined the household"),
    "left_household": N_("Left the household"),
    "household_created": N_("Household registered"),
    "household_dissolved": N_("Household dissolved"),
    "household_moved": N_("Household moved"),
    "household_split": N_("Household split"),
    "household_merged": N_("Household merged"),
    "household_absorbed": N_("Household took in another"),
    "head_changed": N_("New head of household"),
    "head_died": N_("Head of household died"),
    "transfer_requested": N_("Transfer requested"),
    "account_linked": N_("Account linked"),
    "account_unlinked": N_("Account unlinked"),
}
# Short explanations of the service's errors, by code, in the reader's language (the service's own
# message, in English, follows as the detail).
ERROR_HINTS = {
    "invalid_id_number": N_("The ID number is not valid."),
    "birth_date_mismatch": N_("The birth date does not match the ID number."),
    "gender_mismatch": N_("The gender does not match the ID number."),
    "invalid_phone": N_("The phone number is not valid."),
    "conflict": N_("This conflicts with the register."),
    "not_found": N_("Not found, or outside your areas."),
    "forbidden": N_("You may not do this here."),
}


def label(table: dict[str, str], value: str | None) -> str:
    if value is None:
        return ""
    return gettext(table[value]) if value in table else value


def helpers() -> dict[str, Any]:
    return {
        "register_label": lambda v: label(REGISTER_TYPES, v),
        "relation_label": lambda v: label(RELATIONS, v),
        "gender_label": lambda v: label(GENDERS, v),
        "tag_label": lambda v: label(TAGS, v),
        "status_label": lambda v: label(STATUSES, v),
        "event_label": lambda v: label(EVENTS, v),
    }


def error_lines(exc: DomainError) -> list[str]:
    """The error as lines: a translated hint by its code, then the service's message."""
    lines = []
    hint = ERROR_HINTS.get(exc.code)
    if hint:
        lines.append(gettext(hint))
    if isinstance(exc.details, list) and exc.details:
        lines += [d if isinstance(d, str) else str(d.get("message", d)) for d in exc.details]
    else:
        lines.append(exc.message)
    return lines


def refusal(tried: Attempt) -> tuple[list[str], int]:
    """The lines and status of a form's refused service call: a DomainError as `error_lines` says it, with
    its status; a schema's ValidationError as web.forms does, 422."""
    if isinstance(tried.error, DomainError):
        return error_lines(tried.error), tried.error.status
    return tried.errors, 422


# --- where a page is ------------------------------------------------------------------------------


def grid_of(session: Session, principal: Principal, code: str) -> Area:
    """The grid `code` as the reader sees it (404 outside their view)."""
    return area_grids.get_grid(session, principal, code)


def area_crumbs(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    """The breadcrumb down to an area (or grid), the area last, linking to its area (or grid) page."""
    href = f"/grids/{area.code}" if area.level == "grid" else f"/areas/{area.code}"
    return [*area_trail(session, principal, area), {"name": area.name, "href": href}]
