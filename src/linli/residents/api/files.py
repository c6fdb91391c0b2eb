"""Routes for the register as a file: the template, import (streamed, size-checked) and XLSX export."""

from __future__ import annotations

import io
import os
import tempfile

from fastapi import Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask
from starlette.formparsers import MultiPartParser

from linli.authz.deps import DbSession
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.db.session import unit_of_work
from linli.kit.errors import ImportRejected, InvalidInput
from linli.kit.i18n import t
from linli.residents.api import Reader, Writer, router
from linli.residents.export import export_register, record_export, write_template
from linli.residents.importer import audit_rejected, import_register
from linli.residents.sheet import FileTooLarge

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART_SLACK = 64 * 1024  # boundaries and part headers around the file


@router.get("/residents/template.xlsx", summary="The register template (Chinese headers, a notes sheet)")
def template(principal: Reader):
    buf = io.BytesIO()
    write_template(buf, "xlsx")
    headers = {"Content-Disposition": "attachment; filename=residents-template.xlsx"}
    return Response(buf.getvalue(), media_type=XLSX, headers=headers)


async def receive_file(request: Request) -> tuple[tempfile.SpooledTemporaryFile, str]:
    """The uploaded file (multipart field `file`, or the raw body), refused as soon as it passes the limit.

    A declared Content-Length over the limit is refused before any of the body is read; otherwise the
    body is counted as it streams in and spooled to disk, never held whole in memory.
    """
    limit = get_settings().import_max_mb * 1024 * 1024
    too_large = FileTooLarge(
        t(
            "the file is larger than the {mb} MB an upload may have; split it, or import it on the server with"
            " 'linli residents import FILE'",
            mb=get_settings().import_max_mb,
        )
    )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + MULTIPART_SLACK:
        raise too_large
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed below or by the caller)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit + MULTIPART_SLACK:
            spool.close()
            raise too_large
        spool.write(chunk)
    spool.seek(0)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return spool, request.query_params.get("filename", "")

    async def replay():
        while chunk := spool.read(1 << 16):
            yield chunk

    form = await MultiPartParser(request.headers, replay(), max_part_size=limit).parse()
    spool.close()
    # The form's other fields (the import page's choices), for the page's route.
    request.state.upload_fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise InvalidInput(t("send the file in the form field 'file' (or as the request body)"))
    if upload.size is not None and upload.size > limit:
        raise too_large
    return upload.file, upload.filename or ""


@router.post("/residents/import", summary="Import households and persons from XLSX or CSV (all or nothing)")
async def import_file(
    request: Request,
    principal: Writer,
    session: DbSession,
    dry_run: bool = Query(False, description="check every row and report, write nothing"),
    skip_bad_rows: bool = Query(False, description="import the good rows, list the bad ones"),
):
    fh, name = await receive_file(request)
    try:
        report = await run_in_threadpool(
            import_register, session, principal, fh, name=name, dry_run=dry_run, skip_bad_rows=skip_bad_rows
        )
    except ImportRejected as exc:
        # Nothing of the file is written, but its lookups by ID number are audited: the answer is
        # returned (not raised) so that the request commits the audit entry.
        session.rollback()
        audit_rejected(session, principal, exc)
        return JSONResponse(exc.to_dict(), status_code=exc.status)
    finally:
        fh.close()
    return report.as_dict()


@router.get("/areas/{code}/residents.xlsx", summary="Export the persons under an area (masked unless reveal)")
async def export_file(
    request: Request,
    code: str,
    principal: Reader,
    session: DbSession,
    reveal: bool = Query(False, description="ID and phone numbers in clear: needs residents.reveal, audited"),
):
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        n = await run_in_threadpool(export_register, session, principal, code, path, reveal=reveal, audit=False)
        # The export reads in a plain read transaction and its audit entry is written in a short one of its
        # own: on SQLite a read cannot turn into a write once another writer has committed ("database is
        # locked" at once), and an export started as a writer would hold every other write up while it runs.
        # The file is sent only once the entry is stored.
        await run_in_threadpool(_record_export_alone, request, principal, code, n, reveal)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(
        path, media_type=XLSX, filename=f"residents-{code}.xlsx", background=BackgroundTask(os.unlink, path)
    )


def _record_export_alone(request: Request, principal: Principal, code: str, n: int, reveal: bool) -> None:
    with unit_of_work(request.app.state.session_factory) as session:
        record_export(session, principal, code, n, reveal=reveal)
