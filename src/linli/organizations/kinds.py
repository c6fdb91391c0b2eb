"""The closed lists of the organizations domain, each value with its words (marked N_, translated where
shown): kinds of organization, statuses, member roles, need and resource categories, states."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

PARTY_KINDS = ("party_committee", "party_general_branch", "party_branch")
KINDS: dict[str, str] = {
    "party_committee": N_("Party committee"),
    "party_general_branch": N_("Party general branch"),
    "party_branch": N_("Party branch"),
    "government_department": N_("Government department"),
    "residents_committee": N_("Residents' committee"),
    "villagers_committee": N_("Villagers' committee"),
    "enterprise": N_("Enterprise"),
    "school": N_("School"),
    "hospital": N_("Hospital"),
    "public_institution": N_("Public institution"),
    "social_organization": N_("Social organization"),
    "police_station": N_("Police station"),
    "court": N_("Court"),
    "property_company": N_("Property company"),
}
# Kinds whose registration carries a unified social credit code (统一社会信用代码): all but Party
# branches and general branches (a Party committee of an organ has one). Optional, checked when given.
USCC_KINDS = frozenset(KINDS) - {"party_general_branch", "party_branch"}
STATUSES: dict[str, str] = {"active": N_("Active"), "suspended": N_("Suspended"), "dissolved": N_("Dissolved")}
REGISTRATIONS: dict[str, str] = {"registered": N_("Registered"), "filed": N_("Filed")}
SOCIAL_TYPES: dict[str, str] = {
    "social_group": N_("Social group"),
    "private_non_enterprise": N_("Private non-enterprise unit"),
    "foundation": N_("Foundation"),
    "community_based": N_("Community-based organization"),
}
MEMBER_ROLES: dict[str, str] = {
    "lead": N_("Lead unit"),
    "member": N_("Member unit"),
    "part_time_member": N_("Part-time committee member"),
}
# What a need asks for and a resource offers: the same list, so that they can be matched.
CATEGORIES: dict[str, str] = {
    "elderly": N_("Elderly care"),
    "children": N_("Children and youth"),
    "medical": N_("Health and medical"),
    "legal": N_("Legal aid"),
    "employment": N_("Employment"),
    "environment": N_("Environment and repairs"),
    "culture": N_("Culture and education"),
    "safety": N_("Safety"),
    "assistance": N_("Assistance to families in need"),
    "other": N_("Other"),
}
SERVICE_FIELDS = CATEGORIES
RAISED_BY: dict[str, str] = {"resident": N_("Residents"), "grid": N_("Grid"), "community": N_("Community")}
NEED_STATES: dict[str, str] = {"open": N_("Open"), "claimed": N_("Claimed"), "met": N_("Met"), "closed": N_("Closed")}
RESOURCE_STATES: dict[str, str] = {"active": N_("Offered"), "withdrawn": N_("Withdrawn")}
PROJECT_STATES: dict[str, str] = {"claimed": N_("Under way"), "done": N_("Done"), "dropped": N_("Dropped")}
ALLIANCE_STATES: dict[str, str] = {"active": N_("Active"), "ended": N_("Ended")}


def label(table: dict[str, str], value: str | None) -> str:
    """The words of a value in the current language; the value itself when unknown."""
    if value is None:
        return "—"
    return gettext(table[value]) if value in table else value


def options(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, gettext(v)) for k, v in table.items()]


PAIRING_KINDS: dict[str, str] = {"one_to_one": N_("One-to-one"), "many_to_one": N_("Many-to-one")}
PAIRING_STATES: dict[str, str] = {"active": N_("Active"), "ended": N_("Ended")}
