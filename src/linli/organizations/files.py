"""Files of co-construction agreements (the signed scan or PDF), as services' materials are kept
(linli.services.files): recognised by their first bytes, never by the name a browser sends, stored under
`<data dir>/org-files/` by SHA-256, no larger than the attachments' bound (LINLI_NOTICE_ATTACHMENT_MAX_MB),
enforced by the body limit before the route runs and again while the file is copied."""

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

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
TYPES = (PDF, JPEG, PNG)
CHUNK = 1 << 16


def max_bytes() -> int:
    return get_settings().notice_attachment_max_mb * 1024 * 1024


def sniff(fh: BinaryIO) -> str:
    fh.seek(0)
    head = fh.read(8)
    fh.seek(0)
    for prefix, kind in ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG)):
        if head.startswith(prefix):
            return kind
    raise InvalidInput(t("an agreement's file must be a PDF, JPEG or PNG file (a scan or a photo)"), code="file_type")


def clean_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return base[-200:] or "agreement"


def path_of(sha256: str) -> Path:
    return get_settings().data_dir / "org-files" / sha256[:2] / sha256


def store(fh: BinaryIO) -> tuple[str, int]:
    """Copy the (already sniffed) file to its place by SHA-256; returns (sha256, size)."""
    fh.seek(0)
    digest = hashlib.sha256()
    folder = get_settings().data_dir / "org-files"
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > max_bytes():
                    raise InvalidInput(
                        t("the file is larger than the {mb} MB an agreement may have", mb=max_bytes() // 1048576)
                    )
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
