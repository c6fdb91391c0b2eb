"""The safety units' to-do on the workbench (linli.web.todo): mediation cases still open in the places
where the principal records them (community workers, the appointees, officials)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.safety import repository
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    scope = principal.scope(Permission.safety_record)
    code = principal.first_area_with(Permission.safety_record)
    if scope.empty or code is None:
        return []
    return [
        Todo(N_("Mediation cases to close"), repository.open_cases_count(session, scope), f"/areas/{code}/safety#cases")
    ]
