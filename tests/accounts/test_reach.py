"""Reach is reach: an account is in scope only where all its grants are (issue 12, findings 2 and 5).

An administrator of a district must not read, change, reset or take over an account homed in the
district that holds a grant beyond it; and assigning a role by another door (a grid worker to a grid,
a member to a handling unit) obeys the same no-escalation rule as granting it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.accounts.service import grant_role
from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.areas.models import GridAssignment
from linli.authn.models import User
from linli.authz.models import Grant
from linli.authz.permissions import ROLE_PERMISSIONS, Permission, Role
from linli.events.catalog import create_unit
from linli.events.models import UnitMember
from linli.events.schemas import UnitIn
from tests.factories import SYSTEM, TOWN_A, VILLAGE_A, auth, inside_point, make_user, square, token_for

GRID = VILLAGE_A + "001"


@pytest.fixture
def world(session, areas):
    lon, lat = inside_point("220102")
    grids.create_grid(session, SYSTEM, GRID, "第一网格", GridKind.residential, square(lon, lat))
    admin = make_user(session, "district_admin", "admin", "220102")
    # Homed in the district, but an official of the whole province: beyond the district admin.
    wide = make_user(session, "wide_official", "grid_worker", VILLAGE_A)
    grant_role(session, SYSTEM, wide.id, "official", "22")
    narrow = make_user(session, "narrow_worker", "grid_worker", VILLAGE_A)
    w = {
        "admin": admin,
        "wide": wide,
        "narrow": narrow,
        "wide_grant": session.scalar(select(Grant.id).where(Grant.user_id == wide.id, Grant.role == "grid_worker")),
        "token": token_for(session, admin),
    }
    session.commit()
    return w


def _message(r) -> str:
    return r.json()["error"]["message"]


def test_an_account_with_a_grant_beyond_the_admins_areas_is_not_there(client, session, world):
    h = auth(world["token"])
    wide = world["wide"]
    before_hash = session.scalar(select(User.password_hash).where(User.id == wide.id))

    r = client.get(f"/api/v1/users/{wide.id}", headers=h)
    missing = client.get("/api/v1/users/987654", headers=h)
    assert r.status_code == missing.status_code == 404
    assert _message(r) == _message(missing).replace("987654", str(wide.id))

    assert client.patch(f"/api/v1/users/{wide.id}", json={"is_active": False}, headers=h).status_code == 404
    assert client.post(f"/api/v1/users/{wide.id}/password", headers=h).status_code == 404
    r = client.post(f"/api/v1/users/{wide.id}/grants", json={"role": "resident", "area_code": VILLAGE_A}, headers=h)
    assert r.status_code == 404
    # Its grid_worker grant lies in the district, but the account is out of reach: not revocable either.
    r = client.delete(f"/api/v1/grants/{world['wide_grant']}", headers=h)
    assert r.status_code == 404 and "does not exist" in _message(r)
    assert client.get(f"/admin/users/{wide.id}", headers=h).status_code == 404
    assert client.post(f"/admin/users/{wide.id}/password", headers=h).status_code == 404
    r = client.post(f"/admin/grants/{world['wide_grant']}/revoke", data={"user_id": wide.id}, headers=h)
    assert r.status_code == 404

    session.expire_all()
    assert session.scalar(select(User.password_hash).where(User.id == wide.id)) == before_hash
    assert session.scalar(select(User.is_active).where(User.id == wide.id)) is True
    assert session.scalar(select(func.count()).select_from(Grant).where(Grant.user_id == wide.id)) == 2


def test_lists_and_counts_leave_out_accounts_beyond_the_readers_areas(client, session, world):
    h = auth(world["token"])
    r = client.get("/api/v1/users", params={"size": 100}, headers=h)
    names = [u["username"] for u in r.json()["items"]]
    assert "narrow_worker" in names and "wide_official" not in names
    assert r.json()["total"] == len(names)
    # Paging stays right: page by page, the same accounts and the same total.
    paged = []
    for page in range(1, len(names) + 1):
        r = client.get("/api/v1/users", params={"size": 1, "page": page}, headers=h)
        assert r.json()["total"] == len(names)
        paged += [u["username"] for u in r.json()["items"]]
    assert paged == names
    assert "wide_official" not in client.get("/admin/users", headers=h).text
    assert "wide_official" not in client.get("/admin/users", params={"q": "wide"}, headers=h).text


def test_the_same_account_is_in_reach_once_its_wide_grant_is_gone(client, session, world):
    wide = world["wide"]
    session.delete(
        session.get(Grant, session.scalar(select(Grant.id).where(Grant.user_id == wide.id, Grant.role == "official")))
    )
    session.commit()
    r = client.get(f"/api/v1/users/{wide.id}", headers=auth(world["token"]))
    assert r.status_code == 200 and [g["role"] for g in r.json()["grants"]] == ["grid_worker"]


def test_a_province_admin_sees_every_grant(client, session, world):
    top = make_user(session, "province_admin", "admin", "22")
    tok = token_for(session, top)
    session.commit()
    r = client.get(f"/api/v1/users/{world['wide'].id}", headers=auth(tok))
    assert r.status_code == 200
    assert sorted((g["role"], g["area_code"]) for g in r.json()["grants"]) == [
        ("grid_worker", VILLAGE_A),
        ("official", "22"),
    ]


def test_signing_in_as_the_wide_account_is_not_open_to_the_district_admin(client, session, world):
    """The takeover of the issue: reset the password, then sign in with it. The reset is refused."""
    r = client.post(f"/api/v1/users/{world['wide'].id}/password", headers=auth(world["token"]))
    assert r.status_code == 404 and "password" not in r.json()


# --- assignment is granting (finding 5) ---------------------------------------------------------


def _writes(session, user_id: int) -> tuple[int, int]:
    session.expire_all()
    grants_ = session.scalar(select(func.count()).select_from(Grant).where(Grant.user_id == user_id))
    assigns = session.scalar(select(func.count()).select_from(GridAssignment).where(GridAssignment.user_id == user_id))
    return grants_, assigns


def test_an_official_cannot_make_a_grid_worker_by_assigning_one(client, session, world):
    official = make_user(session, "official_d", "official", "220102")
    fresh = make_user(session, "fresh", None, VILLAGE_A)
    tok = token_for(session, official)
    session.commit()
    r = client.post(f"/api/v1/grids/{GRID}/workers", json={"user_id": fresh.id}, headers=auth(tok))
    assert r.status_code == 403, r.text
    assert "residents.write" in _message(r)
    assert _writes(session, fresh.id) == (0, 0)
    # The page says the same, and writes nothing.
    r = client.post(f"/grids/{GRID}/workers", data={"username": "fresh", "duty": "worker"}, headers=auth(tok))
    assert r.status_code == 403 and "residents.write" in r.text
    assert _writes(session, fresh.id) == (0, 0)


def test_an_official_may_assign_someone_who_already_works_there(client, session, world):
    """No grant comes with it, so nothing is handed on."""
    official = make_user(session, "official_d", "official", "220102")
    tok = token_for(session, official)
    session.commit()
    narrow = world["narrow"]
    r = client.post(f"/api/v1/grids/{GRID}/workers", json={"user_id": narrow.id}, headers=auth(tok))
    assert r.status_code == 201, r.text
    assert _writes(session, narrow.id) == (1, 1)


def test_a_community_worker_assigns_and_the_grant_is_theirs(client, session, world):
    cw = make_user(session, "cworker", "community_worker", VILLAGE_A)
    fresh = make_user(session, "fresh", None, VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    r = client.post(f"/api/v1/grids/{GRID}/workers", json={"user_id": fresh.id}, headers=auth(tok))
    assert r.status_code == 201, r.text
    session.expire_all()
    g = session.scalars(select(Grant).where(Grant.user_id == fresh.id)).one()
    assert (g.role, g.code, g.granted_by) == ("grid_worker", GRID, cw.id)


def test_a_community_worker_lacking_a_permission_of_grid_worker_cannot_assign(client, session, world, monkeypatch):
    cw = make_user(session, "cworker", "community_worker", VILLAGE_A)
    fresh = make_user(session, "fresh", None, VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.community_worker,
        ROLE_PERMISSIONS[Role.community_worker] - {Permission.subscriptions_record},
    )
    r = client.post(f"/api/v1/grids/{GRID}/workers", json={"user_id": fresh.id}, headers=auth(tok))
    assert r.status_code == 403 and "subscriptions.record" in _message(r)
    assert _writes(session, fresh.id) == (0, 0)


def test_assigning_an_account_beyond_ones_areas_is_like_assigning_a_missing_one(client, session, world):
    cw = make_user(session, "cworker", "community_worker", VILLAGE_A)
    township = make_user(session, "township_official", "official", TOWN_A)
    # Homed in the village, but an official of the township: beyond the community worker.
    homed_here = make_user(session, "homed_here", None, VILLAGE_A)
    grant_role(session, SYSTEM, homed_here.id, "official", TOWN_A)
    tok = token_for(session, cw)
    session.commit()
    for target in (township, homed_here):
        r = client.post(f"/api/v1/grids/{GRID}/workers", json={"user_id": target.id}, headers=auth(tok))
        missing = client.post(f"/api/v1/grids/{GRID}/workers", json={"user_id": 987654}, headers=auth(tok))
        assert r.status_code == missing.status_code == 404
        assert _message(r) == _message(missing).replace("987654", str(target.id))
        assert (
            session.scalar(select(func.count()).select_from(GridAssignment).where(GridAssignment.user_id == target.id))
            == 0
        )


# --- handling-unit members ----------------------------------------------------------------------


@pytest.fixture
def unit(session, world):
    u = create_unit(session, SYSTEM, UnitIn(name="城管科", kind="street_department", area_code=VILLAGE_A))
    handler = make_user(session, "handler", "department_handler", VILLAGE_A)
    session.commit()
    return u, handler


def _members(session, unit_id: int) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(UnitMember).where(UnitMember.unit_id == unit_id))


def test_a_community_worker_cannot_hand_on_events_handle_through_unit_membership(client, session, world, unit):
    u, handler = unit
    cw = make_user(session, "cworker", "community_worker", VILLAGE_A)
    tok = token_for(session, cw)
    session.commit()
    r = client.post(f"/api/v1/handling-units/{u.id}/members", json={"user_id": handler.id}, headers=auth(tok))
    assert r.status_code == 403 and "events.handle" in _message(r)
    assert _members(session, u.id) == 0


def test_an_official_adds_members_in_reach_only(client, session, world, unit):
    u, handler = unit
    official = make_user(session, "official_d", "official", "220102")
    tok = token_for(session, official)
    session.commit()
    r = client.post(f"/api/v1/handling-units/{u.id}/members", json={"user_id": world["wide"].id}, headers=auth(tok))
    assert r.status_code == 404
    assert _members(session, u.id) == 0
    r = client.post(f"/api/v1/handling-units/{u.id}/members", json={"user_id": handler.id}, headers=auth(tok))
    assert r.status_code == 201, r.text
    assert _members(session, u.id) == 1
