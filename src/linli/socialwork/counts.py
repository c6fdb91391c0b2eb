"""The figures of an area, rolled up by its children: stations (centres and township stations), rooms,
staff in post and how many of them are certified, service records and their hours, open cases — the
seed's "419 township stations with 944 staff", computed from the data.

As in linli.organizations.counts: each figure of each child is one count (or sum) over a range of an
index, all of them in one statement of scalar subqueries; rows at the area's own level (a county's
centre on the county's page) are a row of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.scope import AreaScope, subtree_clause
from linli.kit import codes
from linli.socialwork import kinds
from linli.socialwork.models import Case, ServiceRecord, Staff, Station

CERTIFIED = tuple(k for k in kinds.QUALIFICATIONS if k != "none")
OPEN_CASES = tuple(k for k in kinds.CASE_STATES if k != "closed")
FIGURES = ("stations", "rooms", "staff", "certified", "records", "hours", "open_cases")


@dataclass
class Row:
    """The figures of one child area (or of the area itself: `code` the area's, for rows at its level)."""

    code: str
    figures: dict[str, float] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))


def _figures(scope: AreaScope) -> dict[str, tuple]:
    """Each figure: what it computes, the area column it rolls up by, and its conditions besides the area."""
    count = func.count()
    return {
        "stations": (count, Station.area_code, (Station.status == "active", Station.level.in_(("centre", "station")))),
        "rooms": (count, Station.area_code, (Station.status == "active", Station.level == "room")),
        "staff": (count, Staff.area_code, (Staff.status == "active",)),
        # IN, not "!= none": each value a range of the index (status, qualification, area_code).
        "certified": (count, Staff.area_code, (Staff.status == "active", Staff.qualification.in_(CERTIFIED))),
        "records": (count, ServiceRecord.area_code, ()),
        "hours": (func.coalesce(func.sum(ServiceRecord.minutes), 0), ServiceRecord.area_code, ()),  # minutes
        "open_cases": (count, Case.area_code, (Case.status.in_(OPEN_CASES),)),
    }


def by_child(session: Session, scope: AreaScope, code: str) -> tuple[list[Row], Row]:
    """The figures of each child of `code` with anything to count (in code order), and the total."""
    children = sorted(area_repo.child_names(session, code))
    wanted = []
    for name, (what, column, conds) in _figures(scope).items():
        places = [(code, column == codes.pad(code)), *((c, subtree_clause(column, c)) for c in children)]
        for key, place in places:
            query = select(what).where(place, scope.clause(column), *conds)
            if name == "records" or name == "hours":
                query = query.select_from(ServiceRecord)
            wanted.append((name, key, query.scalar_subquery()))
    values = session.execute(select(*(q.label(f"c{i}") for i, (_n, _k, q) in enumerate(wanted)))).one()
    rows: dict[str, Row] = {}
    for (name, key, _q), n in zip(wanted, values, strict=True):
        if n:
            rows.setdefault(key, Row(key)).figures[name] += int(n) / 60 if name == "hours" else int(n)
    total = Row(code)
    for row in rows.values():
        for name in FIGURES:
            total.figures[name] += row.figures[name]
    return [rows[k] for k in sorted(rows)], total
