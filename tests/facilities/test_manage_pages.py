"""The county's and the staff's forms on an area's facilities page: designating a happy-community site
and recording its reviews, opening an elderly university branch and adding classes. Each refusal answers
with the reason in words and everything typed kept, and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.facilities.models import Branch, ElderClass, HappyReview, HappySite
from tests.factories import VILLAGE_A, auth, make_user, token_for
from tests.factories_facilities import make_class, make_facility

COUNTY, STREET = "220102", "220102001"


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _official(session, name: str, area: str = COUNTY) -> str:
    tok = token_for(session, make_user(session, name, "official", area))
    session.commit()
    return tok


def test_the_county_designates_a_site_choosing_the_community_by_name(session, areas, client):
    tok = _official(session, "facm_county")
    url = f"/areas/{COUNTY}/facilities"
    page = client.get(url, headers=auth(tok))
    assert page.status_code == 200 and 'id="designate"' in page.text and f'value="{VILLAGE_A}"' in page.text
    form = {"place": VILLAGE_A, "year": "2099", "criteria": ["services", "elderly"], "note": "示范点备注"}
    future = client.post(f"{url}/sites", data=form, headers=auth(tok))
    assert future.status_code == 422 and "2099" in future.text
    assert "示范点备注" in future.text and 'value="2099"' in future.text and "checked" in future.text
    bad = client.post(f"{url}/sites", data={**form, "year": "二〇二四"}, headers=auth(tok))
    assert bad.status_code == 422 and "二〇二四" in bad.text
    old = client.post(f"{url}/sites", data={**form, "year": "1990"}, headers=auth(tok))
    assert old.status_code == 422 and "命名年份须在 2000 至 2100 之间" in old.text
    none = client.post(f"{url}/sites", data={**form, "year": "2024", "criteria": []}, headers=auth(tok))
    assert none.status_code == 422 and "示范点备注" in none.text and "请至少勾选一项" in none.text
    assert count(session, HappySite) == 0
    done = client.post(f"{url}/sites", data={**form, "year": "2024"}, headers=auth(tok), follow_redirects=True)
    assert done.status_code == 200 and "2024" in done.text and count(session, HappySite) == 1
    again = client.post(f"{url}/sites", data={**form, "year": "2025"}, headers=auth(tok))
    assert again.status_code == 409 and 'value="2025"' in again.text and count(session, HappySite) == 1


def test_a_community_worker_is_refused_designating_with_403(session, areas, client):
    cw = make_user(session, "facm_cw", "community_worker", VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    form = {"place": VILLAGE_A, "year": "2024", "criteria": ["services"]}
    r = client.post(f"/areas/{VILLAGE_A}/facilities/sites", data=form, headers=auth(tok))
    assert r.status_code == 403 and "由县（区）或上级命名" in r.text
    assert 'id="designate"' not in client.get(f"/areas/{VILLAGE_A}/facilities", headers=auth(tok)).text
    assert count(session, HappySite) == 0


def test_the_county_records_a_review_once_a_year_not_before_the_designation(session, areas, client):
    tok = _official(session, "facm_county2")
    url = f"/areas/{STREET}/facilities"
    client.post(f"{url}/sites", data={"place": VILLAGE_A, "year": "2024", "criteria": ["services"]}, headers=auth(tok))
    site = session.scalar(select(HappySite))
    form = {"year": "2023", "result": "rectify", "note": "活动室不足"}
    early = client.post(f"{url}/sites/{site.id}/reviews", data=form, headers=auth(tok))
    assert early.status_code == 422 and "2023" in early.text and "活动室不足" in early.text
    assert 'value="rectify" selected' in early.text and count(session, HappyReview) == 0
    done = client.post(f"{url}/sites/{site.id}/reviews", data={**form, "year": "2025"}, headers=auth(tok),
                       follow_redirects=True)  # fmt: skip
    assert done.status_code == 200 and "活动室不足" in done.text and count(session, HappyReview) == 1
    twice = client.post(f"{url}/sites/{site.id}/reviews", data={**form, "year": "2025"}, headers=auth(tok))
    assert twice.status_code == 409 and count(session, HappyReview) == 1
    cw = make_user(session, "facm_cw2", "community_worker", VILLAGE_A)
    cw_tok = token_for(session, cw)
    session.commit()
    refused = client.post(f"/areas/{VILLAGE_A}/facilities/sites/{site.id}/reviews", data={**form, "year": "2026"},
                          headers=auth(cw_tok))  # fmt: skip
    assert refused.status_code == 403 and count(session, HappyReview) == 1


def test_a_branch_is_opened_with_its_community_and_facility(session, areas, client):
    facility = make_facility(session, name="华阳社区党群服务中心")
    tok = _official(session, "facm_county3")
    url = f"/areas/{COUNTY}/facilities"
    form = {"place": "", "name": "老年大学华阳教学点", "facility": str(facility.id)}
    unchosen = client.post(f"{url}/branches", data=form, headers=auth(tok))
    assert unchosen.status_code == 422 and "老年大学华阳教学点" in unchosen.text
    wrong = client.post(f"{url}/branches", data={**form, "place": "220102001002"}, headers=auth(tok))
    assert wrong.status_code == 422 and "老年大学华阳教学点" in wrong.text and count(session, Branch) == 0
    done = client.post(f"{url}/branches", data={**form, "place": VILLAGE_A}, headers=auth(tok), follow_redirects=True)
    assert done.status_code == 200 and "老年大学华阳教学点" in done.text
    branch = session.scalar(select(Branch))
    assert branch.facility_id == facility.id and count(session, Branch) == 1


def test_a_class_is_added_and_bad_capacity_or_term_refused(session, areas, client):
    branch, _ = make_class(session)
    tok = _official(session, "facm_county4")
    url = f"/areas/{COUNTY}/facilities/branches/{branch.id}/classes"
    form = {"course": "太极拳", "teacher": "李老师", "term": "2026年秋季", "starts_on": "2026-09-01",
            "ends_on": "2027-01-10", "schedule": "每周二 9:00–10:30", "capacity": "0"}  # fmt: skip
    zero = client.post(url, data=form, headers=auth(tok))
    assert zero.status_code == 422 and "太极拳" in zero.text and "每周二 9:00–10:30" in zero.text
    assert "名额须在 1 至 1000 之间（填写的是 0）" in zero.text
    backwards = client.post(url, data={**form, "capacity": "20", "ends_on": "2026-08-01"}, headers=auth(tok))
    assert backwards.status_code == 422 and 'value="2026-08-01"' in backwards.text
    assert "ends before it starts" in backwards.text or "早于" in backwards.text
    assert count(session, ElderClass) == 1
    done = client.post(url, data={**form, "capacity": "20"}, headers=auth(tok), follow_redirects=True)
    assert done.status_code == 200 and "太极拳" in done.text and count(session, ElderClass) == 2
    sibling = _official(session, "facm_sibling", "220103")
    assert client.post(url, data={**form, "capacity": "20"}, headers=auth(sibling)).status_code == 404
    assert count(session, ElderClass) == 2
