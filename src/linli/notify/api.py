"""JSON API of the signed-in user's inbox: /api/v1/inbox."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from linli.authz.deps import get_db, signed_in
from linli.authz.principal import Principal
from linli.kit.pagination import PageParams, page_params
from linli.kit.types import Id
from linli.notify import inbox

router = APIRouter(prefix="/api/v1", tags=["inbox"])


class InboxMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class InboxPage(BaseModel):
    items: list[InboxMessageOut]
    total: int
    unread: int
    page: int
    size: int


@router.get("/inbox", response_model=InboxPage, summary="My notifications, newest first")
def list_inbox(
    unread: bool = Query(False, description="only unread messages"),
    pp: PageParams = Depends(page_params),
    principal: Principal = Depends(signed_in),
    session: Session = Depends(get_db, scope="function"),
):
    rows, total, unread_count = inbox.list_messages(
        session, principal, unread_only=unread, offset=pp.offset, limit=pp.size
    )
    return InboxPage(
        items=[InboxMessageOut.model_validate(r) for r in rows],
        total=total,
        unread=unread_count,
        page=pp.page,
        size=pp.size,
    )


@router.post("/inbox/{message_id}/read", response_model=InboxMessageOut, summary="Mark one message read")
def read_one(
    message_id: Id, principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")
):
    return inbox.mark_read(session, principal, message_id)


@router.post("/inbox/read-all", summary="Mark all my messages read")
def read_all(principal: Principal = Depends(signed_in), session: Session = Depends(get_db, scope="function")):
    return {"marked": inbox.mark_all_read(session, principal)}
