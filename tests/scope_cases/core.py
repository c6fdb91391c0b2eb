"""Scope cases of the core routes: areas, grids, users, grants, tokens, audit, sign-in pages."""

from __future__ import annotations

import json

from tests.factories import VILLAGE_A, square
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def cases(w) -> dict[tuple[str, str], Case]:
    lon, lat = w["lonlat"]
    grid_file = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": VILLAGE_A + "003", "name": "三", "kind": "residential"},
                "geometry": square(lon + 0.004, lat),
            }
        ],
    }
    return {
        ("GET", "/api/v1/areas/locate"): Case(
            params={"lon": lon + 0.001, "lat": lat + 0.001}, kind="list", hidden=GRID
        ),
        ("POST", "/api/v1/areas/locate"): Case(body={"points": [[lon + 0.001, lat + 0.001]]}, kind="list", hidden=GRID),
        ("GET", "/api/v1/areas/{code}"): Case(path={"code": VILLAGE_A}),
        ("GET", "/api/v1/areas/{code}/children"): Case(path={"code": VILLAGE_A}),
        ("GET", "/api/v1/areas/{code}/search"): Case(path={"code": "220102001"}, params={"q": "社区"}),
        ("GET", "/api/v1/areas/{code}/boundaries"): Case(path={"code": "220102001"}),
        ("GET", "/api/v1/areas/{code}/outlines"): Case(path={"code": VILLAGE_A}),
        ("GET", "/api/v1/areas/{code}/grids"): Case(path={"code": VILLAGE_A}),
        ("POST", "/api/v1/grids"): Case(
            body={"code": VILLAGE_A + "002", "name": "二", "kind": "residential", "polygon": square(lon + 0.002, lat)}
        ),
        ("POST", "/api/v1/grids/import"): Case(
            files={"file": ("g.geojson", json.dumps(grid_file))}, sibling_status=422
        ),
        ("GET", "/api/v1/grids/{code}"): Case(path={"code": GRID}),
        ("PATCH", "/api/v1/grids/{code}"): Case(path={"code": GRID}, body={"name": "新名字"}),
        ("POST", "/api/v1/grids/{code}/retire"): Case(path={"code": GRID}),
        ("POST", "/api/v1/grids/{code}/workers"): Case(path={"code": GRID}, body={"user_id": w["other"].id}),
        ("DELETE", "/api/v1/grids/{code}/workers/{user_id}"): Case(path={"code": GRID, "user_id": w["target"].id}),
        ("GET", "/api/v1/users"): Case(kind="list", hidden="target_user"),
        ("POST", "/api/v1/users"): Case(body={"username": "newbie", "area_code": VILLAGE_A}),
        ("GET", "/api/v1/users/{user_id}"): Case(path={"user_id": w["target"].id}),
        ("PATCH", "/api/v1/users/{user_id}"): Case(path={"user_id": w["target"].id}, body={"display_name": "T"}),
        ("POST", "/api/v1/users/{user_id}/password"): Case(path={"user_id": w["target"].id}),
        ("POST", "/api/v1/users/{user_id}/grants"): Case(
            path={"user_id": w["target"].id}, body={"role": "resident", "area_code": VILLAGE_A}
        ),
        ("DELETE", "/api/v1/grants/{grant_id}"): Case(path={"grant_id": w["grant_id"]}),
        ("GET", "/api/v1/me"): Case(kind="self"),
        ("POST", "/api/v1/me/password"): Case(
            kind="self", body={"current_password": "Passw0rd-test", "new_password": "Another-pass-42"}
        ),
        ("GET", "/api/v1/tokens"): Case(kind="self"),
        ("POST", "/api/v1/tokens"): Case(kind="self", body={"name": "laptop"}),
        ("DELETE", "/api/v1/tokens/{token_id}"): Case(path={"token_id": w["token_id"]}, kind="owner"),
        ("GET", "/api/v1/audit"): Case(kind="list", hidden='"area_code":"220102'),
        ("GET", "/login"): Case(kind="public"),
        ("POST", "/login"): Case(kind="public"),
        ("POST", "/logout"): Case(kind="self"),
        ("GET", "/"): Case(kind="self"),
        ("GET", "/docs"): Case(kind="public"),
        ("GET", "/openapi.json"): Case(kind="public"),
        ("GET", "/healthz"): Case(kind="public"),
    }
