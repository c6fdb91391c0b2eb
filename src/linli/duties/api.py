"""JSON API of the responsibility lists (/api/v1/duties): a township's list (now or at a version), the
county's approval of a first list, change requests and their review, links to event categories and
service items, and the reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.duties import repository, service
from linli.duties.models import Duty, DutyChange, DutyList
from linli.duties.schemas import (
    ChangeCount,
    ChangeIn,
    ChangeOut,
    DutyOut,
    LinkIn,
    LinkOut,
    ListIn,
    ListOut,
    ReportOut,
    ReportRow,
    ReviewIn,
    UnlistedRow,
    VersionOut,
)
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1/duties", tags=["duties"])
Reader = Annotated[Principal, Depends(Require(Permission.duties_read))]
Writer = Annotated[Principal, Depends(Require(Permission.duties_write))]
Reviewer = Annotated[Principal, Depends(Require(Permission.duties_review))]
Code = Annotated[str, Query(max_length=15, description="area code")]


def duty_out(d: Duty) -> DutyOut:
    fields = {k: getattr(d, k) for k in DutyOut.model_fields}
    return DutyOut(**fields)


def change_out(c: DutyChange) -> ChangeOut:
    return ChangeOut(
        id=c.id, area_code=codes.unpad(c.area_code), action=c.action, duty_code=c.duty_code,
        proposed=repository.proposed(c), reason=c.reason, state=c.state, filed_by=c.filed_by,
        reviewed_by=c.reviewed_by, reviewed_at=c.reviewed_at, review_note=c.review_note, version=c.version,
        created_at=c.created_at,
    )  # fmt: skip


def list_out(session: Session, row: DutyList, version: int | None = None) -> ListOut:
    duties = (
        repository.current_duties(session, row.id)
        if version is None
        else repository.duties_at_version(session, row.id, version)
    )
    versions = [
        VersionOut(number=v.number, approved_by=v.approved_by, approved_at=v.approved_at,
                   effective_from=v.effective_from, note=v.note, change_id=v.change_id)
        for v in repository.versions(session, row.id)
    ]  # fmt: skip
    return ListOut(
        id=row.id, area_code=codes.unpad(row.area_code), title=row.title, version=version or row.version,
        duties=[duty_out(d) for d in duties], versions=versions,
    )  # fmt: skip


def _list_in_reach(session: Session, principal: Principal, code: str) -> DutyList:
    if not codes.is_valid(code) or not principal.can(Permission.duties_read, code):
        raise NotFound(t("street or township {code} does not exist", code=code))
    town = repository.township(session, code)
    row = repository.list_at(session, town.code)
    if row is None:
        raise NotFound(t("{name} has no responsibility list yet", name=town.name))
    return row


@router.get("/lists/{code}", response_model=ListOut, summary="A township's list, now or at a version")
def get_list(
    code: str,
    principal: Reader,
    session: DbSession,
    version: int | None = Query(None, ge=1, le=10000, description="a past version; the current one when left out"),
):
    row = _list_in_reach(session, principal, code)
    if version is not None and version > row.version:
        raise NotFound(t("version {n} of the list does not exist", n=version))
    return list_out(session, row, version)


@router.post("/lists", response_model=ListOut, status_code=201, summary="Approve a township's first list (county)")
def establish(body: ListIn, principal: Reviewer, session: DbSession):
    return list_out(session, service.establish_list(session, principal, body))


@router.post(
    "/lists/{code}/changes", response_model=ChangeOut, status_code=201, summary="Request a change (the township)"
)
def file_change(code: str, body: ChangeIn, principal: Writer, session: DbSession):
    return change_out(service.file_change(session, principal, code, body))


@router.get("/changes", response_model=list[ChangeOut], summary="Change requests waiting for review inside an area")
def queue(principal: Reader, session: DbSession, area: Code):
    if not codes.is_valid(area) or not principal.can(Permission.duties_read, area):
        raise NotFound(t("area {code} does not exist", code=area))
    return [change_out(c) for c in repository.pending_queue(session, principal.scope(Permission.duties_read), area)]


@router.post("/changes/{change_id}/review", response_model=ChangeOut, summary="Approve or reject (the county)")
def review(change_id: Id, body: ReviewIn, principal: Reviewer, session: DbSession):
    return change_out(service.review(session, principal, change_id, body))


@router.get("/lists/{code}/links", response_model=list[LinkOut], summary="What discharges each duty")
def links(code: str, principal: Reader, session: DbSession):
    row = _list_in_reach(session, principal, code)
    return [
        LinkOut(id=x.link.id, duty_code=x.link.duty_code, event_category_code=x.link.event_category_code,
                service_item_id=x.link.service_item_id, target_name=x.target_name)
        for x in repository.links_of(session, codes.unpad(row.area_code))
    ]  # fmt: skip


@router.post("/lists/{code}/links", response_model=LinkOut, status_code=201, summary="Link a duty (the township)")
def add_link(code: str, body: LinkIn, principal: Writer, session: DbSession):
    x = service.link(session, principal, code, body)
    name = next((y.target_name for y in repository.links_of(session, code) if y.link.id == x.id), "")
    return LinkOut(id=x.id, duty_code=x.duty_code, event_category_code=x.event_category_code,
                   service_item_id=x.service_item_id, target_name=name)  # fmt: skip


@router.get("/report", response_model=ReportOut, summary="Items by list and category, changes, unlisted dispatches")
def report(principal: Reader, session: DbSession, area: Code):
    if not codes.is_valid(area) or not principal.can(Permission.duties_read, area):
        raise NotFound(t("area {code} does not exist", code=area))
    scope = principal.scope(Permission.duties_read)
    return ReportOut(
        area_code=area,
        items=[ReportRow(area_code=a, kind=k, category=c, n=n) for a, k, c, n in repository.items_by_list(
            session, scope, area)],
        changes=[ChangeCount(month=m, action=a, n=n) for m, a, n in repository.changes_by_month(session, scope, area)],
        unlisted=[
            UnlistedRow(area_code=a, category_code=c, category_name=name, events=n)
            for a, c, name, n in repository.unlisted_dispatches(session, scope, area)
        ],
    )  # fmt: skip
