"""The words of the road chiefs' values, in the reader's language."""

from __future__ import annotations

from linli.kit.i18n import N_, gettext

LEVELS = {"street": N_("Street chief"), "road": N_("Road chief"), "lane": N_("Lane chief")}
ROAD_KINDS = {"street": N_("Street"), "road": N_("Road"), "lane": N_("Lane")}
STATUSES = {"active": N_("In office"), "ended": N_("Ended")}


def label(table: dict[str, str], value: str | None) -> str:
    return gettext(table[value]) if value in table else (value or "")


def options(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, gettext(v)) for k, v in table.items()]
