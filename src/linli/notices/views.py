"""Web pages of notices: an area's notices (staff), a notice page, the form to write or edit a draft
with its attachments, publish and withdraw with a confirmation, and "通知公告" for the signed-in reader."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.kit import codes
from linli.kit.errors import DomainError, InvalidInput
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import BEIJING
from linli.kit.types import Id
from linli.notices import files, repository, service
from linli.notices.models import Notice
from linli.notices.schemas import NoticeIn, NoticeUpdate
from linli.residents.kinds import Tag, tag_name
from linli.web.forms import Attempt, attempt
from linli.web.nav import NavLink, always, at_first_area
from linli.web.pages import error_lines
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
# The channels of notify (SubscriptionIn.channel) as the preview of a notice's audience names them.
CHANNEL_LABELS = {"inbox": N_("Messages on this site"), "email": N_("E-mail"), "webhook": N_("SMS")}

NAV = [
    NavLink(50, N_("Manage notices"), at_first_area(Permission.notices_read, "/areas/{code}/notices")),
    NavLink(60, N_("Notices for me"), always("/notices")),
]
READ = Require(Permission.notices_read)
PUBLISH = Require(Permission.notices_publish)
Reader = Annotated[Principal, Depends(READ)]
Publisher = Annotated[Principal, Depends(PUBLISH)]
PAGE = 50
STATUS_LABELS = {"draft": N_("Draft"), "published": N_("Published"), "withdrawn": N_("Withdrawn")}


def audience_label(n: Notice) -> str:
    if n.audience == "workers_only":
        return gettext("Workers only")
    if n.audience == "tag":
        return t("Residents: {tag}", tag=tag_name(n.tag))
    return gettext("All residents")


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1048576:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def _helpers() -> dict[str, Any]:
    return {
        "audience_label": audience_label,
        "status_label": lambda s: gettext(STATUS_LABELS.get(s, s)),
        "size_label": size_label,
        "file_kind": lambda ct: files.KINDS.get(ct, ct),
        "when": lambda d: d.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if d else "—",
        "tags": [(x.value, tag_name(x.value)) for x in Tag],
        "file_kinds": ", ".join(files.KINDS.values()),
        "max_mb": get_settings().notice_attachment_max_mb,
    }


def _when(value: str) -> datetime | None:
    """A datetime-local form value, taken as Beijing time."""
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=BEIJING)
    except ValueError:
        raise InvalidInput(t("{value!r} is not a date and time", value=value)) from None


# --- lists -----------------------------------------------------------------------------------------


@router.get("/areas/{code}/notices", response_class=HTMLResponse)
def notices_list(code: str, request: Request, principal: Reader, session: DbSession, status: str = ""):
    area = area_in_reach(session, principal, code, Permission.notices_read)
    items, total = repository.list_for_area(
        session, principal, area_code=code, status=status if status in STATUS_LABELS else None, limit=PAGE
    )
    wanted = sorted({codes.unpad(n.area_code) for n in items})
    names = {c: a.name for c, a in area_repo.get_areas(session, wanted).items()}
    return render(
        request,
        "notices/list.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "status": status,
            "statuses": [(k, gettext(v)) for k, v in STATUS_LABELS.items()],
            "place": lambda n: names.get(codes.unpad(n.area_code), codes.unpad(n.area_code)),
            "can_publish": principal.can(Permission.notices_publish, code),
            "breadcrumb": crumbs(session, principal, area, "notices"),
            **_helpers(),
        },
    )


@router.get("/notices", response_class=HTMLResponse)
def my_notices(request: Request, principal: SignedIn, session: DbSession):
    items, total = repository.list_for_me(session, principal, limit=PAGE)
    atts = repository.attachments_of(session, [n.id for n in items])
    return render(
        request,
        "notices/mine.html",
        {"items": items, "total": total, "attachments": atts, **_helpers()},
    )


# --- writing a draft -------------------------------------------------------------------------------


def _form_page(request, session, principal, area, *, notice=None, errors=(), form=None, status=200, **extra):
    return render(
        request,
        "notices/form.html",
        {
            "area": area,
            "n": notice,
            "n_attachments": repository.attachments_of(session, [notice.id])[notice.id] if notice else [],
            "errors": list(errors),
            "form": form or {},
            "breadcrumb": crumbs(session, principal, area, "notices"),
            **_helpers(),
            **extra,
        },
        status_code=status,
    )


def _form_values(title, body, audience, tag, expires_at) -> dict[str, str]:
    return {"title": title, "body": body, "audience": audience, "tag": tag, "expires_at": expires_at}


@router.get("/areas/{code}/notices/new", response_class=HTMLResponse)
def new_form(code: str, request: Request, principal: Publisher, session: DbSession):
    area = area_in_reach(session, principal, code, Permission.notices_publish)
    return _form_page(request, session, principal, area, form={"audience": "all_residents"})


@router.post("/areas/{code}/notices/new", response_class=HTMLResponse)
def create_form(
    code: str,
    request: Request,
    principal: Publisher,
    session: DbSession,
    title: str = Form(""),
    body: str = Form(""),
    audience: str = Form("all_residents"),
    tag: str = Form(""),
    expires_at: str = Form(""),
):
    area = area_in_reach(session, principal, code, Permission.notices_publish)
    form = _form_values(title, body, audience, tag, expires_at)
    with attempt(session) as tried:
        data = NoticeIn(
            area_code=code, title=title, body=body, audience=audience, tag=tag or None, expires_at=_when(expires_at)
        )
        n = service.create(session, principal, data)
    if tried.refused:
        return _form_page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/notices/{n.id}/edit?done=saved", status_code=303)


def _draft_and_area(session, principal, notice_id) -> tuple[Notice, Area]:
    n = repository.get_readable(session, principal, notice_id)
    principal.check(Permission.notices_publish, n.area_code, what=t("notice {id}", id=notice_id))
    return n, area_repo.find_area(session, codes.unpad(n.area_code))


def _edit_page(request, session, principal, n, area, *, errors=(), form=None, status=200):
    form = form or _form_values(
        n.title,
        n.body,
        n.audience,
        n.tag or "",
        n.expires_at.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M") if n.expires_at else "",
    )
    # Whom publishing would reach now, by the draft as saved (the preview of the Publish step).
    audience = service.preview(session, principal, n.id) if n.status == "draft" else None
    extra = {"preview": audience, "channel_label": lambda ch: gettext(CHANNEL_LABELS.get(ch, ch))}
    return _form_page(request, session, principal, area, notice=n, errors=errors, form=form, status=status, **extra)


@router.get("/notices/{notice_id}/edit", response_class=HTMLResponse)
def edit_form(notice_id: Id, request: Request, principal: Publisher, session: DbSession):
    n, area = _draft_and_area(session, principal, notice_id)
    if n.status != "draft":
        return RedirectResponse(f"/notices/{n.id}", status_code=303)
    return _edit_page(request, session, principal, n, area)


@router.post("/notices/{notice_id}/edit", response_class=HTMLResponse)
def save_form(
    notice_id: Id,
    request: Request,
    principal: Publisher,
    session: DbSession,
    title: str = Form(""),
    body: str = Form(""),
    audience: str = Form("all_residents"),
    tag: str = Form(""),
    expires_at: str = Form(""),
):
    n, area = _draft_and_area(session, principal, notice_id)
    form = _form_values(title, body, audience, tag, expires_at)
    with attempt(session) as tried:
        changes = NoticeUpdate(title=title, body=body, audience=audience, tag=tag or None, expires_at=_when(expires_at))
        service.update(session, principal, notice_id, changes)
    if tried.refused:
        n = repository.refreshed(session, n)
        return _edit_page(request, session, principal, n, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/notices/{notice_id}/edit?done=saved", status_code=303)


async def _uploaded(request: Request):
    """The file: streamed and size-checked, or from the form the CSRF check already read."""
    try:
        return await files.receive(request)
    except RuntimeError:  # the body was read as a form (CSRF token in a form field, without scripts)
        form = await request.form()
        return files.from_form(form.get("file"))


@router.post("/notices/{notice_id}/attachments", response_class=HTMLResponse)
async def attach_form(notice_id: Id, request: Request, principal: Publisher, session: DbSession):
    n, area = await run_in_threadpool(_draft_and_area, session, principal, notice_id)
    try:
        fh, name = await _uploaded(request)
    except DomainError as exc:  # refused while it was received (too large, not a file): nothing to undo
        return await run_in_threadpool(_not_attached, request, session, principal, n, area, exc)
    try:
        tried = await run_in_threadpool(_attach, session, principal, notice_id, fh, name)
    finally:
        fh.close()
    if tried.refused:
        return await run_in_threadpool(_not_attached, request, session, principal, n, area, tried.error)
    return RedirectResponse(f"/notices/{notice_id}/edit?done=attached#attachments", status_code=303)


def _attach(session, principal, notice_id, fh, name) -> Attempt:
    with attempt(session) as tried:
        service.add_attachment(session, principal, notice_id, fh, name)
    return tried


def _not_attached(request, session, principal, n, area, exc: DomainError):
    errors = [t("The file was not attached:"), *error_lines(exc)]
    return _edit_page(request, session, principal, n, area, errors=errors, status=exc.status)


@router.post("/notices/{notice_id}/attachments/{attachment_id}/remove", response_class=HTMLResponse)
def detach_form(notice_id: Id, attachment_id: Id, principal: Publisher, session: DbSession):
    service.remove_attachment(session, principal, notice_id, attachment_id)
    return RedirectResponse(f"/notices/{notice_id}/edit?done=removed#attachments", status_code=303)


# --- the notice, publishing and withdrawing ---------------------------------------------------------


def _notice_page(request, session, principal, n: Notice, *, errors=(), status=200):
    area = area_repo.find_area(session, codes.unpad(n.area_code))
    return render(
        request,
        "notices/notice.html",
        {
            "n": n,
            "area": area,
            "attachments": repository.attachments_of(session, [n.id])[n.id],
            "deliveries": repository.deliveries(session, principal, n),
            "names": area_repo.child_names(session, area.code) if area else {},
            "can_publish": principal.can(Permission.notices_publish, n.area_code),
            "errors": list(errors),
            "breadcrumb": crumbs(session, principal, area, "notices")
            if area and principal.can(Permission.notices_read, n.area_code)
            else [{"name": gettext("Notices"), "href": "/notices"}],
            **_helpers(),
        },
        status_code=status,
    )


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_page(notice_id: Id, request: Request, principal: SignedIn, session: DbSession):
    return _notice_page(request, session, principal, repository.get_readable(session, principal, notice_id))


def _confirmed_step(session: Session, n: Notice, confirm: str, step) -> list[str]:
    """Run `step` (publish, withdraw) once the box is ticked; else the problems to show, nothing changed."""
    if confirm != "yes":
        return [t("Tick the box to confirm.")]
    with attempt(session) as tried:
        step()
    if tried.refused:
        repository.refreshed(session, n)
    return tried.errors


@router.post("/notices/{notice_id}/publish", response_class=HTMLResponse)
def publish_form(notice_id: Id, request: Request, principal: Publisher, session: DbSession, confirm: str = Form("")):
    n, area = _draft_and_area(session, principal, notice_id)
    problems = _confirmed_step(session, n, confirm, lambda: service.publish(session, principal, notice_id))
    if problems:
        return _edit_page(request, session, principal, n, area, errors=problems, status=422)
    return RedirectResponse(f"/notices/{notice_id}?done=published", status_code=303)


@router.post("/notices/{notice_id}/withdraw", response_class=HTMLResponse)
def withdraw_form(notice_id: Id, request: Request, principal: Publisher, session: DbSession, confirm: str = Form("")):
    n, _ = _draft_and_area(session, principal, notice_id)
    problems = _confirmed_step(session, n, confirm, lambda: service.withdraw(session, principal, notice_id))
    if problems:
        return _notice_page(request, session, principal, n, errors=problems, status=422)
    return RedirectResponse(f"/notices/{notice_id}?done=withdrawn", status_code=303)
