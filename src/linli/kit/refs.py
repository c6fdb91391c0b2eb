"""Stable references from one domain's record to another's, kept in the text columns the domains had
for them (`disclosure_ref`, `matter_ref`, `meeting_ref`): `selfgov-matter:12`, `selfgov-meeting:7`,
`disclosure-item:40`. A reference not in this form is free text written before the records were linked
(it is shown as it was typed, never followed)."""

from __future__ import annotations

import re

MATTER = "selfgov-matter"
MEETING = "selfgov-meeting"
DISCLOSURE_ITEM = "disclosure-item"
_FORM = re.compile(r"^([a-z-]+):([1-9][0-9]{0,17})$")


def ref(kind: str, record_id: int) -> str:
    return f"{kind}:{int(record_id)}"


def parse(value: str | None, kind: str) -> int | None:
    """The id a reference of this kind names, or None (empty, free text, or another kind)."""
    found = _FORM.match((value or "").strip())
    if found is None or found.group(1) != kind:
        return None
    return int(found.group(2))
