"""The figures of an area, rolled up by its children (the seed's figures, computed from the data):
alliances, member units, projects done, needs open and met, social organizations and how many there
are per 10,000 residents (the residents from the register's count of present persons).

One grouped query per table over the area's index range: a province's figures read each table once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.organizations.models import Alliance, AllianceMember, Need, Organization, Project
from linli.residents import repository as residents_repo

FIGURES = ("alliances", "members", "projects_done", "needs_open", "needs_met", "social_orgs")


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


def _grouped(session: Session, column, length: int, conds: list) -> dict[str, int]:
    child = func.substr(column, 1, length)
    q = select(child, func.count()).where(*conds).group_by(child)
    return {key: n for key, n in session.execute(q).all()}


def _tables(scope: AreaScope, code: str) -> dict[str, tuple]:
    """Each figure: the column it rolls up by, and its conditions."""

    def under(column) -> list:
        return [scope.clause(column), subtree_clause(column, code)]

    return {
        "alliances": (Alliance.area_code, [*under(Alliance.area_code), Alliance.status == "active"]),
        "members": (AllianceMember.area_code, under(AllianceMember.area_code)),
        "projects_done": (Project.area_code, [*under(Project.area_code), Project.status == "done"]),
        "needs_open": (Need.area_code, [*under(Need.area_code), Need.status.in_(("open", "claimed"))]),
        "needs_met": (Need.area_code, [*under(Need.area_code), Need.status == "met"]),
        "social_orgs": (
            Organization.area_code,
            [
                *under(Organization.area_code),
                Organization.kind == "social_organization",
                Organization.status == "active",
            ],
        ),
    }


def _key(prefix: str, code: str) -> str:
    """The child a grouped prefix stands for; a row at the area's own level (padding) is the area."""
    real = prefix.rstrip("0")
    return code if len(real) <= len(code) else prefix


def by_child(session: Session, scope: AreaScope, code: str, *, residents: bool = True) -> tuple[list[Row], Row]:
    """The figures of each child of `code` with anything to count (in code order), and the total."""
    length = codes.child_length(code)
    rows: dict[str, Row] = {}
    for name, (column, conds) in _tables(scope, code).items():
        for prefix, n in _grouped(session, column, length, conds).items():
            key = _key(prefix, code)
            rows.setdefault(key, Row(key)).figures[name] += n
    if residents:
        for child, _band, n in residents_repo.present_persons_by_child_and_band(
            session, code, scope, length, date.today()
        ):
            key = _key(child, code)
            rows.setdefault(key, Row(key)).residents += n
    total = Row(code)
    for row in rows.values():
        for name in FIGURES:
            total.figures[name] += row.figures[name]
        total.residents += row.residents
    return [rows[k] for k in sorted(rows)], total
