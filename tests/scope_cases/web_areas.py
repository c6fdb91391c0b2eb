"""Scope cases of the web pages of areas and grids."""

from __future__ import annotations

from tests.factories import VILLAGE_A, square
from tests.scope_cases import Case

GRID = VILLAGE_A + "001"


def cases(w) -> dict[tuple[str, str], Case]:
    lon, lat = w["lonlat"]
    import json

    return {
        # Preferences change by POST only (no state change on GET); public, for the sign-in page.
        ("POST", "/prefs/lang/{locale}"): Case(kind="public", path={"locale": "en"}, data={"next": "/"}),
        ("POST", "/prefs/text/{size}"): Case(kind="public", path={"size": "large"}, data={"next": "/"}),
        ("GET", "/areas/{code}"): Case(path={"code": "220102001"}),
        ("GET", "/areas/{code}/find"): Case(path={"code": "220102001"}, params={"q": "社区"}),
        ("GET", "/grids/{code}"): Case(path={"code": GRID}),
        ("GET", "/areas/{code}/grids/new"): Case(path={"code": VILLAGE_A}),
        ("POST", "/areas/{code}/grids/new"): Case(
            path={"code": VILLAGE_A},
            data={"seq": "002", "name": "二", "kind": "residential", "polygon": json.dumps(square(lon + 0.002, lat))},
        ),
        ("POST", "/grids/{code}/edit"): Case(path={"code": GRID}, data={"name": "新名字", "kind": "residential"}),
        ("POST", "/grids/{code}/retire"): Case(path={"code": GRID}),
        ("POST", "/grids/{code}/workers"): Case(path={"code": GRID}, data={"username": "other_user"}),
        ("POST", "/grids/{code}/workers/{user_id}/remove"): Case(path={"code": GRID, "user_id": w["target"].id}),
    }
