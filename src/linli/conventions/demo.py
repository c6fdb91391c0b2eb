"""Demo conventions (marked generated)."""

from __future__ import annotations


def step(session, actor, say) -> None:
    return None
