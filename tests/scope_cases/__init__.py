"""Scope cases of the route test, one module per domain.

Each module has `cases(w) -> {(method, path): Case}` and may have `setup(session, w) -> dict`, which
creates the domain's objects in the area under test (220102 / village 220102001001) and returns
values (ids) its cases need. `w` holds the core world (see tests/web/test_routes_scope.py).
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any


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
