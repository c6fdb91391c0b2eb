"""Chinese phone numbers (mobile and landline): validation, normalisation, masking.

Ground, not a domain's: the residents register, event reporters' contacts and notification
subscribers all keep phone numbers."""

from __future__ import annotations

import re

from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


class InvalidPhone(InvalidInput):
    code = "invalid_phone"


def normalize_phone(raw: str) -> str:
    """Digits only, without a +86 / 0086 country prefix."""
    digits = re.sub(r"\D", "", raw or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (11, 10, 12) and raw.strip()[:1] in "+0":
            digits = digits[len(prefix) :]
            break
    return digits


def parse_phone(raw: str) -> str:
    """A mobile (11 digits, 1[3-9]…) or landline (0 + area code + number) phone, normalised to digits."""
    if re.search(r"[^\d\s\-+()]", raw or ""):
        raise InvalidPhone(t("a phone number contains digits, spaces, '-', '+' and parentheses only"))
    digits = normalize_phone(raw)
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    if digits.startswith("1"):
        raise InvalidPhone(t("a mobile number has 11 digits and starts with 13–19"))
    raise InvalidPhone(t("not a phone number: give a mobile (11 digits) or a landline with its area code (0…)"))


def mask_phone(value: str) -> str:
    """138****5678 for a mobile; a landline keeps its area code and last four digits."""
    if len(value) == 11 and value.startswith("1"):
        return value[:3] + "****" + value[-4:]
    if len(value) > 7:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return "*" * len(value)
