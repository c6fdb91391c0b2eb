"""Photos of facilities: recognised by their first bytes (JPEG or PNG), never by the name a browser sends,
and stored under `<data dir>/facility-photos/` by SHA-256, as linli.services.files stores materials. The
size bound is the photos' (LINLI_EVENT_PHOTO_MAX_BYTES), enforced by the body limit before the route
runs (linli.web.body_limit.UPLOADS) and again while the file is copied."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from linli.config import get_settings
from linli.kit import files
from linli.kit.errors import InvalidInput
from linli.kit.files import JPEG, PNG
from linli.kit.i18n import t

KINDS = {JPEG: "JPEG", PNG: "PNG"}
FOLDER = "facility-photos"


def max_bytes() -> int:
    return get_settings().event_photo_max_bytes


def sniff(fh: BinaryIO) -> str:
    kind = files.sniff(fh, KINDS)
    if kind is None:
        raise InvalidInput(t("a photo must be a JPEG or PNG file"), code="photo_type")
    return kind


def clean_name(name: str) -> str:
    return files.clean_name(name) or "photo"


def path_of(sha256: str) -> Path:
    return files.path_in(get_settings().data_dir / FOLDER, sha256)


def store(fh: BinaryIO) -> tuple[str, int]:
    """Copy the (already checked) file to its place by SHA-256; returns (sha256, size)."""

    def too_large() -> InvalidInput:
        return InvalidInput(t("the photo is larger than the {mb} MB allowed", mb=max_bytes() // 1048576))

    return files.store(fh, get_settings().data_dir / FOLDER, max_bytes(), too_large)
