"""The events' vocabulary as people read it: states, steps and sources in the reader's language."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

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
    "chief_patrol": N_("Found on a road chief's patrol"),
    "demo": N_("Demo data"),
}


def source_label(source: str | None) -> str:
    return gettext(SOURCE_LABELS[source]) if source in SOURCE_LABELS else (source or "—")


def state_label(state: str | None) -> str:
    return gettext(STATE_LABELS[state]) if state in STATE_LABELS else (state or "")


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


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
