"""Mutation testing of the tables mutmut leaves alone: the event workflow's actions and the roles' event
permissions (mutmut mutates code inside functions only, and these are module-level data).

Each mutant changes one entry: an action allowed from one more state or one fewer, leading elsewhere,
needing another permission or one field fewer, open to its reporter or not; a role given or denied one
event permission. It runs the tests below in a forked process with the tables changed in place (the
dicts are shared by every module that imports them), on SQLite, stopping at the first failure.

    python tools/mutation_tables.py                       # the tests below
    python tools/mutation_tables.py tests/test_x.py ...   # other tests (e.g. to compare)
    MUTATION_CHILDREN=1 python tools/mutation_tables.py   # one process (default two)
    MUTATION_ONLY='table:ACTIONS.verify.*,table:ROLES.*' python tools/mutation_tables.py   # some mutants only

A survivor named in tools/mutation_equivalent.txt is equivalent and not counted. Exits 1 below 95 %.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

TESTS = [
    # The quick, database-free tables first: most mutants fail there within a second.
    "tests/events/test_workflow_mutants.py",
    "tests/authz/test_mutants.py",
    "tests/events/test_workflow.py",
    "tests/events/test_contacts.py",
]
TARGET = 0.95
TIMEOUT = 900  # seconds for one mutant's tests

from linli.authz.permissions import ROLE_PERMISSIONS, Permission  # noqa: E402
from linli.events.workflow import ACTIONS, STATES  # noqa: E402

EVENT_PERMISSIONS = [p for p in Permission if p.value.startswith(("events.", "categories."))]
ACTION_PERMISSIONS = [None, *(p for p in EVENT_PERMISSIONS if p.value.startswith("events."))]

Mutant = tuple[str, Callable[[], None]]


def _set_action(name: str, **changes) -> Callable[[], None]:
    def apply() -> None:
        ACTIONS[name] = dataclasses.replace(ACTIONS[name], **changes)

    return apply


def _set_role(role, permissions: frozenset) -> Callable[[], None]:
    def apply() -> None:
        ROLE_PERMISSIONS[role] = permissions

    return apply


def action_mutants() -> Iterator[Mutant]:
    for name, a in ACTIONS.items():
        for s in a.sources:
            yield f"{name}.sources-{s}", _set_action(name, sources=tuple(x for x in a.sources if x != s))
        for s in STATES:
            if s not in a.sources:
                yield f"{name}.sources+{s}", _set_action(name, sources=(*a.sources, s))
        for s in STATES:
            if s != a.target:
                yield f"{name}.target={s}", _set_action(name, target=s)
        for p in ACTION_PERMISSIONS:
            if p != a.permission:
                yield f"{name}.permission={p.value if p else None}", _set_action(name, permission=p)
        for f in a.requires:
            yield f"{name}.requires-{f}", _set_action(name, requires=tuple(x for x in a.requires if x != f))
        yield f"{name}.reporter_may={not a.reporter_may}", _set_action(name, reporter_may=not a.reporter_may)


def role_mutants() -> Iterator[Mutant]:
    for role, perms in ROLE_PERMISSIONS.items():
        for p in EVENT_PERMISSIONS:
            if p in perms:
                yield f"{role.value}-{p.value}", _set_role(role, perms - {p})
            else:
                yield f"{role.value}+{p.value}", _set_role(role, perms | {p})


def mutants() -> list[Mutant]:
    return [
        *(("table:ACTIONS." + n, f) for n, f in action_mutants()),
        *(("table:ROLES." + n, f) for n, f in role_mutants()),
    ]


def _run_child(apply: Callable[[], None], tests: list[str]) -> None:
    import tempfile

    import pytest

    signal.alarm(TIMEOUT)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    apply()
    args = ["-x", "-q", "-n", "0", "--db", "sqlite", "-p", "no:cacheprovider", "-p", "no:randomly", "-W", "ignore"]
    with tempfile.TemporaryDirectory(prefix="linli-mutant-") as tmp:  # each its own, running side by side
        code = int(pytest.main([*args, f"--basetemp={tmp}/t", *tests]))
    os._exit(code)


def run(tests: list[str], children: int) -> dict[str, str]:
    import pytest

    os.chdir(ROOT)
    # Import once, before forking: each mutant then pays only for running its tests.
    if pytest.main(["-qq", "--collect-only", "-n", "0", "--db", "sqlite", "-p", "no:cacheprovider", *tests]) != 0:
        raise SystemExit("the tests do not collect")
    if _wait(_fork(lambda: None, tests)) != 0:
        raise SystemExit("the tests fail without any mutation: fix them first")
    only = [g for g in os.environ.get("MUTATION_ONLY", "").split(",") if g]
    todo = [m for m in mutants() if not only or any(fnmatch.fnmatch(m[0], g) for g in only)]
    running: dict[int, str] = {}
    status: dict[str, str] = {}
    while todo or running:
        while todo and len(running) < children:
            name, apply = todo.pop(0)
            running[_fork(apply, tests)] = name
        pid, code = os.wait()
        name = running.pop(pid)
        exit_code = os.waitstatus_to_exitcode(code)
        status[name] = "survived" if exit_code == 0 else "timeout" if exit_code == -signal.SIGALRM else "killed"
        print(f"  {status[name]:8} {name}", flush=True)
    return status


def _fork(apply: Callable[[], None], tests: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            _run_child(apply, tests)
        finally:
            os._exit(3)
    return pid


def _wait(pid: int) -> int:
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    from mutation_report import equivalents

    status = run(argv or TESTS, int(os.environ.get("MUTATION_CHILDREN", "2")))
    eq = equivalents()
    survivors = sorted(n for n, s in status.items() if s == "survived" and n not in eq)
    equivalent = sorted(n for n, s in status.items() if s == "survived" and n in eq)
    counted = len(status) - len(equivalent)
    score = (counted - len(survivors)) / counted if counted else 1.0
    print(f"table mutants: {len(status)}, killed {counted - len(survivors)} of {counted} "
          f"(not counting {len(equivalent)} equivalent): {score:.1%}")  # fmt: skip
    for name in survivors:
        print(f"  survived: {name}")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
