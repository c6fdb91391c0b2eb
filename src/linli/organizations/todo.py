"""The organizations' to-dos on the workbench (linli.web.todo): needs in the community worker's places
waiting for a unit to claim them, and projects under way past their end date (for those who manage the
place, and for a unit's contact, their own units' projects)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.organizations import repository
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    found: list[Todo] = []
    manage = principal.scope(Permission.orgs_manage)
    code = principal.first_area_with(Permission.orgs_manage)
    if not manage.empty and code is not None:
        found.append(
            Todo(N_("Needs waiting for a unit to claim them"), repository.open_needs_count(session, manage),
                 f"/areas/{code}/org-needs?status=open")
        )  # fmt: skip
        found.append(
            Todo(N_("Projects past their end date"), repository.overdue_projects_count(session, manage, date.today()),
                 f"/areas/{code}/org-needs?status=claimed", urgent=True)
        )  # fmt: skip
        return found
    act = principal.scope(Permission.orgs_act)
    if not act.empty:
        mine = repository.orgs_of_contact(session, principal.user_id, act)
        overdue = repository.overdue_projects_count(session, act, date.today(), [o.id for o in mine])
        if mine:
            found.append(
                Todo(
                    N_("Your units' projects past their end date"), overdue, f"/organizations/{mine[0].id}", urgent=True
                )
            )
    return found
