"""The words of consultations: steps, forms, kinds of participants."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

STATUS_LABELS = {
    "proposed": N_("Raised, waiting for the committee"),
    "scheduled": N_("Scheduled: content published"),
    "held": N_("Held: opinion formed"),
    "reported": N_("Implementation reported back"),
    "declined": N_("Not taken up"),
}
FORM_LABELS = {"meeting": N_("In a meeting"), "online": N_("Online consultation")}
PARTICIPANT_LABELS = {
    "residents": N_("Residents"),
    "unit": N_("Unit based in the community"),
    "social_org": N_("Social organisation"),
    "owners_committee": N_("Owners' committee"),
    "property_company": N_("Property company"),
    "other": N_("Other"),
}


def label(table: dict[str, str], key: str | None) -> str:
    return gettext(table[key]) if key in table else ""
