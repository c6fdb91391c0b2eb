"""Attachment files of notices: received with a size limit while they stream in, recognised by their
first bytes (never by the name a browser sends), and stored under `<data dir>/notice-files/` by SHA-256.

Only five kinds are accepted: PDF, JPEG, PNG, Word (DOCX) and Excel (XLSX). DOCX and XLSX are ZIP
files; the parts inside tell them apart (word/document.xml, xl/workbook.xml).
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from starlette.formparsers import MultiPartParser

from linli.config import get_settings
from linli.kit import files
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)"}
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file
CHUNK = 1 << 16


class AttachmentTooLarge(InvalidInput):
    status = 413
    code = "attachment_too_large"


def max_bytes() -> int:
    return get_settings().notice_attachment_max_mb * 1024 * 1024


def too_large() -> AttachmentTooLarge:
    return AttachmentTooLarge(
        t("the file is larger than the {mb} MB an attachment may have", mb=get_settings().notice_attachment_max_mb)
    )


def not_allowed() -> InvalidInput:
    return InvalidInput(
        t("attachments must be PDF, JPEG, PNG, Word (DOCX) or Excel (XLSX) files; this file is none of them"),
        code="attachment_type",
    )


def sniff(fh: BinaryIO) -> str:
    """The content type of the file by its first bytes (and, for ZIP files, the parts inside)."""
    fh.seek(0)
    head = fh.read(16)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fh) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        finally:
            fh.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    raise not_allowed()


def clean_name(name: str) -> str:
    """The file's own name without any folder, control characters or surrounding blanks."""
    base = files.clean_name(name)
    if not base:
        raise InvalidInput(t("the file has no name"), code="attachment_name")
    return base


async def receive(request: Request) -> tuple[BinaryIO, str]:
    """The uploaded file (multipart field `file`), refused as soon as the body passes the limit.

    A declared Content-Length over the limit is refused before any of the body is read; otherwise the
    body is counted as it streams in and spooled to disk, never held whole in memory.
    """
    limit = max_bytes()
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + MULTIPART_SLACK:
        raise too_large()
    spool = tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115 (closed below)
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit + MULTIPART_SLACK:
                raise too_large()
            spool.write(chunk)
        spool.seek(0)
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            raise InvalidInput(t("send the file as multipart/form-data in the field 'file'"))

        async def replay():
            while chunk := spool.read(CHUNK):
                yield chunk

        form = await MultiPartParser(request.headers, replay(), max_part_size=limit).parse()
    finally:
        spool.close()
    return from_form(form.get("file"))


def from_form(upload) -> tuple[BinaryIO, str]:
    """The file of an already parsed form field, size-checked."""
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise InvalidInput(t("choose a file to attach"), code="attachment_missing")
    if upload.size is not None and upload.size > max_bytes():
        upload.file.close()
        raise too_large()
    return upload.file, upload.filename


def files_dir() -> Path:
    return get_settings().data_dir / "notice-files"


def path_of(sha256: str) -> Path:
    return files.path_in(files_dir(), sha256)


def store(fh: BinaryIO) -> tuple[str, int]:
    """Copy the (already checked) file to its place by SHA-256; returns (sha256, size)."""
    return files.store(fh, files_dir(), max_bytes(), too_large)


def forget(sha256: str) -> None:
    """Delete a stored file no attachment uses any more."""
    path_of(sha256).unlink(missing_ok=True)
