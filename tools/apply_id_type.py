"""Re-apply the bounded Id and PageNumber types (linli.kit.types) to the API's route parameters and
request bodies (issue 12, finding 9). Idempotent; run from the repository root after merging routes:

    python tools/apply_id_type.py && ruff check --fix src && ruff format src

In route modules (api.py, *_api.py, routes.py, views): parameters `<name>_id: int` and `page: int =
Query(1, ge=1)`. In schemas.py: `<name>_id: int` and `<name>_ids: list[int]` fields of input models
(classes whose name does not end in "Out").
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "linli"
ID_PARAM = re.compile(r"\b(\w*_id|rid): int\b")
ID_LIST = re.compile(r"\b(\w*_ids): list\[int\]")
PAGE = re.compile(r"\bpage: int = Query\(1, ge=1(, )?")
CLASS = re.compile(r"^class (\w+)\(")
IMPORT = "from linli.kit.types import {names}"


def is_route_module(path: Path) -> bool:
    return path.name in ("api.py", "routes.py", "views.py") or path.name.endswith("_api.py") or "views" in path.parts


def rewrite(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    out, used, cls = [], set(), None
    schema = path.name == "schemas.py"
    for line in text.split("\n"):
        m = CLASS.match(line)
        if m:
            cls = m.group(1)
        if schema and (cls is None or cls.endswith("Out")):
            out.append(line)
            continue
        new = ID_PARAM.sub(lambda m: f"{m.group(1)}: Id", line)
        new = ID_LIST.sub(lambda m: f"{m.group(1)}: list[Id]", new)
        if not schema:
            new = PAGE.sub(lambda m: "page: PageNumber = Query(1" + (", " if m.group(1) else ""), new)
        if new != line:
            used |= {n for n in ("Id", "PageNumber") if re.search(rf"\b{n}\b", new)}
        out.append(new)
    if not used:
        return False
    text = "\n".join(out)
    existing = re.search(r"^from linli\.kit\.types import (.+)$", text, re.M)
    if existing:
        names = sorted(used | {n.strip() for n in existing.group(1).split(",")})
        text = text.replace(existing.group(0), IMPORT.format(names=", ".join(names)))
    else:
        # After the last top-level import (ruff's isort then puts it in its place).
        lines = text.split("\n")
        imports = [n.end_lineno for n in ast.parse(text).body if isinstance(n, ast.Import | ast.ImportFrom)]
        lines.insert(imports[-1] if imports else 0, IMPORT.format(names=", ".join(sorted(used))))
        text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return True


def main() -> int:
    changed = [p for p in sorted(SRC.rglob("*.py")) if (is_route_module(p) or p.name == "schemas.py") and rewrite(p)]
    for p in changed:
        print(p.relative_to(SRC.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
