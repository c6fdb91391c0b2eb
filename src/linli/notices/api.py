"""JSON API of notices (/api/v1/notices): list, detail, write, publish, withdraw, attachments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.notices import files, repository, service
from linli.notices.models import Notice, NoticeAttachment
from linli.notices.schemas import AttachmentOut, DeliveryCountOut, NoticeDetail, NoticeIn, NoticeOut, NoticeUpdate

router = APIRouter(prefix="/api/v1/notices", tags=["notices"])
READ = Require(Permission.notices_read)
PUBLISH = Require(Permission.notices_publish)
Reader = Annotated[Principal, Depends(READ)]
Publisher = Annotated[Principal, Depends(PUBLISH)]


def notice_out(n: Notice) -> NoticeOut:
    return NoticeOut(
        id=n.id,
        area_code=codes.unpad(n.area_code),
        title=n.title,
        body=n.body,
        audience=n.audience,
        tag=n.tag,
        status=n.status,
        created_by=n.created_by,
        created_at=n.created_at,
        updated_at=n.updated_at,
        published_at=n.published_at,
        published_by=n.published_by,
        withdrawn_at=n.withdrawn_at,
        expires_at=n.expires_at,
        generated=n.generated,
    )


def attachment_out(a: NoticeAttachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.id,
        file_name=a.file_name,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        url=f"/api/v1/notices/{a.notice_id}/attachments/{a.id}",
    )


def detail(session: Session, principal: Principal, n: Notice) -> NoticeDetail:
    found = repository.deliveries(session, principal, n)
    return NoticeDetail(
        **notice_out(n).model_dump(),
        attachments=[attachment_out(a) for a in repository.attachments_of(session, [n.id])[n.id]],
        deliveries=None if found is None else [DeliveryCountOut(**vars(r)) for r in found.rows],
    )


@router.get("", response_model=Page[NoticeOut], summary="Notices inside an area (or all one's areas), for staff")
def list_notices(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, description="area code: notices addressed to it or a place beneath it"),
    status: str | None = Query(None, pattern="^(draft|published|withdrawn)$"),
    audience: str | None = Query(None, pattern="^(all_residents|workers_only|tag)$"),
    q: str | None = Query(None, max_length=100, description="words of the title"),
    pp: PageParams = Depends(page_params),
):
    items, total = repository.list_for_area(
        session, principal, area_code=area, status=status, audience=audience, q=q, offset=pp.offset, limit=pp.size
    )
    return Page(items=[notice_out(n) for n in items], total=total, page=pp.page, size=pp.size)


@router.get("/mine", response_model=Page[NoticeOut], summary="Published notices addressed to me")
def my_notices(principal: SignedIn, session: DbSession, pp: PageParams = Depends(page_params)):
    items, total = repository.list_for_me(session, principal, offset=pp.offset, limit=pp.size)
    return Page(items=[notice_out(n) for n in items], total=total, page=pp.page, size=pp.size)


@router.post("", response_model=NoticeDetail, status_code=201, summary="Write a draft notice")
def create_notice(body: NoticeIn, principal: Publisher, session: DbSession):
    return detail(session, principal, service.create(session, principal, body))


@router.get("/{notice_id}", response_model=NoticeDetail, summary="A notice one may read")
def get_notice(notice_id: Id, principal: SignedIn, session: DbSession):
    return detail(session, principal, repository.get_readable(session, principal, notice_id))


@router.patch("/{notice_id}", response_model=NoticeDetail, summary="Change a draft")
def update_notice(notice_id: Id, body: NoticeUpdate, principal: Publisher, session: DbSession):
    return detail(session, principal, service.update(session, principal, notice_id, body))


@router.post("/{notice_id}/publish", response_model=NoticeDetail, summary="Publish a draft: fanned out to its audience")
def publish_notice(notice_id: Id, principal: Publisher, session: DbSession):
    n, _ = service.publish(session, principal, notice_id)
    return detail(session, principal, n)


@router.post("/{notice_id}/withdraw", response_model=NoticeDetail, summary="Withdraw a published notice")
def withdraw_notice(notice_id: Id, principal: Publisher, session: DbSession):
    return detail(session, principal, service.withdraw(session, principal, notice_id))


@router.post(
    "/{notice_id}/attachments",
    response_model=AttachmentOut,
    status_code=201,
    summary="Attach a file to a draft (multipart field 'file': PDF, JPEG, PNG, DOCX or XLSX)",
)
async def upload_attachment(notice_id: Id, request: Request, principal: Publisher, session: DbSession):
    fh, name = await files.receive(request)
    try:
        att = await run_in_threadpool(service.add_attachment, session, principal, notice_id, fh, name)
    finally:
        fh.close()
    return attachment_out(att)


def download(att: NoticeAttachment) -> FileResponse:
    """The stored file with its checked content type, always as a download, never sniffed."""
    path = files.path_of(att.sha256)
    if not path.is_file():
        raise NotFound(t("the file of attachment {id} is missing", id=att.id))
    return FileResponse(
        path,
        media_type=att.content_type,
        filename=att.file_name,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
    )


@router.get("/{notice_id}/attachments/{attachment_id}", summary="Download an attachment of a notice one may read")
def get_attachment(notice_id: Id, attachment_id: Id, principal: SignedIn, session: DbSession):
    return download(repository.attachment(session, principal, notice_id, attachment_id))


@router.delete("/{notice_id}/attachments/{attachment_id}", status_code=204, summary="Remove an attachment of a draft")
def delete_attachment(notice_id: Id, attachment_id: Id, principal: Publisher, session: DbSession):
    service.remove_attachment(session, principal, notice_id, attachment_id)
    return Response(status_code=204)
