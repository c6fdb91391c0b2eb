"""The events' to-dos on the workbench (linli.web.todo): reports to register (立案), events to dispatch,
overdue events, handled events to verify on site, and each unit's queue for the handlers acting for it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events import repository as repo
from linli.kit.i18n import N_
from linli.kit.time import utcnow
from linli.web.todo import Todo

TO_DISPATCH = ("registered", "returned")


def todos(session: Session, principal: Principal) -> list[Todo]:
    out: list[Todo] = []
    manage = principal.scope(Permission.events_manage)
    verify = principal.scope(Permission.events_verify)
    if not manage.empty:
        code = principal.first_area_with(Permission.events_manage) or ""
        n = repo.state_totals(session, manage, ["reported", *TO_DISPATCH])
        events = f"/areas/{code}/events"
        out.append(Todo(N_("Reports to register"), n["reported"], f"{events}?state=reported"))
        out.append(Todo(N_("Events to dispatch"), n["registered"] + n["returned"], f"{events}?state=registered"))
        overdue = repo.overdue_total(session, manage, utcnow())
        out.append(Todo(N_("Events past their deadline"), overdue, f"{events}?overdue=1", urgent=True))
    if not verify.empty:
        code = principal.first_area_with(Permission.events_verify) or ""
        n = repo.state_totals(session, verify, ["handled"])
        out.append(Todo(N_("Handled events to verify on site"), n["handled"], f"/areas/{code}/events/verify"))
    handle = principal.scope(Permission.events_handle)
    if not handle.empty and principal.user_id is not None:
        for unit in repo.units_of_member(session, principal.user_id, handle):
            count = repo.queue_count(session, unit.id, handle)
            out.append(Todo(N_("Events dispatched to your unit"), count, f"/units/{unit.id}/queue", where=unit.name))
    return out
