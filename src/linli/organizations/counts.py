"""The figures of an area, rolled up by its children (the seed's figures, computed from the data):
alliances, member units, pairings, projects done, needs open and met, social organizations and how many there
are per 10,000 residents (the residents from the register's count of present persons).

Each figure of each child is one count over a range of an index (state or kind first, then the area
code), all of them in one statement: a province's figures are 9 cities × 7 counts, each reading only the
rows it counts. Rows at the area's own level (an alliance of the street itself) are a row of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.organizations.models import Alliance, AllianceMember, Need, Organization, Pairing, Project
from linli.residents import repository as residents_repo

FIGURES = ("alliances", "members", "pairs", "projects_done", "needs_open", "needs_met", "social_orgs")


@dataclass
class Row:
    """The figures of one child area (or of the area itself: `code` the area's, for rows at its level)."""

    code: str
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    residents: int = 0

    @property
    def social_orgs_per_10k(self) -> float | None:
        if not self.residents:
            return None
        return round(self.figures["social_orgs"] * 10000 / self.residents, 2)


def _figures(scope: AreaScope) -> dict[str, tuple]:
    """Each figure: the area column it rolls up by, and its conditions besides the area."""
    social = (Organization.kind == "social_organization", Organization.status == "active")
    return {
        "alliances": (Alliance.area_code, (scope.clause(Alliance.area_code), Alliance.status == "active")),
        "members": (AllianceMember.area_code, (scope.clause(AllianceMember.area_code),)),
        "pairs": (Pairing.area_code, (scope.clause(Pairing.area_code), Pairing.status == "active")),
        "projects_done": (Project.area_code, (scope.clause(Project.area_code), Project.status == "done")),
        "needs_open": (Need.area_code, (scope.clause(Need.area_code), Need.status.in_(("open", "claimed")))),
        "needs_met": (Need.area_code, (scope.clause(Need.area_code), Need.status == "met")),
        "social_orgs": (Organization.area_code, (scope.clause(Organization.area_code), *social)),
    }


def _counts(session: Session, wanted: list[tuple[str, str, object, tuple]]) -> list[int]:
    """Every count at once: one statement of scalar subqueries (one round trip), each an index range."""
    columns = [
        select(func.count()).where(place, *conds).scalar_subquery().label(f"c{i}")
        for i, (_name, _key, place, conds) in enumerate(wanted)
    ]
    return [int(n or 0) for n in session.execute(select(*columns)).one()]


def by_child(session: Session, scope: AreaScope, code: str, *, residents: bool = True) -> tuple[list[Row], Row]:
    """The figures of each child of `code` with anything to count (in code order), and the total."""
    children = sorted(area_repo.child_names(session, code))
    rows: dict[str, Row] = {}
    wanted = [
        (name, key, place, conds)
        for name, (column, conds) in _figures(scope).items()
        for key, place in [(code, column == codes.pad(code)), *((c, subtree_clause(column, c)) for c in children)]
    ]
    for (name, key, _place, _conds), n in zip(wanted, _counts(session, wanted), strict=True):
        if n:
            rows.setdefault(key, Row(key)).figures[name] += n
    if residents:
        length = codes.child_length(code)
        for child, _band, n in residents_repo.present_persons_by_child_and_band(
            session, code, scope, length, date.today()
        ):
            key = code if len(child.rstrip("0")) <= len(code) else child  # padding: the area's own level
            rows.setdefault(key, Row(key)).residents += n
    total = Row(code)
    for row in rows.values():
        for name in FIGURES:
            total.figures[name] += row.figures[name]
        total.residents += row.residents
    return [rows[k] for k in sorted(rows)], total
