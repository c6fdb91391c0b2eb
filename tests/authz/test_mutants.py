"""AreaScope and Principal, exactly: each property a mutation of linli.authz.scope or .principal would
break (tools/mutation.sh). No database; the SQL clauses run on an in-memory SQLite table."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, select

from linli.authz.permissions import ROLE_PERMISSIONS, Permission, Role
from linli.authz.principal import Principal, principal_for, system_principal
from linli.authz.scope import AreaScope, build_scope
from linli.kit import codes
from linli.kit.errors import Forbidden, NotFound

P = Permission

# Padded codes around the subtrees of 220102 and 220103 (two sibling counties of 2201).
ROWS = (
    "220000000000000",
    "220100000000000",
    "220101999999999",
    "220102000000000",
    "220102001001001",
    "220102999999999",
    "220103000000000",
    "220103001000000",
    "220104000000000",
    "230102000000000",
)


@pytest.fixture(scope="module")
def table():
    engine = create_engine("sqlite://")
    meta = MetaData()
    t = Table("t", meta, Column("code", String(15), primary_key=True))
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(t.insert(), [{"code": c} for c in ROWS])
    yield engine, t
    engine.dispose()


def rows_where(table, clause_of) -> list[str]:
    """The codes of the table's rows where `clause_of(column)` holds, in order."""
    engine, t = table
    with engine.connect() as conn:
        return list(conn.scalars(select(t.c.code).where(clause_of(t.c.code)).order_by(t.c.code)))


def matching(table, scope: AreaScope) -> list[str]:
    return rows_where(table, scope.clause)


# --- AreaScope -----------------------------------------------------------------------------------


def test_only_build_scope_constructs_a_scope():
    with pytest.raises(RuntimeError, match="^AreaScope is built by the authentication dependency only$"):
        AreaScope(["22"], everything=False)
    with pytest.raises(RuntimeError):
        AreaScope(["22"], everything=False, _token=object())
    assert build_scope(["22"]).area_codes == ("22",)


def test_codes_under_an_ancestor_in_the_set_are_dropped_and_the_rest_sorted():
    assert build_scope(["220103", "220102001", "220102", "220102"]).area_codes == ("220102", "220103")
    assert build_scope(["220102001001", "220102001", "2201", "22"]).area_codes == ("22",)
    # Sorting by length first keeps the ancestor whatever the order given.
    assert build_scope(["220102001", "220102"]).area_codes == ("220102",)
    assert build_scope(["220103", "2201"]).area_codes == ("2201",)
    # Siblings and cousins are kept, sorted.
    assert build_scope(["220201", "220103", "22010300100"]).area_codes == ("220103", "220201")


def test_a_generator_of_codes_is_read_once():
    assert build_scope(c for c in ["220103", "220102"]).area_codes == ("220102", "220103")


def test_everything_empty_and_the_flags():
    everything = build_scope((), everything=True)
    assert everything.everything is True and everything.empty is False and everything.area_codes == ()
    none = build_scope([])
    assert none.everything is False and none.empty is True
    some = build_scope(["220102"])
    assert some.everything is False and some.empty is False
    # everything=True wins over codes, and is keyword-only through build_scope.
    assert build_scope(["220102"], everything=True).contains("230000")


@pytest.mark.parametrize(
    ("code", "inside"),
    [
        ("220102", True),
        ("220102000000000", True),  # the low end of the range is in
        ("220102001001001", True),
        ("220102999999999", True),
        ("220102001", True),  # an unpadded descendant
        ("220103000000000", False),  # the high end is out
        ("220103", False),
        ("220101999999999", False),
        ("2201", False),  # an ancestor is not inside
        ("220100000000000", False),
        ("", False),
    ],
)
def test_contains_is_the_half_open_subtree(code, inside):
    scope = build_scope(["220102"])
    assert scope.contains(code) is inside
    assert scope.covers_subtree(code) is inside


def test_contains_checks_every_range():
    scope = build_scope(["220102", "220104"])
    assert scope.contains("220104001") and scope.contains("220102001")
    assert not scope.contains("220103001")
    assert build_scope((), everything=True).contains("990000000000000")
    assert not build_scope([]).contains("220102")


def test_clause_selects_the_same_rows_as_contains(table):
    for scope in (
        build_scope(["220102"]),
        build_scope(["220102", "220104"]),
        build_scope(["220103", "23"]),
        build_scope(["2201"]),
    ):
        assert matching(table, scope) == [c for c in ROWS if scope.contains(c)]
    assert matching(table, build_scope(["220102"])) == ["220102000000000", "220102001001001", "220102999999999"]
    assert matching(table, build_scope(["220102", "220104"])) == [
        "220102000000000",
        "220102001001001",
        "220102999999999",
        "220104000000000",
    ]
    assert matching(table, build_scope((), everything=True)) == list(ROWS)
    assert matching(table, build_scope([])) == []


def test_the_free_clauses_select_subtrees_ancestors_and_reach(table):
    """subtree_clause, ancestors_clause and reach_clause, which the repositories use without a scope."""
    from linli.authz.scope import ancestors_clause, reach_clause, subtree_clause

    # The next sibling's own code is the range's exclusive end ("220103000000000").
    assert rows_where(table, lambda c: subtree_clause(c, "220102")) == [
        "220102000000000",
        "220102001001001",
        "220102999999999",
    ]
    assert rows_where(table, lambda c: ancestors_clause(c, ["220102001001"])) == [
        "220000000000000",
        "220100000000000",
        "220102000000000",
    ]
    assert rows_where(table, lambda c: ancestors_clause(c, [])) == []
    assert rows_where(table, lambda c: reach_clause(c, ["220103"])) == [
        "220000000000000",
        "220100000000000",
        "220103000000000",
        "220103001000000",
    ]
    assert rows_where(table, lambda c: reach_clause(c, [])) == []  # nothing, not everything
    assert rows_where(table, build_scope(["220103"]).reach_clause) == rows_where(
        table, lambda c: reach_clause(c, ["220103"])
    )
    assert rows_where(table, build_scope((), everything=True).reach_clause) == list(ROWS)
    assert rows_where(table, build_scope([]).reach_clause) == []


def test_repr_names_the_codes():
    assert repr(build_scope(["220103", "220102"])) == "AreaScope(220102, 220103)"
    assert repr(build_scope(["22"])) == "AreaScope(22)"
    assert repr(build_scope((), everything=True)) == "AreaScope(everything)"
    assert repr(build_scope([])) == "AreaScope()"


# --- Principal -------------------------------------------------------------------------------------


def who(*grants: tuple[str, str], user_id: int | None = 7) -> Principal:
    return principal_for(user_id, "someone", grants)


def test_principal_for_converts_roles_and_keeps_the_fields():
    p = principal_for(3, "wang", [("grid_worker", "220102001001"), ("auditor", "2201")])
    assert p.grants == ((Role.grid_worker, "220102001001"), (Role.auditor, "2201"))
    assert all(type(role) is Role for role, _ in p.grants)
    assert (p.user_id, p.username, p.system, p.via) == (3, "wang", False, "session")
    assert p.audit_name == "wang"
    assert principal_for(3, "wang", [], via="token").via == "token"
    with pytest.raises(ValueError):
        principal_for(3, "wang", [("emperor", "22")])


def test_system_principal():
    p = system_principal()
    assert (p.user_id, p.username, p.grants, p.system, p.via) == (None, "cli", (), True, "cli")
    assert system_principal("demo").username == "demo"
    assert system_principal("demo").audit_name == "demo"
    for perm in Permission:
        assert p.scope(perm).everything
        assert p.can(perm, "990000")
    assert p.permissions_at("220102") == frozenset(Permission)
    p.check(P.users_manage, "990000000000000")


def test_scope_holds_the_grants_whose_role_has_the_permission():
    p = who(("grid_worker", "220102001001"), ("auditor", "220103"), ("resident", "220104"))
    assert p.scope(P.residents_write).area_codes == ("220102001001",)
    assert p.scope(P.audit_read).area_codes == ("220103",)
    assert p.scope(P.events_report).area_codes == ("220102001001", "220104")
    assert p.scope(P.areas_read).area_codes == ("220102001001", "220103", "220104")
    assert p.scope().area_codes == p.scope(P.areas_read).area_codes  # the default is areas.read
    assert p.visible.area_codes == ("220102001001", "220103", "220104")
    assert p.scope(P.users_manage).empty and not p.scope(P.users_manage).everything
    # The same object twice: a principal's scopes are worked out once.
    assert p.scope(P.events_read) is p.scope(P.events_read)
    assert p.scope(P.events_read) is not p.scope(P.residents_write)


def test_can_and_holds_anywhere():
    p = who(("community_worker", "220102001001"))
    assert p.can(P.residents_reveal, "220102001001005")
    assert not p.can(P.residents_reveal, "220102001002")
    assert not p.can(P.users_manage, "220102001001005")
    assert p.holds_anywhere(P.residents_reveal)
    assert not p.holds_anywhere(P.audit_read)
    assert not who().holds_anywhere(P.areas_read)


def test_permissions_at_is_the_union_of_the_grants_above_the_place():
    p = who(("grid_worker", "220102001001"), ("auditor", "220102"), ("warning_issuer", "220103"))
    expected = ROLE_PERMISSIONS[Role.grid_worker] | ROLE_PERMISSIONS[Role.auditor]
    assert p.permissions_at("220102001001") == expected
    assert p.permissions_at(codes.pad("220102001001")) == expected
    assert p.permissions_at("220102001002") == ROLE_PERMISSIONS[Role.auditor]
    assert p.permissions_at("220103001") == ROLE_PERMISSIONS[Role.warning_issuer]
    assert p.permissions_at("2201") == frozenset()
    assert isinstance(p.permissions_at("220102"), frozenset)


def test_check_is_404_where_invisible_and_403_where_visible_without_the_permission():
    p = who(("auditor", "220102"))
    p.check(P.audit_read, "220102001001001")
    with pytest.raises(NotFound) as nf:
        p.check(P.audit_read, "220103001", what="event 12")
    assert nf.value.message == "event 12 does not exist"
    with pytest.raises(NotFound) as nf:
        p.check(P.users_manage, "220103001")
    assert nf.value.message == "this does not exist"
    with pytest.raises(Forbidden) as fb:
        p.check(P.users_manage, "220102001", what="event 12")
    assert fb.value.message == "you may not manage user accounts and roles here (permission users.manage)"
    # Visibility is areas.read, not the permission asked: a warning issuer sees, cannot reveal.
    issuer = who(("warning_issuer", "220103"))
    with pytest.raises(Forbidden):
        issuer.check(P.residents_reveal, "220103001")
    with pytest.raises(NotFound):
        issuer.check(P.residents_reveal, "220102001")
