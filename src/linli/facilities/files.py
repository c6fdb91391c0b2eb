"""Photos of facilities: recognised by their first bytes (JPEG or PNG), never by the name a browser sends,
and stored under `<data dir>/facility-photos/` by SHA-256, as linli.services.files stores materials. The
size bound is the photos' (LINLI_EVENT_PHOTO_MAX_BYTES), enforced by the body limit before the route
runs (linli.web.body_limit.UPLOADS) and again while the file is copied."""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from linli.config import get_settings
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

JPEG, PNG = "image/jpeg", "image/png"
KINDS = {JPEG: "JPEG", PNG: "PNG"}
CHUNK = 1 << 16
FOLDER = "facility-photos"


def max_bytes() -> int:
    return get_settings().event_photo_max_bytes


def sniff(fh: BinaryIO) -> str:
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    for prefix, kind in ((b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG)):
        if head.startswith(prefix):
            return kind
    raise InvalidInput(t("a photo must be a JPEG or PNG file"), code="photo_type")


def clean_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return (base or "photo")[-200:]


def path_of(sha256: str) -> Path:
    return get_settings().data_dir / FOLDER / sha256[:2] / sha256


def store(fh: BinaryIO) -> tuple[str, int]:
    """Copy the (already checked) file to its place by SHA-256; returns (sha256, size)."""
    fh.seek(0)
    digest = hashlib.sha256()
    folder = get_settings().data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > max_bytes():
                    raise InvalidInput(t("the photo is larger than the {mb} MB allowed", mb=max_bytes() // 1048576))
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        target = path_of(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha, size
