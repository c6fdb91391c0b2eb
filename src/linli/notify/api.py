"""JSON API of the signed-in user's inbox: /api/v1/inbox."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from linli.authz.deps import DbSession, SignedIn
from linli.kit.pagination import PageParams, page_params
from linli.kit.types import Id
from linli.notify import repository, service
from linli.notify.schemas import InboxMessageOut, InboxPage

router = APIRouter(prefix="/api/v1", tags=["inbox"])


@router.get("/inbox", response_model=InboxPage, summary="My notifications, newest first")
def list_inbox(
    principal: SignedIn,
    session: DbSession,
    unread: bool = Query(False, description="only unread messages"),
    pp: PageParams = Depends(page_params),
):
    rows, total, unread_count = repository.inbox_page(
        session, principal.user_id, unread_only=unread, offset=pp.offset, limit=pp.size
    )
    return InboxPage(
        items=[InboxMessageOut.model_validate(r) for r in rows],
        total=total,
        unread=unread_count,
        page=pp.page,
        size=pp.size,
    )


@router.post("/inbox/{message_id}/read", response_model=InboxMessageOut, summary="Mark one message read")
def read_one(message_id: Id, principal: SignedIn, session: DbSession):
    return service.mark_read(session, principal, message_id)


@router.post("/inbox/read-all", summary="Mark all my messages read")
def read_all(principal: SignedIn, session: DbSession):
    return {"marked": service.mark_all_read(session, principal)}
