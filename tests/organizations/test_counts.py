"""The figures roll up by child area from the rows (and stay inside the reader's scope); matching puts the
nearest fitting resource first; the to-dos count what waits in the reader's places."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from linli.organizations import counts, matching, reads, service
from linli.organizations.schemas import ClaimIn, NeedIn, ResourceIn, ResultIn
from linli.organizations.todo import todos
from tests.factories import SYSTEM
from tests.factories_organizations import make_org, org_world
from tests.factories_residents import GRID, make_grids, make_person


@pytest.fixture
def w(areas):
    make_grids(areas, load_areas=False)
    return org_world(areas)


def test_figures_by_child_and_total(session, w):
    make_org(session, "华阳志愿者协会", "social_organization", "220102001001")
    make_org(session, "邻县协会", "social_organization", "220103002001")
    make_person(session, None, name="居民", relation=None, grid=GRID)
    p = service.lists.claim(
        session, SYSTEM, w["need"].id,
        ClaimIn(resource_id=w["resource"].id, starts_on=date.today(), ends_on=date.today()),
    )  # fmt: skip
    service.lists.record_result(session, SYSTEM, p.id, ResultIn(result="ok"))
    service.lists.record_need(session, SYSTEM, NeedIn(area_code="220102001002", title="x", category="other"))
    rows, total = counts.by_child(session, w["p"]["cw"].scope(), "220102001")
    by = {r.code: r for r in rows}
    assert by["220102001"].figures["alliances"] == 1 and by["220102001"].figures["members"] == 3
    assert by["220102001001"].figures | {} == {
        "alliances": 0, "members": 0, "pairs": 0, "projects_done": 1, "needs_open": 0, "needs_met": 1, "social_orgs": 1,
    }  # fmt: skip
    assert by["220102001001"].residents == 1 and by["220102001001"].social_orgs_per_10k == 10000.0
    assert by["220102001002"].figures["needs_open"] == 1
    assert total.figures["social_orgs"] == 1  # the sibling county's is outside the area (and the scope)
    province, _ = counts.by_child(session, SYSTEM.scope(), "22")
    assert {r.code: r.figures["social_orgs"] for r in province} == {"2201": 2}


def test_the_nearest_fitting_resource_first(session, w):
    far = make_org(session, "远处单位", area="220102001003", lon=125.50, lat=43.95)
    from linli.organizations.schemas import MemberIn

    service.alliances.add_member(session, SYSTEM, w["alliance"].id, MemberIn(organization_id=far.id))
    service.lists.offer_resource(
        session, SYSTEM, w["alliance"].id, ResourceIn(organization_id=far.id, resource_type="elderly", title="远处送餐")
    )
    service.lists.offer_resource(
        session,
        SYSTEM,
        w["alliance"].id,
        ResourceIn(organization_id=w["orgs"]["b"].id, resource_type="legal", title="法律"),
    )
    found = matching.suggest(session, SYSTEM.scope(), "220102001")
    assert [(s.need_id, s.resource_title) for s in found] == [
        (w["need"].id, "志愿者上门送餐"),
        (w["need"].id, "远处送餐"),
    ]
    assert found[0].distance_m < found[1].distance_m
    assert reads.suggestions(session, w["p"]["sibling"], area_code="220103") == []


def test_todos(session, w):
    cw = {t.label: t.count for t in todos(session, w["p"]["cw"])}
    assert cw["Needs waiting for a unit to claim them"] == 1
    service.lists.claim(
        session, w["p"]["contact_a"], w["need"].id,
        ClaimIn(resource_id=w["resource"].id, starts_on=date.today() - timedelta(days=9),
                ends_on=date.today() - timedelta(days=2)),
    )  # fmt: skip
    cw = {t.label: t.count for t in todos(session, w["p"]["cw"])}
    assert cw == {"Needs waiting for a unit to claim them": 0, "Projects past their end date": 1}
    assert [t.count for t in todos(session, w["p"]["contact_a"])] == [1]
    assert [t.count for t in todos(session, w["p"]["contact_b"])] == [0]
    assert todos(session, w["p"]["sibling"])[0].count == 0
