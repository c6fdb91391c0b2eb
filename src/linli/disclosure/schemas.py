"""Request and response shapes of the disclosure API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["resolution", "implementation", "finances", "relief_funds", "other"]


class ItemIn(BaseModel):
    area_code: str = Field(max_length=15, description="the village or community whose board it goes on")
    kind: Kind
    title: str = Field(max_length=200)
    body: str = Field(max_length=20000, description="plain text; line breaks are kept")
    period_from: date | None = Field(None, description="finances, relief funds, other items: first day covered")
    period_to: date | None = Field(None, description="… and last day covered")
    occurred_on: date | None = Field(None, description="a resolution or an implementation result: the day of the act")
    matter_ref: str | None = Field(
        None, max_length=100, description="the matter it discloses: `selfgov-matter:<id>` (or its number)"
    )


class PublishIn(BaseModel):
    late_reason: str = Field("", max_length=2000, description="required when publishing after the due date")


class QuestionIn(BaseModel):
    question: str = Field(max_length=2000)


class AnswerIn(BaseModel):
    answer: str = Field(max_length=5000)


class QuestionOut(BaseModel):
    id: int
    item_id: int
    asker: str = Field(description="masked for the public, in full for staff who may read the board")
    question: str
    asked_on: date
    answer_due_on: date
    answer: str | None
    answered_on: date | None
    unanswered_past_due: bool


class ItemOut(BaseModel):
    id: int
    area_code: str
    kind: Kind
    title: str
    body: str
    period_from: date | None
    period_to: date | None
    occurred_on: date | None
    due_on: date
    rules: str
    status: Literal["draft", "published"]
    published_on: date | None
    shown_until: date | None
    objection_until: date | None
    overdue: bool = Field(description="not published and past its due date")
    late: bool = Field(description="published after its due date")
    days_late: int
    late_reason: str | None
    matter_ref: str | None
    generated: bool


class ItemDetail(ItemOut):
    questions: list[QuestionOut]


class ReportRow(BaseModel):
    area_code: str
    overdue: int = Field(description="items not published past their due date")
    late: int = Field(description="items published after their due date")
    unanswered: int = Field(description="questions unanswered past their deadline")


class ReportOut(BaseModel):
    area_code: str
    on: date
    rows: list[ReportRow]
