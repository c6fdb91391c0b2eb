"""The road chiefs' to-dos on the workbench (linli.web.todo): a chief with an account sees the open grid
events of the grids and roads they cover (as far as they may read events), on their appointment's page."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.chiefs import repository
from linli.kit import codes
from linli.kit.i18n import N_
from linli.web.todo import Todo


def todos(session: Session, principal: Principal) -> list[Todo]:
    mine = repository.active_of_user(session, principal.user_id)
    if not mine:
        return []
    covers = repository.coverage_of(session, [a.id for a in mine])
    places = sorted({codes.unpad(c.area_code) for a in mine for c in covers[a.id]})
    count = repository.open_events_count(session, principal.scope(Permission.events_read), places)
    return [Todo(N_("Open events on the roads you are chief of"), count, f"/chiefs/{mine[0].id}")]
