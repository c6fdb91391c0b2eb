"""Dual reporting (双报到): a unit reports to the community where it sits, an in-service Party member (a
person of the residents register) to the community where they live; both log the service they give
there (date, hours, content, the beneficiaries' rating), summed up by year for the unit and the member."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.organizations import repository as repo
from linli.organizations.models import MemberReport, ServiceRecord, UnitReport
from linli.organizations.schemas import MemberReportIn, ServiceRecordIn, UnitReportIn
from linli.organizations.service.common import MANAGE, READ, acting_for, area_in, check_rating, visible_org
from linli.residents import repository as residents_repo

COMMUNITY = 12  # the length of a community's (village's) code


def report_unit(session: Session, principal: Principal, org_id: int, data: UnitReportIn) -> UnitReport:
    """The unit reports to the community where it sits (once per community)."""
    org = visible_org(session, principal, org_id)
    acting_for(session, principal, org)
    area = area_in(session, principal, data.area_code, Permission.orgs_read)
    if len(area) != COMMUNITY or not codes.in_subtree(org.area_code, area):
        raise InvalidInput(t("a unit reports to the community (or village) where it sits"))
    if repo.unit_report(session, org.id, codes.pad(area)) is not None:
        raise Conflict(t("{name} has reported to this community already", name=org.name))
    rep = UnitReport(organization_id=org.id, area_code=codes.pad(area), reported_on=data.reported_on or date.today())
    session.add(rep)
    session.flush()
    record(
        session,
        principal,
        "org_report.unit",
        "organization",
        org.id,
        rep.area_code,
        after={"reported_on": str(rep.reported_on)},
    )
    return rep


def report_member(session: Session, principal: Principal, data: MemberReportIn) -> MemberReport:
    """An in-service Party member reports to the community where they live (recorded by its workers)."""
    person = residents_repo.get_person(session, data.person_id, principal.scope(Permission.residents_read))
    if person is None or person.status != "present":
        raise NotFound(t("person {id} does not exist", id=data.person_id))
    community = codes.unpad(person.area_code)[:COMMUNITY]
    principal.check(MANAGE, community, what=t("person {id}", id=data.person_id))
    org = visible_org(session, principal, data.organization_id)
    if repo.member_report_of_person(session, person.id) is not None:
        raise Conflict(t("this Party member has reported to their community already"))
    rep = MemberReport(
        person_id=person.id, organization_id=org.id, area_code=codes.pad(community),
        reported_on=data.reported_on or date.today(),
    )  # fmt: skip
    session.add(rep)
    session.flush()
    after = {"organization_id": org.id, "reported_on": str(rep.reported_on)}
    record(session, principal, "org_report.member", "org_member_report", rep.id, rep.area_code, after=after)
    return rep


def _served_area(session: Session, principal: Principal, org, data: ServiceRecordIn) -> tuple[str, int | None]:
    """The community served and the member who served (None: the unit itself)."""
    if data.member_report_id is not None:
        rep = repo.get_member_report(session, data.member_report_id, principal.scope(READ))
        if rep is None or rep.organization_id != org.id:
            raise InvalidInput(t("the member who served is not a reported Party member of {name}", name=org.name))
        return rep.area_code, rep.id
    reports = repo.unit_reports_of(session, org.id)
    if data.area_code:
        wanted = codes.pad(data.area_code)
        if not any(r.area_code == wanted for r in reports):
            raise InvalidInput(t("{name} has not reported to that community", name=org.name))
        return wanted, None
    if not reports:
        raise InvalidInput(t("{name} has not reported to a community yet; report first", name=org.name))
    return reports[0].area_code, None


def log_service(
    session: Session, principal: Principal, data: ServiceRecordIn, *, generated: bool = False
) -> ServiceRecord:
    """A service the unit (or one of its reported members) gave in the community reported to."""
    org = visible_org(session, principal, data.organization_id)
    acting_for(session, principal, org)
    area, member = _served_area(session, principal, org, data)
    principal.check(READ, area, what=t("area {code}", code=codes.unpad(area)))
    if not data.content.strip():
        raise InvalidInput(t("say what the service was"))
    if data.served_on > date.today():
        raise InvalidInput(t("a service is logged once it was given, not before"))
    check_rating(data.rating, what=t("the beneficiaries' rating"))
    rec = ServiceRecord(
        organization_id=org.id, member_report_id=member, area_code=area, served_on=data.served_on,
        hours=data.hours, content=data.content.strip(), rating=data.rating, created_by=principal.audit_name,
        generated=generated,
    )  # fmt: skip
    session.add(rec)
    session.flush()
    after = {"organization_id": org.id, "member_report_id": member, "hours": rec.hours, "rating": rec.rating}
    record(session, principal, "service_record.create", "service_record", rec.id, rec.area_code, after=after)
    return rec
