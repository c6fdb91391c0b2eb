"""Citizen ID numbers (GB 11643-1999): validation, normalisation, masking (phones: linli.kit.phone)."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date

from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
# Province-level codes of GB/T 2260 (the first two digits of the address code).
PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42"}
    | {"43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
)
EARLIEST_BIRTH = date(1890, 1, 1)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(InvalidInput):
    code = "invalid_id_number"


@dataclass(frozen=True)
class IdNumber:
    value: str  # normalised: 18 characters, upper-case X
    region: str
    birth_date: date
    gender: str  # "male" / "female" (odd / even 17th digit)


def normalize_id(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def check_digit(first17: str) -> str:
    return CHECK[sum(map(operator.mul, map(int, first17), WEIGHTS)) % 11]


def parse_id(raw: str, today: date | None = None) -> IdNumber:
    """A valid 18-character ID number or InvalidIdNumber saying exactly what is wrong."""
    value = normalize_id(raw or "")
    if len(value) != 18:
        raise InvalidIdNumber(t("an ID number has 18 characters, this one has {length}", length=len(value)))
    if not _ID_SHAPE.match(value):
        raise InvalidIdNumber(t("an ID number is 17 digits followed by a digit or X"))
    region = value[:6]
    if region[:2] not in PROVINCES or region[2:4] == "00" and region[4:] != "00":
        raise InvalidIdNumber(t("the ID number's region code {region} is not a valid division code", region=region))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            t("the ID number's birth date {birth_date} is not a real date", birth_date=value[6:14])
        ) from None
    if not EARLIEST_BIRTH <= born <= (today or date.today()):
        raise InvalidIdNumber(t("the ID number's birth date {birth_date} is impossible", birth_date=born.isoformat()))
    if check_digit(value[:17]) != value[17]:
        raise InvalidIdNumber(t("the ID number's check digit is wrong (a typing mistake?)"))
    return IdNumber(value, region, born, "male" if int(value[16]) % 2 else "female")


def make_id(region: str, born: date, sequence: int) -> str:
    """A valid ID number (for generated demo data and tests): region + birth date + 3-digit sequence + check."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)


def mask_id(value: str) -> str:
    """220102********1234: the region and the last four stay, the birth date is hidden."""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)
