"""Scope cases of the web pages for users, grants, one's own tokens and password, and the audit log."""

from __future__ import annotations

from tests.factories import VILLAGE_A
from tests.scope_cases import Case


def cases(w) -> dict[tuple[str, str], Case]:
    target = w["target"].id
    return {
        ("GET", "/admin/users"): Case(kind="list", hidden="target_user"),
        ("POST", "/admin/users"): Case(data={"username": "newbie", "area_code": VILLAGE_A, "role": "resident"}),
        ("GET", "/admin/users/{user_id}"): Case(path={"user_id": target}),
        ("POST", "/admin/users/{user_id}/grants"): Case(
            path={"user_id": target}, data={"role": "resident", "area_code": VILLAGE_A}
        ),
        ("POST", "/admin/grants/{grant_id}/revoke"): Case(path={"grant_id": w["grant_id"]}, data={"user_id": target}),
        ("POST", "/admin/users/{user_id}/active"): Case(path={"user_id": target}, data={"active": "0"}),
        ("POST", "/admin/users/{user_id}/password"): Case(path={"user_id": target}),
        ("GET", "/account/tokens"): Case(kind="self"),
        ("POST", "/account/tokens"): Case(kind="self", data={"name": "phone", "days": "30"}),
        ("POST", "/account/tokens/{token_id}/revoke"): Case(path={"token_id": w["token_id"]}, kind="owner"),
        ("GET", "/account/password"): Case(kind="self"),
        ("POST", "/account/password"): Case(
            kind="self",
            data={
                "current_password": "Passw0rd-test",
                "new_password": "Another-pass-42",
                "repeat_password": "Another-pass-42",
            },
        ),
        ("GET", "/audit"): Case(kind="list", hidden="220102001001"),
    }
