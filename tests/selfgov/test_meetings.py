"""Meetings and votes: the notice period, the voter base frozen from the register, the quorum from the
rule set of the day, votes only by signed-in voters of the base and only once, no vote without quorum,
paper ballots counted once a second account confirms them, a failed quorum rescheduled."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.audit.models import AuditEntry
from linli.kit.errors import Conflict, InvalidInput
from linli.selfgov import repository as repo
from linli.selfgov.models import Voter
from linli.selfgov.schemas import MemberIn, VoteIn
from linli.selfgov.service import bodies, meetings, votes
from tests.factories import make_user, principal
from tests.factories_residents import GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village, meeting, person


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    clerk = principal(make_user(session, "sg_clerk", "community_worker", VILLAGE_B), ("community_worker", VILLAGE_B))
    second = principal(make_user(session, "sg_second", "community_worker", VILLAGE_B), ("community_worker", VILLAGE_B))
    people = adults(session, GRID_B, 6, women=2)
    child = person(session, GRID_B, born=date(2010, 5, 1))
    return {"clerk": clerk, "second": second, "people": people, "child": child}


def ids(people):
    return [p.id for p in people]


def test_a_meeting_dated_before_its_notice_period_is_refused(session, world):
    with pytest.raises(InvalidInput) as e:
        meeting(session, world["clerk"], VILLAGE_B, notice_on=date(2026, 3, 12), held_on=date(2026, 3, 20))
    assert "第二十一条" in str(e.value) and "2026-03-22" in str(e.value)
    m = meeting(session, world["clerk"], VILLAGE_B, notice_on=date(2026, 3, 10), held_on=date(2026, 3, 20))
    assert m.rules_name == "villagers-2026"


def test_the_voter_base_is_the_adults_on_the_day_frozen_with_the_meeting(session, world):
    m = meeting(session, world["clerk"], VILLAGE_B)
    frozen = set(session.scalars(select(Voter.person_id).where(Voter.meeting_id == m.id)))
    assert frozen == set(ids(world["people"])) and world["child"].id not in frozen
    assert m.base_count == 6
    late = person(session, GRID_B)  # registered after the meeting was called: not in its base
    assert late.id not in set(session.scalars(select(Voter.person_id).where(Voter.meeting_id == m.id)))


def test_quorum_more_than_half_and_no_vote_without_it(session, world):
    m = meeting(session, world["clerk"], VILLAGE_B)
    motion = votes.add_motion(session, world["clerk"], m.id, "同意硬化村道")
    meetings.sign_in(session, world["clerk"], m.id, ids(world["people"][:3]))  # exactly half
    q = meetings.quorum(session, m)
    assert (q.present, q.base, q.required, q.met) == (3, 6, 4, False)
    assert "3 of 6" in q.words and "第二十二条" in q.words
    with pytest.raises(Conflict, match="quorum"):
        votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=world["people"][0].id, choice="yes")])
    with pytest.raises(Conflict):
        meetings.close(session, world["clerk"], m.id)
    meetings.sign_in(session, world["clerk"], m.id, [world["people"][3].id])
    assert meetings.quorum(session, m).met


def test_votes_outside_the_base_twice_or_absent_are_refused(session, world):
    m = meeting(session, world["clerk"], VILLAGE_B)
    motion = votes.add_motion(session, world["clerk"], m.id, "同意")
    p = world["people"]
    meetings.sign_in(session, world["clerk"], m.id, ids(p[:4]))
    with pytest.raises(InvalidInput):
        meetings.sign_in(session, world["clerk"], m.id, [world["child"].id])
    with pytest.raises(InvalidInput, match="not in this meeting's voter base"):
        votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=world["child"].id, choice="yes")])
    with pytest.raises(InvalidInput, match="did not sign in"):
        votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=p[5].id, choice="yes")])
    with pytest.raises(InvalidInput, match="twice"):
        votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=p[0].id, choice="yes")] * 2)
    with pytest.raises(InvalidInput, match="proxy"):
        votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=p[0].id, choice="yes", proxy_for=p[5].id)])
    votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=p[0].id, choice="yes")], "recorded")
    with pytest.raises(Conflict, match="voted"):
        votes.enter(session, world["clerk"], motion.id, [VoteIn(person_id=p[0].id, choice="no")], "recorded")


def test_paper_ballots_need_a_second_person_and_abstentions_are_not_yes(session, world):
    m = meeting(session, world["clerk"], VILLAGE_B)
    motion = votes.add_motion(session, world["clerk"], m.id, "同意")
    p = world["people"]
    meetings.sign_in(session, world["clerk"], m.id, ids(p[:4]))
    entries = [
        VoteIn(person_id=p[0].id, choice="yes"),
        VoteIn(person_id=p[1].id, choice="yes"),
        VoteIn(person_id=p[2].id, choice="abstain"),
        VoteIn(person_id=p[3].id, choice="abstain"),
    ]
    batch = votes.enter(session, world["clerk"], motion.id, entries)
    assert repo.tally(session, motion.id).unconfirmed == 4
    with pytest.raises(Conflict, match="second person"):
        votes.confirm(session, world["clerk"], batch.id)
    with pytest.raises(Conflict, match="confirmation"):
        votes.decide(session, world["clerk"], motion.id)
    r = votes.recount(session, world["second"], batch.id, 2, 0, 2)
    assert r.matches and not votes.recount(session, world["second"], batch.id, 3, 0, 1).matches
    votes.confirm(session, world["second"], batch.id)
    decided = votes.decide(session, world["clerk"], motion.id)
    assert (decided.yes, decided.abstain, decided.present, decided.result) == (
        2,
        2,
        4,
        "rejected",
    )  # 2 of 4 is not more than half
    actions = set(
        session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type.in_(["ballot_batch", "motion"])))
    )
    assert {
        "selfgov.ballots_enter",
        "selfgov.ballots_confirm",
        "selfgov.ballots_recount",
        "selfgov.motion_decide",
    } <= actions


def test_a_failed_quorum_reschedules_the_meeting(session, world):
    m = meeting(session, world["clerk"], VILLAGE_B)
    meetings.sign_in(session, world["clerk"], m.id, ids(world["people"][:2]))
    with pytest.raises(InvalidInput, match="notice"):
        meetings.reschedule(session, world["clerk"], m.id, date(2026, 3, 25), date(2026, 3, 30))
    new = meetings.reschedule(session, world["clerk"], m.id, date(2026, 3, 21), date(2026, 4, 1))
    assert (m.status, m.rescheduled_to_id, new.rescheduled_from_id, new.status) == ("failed", new.id, m.id, "planned")
    assert session.scalar(select(func.count()).where(Voter.meeting_id == new.id)) == 6
    with pytest.raises(Conflict):
        meetings.sign_in(session, world["clerk"], m.id, ids(world["people"][:1]))


def test_households_base_and_two_thirds(session, world):
    heads = adults(session, GRID_B, 3, households=True)
    m = meeting(session, world["clerk"], VILLAGE_B, base="households")
    assert m.base_count == 3
    meetings.sign_in(session, world["clerk"], m.id, ids(heads[:2]))
    q = meetings.quorum(session, m)
    assert (q.required, q.met) == (2, True)  # two of three households is two thirds


def test_too_few_women_representatives_are_flagged(session, world):
    p = world["people"]  # p[0], p[1] are women
    for i, who in enumerate(p[2:]):
        bodies.seat(
            session,
            world["clerk"],
            MemberIn(
                area_code=VILLAGE_B,
                body="representative",
                person_id=who.id,
                post="representative",
                term_from=date(2021, 1, 1),
                households=8 + i,
            ),
        )
    flags = bodies.representatives_check(session, VILLAGE_B, "village", date(2026, 3, 1))
    women = flags[1]
    assert not women.ok and "第二十五条" in women.citation
    bodies.seat(
        session,
        world["clerk"],
        MemberIn(
            area_code=VILLAGE_B,
            body="representative",
            person_id=p[0].id,
            post="representative",
            term_from=date(2021, 1, 1),
            households=20,
        ),
    )
    bodies.seat(
        session,
        world["clerk"],
        MemberIn(
            area_code=VILLAGE_B,
            body="representative",
            person_id=p[1].id,
            post="representative",
            term_from=date(2021, 1, 1),
            households=10,
        ),
    )
    flags = bodies.representatives_check(session, VILLAGE_B, "village", date(2026, 3, 1))
    assert flags[1].ok and flags[0].ok and not flags[2].ok  # 2 of 6 women; one representative of 20 households
