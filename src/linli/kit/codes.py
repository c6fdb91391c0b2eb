"""Area codes (national statistical division codes) and the padded form used for scoping.

Province 2 digits, city 4, county 6, township 9, village 12, grid 15. Every scoped row stores its
place as a 15-character code right-padded with zeros; the subtree of a code c is the half-open
range [pad(c), pad(c + 1)).
"""

from __future__ import annotations

from enum import StrEnum

from linli.kit.i18n import t

WIDTH = 15


class Level(StrEnum):
    province = "province"
    city = "city"
    county = "county"
    township = "township"
    village = "village"
    grid = "grid"


LEVEL_LENGTHS: dict[Level, int] = {
    Level.province: 2,
    Level.city: 4,
    Level.county: 6,
    Level.township: 9,
    Level.village: 12,
    Level.grid: 15,
}
LENGTH_LEVELS = {n: lvl for lvl, n in LEVEL_LENGTHS.items()}
LEVEL_ORDER = list(LEVEL_LENGTHS)


class CodeError(ValueError):
    pass


def level_of(code: str) -> Level:
    """The level a code denotes; raises CodeError for anything that is not a well-formed code."""
    if not code.isascii() or not code.isdigit():
        raise CodeError(t("area code {code!r} must contain digits only", code=code))
    level = LENGTH_LEVELS.get(len(code))
    if level is None:
        raise CodeError(
            t("area code {code!r} has {count} digits; expected 2, 4, 6, 9, 12 or 15", code=code, count=len(code))
        )
    start = 0
    for lvl in LEVEL_ORDER:
        end = LEVEL_LENGTHS[lvl]
        if end > len(code):
            break
        if set(code[start:end]) == {"0"}:
            raise CodeError(
                t(
                    "area code {code!r}: its {level} part {part!r} is all zeros",
                    code=code,
                    level=lvl.value,
                    part=code[start:end],
                )
            )
        start = end
    return level


def is_valid(code: str) -> bool:
    try:
        level_of(code)
    except CodeError:
        return False
    return True


def pad(code: str) -> str:
    return code.ljust(WIDTH, "0")


def subtree_range(code: str) -> tuple[str, str]:
    """Half-open [low, high) range of padded codes covering the code and everything beneath it."""
    low = pad(code)
    high = pad(str(int(code) + 1).rjust(len(code), "0"))
    return low, high


def in_subtree(padded: str, code: str) -> bool:
    low, high = subtree_range(code)
    return low <= padded < high


def unpad(padded: str) -> str:
    """The real code of a padded one (lengths 2/4/6/9/12/15; real suffixes are never all zeros)."""
    for n in (2, 4, 6, 9, 12):
        if set(padded[n:]) <= {"0"}:
            return padded[:n]
    return padded


def township_of(code: str) -> str | None:
    """The street or township (9 digits) a code, real or padded, lies in; None above that level."""
    real = unpad(code)
    return real[:9] if len(real) >= 9 else None


def ancestors(code: str) -> list[str]:
    """Codes of the ancestors, root first, excluding the code itself."""
    return [code[:n] for n in (2, 4, 6, 9, 12) if n < len(code)]


def child_length(code: str) -> int:
    """The length of the codes of the children of `code` (a grid's: its own, it has none)."""
    lengths = list(LEVEL_LENGTHS.values())
    return next((n for n in lengths if n > len(code)), lengths[-1])


def parent_of(code: str) -> str | None:
    anc = ancestors(code)
    return anc[-1] if anc else None


def is_ancestor(ancestor: str, code: str) -> bool:
    return len(ancestor) < len(code) and code.startswith(ancestor)
