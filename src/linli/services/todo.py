"""The services' to-dos on the workbench (linli.web.todo): applications waiting at the counter for
acceptance, steps in process at the principal's level, and applications past their deadline."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.kit.time import utcnow
from linli.services import repository as repo
from linli.services.models import Application
from linli.web.todo import Todo

LEVEL_OF_LENGTH = {12: "community", 9: "township", 6: "county"}


def todos(session: Session, principal: Principal) -> list[Todo]:
    handle = principal.scope(Permission.services_handle)
    if handle.empty:
        return []
    code = principal.first_area_with(Permission.services_handle) or ""
    base = f"/areas/{code}/services"
    out = [
        Todo(
            N_("Applications to accept"),
            repo.count_where(session, handle, Application.state == "submitted"),
            f"{base}?state=submitted",
        )
    ]
    level = LEVEL_OF_LENGTH.get(len(code))
    if level:
        steps = repo.count_where(session, handle, Application.state == "in_process", Application.step_level == level)
        out.append(Todo(N_("Application steps at your level"), steps, f"{base}?level={level}"))
    overdue = repo.count_where(session, handle, repo.overdue_clause(utcnow()))
    out.append(Todo(N_("Applications past their deadline"), overdue, f"{base}?overdue=1", urgent=True))
    return out
