"""JSON API of consultations (/api/v1/consultations): an area's topics and one topic."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.consultation import repository, service
from linli.consultation.models import ConsultationTopic
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1/consultations", tags=["consultations"])
Reader = Annotated[Principal, Depends(Require(Permission.consultation_read))]
Writer = Annotated[Principal, Depends(Require(Permission.consultation_write))]


class TopicOut(BaseModel):
    id: int
    area_code: str
    title: str
    description: str
    raised_by: str
    status: str
    form: str | None
    content: str | None
    published_on: date | None
    held_on: date | None
    participants_present: int | None
    opinion: str | None
    feedback: str | None
    reported_on: date | None
    event_ref: str | None
    matter_ref: str | None
    generated: bool


class MatterLinkIn(BaseModel):
    matter_id: Id | None = Field(description="a self-government matter of the same village or community; null unlinks")


def topic_out(x: ConsultationTopic) -> TopicOut:
    return TopicOut(
        id=x.id, area_code=codes.unpad(x.area_code), title=x.title, description=x.description,
        raised_by=x.raised_by, status=x.status, form=x.form, content=x.content, published_on=x.published_on,
        held_on=x.held_on, participants_present=x.participants_present, opinion=x.opinion, feedback=x.feedback,
        reported_on=x.reported_on, event_ref=x.event_ref, matter_ref=x.matter_ref, generated=x.generated,
    )  # fmt: skip


@router.get("", response_model=list[TopicOut], summary="Consultations inside an area")
def list_topics(principal: Reader, session: DbSession, area: str = Query(..., max_length=15)):
    if not codes.is_valid(area) or not principal.can(Permission.consultation_read, area):
        raise NotFound(t("area {code} does not exist", code=area))
    return [topic_out(x) for x in repository.in_area(session, principal, area)]


@router.get("/{topic_id}", response_model=TopicOut, summary="A consultation")
def get_topic(topic_id: Id, principal: Reader, session: DbSession):
    return topic_out(repository.topic_for_staff(session, principal, topic_id))


@router.post("/{topic_id}/matter", response_model=TopicOut, summary="Link a consultation's outcome to a matter")
def link_matter(topic_id: Id, body: MatterLinkIn, principal: Writer, session: DbSession):
    return topic_out(service.link_matter(session, principal, topic_id, body.matter_id))
