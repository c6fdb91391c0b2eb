"""What the events pages share: who may see them, state and step names in the user's language,
breadcrumbs, error lines."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from linli.areas import pages as area_pages
from linli.areas.models import Area
from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import DomainError
from linli.kit.i18n import N_, gettext

READ = Require(Permission.events_read)
REPORT = Require(Permission.events_report)
MANAGE = Require(Permission.events_manage)
# Who a page's route lets in: `principal: Reader` and so on.
Reader = Annotated[Principal, Depends(READ)]
Reporter = Annotated[Principal, Depends(REPORT)]
Manager = Annotated[Principal, Depends(MANAGE)]
PAGE = 50

STATE_LABELS = {
    "reported": N_("Reported"),
    "registered": N_("Case registered"),
    "rejected": N_("Rejected"),
    "cancelled": N_("Cancelled"),
    "merged": N_("Merged"),
    "dispatched": N_("Dispatched"),
    "returned": N_("Returned"),
    "accepted": N_("Accepted"),
    "handled": N_("Handled"),
    "verified": N_("Verified"),
    "closed": N_("Closed"),
    "evaluated": N_("Evaluated"),
}
ACTION_LABELS = {
    "report": N_("Report"),
    "register": N_("Register"),
    "reject": N_("Reject"),
    "cancel": N_("Cancel"),
    "merge": N_("Merge"),
    "dispatch": N_("Dispatch"),
    "accept": N_("Accept"),
    "return": N_("Return"),
    "handle": N_("Handle"),
    "verify": N_("Verify"),
    "close": N_("Close"),
    "evaluate": N_("Evaluate"),
    "reopen": N_("Reopen"),
    "supervise": N_("Supervise"),
    "me_too": N_("Me too"),
    "escalate": N_("Escalate"),
}


# Where a report came from, as the person reading the event says it.
SOURCE_LABELS = {
    "web": N_("Reported on the web page"),
    "api": N_("Reported by a program (API)"),
    "open311": N_("Reported through Open311"),
    "warning": N_("Found on a warning patrol"),
    "demo": N_("Demo data"),
}


def source_label(source: str | None) -> str:
    return gettext(SOURCE_LABELS[source]) if source in SOURCE_LABELS else (source or "—")


def state_label(state: str | None) -> str:
    return gettext(STATE_LABELS[state]) if state in STATE_LABELS else (state or "")


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def crumbs(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    return area_pages.crumbs(session, principal, area, "events")


def error_lines(exc: DomainError) -> list[str]:
    """The line an events form shows for a refusal: its message (a workflow refusal's details are the
    names of the missing fields, which web.pages.error_lines would show instead)."""
    return [exc.message]


def pages(total: int, size: int = PAGE) -> int:
    return max(1, -(-total // size))


UNIT_KIND_LABELS = {
    "dispatch_desk": N_("Dispatch desk"),
    "street_department": N_("Street-office department"),
    "county_department": N_("County department"),
    "utility": N_("Utility"),
    "property_company": N_("Property company"),
    "police_station": N_("Police station"),
    "court": N_("Court"),
}


def unit_kind_label(kind: str) -> str:
    return gettext(UNIT_KIND_LABELS[kind]) if kind in UNIT_KIND_LABELS else kind
