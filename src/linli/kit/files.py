"""Uploaded files kept by their content: recognised by their first bytes (never by the name a browser
sends) and stored under a folder of the data directory by SHA-256, at `<folder>/<first two>/<sha256>`.

The domains that take files (notices' attachments, services' materials, organizations' agreements,
facilities' photos) each say which kinds they accept, in which folder and up to what size, and word
their own refusals; the reading, the hashing, the size bound checked again while copying and the atomic
move into place are here, once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# The first bytes of each kind this module recognises by itself.
SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
CHUNK = 1 << 16


def sniff(fh: BinaryIO, kinds: Iterable[str]) -> str | None:
    """The kind of the file by its first bytes, among `kinds`; None when it is none of them."""
    fh.seek(0)
    head = fh.read(16)
    fh.seek(0)
    wanted = set(kinds)
    return next((kind for prefix, kind in SIGNATURES if kind in wanted and head.startswith(prefix)), None)


def clean_name(name: str | None) -> str:
    """The file's own name as a browser sent it, without folders or control characters, at most 200
    characters (its end, where the extension is); empty when nothing is left."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return base[-200:]


def path_in(folder: Path, sha256: str) -> Path:
    return folder / sha256[:2] / sha256


def store(fh: BinaryIO, folder: Path, max_bytes: int, too_large: Callable[[], Exception]) -> tuple[str, int]:
    """Copy the (already checked) file to `folder` by its SHA-256, raising `too_large()` past `max_bytes`
    (nothing is left behind then); returns (sha256, size). The move into place is atomic: a reader never
    sees half a file, and the same content is stored once."""
    fh.seek(0)
    digest = hashlib.sha256()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise too_large()
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        target = path_in(folder, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha, size
