"""Scope cases of the workbench's pages (the start page itself is in core)."""

from __future__ import annotations

from tests.scope_cases import Case


def cases(w) -> dict:
    return {("GET", "/areas/{code}/overview"): Case(path={"code": "220102"})}
