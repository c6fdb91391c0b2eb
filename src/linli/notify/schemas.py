"""Notifications in and out of the JSON API: subscriptions, the inbox, delivery counts, failed deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# What a resident may subscribe to (the `topic` of a subscription and of a fan-out's subscribers).
TOPICS = ("warnings", "notices")


class SubscriptionIn(BaseModel):
    channel: Literal["inbox", "email", "webhook"]
    topic: str = "warnings"
    address: str | None = Field(None, max_length=200, description="e-mail address, or phone number for SMS")


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int | None
    person_id: int | None
    area_code: str
    channel: str
    topic: str
    address: str | None  # masked
    recorded_by: str
    created_at: object
    withdrawn_at: object | None


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


class CountsOut(BaseModel):
    area_code: str
    total: int
    delivered: int
    failed: int
    pending: int


class FailedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    key: str
    kind: str
    ref: str | None
    recipient: str
    channel: str
    area_code: str | None
    attempts: int
    last_error: str | None
    created_at: datetime


class FailedPage(BaseModel):
    items: list[FailedOut]
    total: int
    page: int
    size: int
