"""The responsibility lists' to-dos on the workbench: change requests waiting for the county's review."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.duties import repository as repo
from linli.kit.i18n import N_
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    code = principal.first_area_with(Permission.duties_review)
    # A township's own officials hold duties.review there too, but only a county (or above) reviews.
    if not code or len(code) > 6:
        return []
    count = repo.pending_count(session, principal.scope(Permission.duties_review))
    return [Todo(N_("Responsibility list changes to review"), count, f"/areas/{code}/duties/review")]
