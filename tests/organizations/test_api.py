"""The API and the pages over HTTP: bad input answers a clear 4xx and changes nothing (a form keeps what
was typed), a unit's contact is refused (403) for another unit, out of reach is 404 as if missing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from linli.organizations import service
from linli.organizations.models import Organization, Project
from tests.factories import VILLAGE_A, auth, token_for
from tests.factories_organizations import org_world


@pytest.fixture
def w(areas):
    world = org_world(areas)
    world["tok"] = {k: token_for(areas, u) for k, u in world["users"].items()}
    areas.commit()
    return world


def test_bad_credit_code_and_duplicate_member_over_the_api(client, session, w):
    cw = auth(w["tok"]["cw"])
    before = session.scalar(select(func.count()).select_from(Organization))
    body = {"area_code": VILLAGE_A, "kind": "enterprise", "name": "某公司", "uscc": "91110000600037341X"}
    r = client.post("/api/v1/organizations", json=body, headers=cw)
    assert r.status_code == 422 and "check digit" in r.json()["error"]["message"]
    assert session.scalar(select(func.count()).select_from(Organization)) == before
    r = client.post(
        f"/api/v1/alliances/{w['alliance'].id}/members", json={"organization_id": w["orgs"]["a"].id}, headers=cw
    )
    assert r.status_code == 409 and "already" in r.json()["error"]["message"]


def test_claim_rate_and_the_contact_of_another_unit(client, session, w):
    need, res = w["need"].id, w["resource"].id
    today = date.today().isoformat()
    claim = {"resource_id": res, "starts_on": today, "ends_on": today}
    r = client.post(f"/api/v1/org-needs/{need}/claim", json=claim, headers=auth(w["tok"]["contact_b"]))
    assert r.status_code == 403 and "not a contact of" in r.json()["error"]["message"]
    assert session.scalar(select(func.count()).select_from(Project)) == 0
    r = client.post(f"/api/v1/org-needs/{need}/claim", json=claim, headers=auth(w["tok"]["contact_a"]))
    assert r.status_code == 201, r.text
    project = r.json()["id"]
    cw = auth(w["tok"]["cw"])
    r = client.post(f"/api/v1/org-projects/{project}/rating", json={"rating": 4}, headers=cw)
    assert r.status_code == 409 and "no result yet" in r.json()["error"]["message"]
    r = client.post(
        f"/api/v1/org-projects/{project}/result", json={"result": "完成"}, headers=auth(w["tok"]["contact_a"])
    )
    assert r.status_code == 200 and r.json()["status"] == "done"
    r = client.post(f"/api/v1/org-projects/{project}/rating", json={"rating": 9}, headers=cw)
    assert r.status_code == 422 and "1 (poor) to 5" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/org-projects/{project}/rating", json={"rating": 5}, headers=cw)
    assert r.status_code == 200 and r.json()["rating"] == 5


def test_out_of_reach_is_missing(client, w):
    sib = auth(w["tok"]["sibling"])
    for url in (
        f"/api/v1/organizations/{w['orgs']['a'].id}",
        f"/api/v1/alliances/{w['alliance'].id}",
        f"/api/v1/org-needs/{w['need'].id}",
        f"/organizations/{w['orgs']['a'].id}",
        f"/alliances/{w['alliance'].id}",
        f"/org-needs/{w['need'].id}",
        "/areas/220102001/organizations",
    ):
        r = client.get(url, headers=sib)
        assert r.status_code == 404, url
    missing = client.get("/api/v1/organizations/999999", headers=sib)
    assert missing.status_code == 404


def test_a_refused_form_keeps_what_was_typed(client, session, w):
    cw = auth(w["tok"]["cw"])
    form = {"kind": "enterprise", "name": "保留的名称", "uscc": "91110000600037341X", "status": "active"}
    r = client.post(f"/areas/{VILLAGE_A}/organizations/new", data=form, headers=cw)
    assert r.status_code == 422
    assert "校验码错误" in r.text and "保留的名称" in r.text
    r = client.post(
        f"/alliances/{w['alliance'].id}/members",
        data={"organization_id": str(w["orgs"]["outsider"].id)},
        headers=cw,
    )
    # Beyond the community worker's reach: answered like a unit that does not exist.
    assert r.status_code == 422 and f"组织 {w['orgs']['outsider'].id} 不存在" in r.text


def test_a_communitys_worker_sees_the_streets_alliance_page(client, session, w):
    from tests.factories import make_user

    village = token_for(session, make_user(session, "org_cw_village", "community_worker", VILLAGE_A))
    session.commit()
    page = client.get(f"/alliances/{w['alliance'].id}", headers=auth(village))
    assert page.status_code == 200 and "独居老人助餐" in page.text and "吸纳成员单位" not in page.text
    r = client.get(f"/api/v1/alliances/{w['alliance'].id}/needs", headers=auth(village))
    assert [n["title"] for n in r.json()["items"]] == ["独居老人助餐"]


def test_pages_for_the_community_worker_and_the_contact(client, w):
    cw, contact = auth(w["tok"]["cw"]), auth(w["tok"]["contact_a"])
    page = client.get(f"/alliances/{w['alliance'].id}", headers=cw)
    assert page.status_code == 200 and "吸纳成员单位" in page.text and "长春燃气南岭所" in page.text
    page = client.get(f"/alliances/{w['alliance'].id}", headers=contact)
    assert "提供资源" in page.text and "吸纳成员单位" not in page.text
    need = client.get(f"/org-needs/{w['need'].id}", headers=contact)
    assert "认领这项需求" in need.text and "关闭需求" not in need.text
    other = client.get(f"/org-needs/{w['need'].id}", headers=auth(w["tok"]["contact_b"]))
    assert "认领这项需求" not in other.text  # B offers nothing that fits; A's resource is not B's to use
    for url in ("/areas/220102001/organizations?q=燃气", "/areas/220102001/org-counts", "/areas/220102001/org-needs"):
        assert client.get(url, headers=cw).status_code == 200, url
    assert "长春燃气南岭所" in client.get("/areas/220102001/organizations?q=燃气", headers=cw).text
    # The figures of the seed's social forces are on two pages: the counts link the stations' and staff's.
    counts = client.get("/areas/220102001/org-counts", headers=cw).text
    assert 'href="/areas/220102001/socialwork"' in counts.split('id="stations-link"')[1]


def test_the_dual_reporting_summary_page(client, session, w):
    from linli.organizations.schemas import ServiceRecordIn, UnitReportIn
    from tests.factories import SYSTEM

    a = w["orgs"]["a"]
    service.reporting.report_unit(session, SYSTEM, a.id, UnitReportIn(area_code=VILLAGE_A))
    service.reporting.log_service(
        session,
        SYSTEM,
        ServiceRecordIn(organization_id=a.id, served_on=date.today(), hours=3, content="义诊", rating=4),
    )
    session.commit()
    page = client.get("/areas/220102001/service-summary", headers=auth(w["tok"]["cw"]))
    assert page.status_code == 200 and "长春燃气南岭所" in page.text and "3.0" in page.text
    assert client.get("/areas/220102001/service-summary", headers=auth(w["tok"]["sibling"])).status_code == 404
