"""The demo: the 南岭街道 alliance with a dozen member units and the three lists in every state, its agreement,
a meeting, a review and one unit's evaluation, marked generated, once."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.organizations import demo
from linli.organizations.models import (
    Agreement,
    Alliance,
    AllianceMeeting,
    AllianceMember,
    Need,
    Organization,
    Pairing,
    Project,
    UnitEvaluation,
)
from tests.factories import SYSTEM


def test_the_demo_alliance_in_every_state(session, areas):
    said = []
    demo.step(session, SYSTEM, said.append)
    demo.step(session, SYSTEM, said.append)  # a second run adds nothing
    assert session.scalar(select(func.count()).select_from(Alliance)) == 1
    assert session.scalar(select(func.count()).select_from(AllianceMember)) == 12
    needs = dict(session.execute(select(Need.status, func.count()).group_by(Need.status)).all())
    assert needs == {"open": 3, "claimed": 2, "met": 2, "closed": 1}
    projects = dict(session.execute(select(Project.status, func.count()).group_by(Project.status)).all())
    assert projects == {"done": 2, "claimed": 2, "dropped": 1}
    assert session.scalar(select(func.count()).where(Project.rating.is_not(None))) == 1
    assert session.scalar(select(func.count()).where(Organization.generated.is_(False))) == 0
    pairings = dict(session.execute(select(Pairing.status, func.count()).group_by(Pairing.status)).all())
    assert pairings == {"active": 3, "ended": 1}
    assert len(said) == 3 and "unitcontact" in said[1] and "agreement" in said[2]
    [agreement] = session.scalars(select(Agreement)).all()
    assert agreement.generated and agreement.starts_on <= agreement.ends_on
    [evaluation] = session.scalars(select(UnitEvaluation)).all()
    assert evaluation.generated and session.scalar(select(func.count()).select_from(AllianceMeeting)) == 1
