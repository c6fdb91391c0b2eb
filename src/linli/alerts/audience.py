"""Who a warning message is for, by its CAP status and scope: the one rule the fan-out (who is told)
and every read path (lists, the warning page and API, feeds, public CAP documents) follow.

- `EVERYONE`: `Actual` + `Public` — staff and residents are told; anyone with warnings.read where it
  applies reads it, and it is in the public feeds and CAP documents.
- `STAFF`: `Actual` with scope Restricted or Private, `Exercise`, `Test` — staff are told (marked as
  an exercise unless Actual); only staff (every role but resident) read it; never public.
- `ISSUERS`: `System`, `Draft` — nobody is told; only those holding warnings.issue where it applies
  read it (they may have to update or lift it).
"""

from __future__ import annotations

from enum import Enum

from sqlalchemy import ColumnElement, and_, not_

from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal

# Roles that read public warnings only: a resident is no one a restricted or exercise warning is for.
PUBLIC_ROLES = frozenset({Role.resident})
# Statuses whose messages reach people at all (System and Draft reach nobody).
TOLD_STATUSES = ("Actual", "Exercise", "Test")


class Readers(Enum):
    EVERYONE = "everyone"
    STAFF = "staff"
    ISSUERS = "issuers"


def readers(status: str, scope: str) -> Readers:
    if status not in TOLD_STATUSES:
        return Readers.ISSUERS
    if status == "Actual" and scope == "Public":
        return Readers.EVERYONE
    return Readers.STAFF


def is_public(message) -> bool:
    """Whether the message may be shown without signing in (public feeds and CAP documents)."""
    return readers(message.status, message.scope) is Readers.EVERYONE


def residents_told(message) -> bool:
    """Whether residents who opted in are told (they are told exactly what they may read)."""
    return is_public(message)


def anyone_told(message) -> bool:
    """Whether anyone is told at all (staff are, unless the message is a System or Draft one)."""
    return readers(message.status, message.scope) is not Readers.ISSUERS


def clause(model, which: Readers) -> ColumnElement[bool]:
    """SQL: the messages (of `model`, WarningMessage) that are for `which` readers."""
    public = and_(model.status == "Actual", model.scope == "Public")
    told = model.status.in_(TOLD_STATUSES)
    if which is Readers.EVERYONE:
        return public
    if which is Readers.STAFF:
        return and_(told, not_(public))
    return not_(told)


def reader_codes(principal: Principal, which: Readers) -> list[str] | None:
    """The areas (unpadded; their subtrees) where the principal reads messages for `which` readers;
    None for everywhere (the system)."""
    if principal.system:
        return None
    if which is Readers.EVERYONE:
        return list(principal.scope(Permission.warnings_read).area_codes)
    if which is Readers.ISSUERS:
        return list(principal.scope(Permission.warnings_issue).area_codes)
    return list(principal.roles_scope(permission=Permission.warnings_read, excluding=PUBLIC_ROLES).area_codes)
