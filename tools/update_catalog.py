"""Refresh the zh_CN catalogue after messages changed: extract, then merge into the .po file.

    python tools/update_catalog.py        # then translate the new empty entries in the .po file

New messages arrive untranslated; tests/web/test_i18n.py fails until every one has a translation.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "build" / "messages.pot"


def main() -> int:
    POT.parent.mkdir(exist_ok=True)
    extract = [
        "pybabel",
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "t",
        "-k",
        "N_",
        "--no-location",
        "--sort-output",
        "--no-wrap",
        "-o",
        str(POT),
        # The root: babel.cfg's patterns (src/linli/**.py, ...) are paths from the directory given here;
        # given src/linli, they matched nothing and the catalogue lost every message but one.
        ".",
    ]
    update = [
        "pybabel",
        "update",
        "-i",
        str(POT),
        "-d",
        "src/linli/locale",
        "-l",
        "zh_CN",
        "--no-wrap",
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    ]
    for cmd in (extract, update):
        if subprocess.call(cmd, cwd=ROOT) != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
