"""Request and response shapes of the notices API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from linli.kit.types import Patch

Audience = Literal["all_residents", "workers_only", "tag"]


class NoticeIn(BaseModel):
    area_code: str = Field(description="the area the notice goes to: everyone in its subtree it concerns")
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000, description="plain text; line breaks are kept")
    audience: Audience = "all_residents"
    tag: str | None = Field(None, description="with audience 'tag': e.g. elderly_alone")
    expires_at: datetime | None = None


class NoticeUpdate(Patch):
    """Changes to a draft; fields left out stay as they are."""

    nullable = frozenset({"tag", "expires_at"})

    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=20000)
    audience: Audience | None = None
    tag: str | None = None
    expires_at: datetime | None = None


class AttachmentOut(BaseModel):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    url: str


class DeliveryCountOut(BaseModel):
    area_code: str
    total: int
    delivered: int
    failed: int
    pending: int


class NoticeOut(BaseModel):
    id: int
    area_code: str
    title: str
    body: str
    audience: Audience
    tag: str | None
    status: Literal["draft", "published", "withdrawn"]
    created_by: str
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    published_by: str | None
    withdrawn_at: datetime | None
    expires_at: datetime | None
    generated: bool


class NoticeDetail(NoticeOut):
    attachments: list[AttachmentOut]
    deliveries: list[DeliveryCountOut] | None = Field(
        None, description="by child area, once published, for staff who may read the area's notices"
    )
