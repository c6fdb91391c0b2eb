"""JSON API of the conventions (/api/v1/conventions): an area's conventions, one with its versions, and
the adoption of a version by the meeting."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.conventions import repository, service
from linli.conventions.models import Convention, ConventionVersion
from linli.conventions.schemas import AdoptIn, ConventionDetail, ConventionOut, VersionOut
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1/conventions", tags=["conventions"])
Reader = Annotated[Principal, Depends(Require(Permission.conventions_read))]
Writer = Annotated[Principal, Depends(Require(Permission.conventions_write))]


def convention_out(c: Convention) -> ConventionOut:
    return ConventionOut(
        id=c.id,
        area_code=codes.unpad(c.area_code),
        title=c.title,
        in_force_version_id=c.in_force_version_id,
        generated=c.generated,
    )


def version_out(v: ConventionVersion, opinions: int) -> VersionOut:
    return VersionOut(
        id=v.id,
        number=v.number,
        status=v.status,
        text=v.text,
        opinions=opinions,
        review_note=v.review_note,
        adopted_by=v.adopted_by,
        adopted_on=v.adopted_on,
        attendance_expected=v.attendance_expected,
        attendance_present=v.attendance_present,
        women_present=v.women_present,
        meeting_ref=v.meeting_ref,
        rules=v.rules,
        filing_due_on=v.filing_due_on,
        filed_on=v.filed_on,
        filing_late=v.filing_late,
        filing_received=v.filing_received_at is not None,
        published_on=v.published_on,
        superseded_on=v.superseded_on,
    )


def detail(session: Session, c: Convention) -> ConventionDetail:
    versions = repository.versions_of(session, c.id)
    counts = repository.opinion_counts(session, [v.id for v in versions])
    return ConventionDetail(
        **convention_out(c).model_dump(), versions=[version_out(v, counts.get(v.id, 0)) for v in versions]
    )


@router.get("", response_model=list[ConventionOut], summary="Conventions inside an area")
def list_conventions(
    principal: Reader, session: DbSession, area: str = Query(..., max_length=15, description="area code")
):
    if not codes.is_valid(area) or not principal.can(Permission.conventions_read, area):
        raise NotFound(t("area {code} does not exist", code=area))
    return [convention_out(c) for c, _ in repository.in_area(session, principal, area)]


@router.get("/{convention_id}", response_model=ConventionDetail, summary="A convention with its versions")
def get_convention(convention_id: Id, principal: Reader, session: DbSession):
    return detail(session, repository.convention_for_staff(session, principal, convention_id))


@router.post(
    "/versions/{version_id}/adopt",
    response_model=ConventionDetail,
    summary="Record a version's adoption by the villagers'/residents' meeting (after the township's approval)",
)
def adopt(version_id: Id, body: AdoptIn, principal: Writer, session: DbSession):
    v = service.adopt(session, principal, version_id, body)
    return detail(session, repository.convention(session, v.convention_id))
