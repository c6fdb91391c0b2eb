"""Scope cases of the organizations routes: the registry, alliances and the three lists, dual reporting,
the figures (API and pages)."""

from __future__ import annotations

from datetime import date, timedelta

from linli.organizations import service
from linli.organizations.schemas import (
    AllianceIn,
    ClaimIn,
    NeedIn,
    PairingIn,
    ResourceIn,
    ResultIn,
    UnitReportIn,
)
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user
from tests.factories_organizations import make_org, uscc
from tests.factories_residents import make_person
from tests.scope_cases import Case

ORG = "ScopeCaseOrg"
ALLIANCE = "ScopeCaseAlliance"


def _need(session, title: str):
    return service.lists.record_need(session, SYSTEM, NeedIn(area_code=VILLAGE_A, title=title, category="elderly"))


def _claim(session, need, resource):
    today = date.today()
    return service.lists.claim(
        session, SYSTEM, need.id, ClaimIn(resource_id=resource.id, starts_on=today, ends_on=today + timedelta(days=3))
    )


def setup(session, w) -> dict:
    org = make_org(session, ORG, area=VILLAGE_A, uscc=uscc(9001))
    other = make_org(session, ORG + "Two", "school", VILLAGE_A, uscc=uscc(9002))
    alliance = service.alliances.create(
        session, SYSTEM, AllianceIn(area_code=TOWN_A, name=ALLIANCE, lead_org_id=org.id)
    )
    resource = service.lists.offer_resource(
        session, SYSTEM, alliance.id, ResourceIn(organization_id=org.id, resource_type="elderly", title="送餐")
    )
    open_need = _need(session, "ScopeNeedOpen")
    claimed = _claim(session, _need(session, "ScopeNeedClaimed"), resource)
    done = _claim(session, _need(session, "ScopeNeedDone"), resource)
    service.lists.record_result(session, SYSTEM, done.id, ResultIn(result="ok"))
    service.reporting.report_unit(session, SYSTEM, org.id, UnitReportIn(area_code=VILLAGE_A))
    make_user(session, "scope_org_contact", "org_contact", VILLAGE_A)
    linked = make_user(session, "scope_org_linked", "org_contact", VILLAGE_A)
    service.registry.add_contact(session, SYSTEM, org.id, linked.username)
    person = make_person(session, None, name="党员", relation=None, grid=VILLAGE_A + "001")
    pairing = service.pairings.create(session, SYSTEM, PairingIn(organization_id=org.id, area_code=VILLAGE_A))
    return {
        "og_pairing": pairing.id,
        "og_org": org.id, "og_other": other.id, "og_alliance": alliance.id, "og_resource": resource.id,
        "og_need": open_need.id, "og_claimed": claimed.id, "og_done": done.id, "og_linked": linked.id,
        "og_person": person.id,
    }  # fmt: skip


def _api(w) -> dict:
    org, alliance = {"org_id": w["og_org"]}, {"alliance_id": w["og_alliance"]}
    need, claimed, done = {"need_id": w["og_need"]}, {"project_id": w["og_claimed"]}, {"project_id": w["og_done"]}
    area, pairing = {"area": "220102"}, {"pairing_id": w["og_pairing"]}
    today = date.today().isoformat()
    v1 = "/api/v1"
    return {
        ("GET", f"{v1}/organizations"): Case(kind="list", hidden=ORG),
        ("POST", f"{v1}/organizations"): Case(body={"area_code": VILLAGE_A, "kind": "enterprise", "name": "新单位"}),
        ("GET", f"{v1}/organizations/{{org_id}}"): Case(path=org),
        ("PATCH", f"{v1}/organizations/{{org_id}}"): Case(path=org, body={"name": "新名称"}),
        ("GET", f"{v1}/organizations/{{org_id}}/contacts"): Case(path=org),
        ("POST", f"{v1}/organizations/{{org_id}}/contacts"): Case(path=org, body={"username": "scope_org_contact"}),
        ("DELETE", f"{v1}/organizations/{{org_id}}/contacts/{{user_id}}"): Case(
            path={**org, "user_id": w["og_linked"]}
        ),
        ("POST", f"{v1}/organizations/{{org_id}}/reports"): Case(
            path={"org_id": w["og_other"]}, body={"area_code": VILLAGE_A}
        ),
        ("GET", f"{v1}/organizations/{{org_id}}/service-records"): Case(path=org),
        ("GET", f"{v1}/alliances"): Case(kind="list", hidden=ALLIANCE),
        ("POST", f"{v1}/alliances"): Case(body={"area_code": TOWN_A, "name": "新联盟", "lead_org_id": w["og_org"]}),
        ("GET", f"{v1}/alliances/{{alliance_id}}"): Case(path=alliance),
        ("GET", f"{v1}/alliances/{{alliance_id}}/members"): Case(path=alliance),
        ("POST", f"{v1}/alliances/{{alliance_id}}/members"): Case(
            path=alliance, body={"organization_id": w["og_other"]}
        ),
        ("GET", f"{v1}/alliances/{{alliance_id}}/needs"): Case(path=alliance),
        ("GET", f"{v1}/alliances/{{alliance_id}}/resources"): Case(path=alliance),
        ("POST", f"{v1}/alliances/{{alliance_id}}/resources"): Case(
            path=alliance, body={"organization_id": w["og_org"], "resource_type": "legal", "title": "法律咨询"}
        ),
        ("GET", f"{v1}/alliances/{{alliance_id}}/projects"): Case(path=alliance),
        ("GET", f"{v1}/alliances/{{alliance_id}}/suggestions"): Case(path=alliance),
        ("GET", f"{v1}/org-suggestions"): Case(params=area),
        ("GET", f"{v1}/org-needs"): Case(params=area),
        ("POST", f"{v1}/org-needs"): Case(body={"area_code": VILLAGE_A, "title": "助浴", "category": "elderly"}),
        ("GET", f"{v1}/org-needs/{{need_id}}"): Case(path=need),
        ("POST", f"{v1}/org-needs/{{need_id}}/close"): Case(path=need),
        ("POST", f"{v1}/org-needs/{{need_id}}/claim"): Case(
            path=need, body={"resource_id": w["og_resource"], "starts_on": today, "ends_on": today}
        ),
        ("POST", f"{v1}/org-resources/{{resource_id}}/withdraw"): Case(path={"resource_id": w["og_resource"]}),
        ("GET", f"{v1}/org-projects/{{project_id}}"): Case(path=claimed),
        ("POST", f"{v1}/org-projects/{{project_id}}/result"): Case(path=claimed, body={"result": "完成"}),
        ("POST", f"{v1}/org-projects/{{project_id}}/drop"): Case(path=claimed),
        ("POST", f"{v1}/org-projects/{{project_id}}/rating"): Case(path=done, body={"rating": 5}),
        ("POST", f"{v1}/member-reports"): Case(body={"person_id": w["og_person"], "organization_id": w["og_org"]}),
        ("POST", f"{v1}/service-records"): Case(
            body={"organization_id": w["og_org"], "served_on": today, "hours": 2, "content": "义诊"}
        ),
        ("GET", f"{v1}/service-summary"): Case(params=area),
        ("GET", f"{v1}/org-counts"): Case(params=area),
        ("GET", f"{v1}/pairings"): Case(params=area),
        ("POST", f"{v1}/pairings"): Case(body={"organization_id": w["og_other"], "area_code": VILLAGE_A}),
        ("GET", f"{v1}/pairings/{{pairing_id}}"): Case(path=pairing),
        ("POST", f"{v1}/pairings/{{pairing_id}}/end"): Case(path=pairing, body={}),
        ("GET", f"{v1}/pairings/{{pairing_id}}/activities"): Case(path=pairing),
        ("POST", f"{v1}/pairings/{{pairing_id}}/activities"): Case(
            path=pairing, body={"held_on": today, "title": "共建活动"}
        ),
    }


def _pages(w) -> dict:
    org, alliance = {"org_id": w["og_org"]}, {"alliance_id": w["og_alliance"]}
    need, claimed, done = {"need_id": w["og_need"]}, {"project_id": w["og_claimed"]}, {"project_id": w["og_done"]}
    today = date.today().isoformat()
    village, town, pairing = {"code": VILLAGE_A}, {"code": TOWN_A}, {"pairing_id": w["og_pairing"]}
    return {
        ("GET", "/areas/{code}/organizations"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/organizations/new"): Case(path=village),
        ("POST", "/areas/{code}/organizations/new"): Case(
            path=village, data={"kind": "enterprise", "name": "新单位", "status": "active"}
        ),
        ("GET", "/organizations/{org_id}"): Case(path=org),
        ("GET", "/organizations/{org_id}/edit"): Case(path=org),
        ("POST", "/organizations/{org_id}/edit"): Case(
            path=org, data={"kind": "enterprise", "name": "改名", "status": "active"}
        ),
        ("POST", "/organizations/{org_id}/contacts"): Case(path=org, data={"username": "scope_org_contact"}),
        ("POST", "/organizations/{org_id}/contacts/{user_id}/remove"): Case(path={**org, "user_id": w["og_linked"]}),
        ("POST", "/organizations/{org_id}/reports"): Case(
            path={"org_id": w["og_other"]}, data={"area_code": VILLAGE_A}
        ),
        ("POST", "/organizations/{org_id}/service-records"): Case(
            path=org, data={"served_on": today, "hours": "2", "content": "义诊", "rating": "5"}
        ),
        ("GET", "/areas/{code}/alliances"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/alliances/new"): Case(path=town),
        ("POST", "/areas/{code}/alliances/new"): Case(
            path=town, data={"name": "新联盟", "lead_org_id": str(w["og_org"])}
        ),
        ("GET", "/alliances/{alliance_id}"): Case(path=alliance),
        ("POST", "/alliances/{alliance_id}/members"): Case(path=alliance, data={"organization_id": str(w["og_other"])}),
        ("POST", "/alliances/{alliance_id}/resources"): Case(
            path=alliance, data={"organization_id": str(w["og_org"]), "resource_type": "legal", "title": "法律咨询"}
        ),
        ("POST", "/org-resources/{resource_id}/withdraw"): Case(path={"resource_id": w["og_resource"]}),
        ("GET", "/areas/{code}/org-needs"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/org-needs/new"): Case(path=village),
        ("POST", "/areas/{code}/org-needs/new"): Case(path=village, data={"title": "助浴", "category": "elderly"}),
        ("GET", "/org-needs/{need_id}"): Case(path=need),
        ("POST", "/org-needs/{need_id}/claim"): Case(
            path=need, data={"resource_id": str(w["og_resource"]), "starts_on": today, "ends_on": today}
        ),
        ("POST", "/org-needs/{need_id}/close"): Case(path=need),
        ("POST", "/org-projects/{project_id}/result"): Case(path=claimed, data={"result": "完成"}),
        ("POST", "/org-projects/{project_id}/drop"): Case(path=claimed),
        ("POST", "/org-projects/{project_id}/rating"): Case(path=done, data={"rating": "4"}),
        ("GET", "/areas/{code}/org-counts"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/pairings"): Case(path={"code": "220102"}),
        ("GET", "/areas/{code}/service-summary"): Case(path={"code": "220102"}, params={"year": "2026"}),
        ("POST", "/areas/{code}/pairings"): Case(
            path=town, data={"organization_id": str(w["og_other"]), "area_code": VILLAGE_A, "kind": "many_to_one"}
        ),
        ("GET", "/pairings/{pairing_id}"): Case(path=pairing),
        ("POST", "/pairings/{pairing_id}/activities"): Case(path=pairing, data={"held_on": today, "title": "共建活动"}),
        ("POST", "/pairings/{pairing_id}/end"): Case(path=pairing, data={}),
    }


def cases(w) -> dict:
    return {**_api(w), **_pages(w)}
