"""What every write of the domain checks first: the area it names, the rows it reaches (404 beyond the
principal's places), and whether the principal may act for an organization.

Acting for an organization (offering its resources, claiming needs with them, recording results, logging
its service records) takes orgs.act at the organization's place, and one of: a role other than
org_contact carrying orgs.act there (community workers, officials), or being one of the organization's
contacts (organizations.org_contacts). A contact of unit A is refused for unit B with 403.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.organizations import repository as repo
from linli.organizations.models import Alliance, Need, Organization, Project, Resource

READ = Permission.orgs_read
MANAGE = Permission.orgs_manage
ACT = Permission.orgs_act
CONTACT_ONLY = frozenset({Role.org_contact})


def area_in(session: Session, principal: Principal, code: str, permission: Permission) -> str:
    """The (unpadded) area `code` when the principal holds `permission` there; 404 when unknown or out of reach."""
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    if area_repo.find_area(session, code) is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return code


def org_missing(org_id: int) -> NotFound:
    return NotFound(t("organization {id} does not exist", id=org_id))


def visible_org(session: Session, principal: Principal, org_id: int) -> Organization:
    org = repo.get_org(session, org_id, principal.scope(READ))
    if org is None:
        raise org_missing(org_id)
    return org


def visible_alliance(session: Session, principal: Principal, alliance_id: int) -> Alliance:
    found = repo.get_alliance(session, alliance_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("alliance {id} does not exist", id=alliance_id))
    return found


def visible_need(session: Session, principal: Principal, need_id: int) -> Need:
    found = repo.get_need(session, need_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("need {id} does not exist", id=need_id))
    return found


def visible_resource(session: Session, principal: Principal, resource_id: int) -> Resource:
    found = repo.get_resource(session, resource_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("resource {id} does not exist", id=resource_id))
    return found


def visible_project(session: Session, principal: Principal, project_id: int) -> Project:
    found = repo.get_project(session, project_id, principal.scope(READ))
    if found is None:
        raise NotFound(t("project {id} does not exist", id=project_id))
    return found


def may_act_for(session: Session, principal: Principal, org: Organization) -> bool:
    """Whether the principal may act for `org` (the rule in this module's docstring)."""
    if not principal.can(ACT, org.area_code):
        return False
    if principal.roles_scope(permission=ACT, excluding=CONTACT_ONLY).contains(org.area_code):
        return True
    return repo.is_contact(session, org.id, principal.user_id)


def acting_for(session: Session, principal: Principal, org: Organization) -> None:
    """404 when the organization is out of reach, 403 when the principal may not act for it."""
    principal.check(ACT, org.area_code, what=t("organization {id}", id=org.id))
    if not may_act_for(session, principal, org):
        raise Forbidden(
            t(
                "you act only for the organizations you are a contact of, and you are not a contact of {name}",
                name=org.name,
            )
        )
    if org.status != "active":
        raise InvalidInput(t("{name} is not active; a suspended or dissolved organization cannot act", name=org.name))


def check_point(lon: float | None, lat: float | None) -> None:
    if (lon is None) != (lat is None):
        raise InvalidInput(t("give both the longitude and the latitude of the point, or neither"))


def check_rating(rating: int | None, *, what: str) -> None:
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidInput(t("{what} is a whole number from 1 (poor) to 5 (very good)", what=what))
