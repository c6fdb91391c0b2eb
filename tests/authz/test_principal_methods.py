"""Principal's grant questions and the scope module's SQL for a requested area."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from linli.areas.models import Area
from linli.authz.permissions import Permission, Role
from linli.authz.principal import principal_for, system_principal
from linli.authz.scope import ancestors_clause, reach_clause, subtree_clause

CODES = ["22", "2201", "220102", "220102001", "220102001001", "220102002", "220103", "2202"]


@pytest.fixture
def areas(session):
    for code in CODES:
        session.add(Area(code=code, area_code=code.ljust(15, "0"), name=code, level="x", kind="x"))
    session.flush()
    return session


def _matching(session, clause) -> list[str]:
    return sorted(session.scalars(select(Area.code).where(Area.code.in_(CODES), clause)))


def test_subtree_clause_is_the_code_and_beneath(areas):
    assert _matching(areas, subtree_clause(Area.area_code, "220102")) == [
        "220102",
        "220102001",
        "220102001001",
        "220102002",
    ]


def test_ancestors_clause_is_strictly_above(areas):
    assert _matching(areas, ancestors_clause(Area.area_code, ["220102001"])) == ["22", "2201", "220102"]
    assert _matching(areas, ancestors_clause(Area.area_code, ["22"])) == []


def test_reach_is_subtree_or_ancestor(areas):
    got = _matching(areas, reach_clause(Area.area_code, ["220102001", "2202"]))
    assert got == ["22", "2201", "220102", "220102001", "220102001001", "2202"]
    assert _matching(areas, reach_clause(Area.area_code, [])) == []


def test_scope_reach_clause(areas):
    p = principal_for(1, "w", [("community_worker", "220102001")])
    assert _matching(areas, p.scope(Permission.residents_read).reach_clause(Area.area_code)) == [
        "22",
        "2201",
        "220102",
        "220102001",
        "220102001001",
    ]
    assert _matching(areas, system_principal().visible.reach_clause(Area.area_code)) == sorted(CODES)


def test_roles_scope_leaves_out_the_excluded_roles():
    p = principal_for(1, "x", [("resident", "220102001001"), ("grid_worker", "220103")])
    staff = p.roles_scope(excluding=frozenset({Role.resident}))
    assert staff.contains("220103") and not staff.contains("220102001001")
    assert p.roles_scope().contains("220102001001")
    assert not p.roles_scope(permission=Permission.users_read).contains("220103")
    assert system_principal().roles_scope(excluding=frozenset(Role)).contains("2202")


def test_first_area_with_follows_grant_order():
    p = principal_for(1, "x", [("resident", "220102001001"), ("official", "220103"), ("official", "2202")])
    assert p.first_area_with(Permission.events_read) == "220102001001"
    assert p.first_area_with(Permission.users_read) == "220103"
    assert p.first_area_with(Permission.audit_read) is None


def test_has_role_and_grant_areas():
    p = principal_for(1, "x", [("resident", "220102001001"), ("official", "220103")])
    assert p.has_role(Role.resident) and not p.has_role(Role.admin)
    assert p.grant_areas == ("220102001001", "220103")
    assert p.roles_held == ((Role.resident, "220102001001"), (Role.official, "220103"))
