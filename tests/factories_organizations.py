"""Builders of the organizations domain's rows for tests: valid credit codes, organizations, an alliance
in 南岭街道 (220102001) with two member units, and the people who work with them."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_code

from linli.organizations import service
from linli.organizations.schemas import AllianceIn, MemberIn, NeedIn, OrganizationIn, ResourceIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user, principal

VILLAGE_B = "220102001002"  # another community of the same street
OTHER_TOWN_VILLAGE = "220102002001"  # a community of another street of the county
SIBLING = "220103002001"  # a community of the sibling county
_serial = count(1)


def uscc(serial: int | None = None) -> str:
    """A valid unified social credit code (GB 32100), different for each serial."""
    n = next(_serial) if serial is None else serial
    base = f"91220102MA{n:07d}"[:17]
    return base + uscc_code.calc_check_digit(base)


def make_org(session: Session, name: str, kind: str = "enterprise", area: str = VILLAGE_A, **fields):
    if kind not in ("party_branch", "party_general_branch") and "uscc" not in fields:
        fields["uscc"] = uscc()
    if kind == "social_organization":
        fields.setdefault("registration", "registered")
    return service.registry.create(session, SYSTEM, OrganizationIn(area_code=area, kind=kind, name=name, **fields))


def org_world(session: Session) -> dict:
    """An alliance of 南岭街道 led by its Party working committee, units A (with a point) and B (member),
    C (in the street, not a member), an outsider in the sibling county; a community worker, a contact of
    A and of B, a sibling official; a need in VILLAGE_A and a resource of A."""
    lead = make_org(session, "南岭街道党工委", "party_committee", TOWN_A)
    a = make_org(session, "长春燃气南岭所", area=VILLAGE_A, lon=125.33, lat=43.86)
    b = make_org(session, "华阳小学", "school", VILLAGE_B, lon=125.34, lat=43.87)
    c = make_org(session, "恒安物业", "property_company", VILLAGE_B)
    outsider = make_org(session, "宽城区某公司", area=SIBLING)
    alliance = service.alliances.create(
        session,
        SYSTEM,
        AllianceIn(area_code=TOWN_A, name="南岭街道党建联盟", lead_org_id=lead.id, signed_on=date(2026, 1, 5)),
    )
    for org in (a, b):
        service.alliances.add_member(session, SYSTEM, alliance.id, MemberIn(organization_id=org.id))
    users = {
        "cw": make_user(session, "org_cw", "community_worker", TOWN_A),
        "contact_a": make_user(session, "org_contact_a", "org_contact", TOWN_A),
        "contact_b": make_user(session, "org_contact_b", "org_contact", TOWN_A),
        "sibling": make_user(session, "org_sib", "official", "220103"),
    }
    service.registry.add_contact(session, SYSTEM, a.id, "org_contact_a")
    service.registry.add_contact(session, SYSTEM, b.id, "org_contact_b")
    need = service.lists.record_need(
        session, SYSTEM, NeedIn(area_code=VILLAGE_A, title="独居老人助餐", category="elderly", lon=125.331, lat=43.861)
    )
    res = service.lists.offer_resource(
        session, SYSTEM, alliance.id, ResourceIn(organization_id=a.id, resource_type="elderly", title="志愿者上门送餐")
    )
    session.flush()
    p = {
        "cw": principal(users["cw"], ("community_worker", TOWN_A)),
        "contact_a": principal(users["contact_a"], ("org_contact", TOWN_A)),
        "contact_b": principal(users["contact_b"], ("org_contact", TOWN_A)),
        "sibling": principal(users["sibling"], ("official", "220103")),
    }
    orgs = {"lead": lead, "a": a, "b": b, "c": c, "outsider": outsider}
    return {"orgs": orgs, "alliance": alliance, "users": users, "p": p, "need": need, "resource": res}


def week() -> tuple[date, date]:
    return date.today(), date.today() + timedelta(days=7)
