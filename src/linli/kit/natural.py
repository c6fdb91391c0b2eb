"""Natural order of addresses: "2-1-31" before "2-1-302", "幸福路2号" before "幸福路12号".

A key is text compared character by character (code point order; on PostgreSQL the column is collated
"C"): each run of digits becomes its length in two digits followed by the digits without leading zeros,
so a shorter number sorts first and numbers of one length compare digit by digit. Full-width digits
(３０２) count as digits. Parts are joined by a unit separator, which sorts before any character typed.
"""

from __future__ import annotations

import re
import unicodedata

KEY_LENGTH = 255
_DIGITS = re.compile(r"[0-9]+")


def _number(match: re.Match) -> str:
    digits = match.group().lstrip("0") or "0"
    return f"{min(len(digits), 99):02d}{digits}"


def natural_key(*parts: str | None) -> str:
    """The sort key of `parts` (address, unit, room …), cut to KEY_LENGTH characters."""
    keyed = [_DIGITS.sub(_number, unicodedata.normalize("NFKC", p or "").strip().casefold()) for p in parts]
    return "\x1f".join(keyed)[:KEY_LENGTH]
