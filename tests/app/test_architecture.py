"""The shape docs/architecture.md describes, checked: area codes become SQL in one module, routes do
no SQL, every route takes its session the one way, grants are read through Principal, no function
runs past 80 lines. (The layers themselves are import-linter's contracts in pyproject.toml, which
`.ci/run` checks with `lint-imports`; test_import_contracts runs them here too.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from linli.domains import DOMAINS, is_route_module

SRC = Path(__file__).resolve().parents[2] / "src" / "linli"
MODULES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.relative_to(SRC).parts)
SQL_FUNCTIONS = {"select", "insert", "update", "delete", "text", "union_all", "exists"}
SESSION_CALLS = {"execute", "scalars", "scalar", "query", "get", "merge", "flush"}


def _name(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts)


def _is_route_module(path: Path) -> bool:
    """api and views modules (files or packages) of every domain, and the API modules named *_api."""
    return is_route_module(_name(path))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _sqlalchemy_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            names |= {a.asname or a.name for a in node.names}
    return names


def sql_in(tree: ast.Module) -> list[str]:
    """Lines of a module that build SQL or run it on a session."""
    imported = _sqlalchemy_names(tree) & SQL_FUNCTIONS
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in imported:
            found.append(f"{node.lineno}: {f.id}(")
        elif isinstance(f, ast.Attribute) and f.attr in SESSION_CALLS:
            target = f.value
            if isinstance(target, ast.Name) and target.id in ("session", "s", "db"):
                found.append(f"{node.lineno}: {target.id}.{f.attr}(")
    return found


def test_the_detector_sees_sql():
    tree = ast.parse("from sqlalchemy import select\ndef f(session):\n    return session.scalars(select(X))\n")
    assert sorted(sql_in(tree)) == ["3: select(", "3: session.scalars("]
    assert sql_in(ast.parse("def f(session):\n    return service.get(session, 1)\n")) == []


def test_no_sql_in_api_or_views_modules():
    offenders = {_name(p): lines for p in MODULES if _is_route_module(p) and (lines := sql_in(_tree(p)))}
    assert offenders == {}, "move these reads/writes into the domain's repository or service"


def test_routers_are_made_in_route_modules_only():
    """The start-up check (linli.domains.check) looks for routers in the route modules only."""
    offenders = [
        f"{_name(p)}:{node.lineno}"
        for p in MODULES
        if not _is_route_module(p)
        for node in ast.walk(_tree(p))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "APIRouter"
    ]
    assert offenders == []


def test_area_codes_become_sql_in_the_scope_module_only():
    allowed = {SRC / "kit" / "codes.py", SRC / "authz" / "scope.py"}
    offenders = [
        f"{_name(p)}:{n}"
        for p in MODULES
        if p not in allowed
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "subtree_range(" in line
    ]
    assert offenders == [], "use linli.authz.scope (subtree_clause, ancestors_clause, reach_clause, AreaScope)"


def test_grants_are_read_through_principal():
    """`principal.grants` is walked only inside linli.authz; elsewhere a Principal method answers."""
    offenders = []
    for p in MODULES:
        if p.relative_to(SRC).parts[0] == "authz":
            continue
        for node in ast.walk(_tree(p)):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "grants"
                and isinstance(node.value, ast.Name)
                and node.value.id == "principal"
            ):
                offenders.append(f"{_name(p)}:{node.lineno}")
    assert offenders == []


def test_routes_take_their_session_through_the_alias():
    offenders = [
        _name(p)
        for p in MODULES
        if p != SRC / "authz" / "deps.py" and "Depends(get_db" in p.read_text(encoding="utf-8")
    ]
    assert offenders == [], "write `session: DbSession` (linli.authz.deps)"


def test_no_function_runs_past_80_lines():
    long = [
        f"{_name(p)}.{node.name}: {node.end_lineno - node.lineno + 1}"
        for p in MODULES
        for node in ast.walk(_tree(p))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 80
    ]
    assert long == [], "split these into named steps"


def test_import_contracts():
    importlinter = pytest.importorskip("importlinter.cli")
    assert importlinter.lint_imports(config_filename=str(SRC.parents[1] / "pyproject.toml")) == 0


def _imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every `linli` module a module imports, at the top or inside a function
    (`from linli.x import y` counts as importing linli.x.y when y is a module, else linli.x)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("linli.")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("linli."):
            for a in node.names:
                as_module = f"{node.module}.{a.name}"
                is_module = (SRC.parent / Path(*as_module.split("."))).with_suffix(".py").exists() or (
                    SRC.parent / Path(*as_module.split("."))
                ).is_dir()
                found.append((node.lineno, as_module if is_module else node.module))
    return found


def cross_domain_imports_not_public() -> list[str]:
    """Imports of another domain's module that is not among its public ones (Domain.public), except a
    domain's demo importing another's demo."""
    public = {d.name: d.public for d in DOMAINS}
    wrong = []
    for p in MODULES:
        name = _name(p)
        here = name.split(".")[1]
        if here not in public:
            continue
        for line, target in _imports(_tree(p)):
            parts = target.split(".")
            there = parts[1]
            if there == here or there not in public:
                continue
            module = parts[2] if len(parts) > 2 else ""
            demo_to_demo = module == "demo" and name.split(".")[2:3] == ["demo"]
            if module not in public[there] and not demo_to_demo:
                wrong.append(f"{name}:{line} imports {target}")
    return wrong


def test_the_detector_sees_imports_of_private_modules(tmp_path):
    tree = ast.parse(
        "from linli.residents import idcard\nfrom linli.areas.locate import LOCATOR\n"
        "def f():\n    import linli.notify.worker\n"
    )
    assert _imports(tree) == [(1, "linli.residents.idcard"), (2, "linli.areas.locate"), (4, "linli.notify.worker")]


def test_domains_import_each_other_through_public_modules_only():
    assert cross_domain_imports_not_public() == [], (
        "import the other domain's models, schemas, repository, service, kinds or pages, or a flow it "
        "lists in Domain.public (linli/domains.py)"
    )
