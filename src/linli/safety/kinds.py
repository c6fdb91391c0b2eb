"""The closed lists of the safety domain, each value with its words (marked N_, translated where shown):
the duties of an appointment, the outcomes of a mediation case, and which kinds of organization
(linli.organizations.kinds) a duty's unit may be."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

# 社区民警兼任两委委员 / 法官进网格 / 一村（社区）一法律顾问
DUTIES: dict[str, str] = {
    "police": N_("Community police officer (two committees)"),
    "judge": N_("Judge in the grid"),
    "legal_adviser": N_("Legal adviser"),
}
# Where each duty is appointed: police and legal advisers to a community or village (12 digits), a judge
# to a grid (15 digits: 法官进网格).
DUTY_LEVELS: dict[str, tuple[int, ...]] = {"police": (12,), "judge": (15,), "legal_adviser": (12,)}
# The kind of organization a duty's unit must be when the unit is picked from the registry (a legal
# adviser's law firm is not a kind of the registry yet: its unit is typed as text).
DUTY_ORG_KINDS: dict[str, tuple[str, ...]] = {
    "police": ("police_station",),
    "judge": ("court",),
    "legal_adviser": ("public_institution", "social_organization", "enterprise"),
}
OUTCOMES: dict[str, str] = {
    "agreement": N_("Agreement reached"),
    "failed": N_("Mediation failed"),
    "referred": N_("Referred on"),
}
CASE_STATES: dict[str, str] = {"open": N_("Open"), "closed": N_("Closed")}
APPOINTMENT_STATES: dict[str, str] = {"active": N_("Serving"), "ended": N_("Ended")}
# The events category of disputes (矛盾纠纷, linli.events.seed): the 大类 and its 小类 share the prefix.
DISPUTES_CATEGORY = "06"


def label(table: dict[str, str], value: str | None) -> str:
    """The words of a value in the current language; the value itself when unknown."""
    if value is None:
        return "—"
    return gettext(table[value]) if value in table else value


def options(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, gettext(v)) for k, v in table.items()]
