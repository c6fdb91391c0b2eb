"""Self-government's to-dos on the workbench (linli.web.todo): matters under way whose next step is due,
paper ballots waiting for a second person's confirmation, and suspended matters (for the committee to
correct, for the township to follow)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.selfgov import repository
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    out: list[Todo] = []
    writing = principal.first_area_with(Permission.selfgov_write)
    if writing:
        page = f"/areas/{writing}/selfgov"
        out.append(Todo(N_("Matters with a step to take"), repository.count_active_matters(session, principal), page))
        out.append(
            Todo(
                N_("Paper ballots to confirm"),
                repository.count_unconfirmed_batches(session, principal),
                page,
                urgent=True,
            )
        )
        out.append(
            Todo(
                N_("Meetings to convene on request (the share of supporters reached)"),
                repository.count_reached_requests(session, principal),
                f"{page}#requests",
                urgent=True,
            )
        )
        out.append(
            Todo(
                N_("Suspended matters to correct"),
                repository.count_suspended(session, principal, Permission.selfgov_write),
                page,
                urgent=True,
            )
        )
    supervising = principal.first_area_with(Permission.selfgov_supervise)
    if supervising:
        out.append(
            Todo(
                N_("Suspended matters"),
                repository.count_suspended(session, principal, Permission.selfgov_supervise),
                f"/areas/{supervising}/selfgov?status=suspended",
            )
        )
    return [x for x in out if x.count]
