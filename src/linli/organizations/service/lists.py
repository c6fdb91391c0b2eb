"""The three lists: "grid collects, branch dispatches, units take, residents rate".

A need is raised in a place (by residents, a grid or the community; from a grid event too) and is open;
a member unit offers resources in its alliance; it claims an open need inside the alliance's area with
one of its resources (the need is claimed, a project under way), records the result (the need is met,
the project done) or drops it (the need is open again); the community rates a done project once, 1–5.
Each step checks the state it starts from: a claimed, met or closed need is not claimed again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events import repository as events_repo
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.organizations import repository as repo
from linli.organizations.kinds import NEED_STATES, label
from linli.organizations.models import Need, Project, Resource
from linli.organizations.schemas import ClaimIn, NeedIn, RatingIn, ResourceIn, ResultIn
from linli.organizations.service.common import (
    MANAGE,
    acting_for,
    area_in,
    check_point,
    check_rating,
    may_act_for,
    visible_alliance,
    visible_need,
    visible_org,
    visible_project,
    visible_resource,
)

FITS_ANY = "other"


def _need_from_event(
    session: Session, principal: Principal, data: NeedIn, area: str
) -> tuple[str, float | None, float | None]:
    """The need's place and point from its grid event (which must lie in the area given)."""
    event = events_repo.event(session, data.event_id, principal.scope(Permission.events_read))
    if event is None:
        raise NotFound(t("event {id} does not exist", id=data.event_id))
    if not codes.in_subtree(event.area_code, area):
        raise InvalidInput(t("event {id} lies outside the area of the need", id=event.id))
    if repo.need_of_event(session, event.id) is not None:
        raise Conflict(t("event {id} has become a need already", id=event.id))
    return codes.unpad(event.area_code), event.lon, event.lat


def record_need(session: Session, principal: Principal, data: NeedIn, *, generated: bool = False) -> Need:
    """Record a need where the principal holds orgs.manage (a street, community or grid)."""
    area = area_in(session, principal, data.area_code, MANAGE)
    if len(area) < 9:
        raise InvalidInput(t("a need is raised in a street, a community or a grid, not a whole county or city"))
    if not data.title.strip():
        raise InvalidInput(t("say what is needed (a title)"))
    lon, lat = data.lon, data.lat
    if data.event_id is not None:
        area, lon, lat = _need_from_event(session, principal, data, area)
    check_point(lon, lat)
    need = Need(
        area_code=codes.pad(area), title=data.title.strip(), description=data.description.strip(),
        category=data.category, raised_by=data.raised_by, event_id=data.event_id, lon=lon, lat=lat,
        status="open", created_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    session.add(need)
    session.flush()
    after = {"title": need.title, "category": need.category, "raised_by": need.raised_by, "event_id": need.event_id}
    record(session, principal, "org_need.create", "org_need", need.id, need.area_code, after=after)
    return need


def close_need(session: Session, principal: Principal, need_id: int) -> Need:
    """Close an open need nobody claimed (withdrawn by those who raised it, or met otherwise)."""
    visible_need(session, principal, need_id)
    need = repo.need_for_update(session, need_id)
    principal.check(MANAGE, need.area_code, what=t("need {id}", id=need_id))
    if need.status != "open":
        raise Conflict(
            t(
                "need {id} is {state}; only an open need can be closed",
                id=need.id,
                state=label(NEED_STATES, need.status),
            )
        )
    need.status = "closed"
    session.flush()
    record(
        session,
        principal,
        "org_need.close",
        "org_need",
        need.id,
        need.area_code,
        before={"status": "open"},
        after={"status": "closed"},
    )
    return need


def offer_resource(
    session: Session, principal: Principal, alliance_id: int, data: ResourceIn, *, generated: bool = False
) -> Resource:
    """A member unit offers a resource in its alliance (as the unit's contact, or staff acting for it)."""
    a = visible_alliance(session, principal, alliance_id)
    org = visible_org(session, principal, data.organization_id)
    acting_for(session, principal, org)
    if repo.member_row(session, a.id, org.id) is None:
        raise InvalidInput(t("{name} is not a member unit of {alliance}", name=org.name, alliance=a.name))
    if not data.title.strip():
        raise InvalidInput(t("say what the resource is (a title)"))
    r = Resource(
        alliance_id=a.id, organization_id=org.id, area_code=org.area_code, resource_type=data.resource_type,
        title=data.title.strip(), capacity=data.capacity, availability=data.availability.strip(), generated=generated,
    )  # fmt: skip
    session.add(r)
    session.flush()
    after = {"organization_id": org.id, "type": r.resource_type, "title": r.title, "capacity": r.capacity}
    record(session, principal, "org_resource.offer", "org_resource", r.id, r.area_code, after=after)
    return r


def withdraw_resource(session: Session, principal: Principal, resource_id: int) -> Resource:
    visible_resource(session, principal, resource_id)
    r = repo.resource_for_update(session, resource_id)
    acting_for(session, principal, visible_org(session, principal, r.organization_id))
    if r.status != "active":
        raise Conflict(t("resource {id} was withdrawn already", id=r.id))
    r.status = "withdrawn"
    session.flush()
    record(
        session, principal, "org_resource.withdraw", "org_resource", r.id, r.area_code, after={"status": "withdrawn"}
    )
    return r


def _check_claim(session: Session, principal: Principal, need: Need, r: Resource, data: ClaimIn) -> None:
    a = visible_alliance(session, principal, r.alliance_id)
    if a.status != "active":
        raise Conflict(t("the alliance has ended; its units claim no needs"))
    if not codes.in_subtree(need.area_code, codes.unpad(a.area_code)):
        raise InvalidInput(
            t(
                "need {id} lies outside the area of {alliance}; its units claim needs inside it",
                id=need.id,
                alliance=a.name,
            )
        )
    if repo.member_row(session, a.id, r.organization_id) is None:
        raise InvalidInput(t("the unit is no longer a member of {alliance}", alliance=a.name))
    if r.status != "active":
        raise Conflict(t("resource {id} was withdrawn; offer it again or choose another", id=r.id))
    if need.status != "open":
        raise Conflict(
            t(
                "need {id} is {state}; only an open need can be claimed",
                id=need.id,
                state=label(NEED_STATES, need.status),
            )
        )
    if FITS_ANY not in (need.category, r.resource_type) and need.category != r.resource_type:
        raise InvalidInput(t("the resource does not fit the need: choose a resource of the need's kind"))
    if data.ends_on < data.starts_on:
        raise InvalidInput(t("the project ends before it starts"))


def claim(session: Session, principal: Principal, need_id: int, data: ClaimIn, *, generated: bool = False) -> Project:
    """A unit claims an open need with one of its resources: the need is claimed, a project under way."""
    visible_need(session, principal, need_id)
    need = repo.need_for_update(session, need_id)  # one claim at a time: the second waits, then sees "claimed"
    r = visible_resource(session, principal, data.resource_id)
    acting_for(session, principal, visible_org(session, principal, r.organization_id))
    _check_claim(session, principal, need, r, data)
    p = Project(
        alliance_id=r.alliance_id, need_id=need.id, resource_id=r.id, organization_id=r.organization_id,
        area_code=need.area_code, starts_on=data.starts_on, ends_on=data.ends_on, status="claimed",
        claimed_by=principal.audit_name, generated=generated,
    )  # fmt: skip
    need.status = "claimed"
    session.add(p)
    session.flush()
    after = {"need_id": need.id, "resource_id": r.id, "organization_id": r.organization_id, "ends_on": str(p.ends_on)}
    record(session, principal, "org_project.claim", "org_project", p.id, p.area_code, after=after)
    return p


def _project_for_unit(session: Session, principal: Principal, project_id: int) -> Project:
    visible_project(session, principal, project_id)
    p = repo.project_for_update(session, project_id)
    acting_for(session, principal, visible_org(session, principal, p.organization_id))
    if p.status != "claimed":
        raise Conflict(t("project {id} is finished already", id=p.id))
    return p


def record_result(session: Session, principal: Principal, project_id: int, data: ResultIn) -> Project:
    """The unit records what it did: the project is done and its need met."""
    p = _project_for_unit(session, principal, project_id)
    if not data.result.strip():
        raise InvalidInput(t("say what was done (the result)"))
    done_on = data.done_on or date.today()
    if done_on < p.starts_on or done_on > date.today():
        raise InvalidInput(t("the project was done between its start and today"))
    p.status, p.result, p.done_on = "done", data.result.strip(), done_on
    need = repo.need_for_update(session, p.need_id)
    need.status = "met"
    session.flush()
    record(
        session,
        principal,
        "org_project.result",
        "org_project",
        p.id,
        p.area_code,
        after={"status": "done", "done_on": str(done_on)},
    )
    return p


def drop_project(session: Session, principal: Principal, project_id: int) -> Project:
    """The unit gives the project up: its need is open again for another unit."""
    p = _project_for_unit(session, principal, project_id)
    p.status = "dropped"
    need = repo.need_for_update(session, p.need_id)
    need.status = "open"
    session.flush()
    record(session, principal, "org_project.drop", "org_project", p.id, p.area_code, after={"status": "dropped"})
    return p


def rate(session: Session, principal: Principal, project_id: int, data: RatingIn) -> Project:
    """The community records the residents' rating of a done project, once (1–5)."""
    visible_project(session, principal, project_id)
    p = repo.project_for_update(session, project_id)
    principal.check(MANAGE, p.area_code, what=t("project {id}", id=project_id))
    if p.status != "done":
        raise Conflict(t("project {id} has no result yet; residents rate it once it is done", id=p.id))
    if p.rating is not None:
        raise Conflict(t("project {id} was rated already", id=p.id))
    check_rating(data.rating, what=t("the residents' rating"))
    p.rating, p.rated_by = data.rating, principal.audit_name
    session.flush()
    record(session, principal, "org_project.rate", "org_project", p.id, p.area_code, after={"rating": p.rating})
    return p


def can_act(session: Session, principal: Principal, org_id: int) -> bool:
    """Whether the principal may act for the organization (for pages: which forms to show)."""
    org = repo.get_org(session, org_id, principal.visible)
    return org is not None and may_act_for(session, principal, org)
