"""Builders of the certificates' rows: the example list at the province, a family in the test village, a
neighbour in the next village, and the community workers of both."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.certificates import seed
from tests.factories import SYSTEM, VILLAGE_A, make_user, principal
from tests.factories_residents import GRID, GRID_B, make_family, make_household, make_person

VILLAGE_B = GRID_B[:12]


def certificates_world(session: Session, *, load_areas: bool = True) -> dict:
    from tests.factories_residents import make_grids

    make_grids(session, load_areas=load_areas)
    seed.load_examples(session, SYSTEM)
    _, (head, spouse, child) = make_family(session, GRID)
    neighbour = make_person(session, make_household(session, GRID_B, address="和平路2号"), name="赵强")
    users = {
        "worker": make_user(session, "ct_cw", "community_worker", VILLAGE_A),
        "other": make_user(session, "ct_cw_b", "community_worker", VILLAGE_B),
        "official": make_user(session, "ct_city", "official", "2201"),
    }
    p = {
        "worker": principal(users["worker"], ("community_worker", VILLAGE_A)),
        "other": principal(users["other"], ("community_worker", VILLAGE_B)),
        "official": principal(users["official"], ("official", "2201")),
    }
    return {"users": users, "p": p, "persons": {"head": head, "spouse": spouse, "neighbour": neighbour}}
