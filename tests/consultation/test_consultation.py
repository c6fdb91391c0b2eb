"""Consultations: raised by a resident of the village or the committee, scheduled with its content
published at least ADVANCE_DAYS ahead and its participants, opinions online from residents of the village
while scheduled, held (not before its notice, not in the future) with the opinion formed, reported back;
out of reach 404; the public page without sign-in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.consultation import repository, service
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_disclosure import build_world

DAY = date(2026, 3, 1)
PARTIES = [("residents", "各楼栋居民代表"), ("property_company", "物业公司")]


@pytest.fixture
def world(areas):
    return build_world(areas)


def test_a_consultation_through_its_steps(session, world):
    p = world["p"]
    with pytest.raises(Forbidden):  # a resident of the next community
        service.raise_topic(session, p["neighbour"], VILLAGE_A, "停车", "停车难")
    with pytest.raises(Forbidden):  # an official of another district
        service.raise_topic(session, p["outsider_official"], VILLAGE_A, "停车", "停车难")
    topic = service.raise_topic(session, p["resident"], VILLAGE_A, "小区停车难", "晚间占用消防通道", event_ref="E-12")
    assert (topic.raised_by, topic.status, topic.event_ref) == ("resident", "proposed", "E-12")
    with pytest.raises(NotFound):  # residents do not schedule (the staff's topic is not theirs to see)
        service.schedule(session, p["resident"], topic.id, form="meeting", held_on=DAY + timedelta(10),
                         place="", content="x", participants=PARTIES, on=DAY)  # fmt: skip
    with pytest.raises(InvalidInput, match="at least 3 days"):
        service.schedule(session, p["worker"], topic.id, form="meeting", held_on=DAY + timedelta(2),
                         place="议事厅", content="划定停车位", participants=PARTIES, on=DAY)  # fmt: skip
    with pytest.raises(InvalidInput, match="participant"):
        service.schedule(session, p["worker"], topic.id, form="meeting", held_on=DAY + timedelta(5),
                         place="议事厅", content="划定停车位", participants=[("residents", " ")], on=DAY)  # fmt: skip
    service.schedule(session, p["worker"], topic.id, form="online", held_on=DAY + timedelta(5),
                     place="", content="划定停车位", participants=PARTIES, on=DAY)  # fmt: skip
    assert len(repository.participants_of(session, topic.id)) == 2
    service.give_opinion(session, p["resident"], topic.id, "东侧空地可以停车")
    with pytest.raises(Forbidden):
        service.give_opinion(session, p["neighbour"], topic.id, "我也想说")
    with pytest.raises(InvalidInput, match="from 2026-03-04"):  # before its content's notice ran
        service.record_outcome(session, p["worker"], topic.id, held_on=DAY + timedelta(2), present=20,
                               opinion="划定", on=DAY + timedelta(6))  # fmt: skip
    with pytest.raises(NotFound):
        service.record_outcome(session, p["outsider_worker"], topic.id, held_on=DAY + timedelta(5), present=20,
                               opinion="划定", on=DAY + timedelta(6))  # fmt: skip
    service.record_outcome(session, p["worker"], topic.id, held_on=DAY + timedelta(5), present=20,
                           opinion="划定40个夜间车位", on=DAY + timedelta(6))  # fmt: skip
    with pytest.raises(Conflict):
        service.give_opinion(session, p["resident"], topic.id, "迟到的意见")
    service.report_back(session, p["worker"], topic.id, "已划定，标识已设置", on=DAY + timedelta(20))
    assert topic.status == "reported"
    other = service.raise_topic(session, p["worker"], VILLAGE_A, "广场舞噪音", "晚间噪音")
    with pytest.raises(InvalidInput):
        service.decline(session, p["worker"], other.id, " ")
    service.decline(session, p["worker"], other.id, "已由物业处理")
    assert other.status == "declined" and other.raised_by == "committee"


def test_pages(client, session, world):
    p = world["p"]
    today = repository.today()
    topic = service.raise_topic(session, p["worker"], VILLAGE_A, "口袋公园", "空地改建")
    service.schedule(session, p["worker"], topic.id, form="online", held_on=today + timedelta(7), place="",
                     content="请提出选址意见", participants=PARTIES)  # fmt: skip
    hidden = service.raise_topic(session, p["resident"], VILLAGE_A, "未公开的议题", "草稿")
    tok = {k: token_for(session, world["u"][k]) for k in ("worker", "resident", "outsider_worker")}
    session.commit()
    en = {"Cookie": "linli_lang=en"}
    page = client.get(f"/public/consultations/{VILLAGE_A}", headers=en)
    assert page.status_code == 200 and "请提出选址意见" in page.text and "未公开的议题" not in page.text
    r = client.post(f"/consultations/{topic.id}/opinion", data={"text": ""}, headers=auth(tok["resident"]) | en)
    assert r.status_code == 422 and "write the opinion" in r.text
    r = client.post(f"/consultations/{topic.id}/opinion", data={"text": "要有座椅"}, headers=auth(tok["resident"]),
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    h = auth(tok["worker"]) | en
    detail = client.get(f"/consultations/{topic.id}", headers=h).text
    assert "要有座椅" in detail and "The consultation was held" in detail
    outcome = {"held_on": (today + timedelta(7)).isoformat(), "present": "30", "opinion": "设座椅"}
    r = client.post(f"/consultations/{topic.id}/outcome", headers=h, data=outcome)
    assert r.status_code == 422 and "to today" in r.text and 'value="30"' in r.text
    assert client.get(f"/consultations/{hidden.id}", headers=auth(tok["outsider_worker"])).status_code == 404
    assert client.get(f"/consultations/{hidden.id}/opinion", headers=auth(tok["resident"])).status_code == 404
    assert client.get(f"/areas/{VILLAGE_A}/consultations", headers=auth(tok["outsider_worker"])).status_code == 404


def test_participants_link_to_a_register_person_or_an_organization(client, areas, world):
    from tests.factories_organizations import make_org
    from tests.factories_residents import GRID, GRID_B, make_grids
    from tests.factories_selfgov import person

    p = world["p"]
    make_grids(areas, load_areas=False)
    mine, theirs = person(areas, GRID), person(areas, GRID_B)
    firm, elsewhere = make_org(areas, "幸福物业公司"), make_org(areas, "远方公司", area="220103")
    topic = service.raise_topic(areas, p["worker"], VILLAGE_A, "电梯维保", "维保费用")

    def schedule(*parties):
        service.schedule(areas, p["worker"], topic.id, form="online", held_on=DAY + timedelta(5), place="",
                         content="维保方案", participants=list(parties), on=DAY)  # fmt: skip

    for party, words in (
        (("residents", "居民代表", mine.id, None), "as a group"),
        (("other", "张某", mine.id, firm.id), "not both"),
        (("other", "李某", theirs.id, None), "not in the register"),
        (("unit", "远方", None, elsewhere.id), "not based in this village"),
        (("unit", "幽灵", None, 999_999), "not based in this village"),
    ):
        with pytest.raises(InvalidInput, match=words):
            schedule(party)
    schedule(
        ("residents", "各楼栋居民代表"), ("property_company", "物业", None, firm.id), ("other", "楼长", mine.id, None)
    )
    rows = repository.participants_of(areas, topic.id)
    assert [(r.kind, r.person_id, r.organization_id) for r in rows] == [
        ("residents", None, None), ("property_company", None, firm.id), ("other", mine.id, None)
    ]  # fmt: skip
    tok = token_for(areas, world["u"]["worker"])
    areas.commit()
    page = client.get(f"/consultations/{topic.id}", headers=auth(tok))
    assert f'href="/organizations/{firm.id}"' in page.text and mine.name in page.text
    public = client.get(f"/public/consultations/{VILLAGE_A}")
    assert mine.name not in public.text and "楼长" in public.text  # the public page shows the names as typed


def test_the_schedule_form_refuses_a_bad_link_and_keeps_it(client, areas, world):
    topic = service.raise_topic(areas, world["p"]["worker"], VILLAGE_A, "停车", "停车难")
    tok = token_for(areas, world["u"]["worker"])
    areas.commit()
    data = {"content": "方案", "form": "online", "held_on": (repository.today() + timedelta(10)).isoformat(),
            "party_kind": "unit", "party_name": "某单位", "party_org": "12a"}  # fmt: skip
    r = client.post(f"/consultations/{topic.id}/schedule", data=data, headers=auth(tok), follow_redirects=False)
    assert r.status_code == 422 and 'value="12a"' in r.text and "某单位" in r.text
