"""The workforce's to-dos on the workbench (linli.web.todo): for who manages community workers, the
workers flagged for dismissal review by their county's rule (incompetent years in a row), done on the
area's workforce page (the worker's exit is recorded, or the flag stays)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.web.todo import Todo
from linli.workforce import reads


def todos(session: Session, principal: Principal) -> list[Todo]:
    code = principal.first_area_with(Permission.workforce_manage)
    if code is None:
        return []
    flags = reads.flags(session, principal, code)
    return [Todo(N_("Community workers to review for dismissal"), len(flags), f"/areas/{code}/workforce#flags",
                 urgent=True)]  # fmt: skip
