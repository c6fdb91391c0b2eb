"""The voter base from the register on the meeting's day (18 on the day counts; the dead and those not yet
arrived do not), a villagers' group meeting of a grid with its two-thirds quorum, and the workbench's
to-dos of the committee and of the township."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from linli.kit.errors import InvalidInput, NotFound
from linli.residents.service import history
from linli.selfgov.models import Voter
from linli.selfgov.schemas import MatterIn, VoteIn
from linli.selfgov.service import matters, meetings, votes
from linli.selfgov.todo import todos
from tests.factories import SYSTEM, TOWN_A, make_user, principal
from tests.factories_residents import GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village, meeting, person


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    clerk = principal(make_user(session, "rg_clerk", "community_worker", VILLAGE_B), ("community_worker", VILLAGE_B))
    return {"clerk": clerk}


def base_of(session, m) -> set[int]:
    return set(session.scalars(select(Voter.person_id).where(Voter.meeting_id == m.id)))


def test_the_base_is_the_register_on_the_day(session, world):
    eighteen = person(session, GRID_B, born=date(2008, 3, 20))  # 18 on 2026-03-20
    seventeen = person(session, GRID_B, born=date(2008, 3, 21))
    dead = person(session, GRID_B)
    history.record_death(session, SYSTEM, dead.id, date(2026, 3, 10))
    m = meeting(session, world["clerk"], VILLAGE_B, held_on=date(2026, 3, 20))
    assert base_of(session, m) == {eighteen.id}
    earlier = meeting(session, world["clerk"], VILLAGE_B, notice_on=date(2026, 2, 20), held_on=date(2026, 3, 5))
    assert base_of(session, earlier) == {dead.id}  # alive on the 5th; the others not yet 18
    assert seventeen.id not in base_of(session, m)


def test_a_group_meeting_counts_its_grid_with_two_thirds(session, world):
    people = adults(session, GRID_B, 3)
    with pytest.raises(InvalidInput, match="group"):
        meeting(session, world["clerk"], VILLAGE_B, kind="group_meeting")
    with pytest.raises(NotFound):
        meeting(session, world["clerk"], VILLAGE_B + "099", kind="group_meeting", notice_on=date(2026, 3, 1))
    m = meeting(session, world["clerk"], GRID_B, kind="group_meeting", notice_on=date(2026, 3, 1))
    assert m.base_count == 3 and m.area_code == GRID_B
    meetings.sign_in(session, world["clerk"], m.id, [people[0].id])
    assert not meetings.quorum(session, m).met
    meetings.sign_in(session, world["clerk"], m.id, [people[1].id])
    q = meetings.quorum(session, m)
    assert q.met and "第二十八条" in q.citation


def test_workbench_todos_of_the_committee_and_the_township(session, world):
    clerk = world["clerk"]
    town = principal(make_user(session, "rg_town", "official", TOWN_A), ("official", TOWN_A))
    people = adults(session, GRID_B, 2)
    m = meeting(session, clerk, VILLAGE_B)
    meetings.sign_in(session, clerk, m.id, [p.id for p in people])
    motion = votes.add_motion(session, clerk, m.id, "x")
    votes.enter(session, clerk, motion.id, [VoteIn(person_id=people[0].id, choice="yes")])
    matter = matters.propose(session, clerk, MatterIn(area_code=VILLAGE_B, title="t", proposed_on=date(2026, 2, 1)))
    found = {x.label: x.count for x in todos(session, clerk)}
    assert found == {"Matters with a step to take": 1, "Paper ballots to confirm": 1}
    matters.suspend(session, town, matter.id, "correction_order", "r")
    assert {x.label: x.count for x in todos(session, town)} == {"Suspended matters": 1}
    assert {x.label: x.count for x in todos(session, clerk)}["Suspended matters to correct"] == 1


def test_a_seat_ends_and_no_longer_counts(session, world):
    from linli.selfgov.schemas import MemberIn
    from linli.selfgov.service import bodies

    who = adults(session, GRID_B, 2)
    seats = [
        bodies.seat(
            session,
            world["clerk"],
            MemberIn(area_code=VILLAGE_B, body=body, person_id=p.id, post=post, term_from=date(2021, 1, 1)),
        )
        for p, body, post in ((who[0], "party_committee", "secretary"), (who[1], "villagers_committee", "director"))
    ]
    with pytest.raises(InvalidInput):
        bodies.end_term(session, world["clerk"], seats[1].id, date(2020, 1, 1))
    bodies.end_term(session, world["clerk"], seats[1].id, date(2026, 2, 28))
    m = meeting(session, world["clerk"], VILLAGE_B, kind="joint_meeting", notice_on=date(2026, 3, 18))
    assert base_of(session, m) == {who[0].id}
    with pytest.raises(InvalidInput, match="not in the register"):
        outsider = person(session, "220102001001001")
        bodies.seat(
            session,
            world["clerk"],
            MemberIn(
                area_code=VILLAGE_B,
                body="representative",
                person_id=outsider.id,
                post="representative",
                term_from=date(2021, 1, 1),
                households=9,
            ),
        )
