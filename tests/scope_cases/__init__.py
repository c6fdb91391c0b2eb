"""Scope cases of the route test, one module per domain.

Each module has `cases(w) -> {(method, path): Case}` and may have `setup(session, w) -> dict`, which
creates the domain's objects in the area under test (220102 / village 220102001001) and returns
values (ids) its cases need. `w` holds the core world (the fixture routes_world, tests/web/conftest.py).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from tests.factories import auth


@dataclass
class Case:
    """How to call one route, and what the three principals should get."""

    path: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    files: Any = None
    data: Any = None  # form fields (web pages)
    kind: str = "object"  # object: sibling 404; list: sibling 2xx without the area's data; self; public
    hidden: str = ""  # for lists: text that must not appear in the sibling's answer
    sibling_status: int = 404
    ancestor_status: int | None = None  # when the ancestor is refused (e.g. not a warning's recipient)


def modules():
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]


def all_cases(w) -> dict[tuple[str, str], Case]:
    """Every scope case of every module, by (method, route path)."""
    out: dict[tuple[str, str], Case] = {}
    for module in modules():
        out.update(module.cases(w))
    return out


def call(client, method, route_path, case: Case, token: str | None):
    """Calls a route with its case's path, parameters and body, as the token's principal (none: anonymous)."""
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
