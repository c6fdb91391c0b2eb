"""JSON API of the disclosure boards (/api/v1/disclosure): a board's items, an item with its questions,
write and publish, ask and answer, and the overdue report by child area."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, Require, SignedIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.disclosure import repository, service
from linli.disclosure.kinds import mask_name
from linli.disclosure.models import DisclosureItem, DisclosureQuestion
from linli.disclosure.schemas import (
    AnswerIn,
    ItemDetail,
    ItemIn,
    ItemOut,
    PublishIn,
    QuestionIn,
    QuestionOut,
    ReportOut,
    ReportRow,
)
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1/disclosure", tags=["disclosure"])
Reader = Annotated[Principal, Depends(Require(Permission.disclosure_read))]
Writer = Annotated[Principal, Depends(Require(Permission.disclosure_write))]
Supervisor = Annotated[Principal, Depends(Require(Permission.disclosure_supervise))]


def item_out(item: DisclosureItem, on: date) -> ItemOut:
    return ItemOut(
        id=item.id,
        area_code=codes.unpad(item.area_code),
        kind=item.kind,
        title=item.title,
        body=item.body,
        period_from=item.period_from,
        period_to=item.period_to,
        occurred_on=item.occurred_on,
        due_on=item.due_on,
        rules=item.rules,
        status=item.status,
        published_on=item.published_on,
        shown_until=item.shown_until,
        objection_until=item.objection_until,
        overdue=item.published_on is None and item.due_on < on,
        late=item.late,
        days_late=item.days_late,
        late_reason=item.late_reason,
        matter_ref=item.matter_ref,
        generated=item.generated,
    )


def question_out(q: DisclosureQuestion, asker: str, on: date) -> QuestionOut:
    return QuestionOut(
        id=q.id,
        item_id=q.item_id,
        asker=asker,
        question=q.question,
        asked_on=q.asked_on,
        answer_due_on=q.answer_due_on,
        answer=q.answer,
        answered_on=q.answered_on,
        unanswered_past_due=q.answered_at is None and q.answer_due_on < on,
    )


def detail(session: Session, principal: Principal, item: DisclosureItem) -> ItemDetail:
    """The item with its questions: askers in full for staff who may read the board, masked for others."""
    on = repository.today()
    staff = principal.can(Permission.disclosure_read, item.area_code)
    asked = repository.questions_of(session, [item.id])[item.id]
    questions = [question_out(a.question, a.asker if staff else mask_name(a.asker), on) for a in asked]
    return ItemDetail(**item_out(item, on).model_dump(), questions=questions)


@router.get("/items", response_model=Page[ItemOut], summary="Items inside an area, for staff")
def list_items(
    principal: Reader,
    session: DbSession,
    area: str = Query(..., max_length=15, description="area code: its board, or every board beneath it"),
    flag: str = Query("", pattern="^(|overdue|late|draft)$"),
    pp: PageParams = Depends(page_params),
):
    if not codes.is_valid(area) or not principal.can(Permission.disclosure_read, area):
        raise NotFound(t("area {code} does not exist", code=area))
    items, total = repository.staff_items(session, principal, area, flag=flag, offset=pp.offset, limit=pp.size)
    on = repository.today()
    return Page(items=[item_out(i, on) for i in items], total=total, page=pp.page, size=pp.size)


@router.post("/items", response_model=ItemDetail, status_code=201, summary="Write a draft item (its due date is fixed)")
def create_item(body: ItemIn, principal: Writer, session: DbSession):
    return detail(session, principal, service.create_item(session, principal, body))


@router.get("/items/{item_id}", response_model=ItemDetail, summary="An item: published ones to anyone signed in")
def get_item(item_id: Id, principal: SignedIn, session: DbSession):
    try:
        item = repository.item_for_staff(session, principal, item_id)
    except NotFound:
        item = repository.public_item(session, item_id)
    return detail(session, principal, item)


@router.post("/items/{item_id}/publish", response_model=ItemDetail, summary="Publish a draft (late: reason required)")
def publish_item(item_id: Id, body: PublishIn, principal: Writer, session: DbSession):
    return detail(session, principal, service.publish(session, principal, item_id, late_reason=body.late_reason))


@router.post(
    "/items/{item_id}/questions", response_model=QuestionOut, status_code=201, summary="Ask about an item (residents)"
)
def ask(item_id: Id, body: QuestionIn, principal: SignedIn, session: DbSession):
    q = service.ask(session, principal, item_id, body.question)
    return question_out(q, principal.username, repository.today())


@router.post("/questions/{question_id}/answer", response_model=QuestionOut, summary="Answer a resident's question")
def answer(question_id: Id, body: AnswerIn, principal: Writer, session: DbSession):
    q = service.answer(session, principal, question_id, body.answer)
    item = repository.item_for_staff(session, principal, q.item_id)
    asked = {a.question.id: a.asker for a in repository.questions_of(session, [item.id])[item.id]}
    return question_out(q, asked.get(q.id, ""), repository.today())


@router.get("/report", response_model=ReportOut, summary="Overdue disclosures by child area (officials)")
def report(
    principal: Supervisor,
    session: DbSession,
    area: str = Query(..., max_length=15, description="the area whose child areas are counted"),
):
    if not codes.is_valid(area) or not principal.can(Permission.disclosure_supervise, area):
        raise NotFound(t("area {code} does not exist", code=area))
    on = repository.today()
    rows = repository.overdue_report(session, principal.scope(Permission.disclosure_supervise), area, on)
    return ReportOut(
        area_code=area,
        on=on,
        rows=[ReportRow(area_code=r.code, overdue=r.overdue, late=r.late, unanswered=r.unanswered) for r in rows],
    )
