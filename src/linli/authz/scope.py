"""AreaScope: the set of subtrees a principal reaches, and the only place area codes become SQL.

Only the authentication dependency (and the CLI's system principal) constructs an AreaScope; the
private token below makes an accidental construction elsewhere fail loudly. The module functions
(`subtree_clause`, `ancestors_clause`, `reach_clause`) are the SQL for a requested area; no other
module turns `codes.subtree_range` into SQL by hand (tests/app/test_architecture.py keeps it so).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, false, or_, true

from linli.kit import codes

_CONSTRUCT = object()


class AreaScope:
    __slots__ = ("_codes", "_everything", "_ranges")

    def __init__(self, area_codes: Iterable[str], *, everything: bool, _token: object = None):
        if _token is not _CONSTRUCT:
            raise RuntimeError("AreaScope is built by the authentication dependency only")
        self._everything = everything
        # Drop codes already covered by an ancestor in the set: fewer, disjoint ranges. A code sorts
        # after its ancestors (a prefix sorts first), so an ancestor is kept before its descendants.
        unique = sorted(set(area_codes))
        kept: list[str] = []
        for c in unique:
            if not any(c.startswith(k) for k in kept):
                kept.append(c)
        self._codes = tuple(kept)
        self._ranges = tuple(codes.subtree_range(c) for c in self._codes)

    @property
    def area_codes(self) -> tuple[str, ...]:
        """The roots of the subtrees in scope (unpadded codes)."""
        return self._codes

    @property
    def everything(self) -> bool:
        return self._everything

    @property
    def empty(self) -> bool:
        return not self._everything and not self._codes

    def contains(self, area_code: str) -> bool:
        """Whether a row's padded area code (or an unpadded code) lies inside the scope."""
        if self._everything:
            return True
        padded = codes.pad(area_code)
        return any(low <= padded < high for low, high in self._ranges)

    def covers_subtree(self, code: str) -> bool:
        """Whether the whole subtree of `code` is inside the scope."""
        return self.contains(code)

    def clause(self, column) -> ColumnElement[bool]:
        """SQL condition: `column` (a padded area code) lies in one of the half-open ranges."""
        if self._everything:
            return true()
        if not self._ranges:
            return false()
        parts = [and_(column >= low, column < high) for low, high in self._ranges]
        return parts[0] if len(parts) == 1 else or_(*parts)

    def reach_clause(self, column) -> ColumnElement[bool]:
        """SQL: `column` lies in the scope's subtrees or is an ancestor of one of its roots (what covers
        the scope from above: a county's warning reaches the community worker beneath it)."""
        if self._everything:
            return true()
        return reach_clause(column, self._codes)

    def __repr__(self) -> str:
        return "AreaScope(everything)" if self._everything else f"AreaScope({', '.join(self._codes)})"


def subtree_clause(column, code: str) -> ColumnElement[bool]:
    """SQL: `column` (a padded area code) is `code` or lies beneath it."""
    low, high = codes.subtree_range(code)
    return and_(column >= low, column < high)


def ancestors_clause(column, area_codes: Iterable[str]) -> ColumnElement[bool]:
    """SQL: `column` (padded) is a strict ancestor of one of `area_codes`."""
    padded = sorted({codes.pad(a) for c in area_codes for a in codes.ancestors(c)})
    return column.in_(padded) if padded else false()


def reach_clause(column, area_codes: Iterable[str]) -> ColumnElement[bool]:
    """SQL: `column` (padded) lies in the subtree of one of `area_codes` or is an ancestor of one."""
    wanted = list(area_codes)
    parts = [subtree_clause(column, c) for c in wanted]
    if any(codes.ancestors(c) for c in wanted):
        parts.append(ancestors_clause(column, wanted))
    return or_(*parts) if parts else false()


def build_scope(area_codes: Iterable[str], *, everything: bool = False) -> AreaScope:
    """For linli.authz.principal only."""
    return AreaScope(area_codes, everything=everything, _token=_CONSTRUCT)
