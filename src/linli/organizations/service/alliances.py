"""Party-building alliances: found one with its lead organization, admit member units (each once; a unit
outside the alliance's area only when admitted across areas on purpose)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import refusal
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput
from linli.kit.i18n import t
from linli.organizations import repository as repo
from linli.organizations.models import Alliance, AllianceMember
from linli.organizations.schemas import AllianceIn, MemberIn
from linli.organizations.service.common import MANAGE, area_in, visible_alliance, visible_org


def _check_dates(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise InvalidInput(t("the agreement ends before it was signed"))


def create(session: Session, principal: Principal, data: AllianceIn, *, generated: bool = False) -> Alliance:
    """An alliance covering an area where the principal holds orgs.manage, led by an organization there."""
    area = area_in(session, principal, data.area_code, MANAGE)
    if not data.name.strip():
        raise InvalidInput(t("give the alliance's name"))
    _check_dates(data.signed_on, data.ends_on)
    lead = visible_org(session, principal, data.lead_org_id)
    if lead.status != "active":
        raise InvalidInput(t("{name} is not active and cannot lead an alliance", name=lead.name))
    if not codes.in_subtree(lead.area_code, area):
        raise InvalidInput(t("the lead organization {name} sits outside the alliance's area", name=lead.name))
    a = Alliance(
        area_code=codes.pad(area),
        name=data.name.strip(),
        lead_org_id=lead.id,
        signed_on=data.signed_on,
        ends_on=data.ends_on,
        generated=generated,
    )
    session.add(a)
    session.flush()
    session.add(
        AllianceMember(
            alliance_id=a.id, organization_id=lead.id, role="lead", joined_on=data.signed_on, area_code=a.area_code
        )
    )
    session.flush()
    record(
        session, principal, "alliance.create", "alliance", a.id, a.area_code,
        after={"name": a.name, "lead_org_id": lead.id, "signed_on": str(a.signed_on), "ends_on": str(a.ends_on)},
    )  # fmt: skip
    return a


def add_member(session: Session, principal: Principal, alliance_id: int, data: MemberIn) -> AllianceMember:
    """Admit a member unit: once per alliance, inside its area unless `cross_area` is set."""
    visible_alliance(session, principal, alliance_id)
    a = repo.alliance_for_update(session, alliance_id)
    if not principal.can(MANAGE, a.area_code):  # seen from a place it covers, managed where it sits
        raise Forbidden(refusal(MANAGE))
    if a.status != "active":
        raise Conflict(t("the alliance has ended; it admits no members"))
    org = visible_org(session, principal, data.organization_id)
    if org.status != "active":
        raise InvalidInput(t("{name} is not active and cannot join an alliance", name=org.name))
    if repo.member_row(session, a.id, org.id) is not None:
        raise Conflict(t("{name} is a member unit of this alliance already", name=org.name))
    outside = not codes.in_subtree(org.area_code, codes.unpad(a.area_code))
    if outside and not data.cross_area:
        raise InvalidInput(
            t(
                "{name} sits outside the alliance's area; admit it across areas on purpose or choose a unit inside",
                name=org.name,
            )
        )
    if data.role == "lead":
        raise InvalidInput(t("an alliance has one lead unit, named when it is founded; admit this unit as a member"))
    m = AllianceMember(
        alliance_id=a.id, organization_id=org.id, role=data.role, joined_on=data.joined_on or date.today(),
        cross_area=outside, area_code=a.area_code,
    )  # fmt: skip
    session.add(m)
    session.flush()
    record(
        session, principal, "alliance.member_add", "alliance", a.id, a.area_code,
        after={"organization_id": org.id, "role": m.role, "cross_area": m.cross_area},
    )  # fmt: skip
    return m
