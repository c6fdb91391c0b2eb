"""The disclosure boards' to-dos on the workbench: items due within a week or overdue, and residents'
questions to answer (community workers); overdue items and questions across one's villages (officials)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.disclosure import periodic
from linli.disclosure import repository as repo
from linli.kit.i18n import N_
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    out: list[Todo] = []
    today = repo.today()
    write = principal.scope(Permission.disclosure_write)
    if not write.empty:
        code = principal.first_area_with(Permission.disclosure_write) or ""
        page = f"/areas/{code}/disclosure"
        overdue = repo.overdue_count(session, write, today)
        out.append(Todo(N_("Disclosures past their due date"), overdue, f"{page}?flag=overdue", urgent=True))
        due = repo.due_soon_count(session, write, today) - overdue
        out.append(Todo(N_("Disclosures due this week"), due, f"{page}?flag=draft"))
        out.append(Todo(N_("Residents' questions to answer"), repo.open_questions_count(session, write), page))
        missing = periodic.missing_count(session, write, today)
        out.append(Todo(N_("Periodic disclosures not written past their due date"), missing, page, urgent=True))
    supervise = principal.scope(Permission.disclosure_supervise)
    if not supervise.empty and write.empty:
        code = principal.first_area_with(Permission.disclosure_supervise) or ""
        page = f"/areas/{code}/disclosure"
        overdue = repo.overdue_count(session, supervise, today)
        out.append(Todo(N_("Villages' disclosures past their due date"), overdue, page, urgent=True))
        late = repo.open_questions_count(session, supervise, today)
        out.append(Todo(N_("Residents' questions unanswered past their deadline"), late, page, urgent=True))
    return out
