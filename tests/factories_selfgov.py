"""Plain functions that build villages' registers, meetings and matters for the self-government tests."""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.residents import service as residents
from linli.residents.idcard import make_id
from linli.residents.schemas import HouseholdIn, PersonIn
from linli.residents.service import households
from linli.selfgov.schemas import MeetingIn
from linli.selfgov.service import meetings
from tests.factories import SYSTEM, VILLAGE_A
from tests.factories_residents import GRID, GRID_B

VILLAGE_B = GRID_B[:12]  # made a village (村) by `make_village`: the villagers' law applies there
_seq = count(101)


def make_village(session: Session, code: str = VILLAGE_B) -> Area:
    """The area as a village (kind 村): the test slice's places are urban communities."""
    area = session.get(Area, code)
    area.kind = "village"
    session.flush()
    return area


def person(
    session: Session,
    grid: str,
    *,
    woman: bool = False,
    born: date = date(1980, 1, 1),
    party: bool = False,
    household=None,
):
    """A person registered in `grid`; the ID number's sequence sets the gender (odd: man, even: woman)."""
    seq = next(_seq) * 2 + (0 if woman else 1)
    body = PersonIn(
        household_id=household.id if household is not None else None,
        area_code=None if household is not None else grid,
        relation="head" if household is not None else None,
        name=("李" if woman else "王") + str(seq),
        id_number=make_id("220102", born, seq),
        party_member=party,
    )
    return residents.register_person(session, SYSTEM, body)


def adults(session: Session, grid: str, n: int, *, women: int = 0, households: bool = False) -> list:
    """`n` adults of `grid` (the first `women` of them women); each the head of a household of their own
    when `households`."""
    out = []
    for i in range(n):
        h = None
        if households:
            h = households_.create_household(
                session, SYSTEM, HouseholdIn(area_code=grid, register_type="local", address=f"村路{i}号")
            )
        out.append(person(session, grid, woman=i < women, household=h))
    return out


households_ = households  # the residents service module (a name the parameter does not hide)


def meeting(
    session: Session,
    principal,
    code: str,
    kind: str = "villagers_meeting",
    *,
    held_on=date(2026, 3, 20),
    notice_on=date(2026, 3, 1),
    base=None,
    **extra,
):
    data = MeetingIn(
        area_code=code,
        kind=kind,
        base=base,
        title=extra.pop("title", "讨论村道硬化"),
        notice_on=notice_on,
        held_on=held_on,
        **extra,
    )
    return meetings.call(session, principal, data)


__all__ = ["GRID", "VILLAGE_A", "VILLAGE_B", "adults", "make_village", "meeting", "person"]
