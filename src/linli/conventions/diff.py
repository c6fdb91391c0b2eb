"""The difference between two versions of a convention, line by line (an article is a line), with the
characters changed inside a replaced line marked: difflib, rendered by the page as text (<ins>/<del>)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "add", "del"
    # The line as pieces (changed, text): changed pieces are marked on the page.
    pieces: list[tuple[bool, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.pieces)


def _inline(old: str, new: str) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    """The pieces of an old and a new line, characters that differ marked (Chinese has no spaces: by character)."""
    left: list[tuple[bool, str]] = []
    right: list[tuple[bool, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append((False, old[i1:i2]))
            right.append((False, new[j1:j2]))
        else:
            if i2 > i1:
                left.append((True, old[i1:i2]))
            if j2 > j1:
                right.append((True, new[j1:j2]))
    return left, right


def compare(old: str, new: str) -> list[Line]:
    """The lines of `new` against `old`: unchanged, removed and added, a replaced line as a removed and an
    added line with the changed characters marked."""
    a, b = old.splitlines(), new.splitlines()
    out: list[Line] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [Line("same", [(False, line)]) for line in a[i1:i2]]
        else:
            # A replaced block: its lines paired in order, changed characters marked; the rest whole.
            pairs = min(i2 - i1, j2 - j1)
            for old_line, new_line in zip(a[i1 : i1 + pairs], b[j1 : j1 + pairs], strict=True):
                left, right = _inline(old_line, new_line)
                out += [Line("del", left), Line("add", right)]
            out += [Line("del", [(True, line)]) for line in a[i1 + pairs : i2]]
            out += [Line("add", [(True, line)]) for line in b[j1 + pairs : j2]]
    return out


def changed(lines: list[Line]) -> int:
    return sum(1 for line in lines if line.kind != "same")
