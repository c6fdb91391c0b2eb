"""Files of applications' materials (scans and photos of documents): recognised by their first bytes,
never by the name a browser sends, and stored under `<data dir>/service-files/` by SHA-256. The size
bound is the attachments' (LINLI_NOTICE_ATTACHMENT_MAX_MB), enforced by the body limit before the
route runs and again while the file is copied."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from linli.config import get_settings
from linli.kit import files
from linli.kit.errors import InvalidInput
from linli.kit.files import JPEG, PDF, PNG
from linli.kit.i18n import t

KINDS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
FOLDER = "service-files"


def max_bytes() -> int:
    return get_settings().notice_attachment_max_mb * 1024 * 1024


def sniff(fh: BinaryIO) -> str:
    kind = files.sniff(fh, KINDS)
    if kind is None:
        raise InvalidInput(t("a material must be a PDF, JPEG or PNG file (a scan or a photo)"), code="material_type")
    return kind


def clean_name(name: str) -> str:
    base = files.clean_name(name)
    if not base:
        raise InvalidInput(t("the file has no name"), code="material_name")
    return base


def path_of(sha256: str) -> Path:
    return files.path_in(get_settings().data_dir / FOLDER, sha256)


def store(fh: BinaryIO) -> tuple[str, int]:
    """Copy the (already checked) file to its place by SHA-256; returns (sha256, size)."""

    def too_large() -> InvalidInput:
        return InvalidInput(t("the file is larger than the {mb} MB a material may have", mb=max_bytes() // 1048576))

    return files.store(fh, get_settings().data_dir / FOLDER, max_bytes(), too_large)
