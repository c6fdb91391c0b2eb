"""Demo self-government (marked generated): in a village of 农安县 the two committees and representatives,
a matter taken through all six steps of 四议两公开, its representatives' meeting failing its quorum once
and rescheduled; in 华阳社区 of 南关区 a residents' meeting of households with paper ballots confirmed by a
second person."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.authz.principal import Principal, system_principal
from linli.selfgov import repository as repo
from linli.selfgov.schemas import MatterIn, MeetingIn, MemberIn, StepIn, VoteIn
from linli.selfgov.service import bodies, matters, meetings, votes

COUNTY = "220122"  # 农安县
COMMUNITY = "220102001001"  # 华阳社区, 南关区
TAG = "（演示数据）"
OFFICIAL = "乡镇包村干部（演示）"


def _seat_bodies(session: Session, actor: Principal, code: str, people: list[int]) -> None:
    def seat(body: str, person: int, post: str, households: int | None = None) -> None:
        bodies.seat(
            session,
            actor,
            MemberIn(
                area_code=code,
                body=body,
                person_id=person,
                post=post,
                term_from=date(2021, 1, 1),
                households=households,
            ),
            generated=True,
        )

    seat("party_committee", people[0], "secretary")
    seat("villagers_committee", people[0], "director")  # 一肩挑
    seat("party_committee", people[1], "deputy_secretary")
    seat("villagers_committee", people[2], "deputy_director")
    seat("villagers_committee", people[3], "member")
    for i, person in enumerate(people[4:20]):
        seat("representative", person, "representative", households=8 + i % 6)


def _hold(session: Session, actor: Principal, m, present: list[int], title: str) -> None:
    """Sign in `present`, put the motion, record every present voter's yes, decide, close."""
    meetings.sign_in(session, actor, m.id, present)
    motion = votes.add_motion(session, actor, m.id, title)
    votes.enter(session, actor, motion.id, [VoteIn(person_id=p, choice="yes") for p in present], "recorded")
    votes.decide(session, actor, motion.id)
    meetings.close(session, actor, m.id)


def _base(session: Session, meeting_id: int) -> list[int]:
    return [v.person_id for v in repo.voters(session, meeting_id, limit=100_000)]


def _disclose(session: Session, actor: Principal, matter_id: int, step: int, on: date, **extra) -> None:
    """Steps ⑤⑥ on the village's board: the item written from the matter and published (which takes the step)."""
    from linli.disclosure import service as disclosure_service
    from linli.selfgov.service import disclosures

    item = disclosures.disclose(session, actor, matter_id, step, on=on, **extra).item
    disclosure_service.publish(session, actor, item.id, on=on)


def village_matter(session: Session, actor: Principal, code: str) -> None:
    title = TAG + "村屯道路硬化工程"
    m = matters.propose(
        session,
        actor,
        MatterIn(
            area_code=code,
            title=title,
            description="硬化主街道1.2公里，村集体出资与申请上级补助。",
            proposed_on=date(2026, 3, 2),
        ),
        generated=True,
    )

    def meeting(kind: str, notice: date, held: date, **extra) -> object:
        data = MeetingIn(area_code=code, kind=kind, title=title, notice_on=notice, held_on=held, **extra)
        return matters.call_step_meeting(session, actor, m.id, data)

    joint = meeting("joint_meeting", date(2026, 3, 4), date(2026, 3, 5), place="村委会会议室")
    _hold(session, actor, joint, _base(session, joint.id), title)
    matters.complete(session, actor, m.id, 1, StepIn(done_on=date(2026, 3, 5)))
    party = meeting(
        "party_meeting", date(2026, 3, 6), date(2026, 3, 10), materials_on=date(2026, 3, 6), official=OFFICIAL
    )
    _hold(session, actor, party, _base(session, party.id), title)
    matters.complete(session, actor, m.id, 2, StepIn(done_on=date(2026, 3, 10)))
    first = meeting("representatives_meeting", date(2026, 3, 15), date(2026, 3, 20), official=OFFICIAL, place="村委会")
    everyone = _base(session, first.id)
    meetings.sign_in(session, actor, first.id, everyone[: len(everyone) // 2])  # half: two thirds required
    again = meetings.reschedule(session, actor, first.id, date(2026, 3, 21), date(2026, 3, 27))
    _hold(session, actor, again, everyone, title)
    matters.complete(session, actor, m.id, 3, StepIn(done_on=date(2026, 3, 27)))
    _disclose(session, actor, m.id, 4, date(2026, 3, 28))
    _disclose(session, actor, m.id, 5, date(2026, 9, 30), occurred_on=date(2026, 9, 28))


def representatives_request(session: Session, actor: Principal, code: str, representatives: list[int]) -> None:
    """The representatives ask for a villagers' meeting (1/3 of them): enough support, not yet convened (a to-do)."""
    from linli.selfgov.service import convening

    r = convening.open_request(session, actor, code, "representatives", TAG + "召开村民会议讨论集体土地流转",
                               "流转期限与收益分配需村民会议决定。", on=date(2026, 10, 8), generated=True)  # fmt: skip
    convening.support(session, actor, r.id, representatives[: r.required], on=date(2026, 10, 9))


def community_meeting(session: Session, actor: Principal) -> None:
    clerk = system_principal("demo-clerk")
    data = MeetingIn(
        area_code=COMMUNITY,
        kind="residents_meeting",
        base="households",
        title=TAG + "加装电梯费用分摊方案",
        notice_on=date(2026, 4, 1),
        held_on=date(2026, 4, 12),
        place="社区活动室",
    )
    m = meetings.call(session, actor, data, generated=True)
    base = _base(session, m.id)
    present = base[: len(base) * 3 // 5]
    meetings.sign_in(session, clerk, m.id, present)
    motion = votes.add_motion(session, clerk, m.id, "同意加装电梯费用分摊方案")
    ballots = [VoteIn(person_id=p, choice=("yes", "yes", "no", "abstain")[i % 4]) for i, p in enumerate(present)]
    batch = votes.enter(session, clerk, motion.id, ballots, "paper")
    votes.recount(session, actor, batch.id, batch.yes, batch.no, batch.abstain, note="监票人复核")
    votes.confirm(session, actor, batch.id)
    votes.decide(session, actor, motion.id)
    meetings.close(session, actor, m.id)


def step(session: Session, actor: Principal, say) -> None:
    # The community's meeting first: on a fresh demo it is meeting 1 (the browser tests' meeting page).
    if repo.area_of(session, COMMUNITY) and not repo.meetings_in_count(session, COMMUNITY):
        community_meeting(session, actor)
        say(f"self-government demo in {COMMUNITY}: a residents' meeting with paper ballots (marked generated)")
    village = repo.most_peopled_village(session, COUNTY, "village")
    if village is not None and not repo.generated_matters(session, village.code):
        people = [p for p, _h, _w in repo.adults(session, village.code, date(2026, 3, 1))][:20]
        if len(people) >= 8:
            _seat_bodies(session, actor, village.code, people)
            village_matter(session, actor, village.code)
            representatives_request(session, actor, village.code, people[4:20])
            say(f"self-government demo in {village.name} ({village.code}): a matter through 四议两公开 (generated)")
