"""An area's residents page (counts by tag and age band, name search) and the import page."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, StreamingResponse
from starlette.background import BackgroundTask

from linli.areas import service as areas_service
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.config import get_settings
from linli.db.session import unit_of_work
from linli.kit.errors import DomainError, ImportRejected, InvalidInput
from linli.kit.i18n import t
from linli.residents import service
from linli.residents.api.files import XLSX, receive_file
from linli.residents.export import ExportFilter, bad_rows_sheet, export_register, record_export
from linli.residents.importer import audit_rejected, import_register
from linli.residents.kinds import AGE_BANDS, RegisterType, Tag
from linli.residents.schemas import SearchIn
from linli.residents.service import counts
from linli.residents.sheet import FileTooLarge
from linli.residents.views.common import (
    PAGE,
    REGISTER_TYPES,
    TAGS,
    Reader,
    Writer,
    area_crumbs,
    helpers,
    label,
    refusal,
)
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _filters(q: str, tag: str, register_type: str) -> ExportFilter:
    """The residents page's filters as typed; a value not in its list is refused (a hand-made address)."""
    try:
        return ExportFilter(
            name=q.strip()[:100],
            tag=Tag(tag).value if tag else None,
            register_type=RegisterType(register_type).value if register_type else None,
        )
    except ValueError:
        raise InvalidInput(t("Choose from the list.")) from None


@router.get("/areas/{code}/residents", response_class=HTMLResponse)
def area_residents(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    q: str = Query("", max_length=100),
    tag: str = Query("", max_length=24),
    register_type: str = Query("", max_length=12),
):
    area = areas_service.get_area(session, principal, code)
    stats = counts.stats(session, principal, area.code)
    f = _filters(q, tag, register_type)
    found, found_total = [], 0
    if f.name or f.tag or f.register_type:
        found, found_total = service.find_persons(
            session,
            principal,
            SearchIn(area_code=area.code, name=f.name or None, tag=f.tag, register_type=f.register_type, size=PAGE),
        )
    return render(
        request,
        "residents/area.html",
        {
            "area": area,
            "stats": stats,
            "bands": [b[2] for b in AGE_BANDS],
            "tag_keys": [tg.value for tg in Tag],
            "q": q,
            "form": {"q": q, "tag": f.tag or "", "register_type": f.register_type or ""},
            "searched": bool(f.name or f.tag or f.register_type),
            "register_choices": [(r.value, label(REGISTER_TYPES, r.value)) for r in RegisterType],
            "tag_choices": [(tg.value, label(TAGS, tg.value)) for tg in Tag],
            "found": found,
            "found_total": found_total,
            "can_reveal": principal.can(Permission.residents_reveal, area.code),
            "can_import": principal.can(Permission.residents_write, area.code),
            "breadcrumb": [*area_crumbs(session, principal, area), {"name": t("Residents"), "href": ""}],
            **helpers(),
        },
    )


@router.post("/areas/{code}/residents/export")
async def export_residents(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    q: str = Form("", max_length=100),
    tag: str = Form("", max_length=24),
    register_type: str = Form("", max_length=12),
    reveal: str = Form(""),
):
    """The present residents under the area (the page's filters applied) as XLSX in the import layout:
    masked, or in clear when asked by one who holds residents.reveal there; every export audited."""
    area = areas_service.get_area(session, principal, code)
    f = _filters(q, tag, register_type)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        n = await run_in_threadpool(
            export_register, session, principal, area.code, path, reveal=bool(reveal), audit=False, filters=f
        )
        # As the API does: the export reads, its audit entry is written in a short transaction of its own,
        # and the file is sent only once the entry is stored.
        await run_in_threadpool(_record_alone, request, principal, area.code, n, bool(reveal), f)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(
        path, media_type=XLSX, filename=f"residents-{area.code}.xlsx", background=BackgroundTask(os.unlink, path)
    )


def _record_alone(request: Request, principal, code: str, n: int, reveal: bool, f: ExportFilter) -> None:
    with unit_of_work(request.app.state.session_factory) as session:
        record_export(session, principal, code, n, reveal=reveal, filters=f)


# --- import -------------------------------------------------------------------------------------


@router.get("/residents/import", response_class=HTMLResponse)
def import_page(request: Request, principal: Writer):
    return render(
        request,
        "residents/import.html",
        {"max_mb": get_settings().import_max_mb, "breadcrumb": [{"name": t("Import residents"), "href": ""}]},
    )


async def _uploaded(request: Request):
    """The uploaded file: streamed and size-checked, or from the form the CSRF check already read (the
    form's other fields are then in request.state.upload_fields)."""
    try:
        return await receive_file(request)
    except RuntimeError:  # the body was read as a form (CSRF token in a form field, without scripts)
        form = await request.form()
        request.state.upload_fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidInput(t("Choose a file to import.")) from None
        limit = get_settings().import_max_mb * 1024 * 1024
        if upload.size is not None and upload.size > limit:
            raise FileTooLarge(t("The file is larger than {mb} MB.", mb=get_settings().import_max_mb)) from None
        return upload.file, upload.filename or ""


@router.post("/residents/import", response_class=HTMLResponse)
async def import_file(
    request: Request,
    principal: Writer,
    session: DbSession,
    dry_run: bool = Query(False),
):
    """Check (dry run) or import a file, all or nothing or (its choice skip_bad_rows) the good rows only; the
    result as a fragment for HTMX, or a whole page without scripts."""
    ctx: dict[str, Any] = {"dry_run": dry_run, "report": None, "bad_rows": [], "error": "", "skip": False}
    status = 200
    with attempt(session) as tried:
        fh, name = await _uploaded(request)
        ctx["skip"] = skip = getattr(request.state, "upload_fields", {}).get("skip_bad_rows") == "1"
        if not name:
            raise InvalidInput(t("Choose a file to import."))
        try:
            report = await run_in_threadpool(
                import_register, session, principal, fh, name=name, dry_run=dry_run, skip_bad_rows=skip
            )
        finally:
            fh.close()
        ctx["report"], ctx["bad_rows"] = report, report.bad_rows
    exc = tried.error
    if isinstance(exc, ImportRejected):
        audit_rejected(session, principal, exc)  # the numbers were looked up all the same
        ctx["bad_rows"], ctx["total_bad"], status = exc.rows, len(exc.rows), exc.status
        ctx["error"] = t("{n} bad rows; nothing was written. Correct them and check the file again.", n=len(exc.rows))
    elif isinstance(exc, DomainError):
        ctx["error"], status = exc.message, exc.status
    elif exc is not None:
        ctx["error"], status = "; ".join(tried.errors), 422
    if request.headers.get("hx-request"):
        # HTMX swaps only 2xx answers: the fragment says what went wrong.
        return render(request, "residents/_import_result.html", ctx)
    ctx.update(max_mb=get_settings().import_max_mb, breadcrumb=[{"name": t("Import residents"), "href": ""}])
    return render(request, "residents/import.html", ctx, status_code=status)


@router.post("/residents/import/bad-rows.xlsx")
async def bad_rows_file(request: Request, principal: Writer, session: DbSession):
    """The bad rows of a file as typed, each with its problems, as XLSX: to correct and import again. The
    file is checked as a dry run (its lookups by ID number audited); a clean file gets the page saying so."""
    with attempt(session) as tried:
        fh, name = await _uploaded(request)
        if not name:
            fh.close()
            raise InvalidInput(t("Choose a file to import."))
        try:
            report = await run_in_threadpool(
                import_register, session, principal, fh, name=name, dry_run=True, skip_bad_rows=True
            )
            if report.bad_rows:
                out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed when sent)
                await run_in_threadpool(bad_rows_sheet, fh, name, report.bad_rows, out)
        finally:
            fh.close()
    ctx: dict[str, Any] = {"dry_run": True, "report": None, "bad_rows": [], "error": "", "skip": False}
    ctx.update(max_mb=get_settings().import_max_mb, breadcrumb=[{"name": t("Import residents"), "href": ""}])
    if tried.refused:
        lines, status = refusal(tried)
        ctx["error"] = "; ".join(lines)
        return render(request, "residents/import.html", ctx, status_code=status)
    if not report.bad_rows:
        ctx["notice"] = t("The file has no bad rows: nothing to download. Check it and import it.")
        return render(request, "residents/import.html", ctx)
    out.seek(0)
    headers = {"Content-Disposition": "attachment; filename=bad-rows.xlsx"}
    return StreamingResponse(_chunks_of(out), media_type=XLSX, headers=headers)


def _chunks_of(fh):
    try:
        while chunk := fh.read(1 << 16):
            yield chunk
    finally:
        fh.close()
