"""The conventions' to-dos on the workbench: drafts to review and filings to receive (officials); approved
drafts to put to the meeting and adopted ones to file, overdue first (community workers)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.conventions import repository as repo
from linli.kit.i18n import N_
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    out: list[Todo] = []
    review = principal.scope(Permission.conventions_review)
    if not review.empty:
        page = f"/areas/{principal.first_area_with(Permission.conventions_review)}/conventions"
        out.append(Todo(N_("Conventions to review"), repo.count_status(session, review, ("under_review",)), page))
    write = principal.scope(Permission.conventions_write)
    if not write.empty:
        page = f"/areas/{principal.first_area_with(Permission.conventions_write)}/conventions"
        overdue = repo.filing_overdue_count(session, write, repo.today())
        out.append(Todo(N_("Conventions to file, past the filing period"), overdue, page, urgent=True))
        waiting = repo.count_status(session, write, ("approved", "returned"))
        out.append(Todo(N_("Conventions approved or returned by the township"), waiting, page))
    return out
