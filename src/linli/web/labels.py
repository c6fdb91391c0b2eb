"""Display names of roles, levels and kinds, in the current language."""

from __future__ import annotations

from linli.kit.i18n import N_
from linli.kit.i18n import gettext as _

ROLES = {
    "admin": N_("Administrator"),
    "official": N_("Official"),
    "community_worker": N_("Community worker"),
    "grid_worker": N_("Grid worker"),
    "department_handler": N_("Department handler"),
    "auditor": N_("Auditor"),
    "resident": N_("Resident"),
    "warning_issuer": N_("Warning issuer"),
    "org_contact": N_("Member unit contact"),
    "safety_appointee": N_("Police, judge or legal adviser"),
}
LEVELS = {
    "province": N_("Province"),
    "city": N_("City"),
    "county": N_("County"),
    "township": N_("Street / township"),
    "village": N_("Community / village"),
    "grid": N_("Grid"),
}
KINDS = {
    "province": N_("Province"),
    "prefecture_city": N_("Prefecture-level city"),
    "autonomous_prefecture": N_("Autonomous prefecture"),
    "district": N_("District"),
    "county_level_city": N_("County-level city"),
    "county": N_("County"),
    "autonomous_county": N_("Autonomous county"),
    "functional_zone": N_("Functional zone"),
    "subdistrict": N_("Subdistrict (street)"),
    "town": N_("Town"),
    "township": N_("Township"),
    "ethnic_township": N_("Ethnic township"),
    "community": N_("Community"),
    "village": N_("Village"),
    "virtual_living_area": N_("Living area"),
    "other": N_("Other"),
    "residential": N_("Residential grid"),
    "exclusive_commercial": N_("Exclusive grid: commercial district"),
    "exclusive_hospital": N_("Exclusive grid: hospital"),
    "exclusive_school": N_("Exclusive grid: school"),
    "exclusive_industrial_park": N_("Exclusive grid: industrial park"),
    "exclusive_other": N_("Exclusive grid: other"),
    "rural_villagers_group": N_("Rural grid: villagers' group"),
    "rural_natural_village": N_("Rural grid: natural village"),
}


def role_label(role: str) -> str:
    return _(ROLES.get(role, role))


def level_label(level: str) -> str:
    return _(LEVELS.get(level, level))


def kind_label(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind
