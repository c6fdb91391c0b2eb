"""The closed lists of the social work domain, each value with its words (marked N_, translated where
shown): levels of a station, services, staff qualifications, case states and the steps of a case."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

# A station's level follows from its area: a county's centre, a township's station, a village's room.
LEVELS: dict[str, str] = {
    "centre": N_("County social work centre"),
    "station": N_("Township social work station"),
    "room": N_("Village or community social work room"),
}
LEVEL_OF_LENGTH = {6: "centre", 9: "station", 12: "room"}
STATUSES: dict[str, str] = {"active": N_("Open"), "closed": N_("Closed")}
SERVICES: dict[str, str] = {
    "assistance": N_("Social assistance"),
    "elderly": N_("Elderly care"),
    "children": N_("Children's welfare"),
    "disability": N_("Services for people with disabilities"),
    "community_governance": N_("Community governance"),
    "other": N_("Other services"),
}
# As in the workforce register: 助理社会工作师 / 社会工作师 / 高级社会工作师.
QUALIFICATIONS: dict[str, str] = {
    "none": N_("Not certified"),
    "assistant": N_("Assistant social worker"),
    "social_worker": N_("Social worker"),
    "senior": N_("Senior social worker"),
}
STAFF_STATUSES: dict[str, str] = {"active": N_("In post"), "left": N_("Left")}
CASE_STATES: dict[str, str] = {
    "opened": N_("Opened"),
    "assessed": N_("Assessed"),
    "planned": N_("Plan made"),
    "closed": N_("Closed"),
}
# The steps a case record can be: the first three move the case on in this order, a note does not,
# and closing ends it from any open state.
STEPS: dict[str, str] = {
    "opened": N_("Case opened"),
    "assessed": N_("Assessment"),
    "planned": N_("Service plan"),
    "note": N_("Note"),
    "closed": N_("Case closed"),
}
NEXT_STATE = {"assessed": "opened", "planned": "assessed"}  # step: the state it follows


def label(table: dict[str, str], value: str | None) -> str:
    """The words of a value in the current language; the value itself when unknown."""
    if value is None:
        return "—"
    return gettext(table[value]) if value in table else value


def options(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, gettext(v)) for k, v in table.items()]
