"""The county's forms: a refusal answers 422 with the form again, every typed value kept and each field
named in words; a success saves and goes on. Registering a worker, a post, raters' scores, the rules of
a year, a recruitment round from opening to a registered worker, and the dismissal flag as a to-do."""

from __future__ import annotations

from datetime import date

import pytest

from linli.workforce import reads, repository, service, todo
from linli.workforce.models import Worker
from linli.workforce.schemas import AssessmentIn
from tests.factories import VILLAGE_A, auth, make_user, principal, token_for
from tests.factories_workforce import COUNTY, county_rules, make_worker


@pytest.fixture
def county(session, areas):
    user = make_user(session, "wff_county", "official", COUNTY)
    county_rules(session)
    session.commit()
    return {"user": user, "h": auth(token_for(session, user))}


def test_register_a_worker_refused_keeps_what_was_typed_then_saved(session, client, county):
    form = {"name": "表单社工", "area_code": VILLAGE_A, "education": "bachelor", "political_status": "masses",
            "qualification": "social_worker", "work_start": "2020-13-01", "source": "transfer"}  # fmt: skip
    bad = client.post(f"/areas/{COUNTY}/workforce/workers/new", data=form, headers=county["h"])
    assert bad.status_code == 422
    assert "参加工作时间" in bad.text and "2020-13-01" in bad.text and 'value="表单社工"' in bad.text
    form |= {"work_start": "2020-03-01", "qualified_on": "2021-06-01"}
    done = client.post(f"/areas/{COUNTY}/workforce/workers/new", data=form, headers=county["h"], follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/workforce/workers/")
    page = client.get(done.headers["location"], headers=county["h"])
    assert page.status_code == 200 and "表单社工" in page.text and "本科" in page.text  # names, not codes
    assert "bachelor" not in page.text


def test_a_post_outside_the_range_and_scores_outside_0_100_are_refused_on_the_page(session, client, county):
    worker = make_worker(session, post=None)
    session.commit()
    url = f"/workforce/workers/{worker.id}"
    bad = client.post(f"{url}/posts", data={"post": "head", "start": "2026-02-01", "level": "5"}, headers=county["h"])
    assert bad.status_code == 422 and "2026-02-01" in bad.text and 'value="5"' in bad.text
    ok = client.post(f"{url}/posts", data={"post": "staff", "start": "2026-02-01"}, headers=county["h"],
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    scores = {"year": "2026", "score_street": "101", "score_residents": "80", "score_colleagues": "85"}
    bad = client.post(f"{url}/scores", data=scores, headers=county["h"])
    assert bad.status_code == 422 and "街道（乡镇）的评分为 101" in bad.text and 'value="101"' in bad.text
    assert repository.assessment(session, worker.id, 2026) is None
    ok = client.post(f"{url}/scores", data=scores | {"score_street": "90"}, headers=county["h"], follow_redirects=False)
    assert ok.status_code == 303
    page = client.get(url, headers=county["h"])
    assert "称职 (85.50)" in page.text  # 90 × 0.4 + 80 × 0.3 + 85 × 0.3 = 85.5: competent (70–90)


def test_the_rules_form_starts_from_the_defaults_refuses_bad_weights_and_saves(session, client, county):
    page = client.get(f"/areas/{COUNTY}/workforce/rules?year=2027", headers=county["h"])
    assert page.status_code == 200 and "系统默认值" in page.text and 'name="coef_18" inputmode="decimal"' in page.text
    own = client.get(f"/areas/{COUNTY}/workforce/rules?year=2026", headers=county["h"])
    assert "这是本地区本年度的规则" in own.text and 'value="5000.00"' in own.text
    typed = {"weight_street": "0.5", "weight_residents": "0.4", "weight_colleagues": "", "probation_months": "9"}
    form = _inputs(page.text) | typed
    bad = client.post(f"/areas/{COUNTY}/workforce/rules", data=form, headers=county["h"])
    assert bad.status_code == 422 and "现为 0.9" in bad.text and 'value="9"' in bad.text
    ok = client.post(f"/areas/{COUNTY}/workforce/rules", data=form | {"weight_residents": "0.5"}, headers=county["h"],
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    saved = repository.setting_at(session, COUNTY, 2027)
    assert saved.probation_months == 9 and saved.source and len(repository.coefficients(session, saved.id)) == 18


def _inputs(html: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<input id="r-[^"]+" name="([^"]+)"[^>]*value="([^"]*)"', html)) | {
        "year": "2027", "pay_enabled": "on"}  # fmt: skip


def test_a_round_from_the_form_to_a_registered_worker(session, client, county):
    h = county["h"]
    bad = client.post(f"/areas/{COUNTY}/workforce/rounds", headers=h, data={
        "title": "表单招聘", "year": "2026", "conditions": "大专以上", "places_staff": "1", "written_weight": "0.6",
        "interview_weight": "0.6", "pass_mark": "60"})  # fmt: skip
    assert bad.status_code == 422 and "现为 1.2" in bad.text and 'value="表单招聘"' in bad.text
    opened = client.post(f"/areas/{COUNTY}/workforce/rounds", headers=h, follow_redirects=False, data={
        "title": "表单招聘", "year": "2026", "conditions": "大专以上", "places_staff": "1", "written_weight": "0.6",
        "interview_weight": "0.4", "pass_mark": "60"})  # fmt: skip
    url = opened.headers["location"]
    round_id = int(url.rsplit("/", 1)[1])
    applicant = {"name": "报名甲", "education": "college", "political_status": "masses", "post": "staff"}
    assert client.post(f"{url}/applicants", data=applicant, headers=h, follow_redirects=False).status_code == 303
    (row,) = repository.applicants_of(session, round_id)
    bad = client.post(f"/workforce/applicants/{row.id}/scores", data={"written": "-3", "interview": "80"}, headers=h)
    assert bad.status_code == 422 and "笔试成绩：不能小于 0" in bad.text and 'value="-3"' in bad.text
    client.post(f"/workforce/applicants/{row.id}/scores", data={"written": "80", "interview": "70"}, headers=h)
    assert client.post(f"{url}/publish", headers=h, follow_redirects=False).status_code == 303
    page = client.get(url, headers=h)
    assert "总成绩 76.00，排名第 1" in page.text and "合格" in page.text
    hired = client.post(f"/workforce/applicants/{row.id}/hire", data={"area_code": VILLAGE_A, "start": "2026-04-01"},
                        headers=h, follow_redirects=False)  # fmt: skip
    assert hired.status_code == 303
    again = client.post(f"/workforce/applicants/{row.id}/hire", data={"area_code": VILLAGE_A, "start": "2026-04-01"},
                        headers=h)  # fmt: skip
    assert again.status_code == 422 and "已登记为社区工作者" in again.text
    session.expire_all()
    worker = session.get(Worker, repository.applicant(session, row.id).worker_id)
    assert (worker.source, worker.probation_until) == ("recruitment", date(2026, 10, 1))


def test_a_flagged_worker_is_on_the_county_page_and_a_todo(session, client, county):
    who = principal(county["user"], ("official", COUNTY))
    county_rules(session, year=2025)
    worker = make_worker(session, name="连续不称职", start=date(2025, 1, 1))
    for year in (2025, 2026):
        service.record_assessment(session, who, worker.id,
                                  AssessmentIn(year=year, result="incompetent"))  # fmt: skip
    session.commit()
    page = client.get(f"/areas/{COUNTY}/workforce", headers=county["h"])
    assert "待审查解聘" in page.text and "连续不称职" in page.text and "2025, 2026" in page.text
    (item,) = todo.todos(session, who)
    assert (item.count, item.urgent, item.href) == (1, True, f"/areas/{COUNTY}/workforce#flags")
    assert reads.flags(session, who, COUNTY)[0].rule_years == 2
