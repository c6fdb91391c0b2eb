"""What the facilities' templates share: the words of the codes, opening hours as a person reads them."""

from __future__ import annotations

from linli.facilities import kinds
from linli.kit.i18n import gettext


def hours_lines(hours) -> list[tuple[str, str]]:
    """(weekday, "09:00–17:00" or "closed") for the seven days, Monday first."""
    by_day = {h.weekday: h for h in hours}
    out = []
    for day, name in enumerate(kinds.WEEKDAYS):
        h = by_day.get(day)
        out.append((gettext(name), f"{h.opens}–{h.closes}" if h else gettext("closed")))
    return out


def labels() -> dict:
    return {
        "hours_lines": hours_lines,
        "function_label": lambda c: kinds.label(kinds.ROOM_FUNCTIONS, c),
        "feature_label": lambda c: kinds.label(kinds.ACCESSIBILITY, c),
        "criterion_label": lambda c: kinds.label(kinds.CRITERIA, c),
        "review_label": lambda c: kinds.label(kinds.REVIEW_RESULTS, c),
        "kind_label": lambda k: (
            gettext("urban community") if k == "community" else gettext("village") if k == "village" else k
        ),
    }
