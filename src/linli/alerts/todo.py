"""The warnings' to-dos on the workbench (linli.web.todo): each warning in force the principal was sent
as staff (a grid or community worker of a covered place) and has not answered yet — one line per
warning, urgent, linking to the page where they confirm receipt or report the patrol."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.alerts import confirm, repository
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.web.todo import Todo

# Warnings in force at once over one place are a handful; more than this is not a to-do list.
LOOKED_AT = 20


def todos(session: Session, principal: Principal) -> list[Todo]:
    if principal.user_id is None:
        return []
    in_force, _total = repository.list_messages(session, principal, current=True, limit=LOOKED_AT)
    out = []
    for m in in_force:
        if confirm.recipient_area(session, m.thread, principal.user_id) is None:
            continue
        if repository.confirmations_of(session, m.thread, principal.user_id):
            continue
        out.append(
            Todo(
                N_("Warning awaiting your confirmation"),
                1,
                f"/warnings/{m.identifier}",
                urgent=True,
                where=m.headline,
            )
        )
    return out
