"""Summary of a mutmut run (tools/mutation.sh): per module, mutants killed and survived.

Reads mutmut's result files under mutants/ and counts the mutants whose names match the globs given
as arguments (all of them without arguments). A survivor named in tools/mutation_equivalent.txt
(a line "name  reason") is equivalent: it changes no behaviour, and is not counted. Exits 1 if
fewer than 95 % of the others were killed (a timeout counts as killed: the tests noticed).
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "tools" / "mutation_equivalent.txt"
STATUS = {1: "killed", 3: "killed", 0: "survived", None: "not checked", 33: "no tests", 36: "timeout"}
STATUS |= {-24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"}
TARGET = 0.95


def equivalents() -> dict[str, str]:
    if not EQUIVALENT.exists():
        return {}
    out = {}
    for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            out[name] = reason.strip()
    return out


def results(globs: list[str]) -> dict[str, str]:
    found = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if not globs or any(fnmatch.fnmatch(name, g) for g in globs):
                found[name] = STATUS.get(code, "suspicious")
    return found


def main(globs: list[str]) -> int:
    found = results(globs)
    if not found:
        print("no mutants found under mutants/: run tools/mutation.sh first")
        return 1
    eq = equivalents()
    by_module: dict[str, Counter] = defaultdict(Counter)
    survivors = []
    for name, status in found.items():
        module = name.split(".x_")[0].split(".xǁ")[0]
        if status == "survived" and name in eq:
            status = "equivalent"
        by_module[module][status] += 1
        if status not in ("killed", "timeout", "equivalent"):
            survivors.append((name, status))
    print(f"{'module':32} {'total':>6} {'killed':>6} {'timeout':>7} {'equiv':>6} {'surv':>5} {'other':>5}")
    total = Counter()
    for module, c in sorted(by_module.items()):
        other = sum(c.values()) - c["killed"] - c["timeout"] - c["equivalent"] - c["survived"]
        print(
            f"{module:32} {sum(c.values()):6} {c['killed']:6} {c['timeout']:7} {c['equivalent']:6} "
            f"{c['survived']:5} {other:5}"
        )
        total += c
    counted = sum(total.values()) - total["equivalent"]
    score = (total["killed"] + total["timeout"]) / counted if counted else 1.0
    print(
        f"killed {total['killed'] + total['timeout']} of {counted} (not counting {total['equivalent']} equivalent):"
        f" {score:.1%}"
    )
    for name, status in sorted(survivors):
        print(f"  {status}: {name}")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
