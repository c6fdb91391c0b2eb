"""Files of co-construction agreements (the signed scan or PDF), as services' materials are kept
(linli.services.files): recognised by their first bytes, never by the name a browser sends, stored under
`<data dir>/org-files/` by SHA-256, no larger than the attachments' bound (LINLI_NOTICE_ATTACHMENT_MAX_MB),
enforced by the body limit before the route runs and again while the file is copied."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from linli.config import get_settings
from linli.kit import files
from linli.kit.errors import InvalidInput
from linli.kit.files import JPEG, PDF, PNG
from linli.kit.i18n import t

TYPES = (PDF, JPEG, PNG)
FOLDER = "org-files"


def max_bytes() -> int:
    return get_settings().notice_attachment_max_mb * 1024 * 1024


def sniff(fh: BinaryIO) -> str:
    kind = files.sniff(fh, TYPES)
    if kind is None:
        raise InvalidInput(
            t("an agreement's file must be a PDF, JPEG or PNG file (a scan or a photo)"), code="file_type"
        )
    return kind


def clean_name(name: str) -> str:
    return files.clean_name(name) or "agreement"


def path_of(sha256: str) -> Path:
    return files.path_in(get_settings().data_dir / FOLDER, sha256)


def store(fh: BinaryIO) -> tuple[str, int]:
    """Copy the (already sniffed) file to its place by SHA-256; returns (sha256, size)."""

    def too_large() -> InvalidInput:
        return InvalidInput(t("the file is larger than the {mb} MB an agreement may have", mb=max_bytes() // 1048576))

    return files.store(fh, get_settings().data_dir / FOLDER, max_bytes(), too_large)
