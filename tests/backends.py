"""Things built once per database backend and kept: a test database, a template database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def once_per_backend(build: Callable[[ExitStack, str], T]) -> Iterator[Callable[[str], T]]:
    """A getter that builds a backend's thing at its first use (`build(stack, backend)`, which puts its own
    clean-up on `stack`) and answers the same one after; all are cleaned up when the block ends.

    For a fixture wider than a test: a module- or session-scoped fixture taking `backend` itself would be
    built again at every change of backend (pytest keeps one instance of a parametrized fixture), and
    under xdist's order that is most tests."""
    made: dict[str, T] = {}
    with ExitStack() as stack:

        def get(backend: str) -> T:
            if backend not in made:
                made[backend] = build(stack, backend)
            return made[backend]

        yield get
