"""The three lists: a unit claims an open need in its alliance's area with its resource, records the
result, residents rate it once; every other step from the wrong state is refused with nothing changed;
a unit's contact acts for that unit only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.organizations import service
from linli.organizations.models import Project
from linli.organizations.schemas import ClaimIn, MemberIn, NeedIn, RatingIn, ResourceIn, ResultIn
from tests.factories import SYSTEM
from tests.factories_organizations import OTHER_TOWN_VILLAGE, org_world, week


@pytest.fixture
def w(areas):
    return org_world(areas)


def claim(session, who, w, need=None, resource=None):
    start, end = week()
    data = ClaimIn(resource_id=(resource or w["resource"]).id, starts_on=start, ends_on=end)
    return service.lists.claim(session, who, (need or w["need"]).id, data)


def test_the_whole_way_claim_result_rating(session, w):
    p = claim(session, w["p"]["contact_a"], w)
    assert (p.status, w["need"].status) == ("claimed", "claimed")
    service.lists.record_result(session, w["p"]["contact_a"], p.id, ResultIn(result="每日送餐 12 户"))
    assert (p.status, w["need"].status) == ("done", "met")
    service.lists.rate(session, w["p"]["cw"], p.id, RatingIn(rating=5))
    assert p.rating == 5 and p.rated_by == "org_cw"


def test_a_claimed_need_is_not_claimed_twice(session, w):
    claim(session, w["p"]["contact_a"], w)
    with pytest.raises(Conflict, match="only an open need can be claimed"):
        claim(session, w["p"]["contact_a"], w)
    assert session.scalar(select(func.count()).select_from(Project)) == 1


def test_a_closed_need_cannot_be_claimed_and_a_claimed_one_not_closed(session, w):
    p = claim(session, w["p"]["contact_a"], w)
    with pytest.raises(Conflict, match="only an open need can be closed"):
        service.lists.close_need(session, w["p"]["cw"], w["need"].id)
    service.lists.drop_project(session, w["p"]["contact_a"], p.id)
    assert w["need"].status == "open"
    service.lists.close_need(session, w["p"]["cw"], w["need"].id)
    with pytest.raises(Conflict, match="Closed|closed"):
        claim(session, w["p"]["contact_a"], w)


def test_a_rating_only_after_the_result_once_and_in_range(session, w):
    p = claim(session, w["p"]["contact_a"], w)
    with pytest.raises(Conflict, match="no result yet"):
        service.lists.rate(session, w["p"]["cw"], p.id, RatingIn(rating=4))
    service.lists.record_result(session, w["p"]["contact_a"], p.id, ResultIn(result="done"))
    for bad in (0, 6, -1):
        with pytest.raises(InvalidInput, match="from 1"):
            service.lists.rate(session, w["p"]["cw"], p.id, RatingIn(rating=bad))
    assert p.rating is None
    service.lists.rate(session, w["p"]["cw"], p.id, RatingIn(rating=3))
    with pytest.raises(Conflict, match="rated already"):
        service.lists.rate(session, w["p"]["cw"], p.id, RatingIn(rating=4))
    assert p.rating == 3


def test_a_result_is_recorded_once(session, w):
    p = claim(session, w["p"]["contact_a"], w)
    service.lists.record_result(session, w["p"]["contact_a"], p.id, ResultIn(result="done"))
    with pytest.raises(Conflict, match="finished already"):
        service.lists.record_result(session, w["p"]["contact_a"], p.id, ResultIn(result="again"))
    with pytest.raises(Conflict, match="finished already"):
        service.lists.drop_project(session, w["p"]["contact_a"], p.id)
    with pytest.raises(InvalidInput, match="result"):
        p2 = _second_project(session, w)
        service.lists.record_result(session, w["p"]["contact_a"], p2.id, ResultIn(result="  "))


def _second_project(session, w):
    need = service.lists.record_need(session, SYSTEM, NeedIn(area_code="220102001001", title="x", category="elderly"))
    return claim(session, w["p"]["contact_a"], w, need=need)


def test_claiming_a_need_outside_the_alliances_area_is_refused(session, w):
    far = service.lists.record_need(
        session, SYSTEM, NeedIn(area_code=OTHER_TOWN_VILLAGE, title="楼道照明", category="elderly")
    )
    with pytest.raises(InvalidInput, match="outside the area of"):
        claim(session, SYSTEM, w, need=far)
    assert far.status == "open"


def test_a_resource_of_another_kind_does_not_fit(session, w):
    need = service.lists.record_need(
        session, SYSTEM, NeedIn(area_code="220102001001", title="法律咨询", category="legal")
    )
    with pytest.raises(InvalidInput, match="does not fit"):
        claim(session, SYSTEM, w, need=need)


def test_dates_of_a_claim(session, w):
    with pytest.raises(InvalidInput, match="ends before it starts"):
        service.lists.claim(
            session, SYSTEM, w["need"].id,
            ClaimIn(resource_id=w["resource"].id, starts_on=date.today(), ends_on=date.today() - timedelta(days=1)),
        )  # fmt: skip


def test_a_contact_acts_for_their_unit_only(session, w):
    other = w["p"]["contact_b"]
    with pytest.raises(Forbidden, match="not a contact of 长春燃气南岭所"):
        claim(session, other, w)
    with pytest.raises(Forbidden):
        service.lists.offer_resource(
            session, other, w["alliance"].id,
            ResourceIn(organization_id=w["orgs"]["a"].id, resource_type="elderly", title="冒名资源"),
        )  # fmt: skip
    p = claim(session, w["p"]["contact_a"], w)
    with pytest.raises(Forbidden):
        service.lists.record_result(session, other, p.id, ResultIn(result="not mine"))
    with pytest.raises(Forbidden):
        service.lists.drop_project(session, other, p.id)
    with pytest.raises(Forbidden):
        service.lists.withdraw_resource(session, other, w["resource"].id)
    assert (p.status, w["resource"].status) == ("claimed", "active")


def test_a_contact_cannot_manage(session, w):
    with pytest.raises(Forbidden):
        service.lists.record_need(
            session, w["p"]["contact_a"], NeedIn(area_code="220102001001", title="x", category="other")
        )
    with pytest.raises(Forbidden):
        service.alliances.add_member(
            session, w["p"]["contact_a"], w["alliance"].id, MemberIn(organization_id=w["orgs"]["c"].id)
        )


def test_out_of_scope_is_missing(session, w):
    sib = w["p"]["sibling"]
    with pytest.raises(NotFound):
        claim(session, sib, w)
    with pytest.raises(NotFound):
        service.lists.close_need(session, sib, w["need"].id)
    with pytest.raises(NotFound):
        service.lists.offer_resource(
            session,
            sib,
            w["alliance"].id,
            ResourceIn(organization_id=w["orgs"]["a"].id, resource_type="other", title="x"),
        )


def test_a_need_from_a_grid_event(session, w):
    from linli.areas import grids
    from linli.areas.kinds import GridKind
    from linli.events.seed import seed_categories
    from tests.factories import inside_point, square
    from tests.factories_events import report

    seed_categories(session)
    lon, lat = inside_point("220102")
    grids.create_grid(session, SYSTEM, "220102001001001", "第一网格", GridKind.residential, square(lon, lat))
    event = report(session, SYSTEM, (lon + 0.001, lat + 0.001))
    need = service.lists.record_need(
        session,
        w["p"]["cw"],
        NeedIn(area_code="220102001001", title="垃圾清运", category="environment", event_id=event.id),
    )
    assert (need.event_id, need.area_code, need.lon) == (event.id, event.area_code, event.lon)
    with pytest.raises(Conflict, match="has become a need already"):
        service.lists.record_need(
            session,
            w["p"]["cw"],
            NeedIn(area_code="220102001", title="again", category="environment", event_id=event.id),
        )
