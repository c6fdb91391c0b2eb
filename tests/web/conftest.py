"""The world of the route tests (every route against principals in, beside and above an area)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.authn.models import ApiToken
from linli.authz.models import Grant
from tests import scope_cases
from tests.factories import SYSTEM, VILLAGE_A, inside_point, make_user, square, token_for

GRID = VILLAGE_A + "001"


@pytest.fixture
def routes_world(areas):
    session = areas
    lon, lat = inside_point("220102")
    grids.create_grid(session, SYSTEM, GRID, "第一网格", GridKind.residential, square(lon, lat))
    users = {
        "in": make_user(session, "admin_in", "admin", "220102"),
        "sibling": make_user(session, "admin_sib", "admin", "220103"),
        "ancestor": make_user(session, "admin_anc", "admin", "2201"),
    }
    target = make_user(session, "target_user", "grid_worker", VILLAGE_A)
    other = make_user(session, "other_user", None, VILLAGE_A)
    grids.assign_worker(session, SYSTEM, GRID, target.id, "worker")
    grant_id = session.scalar(select(Grant.id).where(Grant.user_id == target.id))
    tokens = {k: token_for(session, u) for k, u in users.items()}
    token_id = session.scalar(select(ApiToken.id).where(ApiToken.user_id == users["in"].id))
    w = {
        "lonlat": (lon, lat),
        "users": users,
        "tokens": tokens,
        "target": target,
        "other": other,
        "grant_id": grant_id,
        "token_id": token_id,
    }
    for module in scope_cases.modules():
        if hasattr(module, "setup"):
            w.update(module.setup(session, w))
    session.commit()
    return w
