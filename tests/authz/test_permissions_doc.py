"""docs/permissions.md says what the code grants: every permission with its words and the roles holding it."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("permissions_table", ROOT / "tools" / "permissions_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_permissions_page_is_the_code_s_table():
    tool = _tool()
    assert tool.DOC.read_text(encoding="utf-8") == tool.render(), (
        "docs/permissions.md is out of date: run python tools/permissions_table.py"
    )


def test_a_role_s_mark_comes_from_its_permissions(monkeypatch):
    tool = _tool()
    from linli.authz import permissions

    column = 3 + list(permissions.Role).index(permissions.Role.auditor)  # after "", permission, words

    def auditor_mark() -> str:
        row = next(line for line in tool.render().splitlines() if line.startswith("| `audit.read`"))
        return row.split("|")[column].strip()

    assert auditor_mark() == "✓"
    monkeypatch.setitem(
        permissions.ROLE_PERMISSIONS,
        permissions.Role.auditor,
        permissions.ROLE_PERMISSIONS[permissions.Role.auditor] - {permissions.Permission.audit_read},
    )
    monkeypatch.setattr(tool, "ROLE_PERMISSIONS", permissions.ROLE_PERMISSIONS)
    assert auditor_mark() == ""
