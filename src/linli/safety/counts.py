"""The figures of an area, rolled up by its children: grids covered by a judge, communities with police in
the two committees and with a legal adviser (each counted once however many serve there), mediation cases
(all, closed, closed with an agreement: the success rate) and legal-service sessions held.

Each figure of each child is one count over a range of an index, all of them in one statement (the shape
of linli.organizations.counts). Rows at the area's own level (a police officer of the community itself,
seen from the community) are a row of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.safety.models import Appointment, LegalSession, MediationCase
from linli.safety.repository import serving_on

FIGURES = (
    "grids_with_judge",
    "communities_with_police",
    "communities_with_adviser",
    "cases",
    "cases_closed",
    "cases_agreed",
    "sessions",
)


@dataclass
class Row:
    """The figures of one child area (or of the area itself: `code` the area's, for rows at its level)."""

    code: str
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))

    @property
    def success_rate(self) -> float | None:
        """Agreements among the closed cases, in percent (None before any case closed)."""
        closed = self.figures["cases_closed"]
        return round(self.figures["cases_agreed"] * 100 / closed, 1) if closed else None


def _figures(scope: AreaScope, today: date) -> dict[str, tuple]:
    """Each figure: what it counts, the area column it rolls up by, and its conditions besides the area."""
    places = func.count(distinct(Appointment.area_code))
    serving = (scope.clause(Appointment.area_code), *serving_on(today))
    cases = (scope.clause(MediationCase.area_code),)
    return {
        "grids_with_judge": (places, Appointment.area_code, (*serving, Appointment.duty == "judge")),
        "communities_with_police": (places, Appointment.area_code, (*serving, Appointment.duty == "police")),
        "communities_with_adviser": (places, Appointment.area_code, (*serving, Appointment.duty == "legal_adviser")),
        "cases": (func.count(), MediationCase.area_code, cases),
        "cases_closed": (func.count(), MediationCase.area_code, (*cases, MediationCase.status == "closed")),
        "cases_agreed": (func.count(), MediationCase.area_code, (*cases, MediationCase.outcome == "agreement")),
        "sessions": (func.count(), LegalSession.area_code, (scope.clause(LegalSession.area_code),)),
    }


def by_child(session: Session, scope: AreaScope, code: str, today: date | None = None) -> tuple[list[Row], Row]:
    """The figures of each child of `code` with anything to count (in code order), and the total."""
    children = sorted(area_repo.child_names(session, code))
    wanted = [
        (name, key, counted, place, conds)
        for name, (counted, column, conds) in _figures(scope, today or date.today()).items()
        for key, place in [(code, column == codes.pad(code)), *((c, subtree_clause(column, c)) for c in children)]
    ]
    columns = [
        select(counted).where(place, *conds).scalar_subquery().label(f"c{i}")
        for i, (_name, _key, counted, place, conds) in enumerate(wanted)
    ]
    rows: dict[str, Row] = {}
    for (name, key, *_rest), n in zip(wanted, session.execute(select(*columns)).one(), strict=True):
        if n:
            rows.setdefault(key, Row(key)).figures[name] += int(n)
    total = Row(code)
    for row in rows.values():
        for name in FIGURES:
            total.figures[name] += row.figures[name]
    return [rows[k] for k in sorted(rows)], total
