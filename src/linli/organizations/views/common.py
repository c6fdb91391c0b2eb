"""What the organizations pages share: the words of the domain's values, form values as typed, the
permissions of the reader at a place."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends

from linli.areas import repository as area_repo
from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, gettext, t
from linli.organizations import kinds, reads
from linli.web.forms import date_field

READ, MANAGE, ACT = Permission.orgs_read, Permission.orgs_manage, Permission.orgs_act
Reader = Annotated[Principal, Depends(Require(READ))]
Manager = Annotated[Principal, Depends(Require(MANAGE))]
Actor = Annotated[Principal, Depends(Require(ACT))]
PAGE = 50


def helpers() -> dict[str, Any]:
    """The labels the templates show, in the page's language."""
    return {
        "kind_label": lambda v: kinds.label(kinds.KINDS, v),
        "status_label": lambda v: kinds.label(kinds.STATUSES, v),
        "category_label": lambda v: kinds.label(kinds.CATEGORIES, v),
        "role_label": lambda v: kinds.label(kinds.MEMBER_ROLES, v),
        "need_state": lambda v: kinds.label(kinds.NEED_STATES, v),
        "project_state": lambda v: kinds.label(kinds.PROJECT_STATES, v),
        "resource_state": lambda v: kinds.label(kinds.RESOURCE_STATES, v),
        "raised_label": lambda v: kinds.label(kinds.RAISED_BY, v),
        "registration_label": lambda v: kinds.label(kinds.REGISTRATIONS, v),
        "social_type_label": lambda v: kinds.label(kinds.SOCIAL_TYPES, v),
        "kinds": kinds.options(kinds.KINDS),
        "statuses": kinds.options(kinds.STATUSES),
        "categories": kinds.options(kinds.CATEGORIES),
        "member_roles": [(k, v) for k, v in kinds.options(kinds.MEMBER_ROLES) if k != "lead"],
        "raised_options": kinds.options(kinds.RAISED_BY),
        "registrations": kinds.options(kinds.REGISTRATIONS),
        "social_types": kinds.options(kinds.SOCIAL_TYPES),
        "need_states": kinds.options(kinds.NEED_STATES),
        "today": date.today().isoformat(),
    }


def opt_float(value: str, what: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value.strip())
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a number", what=what, value=value)) from None


def opt_int(value: str, what: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a whole number", what=what, value=value)) from None


def opt_date(value: str, what: str) -> date | None:
    return date_field(value, what)


def req_date(value: str, what: str) -> date:
    return date_field(value, what, required=True)


def chosen(value: str, what: str) -> int:
    """The id a picker sent; a clear error when nothing was chosen."""
    found = opt_int(value, what)
    if found is None or found < 1:
        raise InvalidInput(t("choose the {what}", what=what))
    return found


GRADES = {"excellent": N_("Excellent"), "good": N_("Good"), "fair": N_("Fair"), "poor": N_("Poor")}


def grade_label(value: str) -> str:
    return gettext(GRADES[value]) if value in GRADES else value


def alliance_records(session, principal: Principal, alliance) -> dict[str, Any]:
    """The alliance page's agreements, meetings and annual reviews, and the grades its review form offers."""
    return {
        "agreements": reads.agreements(session, principal, alliance.id),
        "meetings": reads.meetings(session, principal, alliance.id),
        "reviews": reads.reviews(session, principal, alliance.id),
        "grades": [(k, gettext(v)) for k, v in GRADES.items()],
        "grade_label": grade_label,
        "this_year": date.today().year,
    }


def unit_evaluations(session, principal: Principal, org, reports) -> dict[str, Any]:
    """The organization page's evaluations by its communities, and those the reader may evaluate it for."""
    places = [codes.unpad(r.area_code) for r in reports]
    return {
        "evaluations": reads.evaluations(session, principal, org.id),
        "evaluate_in": sorted(area_repo.names_of(session, [c for c in places if principal.can(MANAGE, c)]).items()),
        "grades": [(k, gettext(v)) for k, v in GRADES.items()],
        "grade_label": grade_label,
        "this_year": date.today().year,
    }
