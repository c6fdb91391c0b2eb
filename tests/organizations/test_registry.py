"""The registry and alliances: the unified social credit code checked by its check digit and unique, the
rules of Party organizations and social organizations, contacts tied to an organization, member units
admitted once and inside the alliance's area unless admitted across areas."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.organizations import service
from linli.organizations.models import AllianceMember, Organization
from linli.organizations.schemas import AllianceIn, MemberIn, OrganizationIn, OrganizationUpdate
from linli.organizations.service.registry import checked_uscc
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user
from tests.factories_organizations import SIBLING, make_org, org_world, uscc


@pytest.fixture
def w(areas):
    return org_world(areas)


def new(**fields) -> OrganizationIn:
    return OrganizationIn(**{"area_code": VILLAGE_A, "kind": "enterprise", "name": "某公司", **fields})


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(Organization))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341X", "check digit is wrong"),  # a real code with its last character changed
        ("9111000060003734", "18 characters"),
        ("9111000O600037341L", "8 digits"),
    ],
)
def test_an_invalid_credit_code_is_refused(code, message):
    with pytest.raises(InvalidInput, match=message):
        checked_uscc(code, "enterprise")


def test_nothing_is_registered_with_a_bad_code(session, areas):
    with pytest.raises(InvalidInput, match="check digit is wrong"):
        service.registry.create(session, SYSTEM, new(uscc="91110000600037341X"))
    assert count(session) == 0


def test_a_valid_code_is_kept_compact_and_unique(session, areas):
    o = service.registry.create(session, SYSTEM, new(uscc=" 91110000600037341l "))
    assert o.uscc == "91110000600037341L"
    with pytest.raises(Conflict, match="registered already"):
        service.registry.create(session, SYSTEM, new(name="另一家", uscc="91110000600037341L"))
    other = service.registry.create(session, SYSTEM, new(name="另一家", uscc=uscc()))
    with pytest.raises(Conflict, match="registered already"):
        service.registry.update(session, SYSTEM, other.id, OrganizationUpdate(uscc="91110000600037341L"))
    assert count(session) == 2


def test_party_organizations(session, areas):
    with pytest.raises(InvalidInput, match="no unified social credit code"):
        service.registry.create(session, SYSTEM, new(kind="party_branch", uscc=uscc()))
    committee = make_org(session, "街道党工委", "party_committee", TOWN_A)
    branch = service.registry.create(session, SYSTEM, new(kind="party_branch", name="某支部", parent_id=committee.id))
    assert branch.parent_id == committee.id
    with pytest.raises(InvalidInput, match="higher Party organization"):
        service.registry.create(session, SYSTEM, new(kind="party_branch", name="再一个", parent_id=branch.id))
    with pytest.raises(InvalidInput, match="only a Party organization"):
        service.registry.create(session, SYSTEM, new(name="企业", parent_id=committee.id, uscc=uscc()))


def test_social_organization_fields(session, areas):
    with pytest.raises(InvalidInput, match="only a social organization"):
        service.registry.create(session, SYSTEM, new(uscc=uscc(), rating=3))
    with pytest.raises(InvalidInput, match="registered or filed"):
        service.registry.create(session, SYSTEM, new(kind="social_organization", name="志愿者协会"))
    o = service.registry.create(
        session, SYSTEM,
        new(kind="social_organization", name="志愿者协会", registration="filed", social_type="community_based",
            service_field="elderly", rating=4),
    )  # fmt: skip
    assert (o.registration, o.rating, o.uscc) == ("filed", 4, None)


def test_phone_and_point(session, areas):
    with pytest.raises(InvalidInput, match="mobile"):
        service.registry.create(session, SYSTEM, new(contact_phone="12345"))
    with pytest.raises(InvalidInput, match="both the longitude and the latitude"):
        service.registry.create(session, SYSTEM, new(lon=125.3))
    o = service.registry.create(session, SYSTEM, new(contact_phone="+86 138-1234-5678", lon=125.3, lat=43.8))
    assert o.contact_phone == "13812345678"


def test_registering_needs_manage_and_reach(session, w):
    with pytest.raises(Forbidden):
        service.registry.create(session, w["p"]["contact_a"], new(uscc=uscc()))
    with pytest.raises(NotFound):
        service.registry.create(session, w["p"]["sibling"], new(uscc=uscc()))
    with pytest.raises(NotFound):
        service.registry.update(session, w["p"]["sibling"], w["orgs"]["a"].id, OrganizationUpdate(name="x"))


def test_a_unit_is_admitted_once(session, w):
    with pytest.raises(Conflict, match="member unit of this alliance already"):
        service.alliances.add_member(
            session, w["p"]["cw"], w["alliance"].id, MemberIn(organization_id=w["orgs"]["a"].id)
        )
    members = session.scalar(select(func.count()).where(AllianceMember.alliance_id == w["alliance"].id))
    assert members == 3  # the lead, A and B


def test_a_unit_outside_the_area_only_across_areas_on_purpose(session, w):
    outsider = w["orgs"]["outsider"].id
    with pytest.raises(InvalidInput, match="outside the alliance's area"):
        service.alliances.add_member(session, SYSTEM, w["alliance"].id, MemberIn(organization_id=outsider))
    m = service.alliances.add_member(
        session, SYSTEM, w["alliance"].id, MemberIn(organization_id=outsider, cross_area=True)
    )
    assert m.cross_area and m.area_code == w["alliance"].area_code
    inside = service.alliances.add_member(
        session, SYSTEM, w["alliance"].id, MemberIn(organization_id=w["orgs"]["c"].id, cross_area=True)
    )
    assert not inside.cross_area  # inside the area, the flag means nothing


def test_an_alliance_is_led_from_inside_its_area(session, w):
    with pytest.raises(InvalidInput, match="outside the alliance's area"):
        service.alliances.create(
            session, SYSTEM, AllianceIn(area_code=VILLAGE_A, name="x", lead_org_id=w["orgs"]["b"].id)
        )
    with pytest.raises(NotFound):
        service.alliances.create(
            session, w["p"]["sibling"], AllianceIn(area_code=TOWN_A, name="x", lead_org_id=w["orgs"]["a"].id)
        )


def test_linking_a_contact_needs_the_role_over_the_place(session, w):
    plain = make_user(session, "plain_user", "grid_worker", TOWN_A)
    with pytest.raises(InvalidInput, match="holds no org_contact role"):
        service.registry.add_contact(session, w["p"]["cw"], w["orgs"]["c"].id, plain.username)
    far = make_user(session, "far_contact", "org_contact", SIBLING)
    with pytest.raises(NotFound):  # beyond the community worker's reach
        service.registry.add_contact(session, w["p"]["cw"], w["orgs"]["c"].id, far.username)
    with pytest.raises(Conflict, match="contact of"):
        service.registry.add_contact(session, w["p"]["cw"], w["orgs"]["a"].id, "org_contact_a")
    with pytest.raises(Forbidden):
        service.registry.add_contact(session, w["p"]["contact_a"], w["orgs"]["c"].id, "org_contact_a")
    service.registry.add_contact(session, w["p"]["cw"], w["orgs"]["c"].id, "org_contact_a")
    assert service.may_act_for(session, w["p"]["contact_a"], w["orgs"]["c"])
    service.registry.remove_contact(session, w["p"]["cw"], w["orgs"]["c"].id, w["users"]["contact_a"].id)
    assert not service.may_act_for(session, w["p"]["contact_a"], w["orgs"]["c"])


def test_a_community_sees_the_streets_alliance_and_manages_nothing_there(session, w):
    from linli.organizations import reads
    from tests.factories import principal

    community = principal(
        make_user(session, "org_cw_village", "community_worker", VILLAGE_A), ("community_worker", VILLAGE_A)
    )
    assert reads.alliance(session, community, w["alliance"].id).id == w["alliance"].id
    items, total, _ = reads.alliances(session, community, VILLAGE_A)
    assert [a.id for a in items] == [w["alliance"].id]
    with pytest.raises(Forbidden):
        service.alliances.add_member(session, community, w["alliance"].id, MemberIn(organization_id=w["orgs"]["c"].id))
    with pytest.raises(NotFound):
        reads.alliance(session, w["p"]["sibling"], w["alliance"].id)
