"""An alliance's records and a unit's feedback: the co-construction agreement (共建协议: title, dates and
the signed file), the alliance's meetings (联席会议) and its annual review, kept by those who manage the
alliance's own area; and the community's annual evaluation of a unit reported to it (双报到), fed back to
the unit: shown on its page and sent to its contacts' inboxes (linli.notify's outbox)."""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import refusal
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput
from linli.kit.i18n import t
from linli.notify.outbox import enqueue
from linli.organizations import files
from linli.organizations import repository as repo
from linli.organizations.models import Agreement, Alliance, AllianceMeeting, AllianceReview, UnitEvaluation
from linli.organizations.schemas.records import AgreementIn, EvaluationIn, MeetingIn, ReviewIn
from linli.organizations.service.common import MANAGE, area_in, visible_alliance, visible_org

GRADE_ZH = {"excellent": "优秀", "good": "良好", "fair": "一般", "poor": "较差"}


def _managed(session: Session, principal: Principal, alliance_id: int) -> Alliance:
    """The alliance, kept where it sits: 404 beyond reach, 403 seen from a community it covers."""
    a = visible_alliance(session, principal, alliance_id)
    if not principal.can(MANAGE, a.area_code):
        raise Forbidden(refusal(MANAGE))
    return a


def add_agreement(
    session: Session,
    principal: Principal,
    alliance_id: int,
    data: AgreementIn,
    fh: BinaryIO | None = None,
    filename: str = "",
    *,
    generated: bool = False,
) -> Agreement:
    a = _managed(session, principal, alliance_id)
    if data.ends_on < data.starts_on:
        raise InvalidInput(
            t("the agreement ends ({end}) before it starts ({start})", end=data.ends_on, start=data.starts_on)
        )
    if data.signed_on > date.today():
        raise InvalidInput(t("the agreement's signing date {on} is in the future", on=data.signed_on))
    found = {}
    if fh is not None:
        kind = files.sniff(fh)
        sha, size = files.store(fh)
        found = {"file_sha256": sha, "file_name": files.clean_name(filename), "file_type": kind, "file_size": size}
    row = Agreement(
        alliance_id=a.id, area_code=a.area_code, title=data.title.strip(), signed_on=data.signed_on,
        starts_on=data.starts_on, ends_on=data.ends_on, created_by=principal.audit_name, generated=generated, **found,
    )  # fmt: skip
    session.add(row)
    session.flush()
    after = {"starts_on": str(row.starts_on), "ends_on": str(row.ends_on), "file": row.file_sha256}
    record(session, principal, "alliance.agreement_add", "org_agreement", row.id, row.area_code, after=after)
    return row


def add_meeting(
    session: Session, principal: Principal, alliance_id: int, data: MeetingIn, *, generated: bool = False
) -> AllianceMeeting:
    a = _managed(session, principal, alliance_id)
    if data.held_on > date.today():
        raise InvalidInput(t("the meeting's date {on} is in the future; record it once held", on=data.held_on))
    row = AllianceMeeting(
        alliance_id=a.id, area_code=a.area_code, held_on=data.held_on, title=data.title.strip(),
        attendees=data.attendees, minutes=data.minutes.strip(), created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(row)
    session.flush()
    after = {"held_on": str(row.held_on), "attendees": row.attendees}
    record(session, principal, "alliance.meeting_add", "org_meeting", row.id, row.area_code, after=after)
    return row


def review(
    session: Session, principal: Principal, alliance_id: int, data: ReviewIn, *, generated: bool = False
) -> AllianceReview:
    a = _managed(session, principal, alliance_id)
    if data.year > date.today().year:
        raise InvalidInput(t("{year} has not come yet; review a year that has", year=data.year))
    if repo.review_row(session, a.id, data.year) is not None:
        raise Conflict(t("{name} has its review of {year} already", name=a.name, year=data.year))
    row = AllianceReview(
        alliance_id=a.id, area_code=a.area_code, year=data.year, grade=data.grade, summary=data.summary.strip(),
        created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(row)
    session.flush()
    after = {"year": row.year, "grade": row.grade}
    record(session, principal, "alliance.review", "org_review", row.id, row.area_code, after=after)
    return row


def evaluate(
    session: Session, principal: Principal, org_id: int, data: EvaluationIn, *, generated: bool = False
) -> UnitEvaluation:
    """The community's evaluation of a unit reported to it, once a year; its contacts are told."""
    org = visible_org(session, principal, org_id)
    community = area_in(session, principal, data.area_code, MANAGE)
    padded = codes.pad(community)
    if repo.unit_report(session, org.id, padded) is None:
        raise InvalidInput(
            t("{name} has not reported to this community; a community evaluates only the units reported to it",
              name=org.name)
        )  # fmt: skip
    if data.year > date.today().year:
        raise InvalidInput(t("{year} has not come yet; evaluate a year that has", year=data.year))
    if repo.evaluation_row(session, org.id, padded, data.year) is not None:
        raise Conflict(t("this community has evaluated {name} for {year} already", name=org.name, year=data.year))
    row = UnitEvaluation(
        organization_id=org.id, area_code=padded, year=data.year, grade=data.grade, comment=data.comment.strip(),
        created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(row)
    session.flush()
    record(
        session, principal, "organization.evaluate", "org_evaluation", row.id, padded,
        after={"organization_id": org.id, "year": row.year, "grade": row.grade},
    )  # fmt: skip
    _tell_contacts(session, org, row)
    return row


def _tell_contacts(session: Session, org, row: UnitEvaluation) -> None:
    for user_id, _username, _name in repo.contacts_of(session, org.id):
        enqueue(
            session,
            kind="organization.evaluation",
            key=f"org-evaluation:{row.id}:user:{user_id}",
            recipient=f"user:{user_id}",
            payload={
                "title": f"{org.name} {row.year} 年度双报到评价：{GRADE_ZH.get(row.grade, row.grade)}",
                "body": row.comment,
                "link": f"/organizations/{org.id}#evaluations",
                "organization_id": org.id,
            },
        )
