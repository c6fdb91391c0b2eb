"""Every route of the app, called by principals in the area, in a sibling area and in an ancestor area.

The routes come from the app's router, not from a hand list: a new route without a permission
(Require), a signed-in marker or a public marker fails `test_every_route_declares_access`, and one
without a case in tests/scope_cases/ fails `test_every_route_has_a_scope_case`.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.authn.models import ApiToken
from linli.authz.deps import Authenticated, Require, public
from linli.authz.models import Grant
from tests import scope_cases
from tests.factories import SYSTEM, VILLAGE_A, auth, inside_point, load_world, make_user, square, token_for
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def iter_routes(routes, seen=None):
    """APIRoutes of an app, through included routers (FastAPI ≥ 0.160 wraps them)."""
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        elif hasattr(r, "original_router"):
            yield from iter_routes(r.original_router.routes)


def access_markers(route: APIRoute) -> set[str]:
    found: set[str] = set()

    def walk(dep):
        call = dep.call
        if isinstance(call, Require):
            found.add(f"require:{call.permission.value}")
        elif isinstance(call, Authenticated):
            found.add("signed_in")
        elif call is public:
            found.add("public")
        for sub in dep.dependencies:
            walk(sub)

    walk(route.dependant)
    return found


@pytest.fixture
def world(session):
    load_world(session)
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


def test_every_route_commits_before_responding(app):
    """get_db with the default scope would commit after the response was sent."""
    from linli.authz.deps import get_db

    late = []

    def walk(route, dep):
        if dep.call is get_db and getattr(dep, "scope", None) != "function":
            late.append(f"{sorted(route.methods)} {route.path}")
        for sub in dep.dependencies:
            walk(route, sub)

    for r in iter_routes(app.routes):
        walk(r, r.dependant)
    assert not late, f'use Depends(get_db, scope="function") in: {sorted(set(late))}'


def test_every_route_declares_access(app):
    missing = [f"{sorted(r.methods)} {r.path}" for r in iter_routes(app.routes) if not access_markers(r)]
    assert not missing, f"routes without Require(...), signed_in or public: {missing}"


def all_cases(w) -> dict[tuple[str, str], Case]:
    out: dict[tuple[str, str], Case] = {}
    for module in scope_cases.modules():
        out.update(module.cases(w))
    return out


def test_every_route_has_a_scope_case(app, world):
    known = set(all_cases(world))
    routes = {(m, r.path) for r in iter_routes(app.routes) for m in r.methods if m != "HEAD"}
    assert routes - known == set(), f"routes without a scope case: {sorted(routes - known)}"


def _call(client, method, route_path, case: Case, token: str | None):
    url = route_path.format(**case.path)
    headers = auth(token) if token else {}
    kwargs: dict[str, Any] = {"params": case.params, "headers": headers, "follow_redirects": False}
    if case.data is not None:
        kwargs["data"] = case.data
    if case.files is not None:
        kwargs["files"] = case.files
    elif case.body is not None:
        kwargs["json"] = case.body
    return client.request(method, url, **kwargs)


def test_routes_against_in_sibling_and_ancestor_principals(app, client, world, connection):
    failures = []
    for route in iter_routes(app.routes):
        for method in sorted(route.methods - {"HEAD"}):
            case = all_cases(world)[(method, route.path)]
            for who in ("in", "sibling", "ancestor"):
                savepoint = connection.begin_nested()
                try:
                    token = None if case.kind == "public" else world["tokens"][who]
                    r = _call(client, method, route.path, case, token)
                finally:
                    savepoint.rollback()
                problem = _judge(case, who, r, method)
                if problem:
                    failures.append(f"{method} {route.path} as {who}: {problem} ({r.status_code} {r.text[:160]})")
    assert not failures, "\n".join(failures)


def _judge(case: Case, who: str, r, method: str) -> str | None:
    ok = r.status_code < 400
    if case.kind == "public":
        # Public routes answer anyone (a login POST without a form is refused by its own CSRF check).
        return None if r.status_code < 500 and (r.status_code not in (401, 404) or method == "POST") else "refused"
    if case.kind == "self":
        return None if ok else "a signed-in user's own route failed"
    if case.kind == "owner":
        if who == "in":
            return None if ok else "the owner was refused"
        return None if r.status_code == 404 else "another user reached a personal object"
    if case.kind == "list":
        if not ok:
            return "list failed"
        if who == "sibling" and case.hidden in r.text.replace(" ", ""):
            return f"sibling saw {case.hidden}"
        if who != "sibling" and case.hidden not in r.text.replace(" ", ""):
            return f"{who} did not see {case.hidden}"
        return None
    if who == "sibling":
        if r.status_code != case.sibling_status:
            return f"sibling got {r.status_code}, expected {case.sibling_status}"
        if case.sibling_status == 422 and "does not exist" not in r.text:
            return "sibling's refusal differs from a missing object's"
        return None
    if who == "ancestor" and case.ancestor_status is not None:
        return None if r.status_code == case.ancestor_status else f"ancestor got {r.status_code}"
    return None if ok else f"{who} was refused"


def test_missing_permission_is_403_in_scope_and_404_outside(client, session, world):
    worker = make_user(session, "gworker", "grid_worker", "220102")
    tok = token_for(session, worker)
    session.commit()
    r = client.patch(f"/api/v1/grids/{GRID}", json={"name": "x"}, headers=auth(tok))
    assert r.status_code == 403, r.text
    sib = make_user(session, "gworker2", "official", "220103")
    tok2 = token_for(session, sib)
    session.commit()
    r = client.patch(f"/api/v1/grids/{GRID}", json={"name": "x"}, headers=auth(tok2))
    assert r.status_code == 404
    assert client.get("/api/v1/audit", headers=auth(tok)).status_code == 403


def test_grant_outside_own_scope_is_refused(client, session, world):
    tok = world["tokens"]["in"]
    target = world["target"].id
    r = client.post(
        f"/api/v1/users/{target}/grants", json={"role": "official", "area_code": "220103"}, headers=auth(tok)
    )
    assert r.status_code == 404 and "does not exist" in r.json()["error"]["message"]
    r = client.post(f"/api/v1/users/{target}/grants", json={"role": "official", "area_code": "2201"}, headers=auth(tok))
    assert r.status_code == 404
    official = make_user(session, "official1", "official", "220102")
    otok = token_for(session, official)
    session.commit()
    r = client.post(f"/api/v1/users/{target}/grants", json={"role": "admin", "area_code": "220102"}, headers=auth(otok))
    assert r.status_code == 403
    r = client.post(f"/api/v1/users/{target}/grants", json={"role": "king", "area_code": "220102"}, headers=auth(tok))
    assert r.status_code == 422 and "unknown role" in r.json()["error"]["message"]
    grants = client.get(f"/api/v1/users/{target}", headers=auth(tok)).json()["grants"]
    assert [g["role"] for g in grants] == ["grid_worker"]
