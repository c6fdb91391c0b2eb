"""Write docs/permissions.md: every permission, what it lets one do, and the roles that hold it.

The table is made from `linli.authz.permissions` (the code is the truth); tests/authz/test_permissions_doc.py
fails when the file and the code disagree, so a new permission or a changed role is documented by running

    python tools/permissions_table.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from linli.authz.permissions import LABELS, ROLE_PERMISSIONS, Permission, Role  # noqa: E402

DOC = ROOT / "docs" / "permissions.md"

HEADER = """# Permissions and roles

Who may do what. A role is granted to an account at an area (`linli user grant NAME ROLE AREA`, or the
users' page) and holds its permissions in that area and everything below it (the scoping rule of
DESIGN.md). A page or API call without the permission answers 403 and names what it lets one do; an
object outside the areas answers 404.

This file is generated from `src/linli/authz/permissions.py` by `python tools/permissions_table.py`
(a test fails when the two disagree). Each domain's own page (docs/<domain>.md) says more of its
permissions.
"""


def render() -> str:
    roles = list(Role)
    lines = [HEADER, "| permission | lets one | " + " | ".join(r.value for r in roles) + " |"]
    lines.append("| --- | --- | " + " | ".join("---" for _ in roles) + " |")
    for p in Permission:
        marks = " | ".join("✓" if p in ROLE_PERMISSIONS[r] else "" for r in roles)
        lines.append(f"| `{p.value}` | {LABELS[p]} | {marks} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)} ({len(Permission)} permissions, {len(Role)} roles)")
