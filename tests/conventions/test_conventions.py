"""Conventions step by step: opinions (residents of the village only) → draft → township review (a return
needs its reasons) → adoption by the villagers'/residents' meeting only (a representatives' meeting is
refused, citing the article of the day's text) → filing (late flagged) → publication (the version before
superseded); no step skipped; the diff; the public page without sign-in; out of reach is 404."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.conventions import diff, repository, service
from linli.conventions.schemas import AdoptIn
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_disclosure import RURAL, build_world

TEXT = "第一条 爱护公共设施。\n第二条 垃圾分类投放。\n第三条 文明养犬。"


@pytest.fixture
def world(areas):
    return build_world(areas)


def adoption(body="residents_meeting", day=date(2026, 3, 1), present=120, women=58, **kw) -> AdoptIn:
    kw.setdefault("meeting_ref", "会议记录本第3页")  # a meeting before the platform: its record named in words
    return AdoptIn(body=body, adopted_on=day, attendance_present=present, women_present=women, **kw)


def to_approved(session, p, worker="worker", official="official", code=VILLAGE_A):
    c = service.create(session, p[worker], code, "居民公约", TEXT)
    (v,) = repository.versions_of(session, c.id)
    service.save_draft(session, p[worker], v.id, TEXT)
    service.submit(session, p[worker], v.id)
    service.review(session, p[official], v.id, "approve", "")
    return c, v


def test_a_convention_through_every_step(session, world):
    p = world["p"]
    c = service.create(session, p["worker"], VILLAGE_A, "华阳社区居民公约", TEXT)
    (v,) = repository.versions_of(session, c.id)
    service.give_opinion(session, p["resident"], v.id, "建议增加噪音条款")
    with pytest.raises(Forbidden):  # a resident of the next community
        service.give_opinion(session, p["neighbour"], v.id, "我也有意见")
    with pytest.raises(InvalidInput):  # staff say where they heard it
        service.give_opinion(session, p["worker"], v.id, "意见", "")
    service.give_opinion(session, p["worker"], v.id, "晚十点后不跳广场舞", "第二居民小组座谈会")
    service.save_draft(session, p["worker"], v.id, TEXT + "\n第四条 晚十点后保持安静。")
    with pytest.raises(Conflict):  # opinions are closed once drafting begins
        service.give_opinion(session, p["resident"], v.id, "迟到的意见")
    service.submit(session, p["worker"], v.id)
    with pytest.raises(InvalidInput, match="reasons"):
        service.review(session, p["official"], v.id, "return", " ")
    service.review(session, p["official"], v.id, "return", "第三条应写明依据")
    assert v.status == "returned"
    service.save_draft(session, p["worker"], v.id, TEXT + "\n第四条 晚十点后保持安静。")
    service.submit(session, p["worker"], v.id)
    service.review(session, p["official"], v.id, "approve", "")
    with pytest.raises(InvalidInput, match="第十五条"):  # only the residents' meeting adopts
        service.adopt(session, p["worker"], v.id, adoption("residents_representatives_meeting"), on=date(2026, 3, 2))
    with pytest.raises(InvalidInput, match="women"):
        service.adopt(session, p["worker"], v.id, adoption(women=121), on=date(2026, 3, 2))
    service.adopt(session, p["worker"], v.id, adoption(day=repository.today()))
    assert (v.status, v.rules, v.women_present) == ("adopted", "residents-2026", 58)
    assert v.filing_due_on == repository.today() + timedelta(days=30)
    service.file(session, p["worker"], v.id, repository.today())
    assert v.filing_late is False
    service.receive(session, p["official"], v.id)
    service.publish(session, p["worker"], v.id)
    assert (v.status, c.in_force_version_id) == ("in_force", v.id)
    v2 = service.revise(session, p["worker"], c.id)
    assert (v2.number, v2.text, v2.status) == (2, v.text, "opinions")
    with pytest.raises(Conflict):  # one revision at a time
        service.revise(session, p["worker"], c.id)


def test_the_village_law_and_a_late_filing(session, world):
    p = world["p"]
    _, v = to_approved(session, p, "rural_worker", "rural_official", RURAL)
    with pytest.raises(InvalidInput) as exc:
        data = adoption("villagers_representatives_meeting", day=date(2025, 11, 1))
        service.adopt(session, p["rural_worker"], v.id, data, on=date(2025, 11, 2))
    assert "《村民委员会组织法》（2018年修正）第二十七条" in exc.value.message
    # v was approved today: a meeting dated before the approval is refused too.
    with pytest.raises(InvalidInput, match="before the township"):
        service.adopt(session, p["rural_worker"], v.id, adoption("villagers_meeting", day=date(2025, 11, 1)))
    today = repository.today()
    service.adopt(session, p["rural_worker"], v.id, adoption("villagers_meeting", day=today), on=today + timedelta(1))
    assert v.rules == "villagers-2026"
    service.file(session, p["rural_worker"], v.id, today + timedelta(days=31), on=today + timedelta(days=40))
    assert v.filing_late is True


def test_no_step_is_skipped_and_no_one_acts_out_of_role(session, world):
    p = world["p"]
    c = service.create(session, p["worker"], VILLAGE_A, "居民公约", TEXT)
    (v,) = repository.versions_of(session, c.id)
    with pytest.raises(Conflict, match="has not approved"):
        service.adopt(session, p["worker"], v.id, adoption())
    service.save_draft(session, p["worker"], v.id, TEXT)
    with pytest.raises(Conflict, match="has not approved"):
        service.adopt(session, p["worker"], v.id, adoption())
    with pytest.raises(Conflict):  # publishing before adoption and filing
        service.publish(session, p["worker"], v.id)
    service.submit(session, p["worker"], v.id)
    with pytest.raises(Forbidden):  # the committee cannot approve its own draft
        service.review(session, p["worker"], v.id, "approve", "")
    with pytest.raises(NotFound):  # an official of another district
        service.review(session, p["outsider_official"], v.id, "approve", "")
    with pytest.raises(NotFound):
        service.create(session, p["outsider_worker"], VILLAGE_A, "公约", TEXT)


def test_the_diff_marks_changed_lines_and_characters():
    lines = diff.compare(TEXT, TEXT.replace("文明养犬", "文明养宠") + "\n第四条 保持安静。")
    kinds = [line.kind for line in lines]
    assert kinds == ["same", "same", "del", "add", "add"]
    assert lines[2].pieces == [(False, "第三条 文明养"), (True, "犬"), (False, "。")]
    assert lines[3].pieces == [(False, "第三条 文明养"), (True, "宠"), (False, "。")]
    assert diff.changed(lines) == 3


def test_pages_public_and_staff(client, session, world):
    p = world["p"]
    c, v = to_approved(session, p)
    service.adopt(session, p["worker"], v.id, adoption(day=repository.today()))
    service.file(session, p["worker"], v.id, repository.today())
    service.publish(session, p["worker"], v.id)
    v2 = service.revise(session, p["worker"], c.id)
    service.save_draft(session, p["worker"], v2.id, TEXT.replace("文明养犬", "文明养宠") + "\n第四条 <b>安静</b>")
    service.submit(session, p["worker"], v2.id)
    tok = {k: token_for(session, world["u"][k]) for k in ("worker", "official", "outsider_worker")}
    session.commit()
    en = {"Cookie": "linli_lang=en"}
    public = client.get(f"/public/conventions/{VILLAGE_A}", headers=en)
    assert public.status_code == 200 and "第二条 垃圾分类投放" in public.text and "文明养宠" not in public.text
    h = auth(tok["worker"]) | en
    page = client.get(f"/conventions/{c.id}", headers=h)
    assert page.status_code == 200 and "review by the township/street" in page.text
    d = client.get(f"/conventions/versions/{v2.id}/diff", headers=h).text
    assert "<ins>宠</ins>" in d and "<del>犬</del>" in d and "&lt;b&gt;安静&lt;/b&gt;" in d
    form = {"body": "residents_meeting", "adopted_on": repository.today().isoformat()}
    form |= {"attendance_present": "90", "women_present": "40"}
    r = client.post(f"/conventions/versions/{v2.id}/adopt", headers=h, data=form)
    assert r.status_code == 409 and "has not approved" in r.text
    official = auth(tok["official"]) | en
    r = client.post(f"/conventions/versions/{v2.id}/review", headers=official, data={"decision": "approve"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    r = client.post(f"/api/v1/conventions/versions/{v2.id}/adopt", headers=auth(tok["worker"]),
                    json={"body": "residents_representatives_meeting", "adopted_on": repository.today().isoformat(),
                          "attendance_present": 30, "women_present": 12})  # fmt: skip
    assert r.status_code == 422 and "第十五条" in r.json()["error"]["message"]
    outsider = auth(tok["outsider_worker"])
    assert client.get(f"/conventions/{c.id}", headers=outsider).status_code == 404
    assert client.get(f"/conventions/versions/{v2.id}/diff", headers=outsider).status_code == 404
    assert client.get(f"/areas/{VILLAGE_A}/conventions", headers=outsider).status_code == 404
