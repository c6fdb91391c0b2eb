"""Builders of the services domain's rows: the example catalogue, offers in the test village, a linked
resident with a household, and the staff of the community, the street and the county."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.residents import accounts
from linli.services import seed, service
from linli.services.schemas import OfferIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, make_user, principal
from tests.factories_residents import GRID, GRID_B, make_family, make_grids, make_household, make_person

VILLAGE_B = GRID_B[:12]
# Basic codes of the example items the tests use.
ALLOWANCE = "JF-MZ-00004"  # 高龄津贴: street then county, online in full
SUBSISTENCE = "JF-MZ-00002"  # 低保: street, public notice (not counted), county
PENSION = "GG-RS-00007"  # 养老保险参保登记: one step at the street


def as_principal(user, role: str, area: str):
    return principal(user, (role, area))


def enable(session: Session, basic_code: str, area: str = VILLAGE_A, **kw):
    from linli.services import repository

    item = repository.item_by_code(session, basic_code)
    return service.save_offer(session, SYSTEM, OfferIn(item_id=item.id, area_code=area, place="社区便民服务站", **kw))


def services_world(session: Session) -> dict:
    """Areas and grids, the example catalogue at the province, three items enabled in VILLAGE_A, a
    family in GRID whose head's account is linked, a neighbour in VILLAGE_B, and the staff."""
    make_grids(session)
    seed.load_examples(session, SYSTEM, "22")
    offers = {code: enable(session, code) for code in (ALLOWANCE, SUBSISTENCE, PENSION)}
    _, (head, spouse, child) = make_family(session, GRID)
    stranger = make_person(session, make_household(session, GRID, address="幸福路9号"), name="王芳")
    neighbour = make_person(session, make_household(session, GRID_B, address="和平路2号"), name="赵强")
    users = {
        "resident": make_user(session, "svc_res", "resident", VILLAGE_A),
        "community": make_user(session, "svc_cw", "community_worker", VILLAGE_A),
        "street": make_user(session, "svc_street", "official", TOWN_A),
        "county": make_user(session, "svc_county", "official", "220102"),
        "other_cw": make_user(session, "svc_cw_b", "community_worker", VILLAGE_B),
    }
    accounts.link(session, SYSTEM, head.id, "svc_res")
    p = {
        "resident": as_principal(users["resident"], "resident", VILLAGE_A),
        "community": as_principal(users["community"], "community_worker", VILLAGE_A),
        "street": as_principal(users["street"], "official", TOWN_A),
        "county": as_principal(users["county"], "official", "220102"),
        "other_cw": as_principal(users["other_cw"], "community_worker", VILLAGE_B),
    }
    persons = {"head": head, "spouse": spouse, "child": child, "stranger": stranger, "neighbour": neighbour}
    return {"offers": offers, "users": users, "p": p, "persons": persons}
