"""The four domains of self-government as one whole: a matter's steps ⑤⑥ are taken by publishing an item of
its own board (an item of another board, of another kind or of another matter is refused); a convention's
adoption names a held villagers' meeting of its village and reads its figures (another village's meeting,
the representatives' meeting, a meeting that failed its quorum are refused); a consultation's outcome is
linked to a matter of its own village."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.consultation import service as consultation
from linli.conventions import repository as conventions_repo
from linli.conventions import service as conventions
from linli.disclosure import service as disclosure
from linli.disclosure.schemas import ItemIn
from linli.kit import refs
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.selfgov import repository as repo
from linli.selfgov.schemas import MatterIn, MeetingIn, StepIn
from linli.selfgov.service import disclosures, matters, meetings
from tests.factories import SYSTEM, TOWN_A, make_user, principal
from tests.factories_residents import GRID, GRID_B, make_grids
from tests.factories_selfgov import VILLAGE_B, adults, make_village

OTHER = GRID[:12]  # the next community: another board, another register


@pytest.fixture
def world(session):
    make_grids(session)
    make_village(session)
    clerk = principal(make_user(session, "ln_clerk", "community_worker", VILLAGE_B), ("community_worker", VILLAGE_B))
    town = principal(make_user(session, "ln_town", "official", TOWN_A), ("official", TOWN_A))
    people = adults(session, GRID_B, 4, women=2)
    adults(session, GRID, 2, women=1)
    return {"clerk": clerk, "town": town, "people": people}


def matter_at(session, w, step: int, title="村道硬化"):
    m = matters.propose(session, w["clerk"], MatterIn(area_code=VILLAGE_B, title=title, proposed_on=date(2026, 2, 1)))
    m.step = step  # the meeting steps are test_matters' business; here the board's guards
    session.flush()
    return m


def item(session, who, code, kind="resolution", **extra):
    data = ItemIn(area_code=code, kind=kind, title="公开事项", body="内容", occurred_on=date(2026, 3, 1), **extra)
    return disclosure.create_item(session, who, data, on=date(2026, 3, 1))


def test_a_disclosure_step_takes_an_item_of_its_own_board_only(session, world):
    w = world
    m = matter_at(session, w, 4)
    other_board = item(session, SYSTEM, OTHER)
    with pytest.raises(InvalidInput, match="another village"):
        disclosures.disclose(session, SYSTEM, m.id, 4, item_id=other_board.id)
    with pytest.raises(NotFound):  # the clerk does not even see the other board's draft
        disclosures.disclose(session, w["clerk"], m.id, 4, item_id=other_board.id)
    wrong_kind = item(session, w["clerk"], VILLAGE_B, kind="finances", period_from=date(2026, 1, 1),
                      period_to=date(2026, 2, 28))  # fmt: skip
    with pytest.raises(InvalidInput, match="kind"):
        disclosures.disclose(session, w["clerk"], m.id, 4, item_id=wrong_kind.id)
    another = matter_at(session, w, 4, title="另一事项")
    theirs = item(session, w["clerk"], VILLAGE_B, matter_ref=refs.ref(refs.MATTER, another.id))
    with pytest.raises(InvalidInput, match="another matter"):
        disclosures.disclose(session, w["clerk"], m.id, 4, item_id=theirs.id)
    with pytest.raises(InvalidInput, match="disclosure steps"):
        disclosures.disclose(session, w["clerk"], m.id, 3)
    mine = item(session, w["clerk"], VILLAGE_B)
    mine.matter_ref = "第3号决议"  # old free text (written before the links were checked): picked and linked
    assert disclosures.disclose(session, w["clerk"], m.id, 4, item_id=mine.id).item.id == mine.id
    assert mine.matter_ref == f"selfgov-matter:{m.id}"
    free = StepIn(
        done_on=date(2026, 3, 5), disclosed_on=date(2026, 3, 5), disclosure_place="公开栏", disclosure_ref="x"
    )
    with pytest.raises(Conflict, match="not published"):
        matters.complete(session, w["clerk"], m.id, 4, free)
    disclosure.publish(session, w["clerk"], mine.id, on=date(2026, 3, 4))  # takes the step by itself
    row = repo.steps_of(session, m.id)[4]
    assert (row.disclosure_ref, row.disclosed_on, m.step) == (f"disclosure-item:{mine.id}", date(2026, 3, 4), 5)


def test_old_free_text_references_are_read_as_they_were():
    assert refs.parse("board:1", refs.DISCLOSURE_ITEM) is None
    assert refs.parse("disclosure-item:12", refs.DISCLOSURE_ITEM) == 12
    assert refs.parse("selfgov-matter:12", refs.DISCLOSURE_ITEM) is None
    assert refs.parse(" selfgov-meeting:7 ", refs.MEETING) == 7


def _meeting(session, who, code, *, sign=None, close=True, kind=None):
    today = conventions_repo.today()
    data = MeetingIn(area_code=code, kind=kind or ("villagers_meeting" if code == VILLAGE_B else "residents_meeting"),
                     title="村民会议", notice_on=today - timedelta(days=12), held_on=today)  # fmt: skip
    m = meetings.call(session, who, data)
    ids = [v.person_id for v in repo.voters(session, m.id)]
    meetings.sign_in(session, who, m.id, ids[: len(ids) if sign is None else sign])
    if close:
        meetings.close(session, who, m.id)
    return m


def _approved(session, w):
    c = conventions.create(session, w["clerk"], VILLAGE_B, "村规民约", "第一条 爱护公共设施。")
    (v,) = conventions_repo.versions_of(session, c.id)
    conventions.save_draft(session, w["clerk"], v.id, "第一条 爱护公共设施。")
    conventions.submit(session, w["clerk"], v.id)
    conventions.review(session, w["town"], v.id, "approve", "")
    return v


def test_a_convention_is_adopted_by_a_held_villagers_meeting_of_its_village(session, world):
    w = world
    v = _approved(session, w)
    elsewhere = _meeting(session, SYSTEM, OTHER)
    with pytest.raises(InvalidInput, match="not a meeting of"):
        conventions.adopt_at_meeting(session, w["clerk"], v.id, elsewhere.id)
    failed = _meeting(session, w["clerk"], VILLAGE_B, sign=1, close=False)  # 1 of 4: no quorum
    today = conventions_repo.today()
    meetings.reschedule(session, w["clerk"], failed.id, today, today + timedelta(days=12))
    assert failed.status == "failed"
    with pytest.raises(InvalidInput, match="quorum"):
        conventions.adopt_at_meeting(session, w["clerk"], v.id, failed.id)
    held = _meeting(session, w["clerk"], VILLAGE_B, sign=3)
    held.kind = "representatives_meeting"  # the same figures, the wrong body
    with pytest.raises(InvalidInput, match="第二十七条"):
        conventions.adopt_at_meeting(session, w["clerk"], v.id, held.id)
    held.kind = "joint_meeting"
    with pytest.raises(InvalidInput, match="may adopt"):
        conventions.adopt_at_meeting(session, w["clerk"], v.id, held.id)
    held.kind = "villagers_meeting"
    with pytest.raises(InvalidInput, match="choose the meeting"):  # typed figures: only before the platform
        from linli.conventions.schemas import AdoptIn

        typed = AdoptIn(body="villagers_meeting", adopted_on=held.held_on, attendance_present=300, women_present=150,
                        meeting_ref="会议记录本第3页")  # fmt: skip
        conventions.adopt(session, w["clerk"], v.id, typed)
    conventions.adopt_at_meeting(session, w["clerk"], v.id, held.id)

    assert (v.status, v.adopted_by, v.adopted_on) == ("adopted", "villagers_meeting", held.held_on)
    assert (v.attendance_expected, v.attendance_present) == (4, 3)
    assert v.women_present == repo.attendance(session, held.id).women_present and v.women_present >= 1
    assert conventions.meeting_id_of(v) == held.id


def test_a_consultation_outcome_links_to_a_matter_of_its_village(session, world):
    w = world
    m = matter_at(session, w, 1)
    theirs = matters.propose(session, SYSTEM, MatterIn(area_code=OTHER, title="电梯", proposed_on=date(2026, 2, 1)))
    topic = consultation.raise_topic(session, w["clerk"], VILLAGE_B, "村道养护", "谁来养护")
    with pytest.raises(Conflict):  # no outcome yet
        consultation.link_matter(session, w["clerk"], topic.id, m.id)
    consultation.schedule(session, w["clerk"], topic.id, form="online", held_on=date(2026, 3, 10), place="",
                          content="养护方案", participants=[("residents", "村民")], on=date(2026, 3, 1))  # fmt: skip
    consultation.record_outcome(session, w["clerk"], topic.id, held_on=date(2026, 3, 10), present=12,
                                opinion="分段包干", on=date(2026, 3, 11))  # fmt: skip
    with pytest.raises(InvalidInput, match="not a matter of this village"):
        consultation.link_matter(session, w["clerk"], topic.id, theirs.id)
    with pytest.raises(InvalidInput, match="not a matter of this village"):
        consultation.link_matter(session, w["clerk"], topic.id, 999_999)
    consultation.link_matter(session, w["clerk"], topic.id, m.id)
    assert consultation.linked_matter(session, topic).id == m.id
    assert [t.id for t in disclosures.consultations_of(session, m)] == [topic.id]
