"""Consultations' to-dos on the workbench: raised topics to take up, held ones to report back on."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.consultation import repository as repo
from linli.kit.i18n import N_
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    write = principal.scope(Permission.consultation_write)
    if write.empty:
        return []
    page = f"/areas/{principal.first_area_with(Permission.consultation_write)}/consultations"
    return [
        Todo(
            N_("Topics raised for consultation"),
            repo.count_status(session, write, "proposed"),
            f"{page}?status=proposed",
        ),
        Todo(N_("Consultations to report back on"), repo.count_status(session, write, "held"), f"{page}?status=held"),
    ]
