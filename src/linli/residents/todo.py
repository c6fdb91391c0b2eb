"""The register's to-dos on the workbench (linli.web.todo): transfers into the principal's places
waiting for their decision (accept or reject the person or household moving in)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.i18n import N_
from linli.residents import repository
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    scope = principal.scope(Permission.residents_write)
    if scope.empty:
        return []
    return [Todo(N_("Transfers waiting for your decision"), repository.pending_into(session, scope), "/transfers")]
