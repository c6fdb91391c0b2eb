"""The officials' overview (辖区概况) on the workbench: an area's figures that mean something, each a link
to the list behind it — events by state, and per child area the open, overdue and overdue rate and the
events closed this month; the warnings in force with how many of the workers sent them have confirmed;
the persons of the register by tag.

Who gets one: a principal holding `events.read` through a grant at a township (street) or above,
other than as a grid worker, handler or resident; their first such grant's area is the one shown on
`/`, and every child area's name opens the same overview for that child (`/areas/{code}/overview`).
Grid and community workers, whose grants are a grid or a village, keep the to-dos alone.

Every figure is read through the owning domain's repository or service, over the reader's scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from linli.alerts import confirm as warning_progress
from linli.alerts import repository as alerts
from linli.alerts.kinds import COLOURS
from linli.areas.models import Area
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.events import repository as events
from linli.events.kinds import STATE_LABELS, state_label
from linli.events.repository import reads as event_reads
from linli.kit import codes
from linli.kit.i18n import gettext
from linli.kit.time import BEIJING, utcnow
from linli.residents.kinds import Tag, tag_name
from linli.residents.service import counts as register_counts

# Roles whose grants are not an official's, wherever they are held.
NOT_OFFICIAL = frozenset({Role.grid_worker, Role.department_handler, Role.resident})
WARNINGS_SHOWN = 5


def overview_area(principal: Principal) -> str | None:
    """The area of the principal's overview on the workbench, or None (no grant as an official at a
    township or above)."""
    for role, code in principal.roles_held:
        if role not in NOT_OFFICIAL and len(code) <= 9 and principal.can(Permission.events_read, code):
            return code
    return None


@dataclass
class ChildRow:
    code: str
    name: str
    open: int = 0
    overdue: int = 0
    overdue_rate: float = 0.0
    closed_this_month: int = 0
    drill: bool = False  # an area below which there are more areas to open


@dataclass
class WarningRow:
    identifier: str
    headline: str
    colour: str  # the colour's key (blue … red)
    colour_name: str  # in the reader's language
    confirmed: int | None  # None: the reader may not follow its deliveries here
    expected: int | None


@dataclass
class Overview:
    area: Area
    parent: str | None  # the parent's code when the reader may open its overview
    by_state: list[tuple[str, str, int]]  # (state, label, events), the states with events
    total: ChildRow
    children: list[ChildRow]
    warnings: list[WarningRow]
    warnings_total: int
    tags: list[tuple[str, str, int]] | None = field(default=None)  # (tag, label, persons); None: not readable


def month_start(now: datetime) -> datetime:
    """The first instant of the current month in Beijing time (as UTC)."""
    local = now.astimezone(BEIJING)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def _events(session: Session, principal: Principal, code: str, now: datetime):
    stats = event_reads.stats(session, principal, code)
    child_len = codes.child_length(code)
    closed = events.closed_since_by_child(
        session, principal.scope(Permission.events_read), code, child_len, month_start(now)
    )
    closed = {codes.unpad(c.ljust(15, "0")): n for c, n in closed.items()}

    def row(s, drill: bool) -> ChildRow:
        return ChildRow(s.code, s.name, s.open, s.overdue, s.overdue_rate, closed.get(s.code, 0), drill)

    children = [row(c, len(c.code) < 15) for c in stats.children]
    total = row(stats.area, False)
    total.closed_this_month = sum(closed.values())
    by_state = [(s, state_label(s), stats.area.by_state[s]) for s in STATE_LABELS if stats.area.by_state.get(s)]
    return by_state, total, children


def _warnings(session: Session, principal: Principal, code: str) -> tuple[list[WarningRow], int]:
    if not principal.can(Permission.warnings_read, code):
        return [], 0
    in_force, total = alerts.list_messages(
        session, principal, area_code=code, current=True, one_per_warning=True, limit=WARNINGS_SHOWN
    )
    rows = []
    follows = warning_progress.can_see_progress(principal, code)
    for m in in_force:
        confirmed = expected = None
        if follows:
            p = warning_progress.progress(session, m, code)
            confirmed, expected = p.total.confirmed, p.total.staff
        colour = gettext(COLOURS[m.colour].en) if m.colour in COLOURS else m.colour
        rows.append(WarningRow(m.identifier, m.headline, m.colour, colour, confirmed, expected))
    return rows, total


def _tags(session: Session, principal: Principal, code: str) -> list[tuple[str, str, int]] | None:
    if not principal.can(Permission.residents_read, code):
        return None
    counts = register_counts.tag_counts(session, principal, code)
    return [(t.value, tag_name(t.value), counts.get(t.value, 0)) for t in Tag]


def overview(session: Session, principal: Principal, code: str, *, now: datetime | None = None) -> Overview:
    """The overview of `code` as the principal may see it (404 outside their events scope)."""
    area = event_reads.check_area(session, principal, code)
    by_state, total, children = _events(session, principal, code, now or utcnow())
    warnings, warnings_total = _warnings(session, principal, code)
    parent = area.parent_code
    if parent is None or not principal.scope(Permission.events_read).contains(parent):
        parent = None
    return Overview(
        area=area,
        parent=parent,
        by_state=by_state,
        total=total,
        children=children,
        warnings=warnings,
        warnings_total=warnings_total,
        tags=_tags(session, principal, code),
    )
