"""The facilities domain's fixed lists and their words (translated where shown)."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

# The bounds of a facility's floor area: above zero, and no community centre is larger than this (the
# largest in Jilin are a few thousand m²; 100,000 m² is a typing slip, e.g. a figure in cm² or a stray 0).
MAX_FLOOR_AREA = 100_000
# The report's thresholds for urban communities (the province's target and its better tier).
OVER = (500, 1000)

ROOM_FUNCTIONS = {
    "service_hall": N_("service hall (便民服务)"),
    "office": N_("office"),
    "meeting": N_("meeting room"),
    "activity": N_("activity room"),
    "elderly": N_("elderly day care"),
    "children": N_("children's room"),
    "library": N_("reading room"),
    "health": N_("health room"),
    "party": N_("Party members' room"),
    "social_work": N_("social work room"),
    "classroom": N_("classroom"),
    "other": N_("other"),
}
ACCESSIBILITY = {
    "ramp": N_("ramp at the entrance"),
    "lift": N_("lift"),
    "accessible_toilet": N_("accessible toilet"),
    "tactile_paving": N_("tactile paving"),
    "handrails": N_("handrails"),
    "accessible_parking": N_("accessible parking"),
    "low_counter": N_("low service counter"),
    "hearing_loop": N_("hearing loop"),
    "braille_signs": N_("braille signs"),
}
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
            N_("Sunday"))  # fmt: skip
# What a happy-community demonstration site is designated for: the fields of the province's evaluation
# (a working list until the province's own criteria are entered as a setting; docs/facilities.md).
CRITERIA = {
    "party_building": N_("Party building leads governance"),
    "services": N_("complete community services"),
    "facility": N_("service facility of 500 m² or more"),
    "elderly": N_("elderly care and elderly university"),
    "governance": N_("residents' self-government works"),
    "environment": N_("clean and pleasant environment"),
    "safety": N_("safe and harmonious"),
    "culture": N_("culture and volunteering"),
    "digital": N_("smart community services"),
}
REVIEW_RESULTS = {"kept": N_("kept the title"), "rectify": N_("to rectify"), "revoked": N_("title revoked")}


def label(table: dict[str, str], code: str | None) -> str:
    return gettext(table[code]) if code in table else (code or "—")
