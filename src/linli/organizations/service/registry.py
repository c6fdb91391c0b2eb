"""The organization registry: register and edit organizations (unified social credit code checked by
its check digit, GB 32100; unique), and link the accounts that act for them (org_contact)."""

from __future__ import annotations

from sqlalchemy.orm import Session
from stdnum.cn import uscc as uscc_code
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from linli.accounts import repository as accounts_repo
from linli.audit.service import record
from linli.authz.permissions import Role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.phone import parse_phone
from linli.organizations import repository as repo
from linli.organizations.kinds import KINDS, PARTY_KINDS, USCC_KINDS
from linli.organizations.models import Organization, OrgContact
from linli.organizations.schemas import OrganizationIn, OrganizationUpdate
from linli.organizations.service.common import ACT, MANAGE, area_in, check_point, check_rating, visible_org

SOCIAL_FIELDS = ("registration", "social_type", "service_field", "rating")
EDITABLE = (
    "name",
    "parent_id",
    "uscc",
    "address",
    "lon",
    "lat",
    "contact_name",
    "contact_phone",
    "status",
    *SOCIAL_FIELDS,
)


def checked_uscc(raw: str | None, kind: str) -> str | None:
    """The unified social credit code, compacted and checked (length, characters, check digit), or None."""
    if raw is None or not raw.strip():
        return None
    if kind not in USCC_KINDS:
        raise InvalidInput(t("a Party branch has no unified social credit code; leave it empty"))
    try:
        return uscc_code.validate(raw.strip().upper())
    except InvalidLength:
        raise InvalidInput(t("a unified social credit code has 18 characters")) from None
    except InvalidChecksum:
        raise InvalidInput(
            t("{code} is not a valid unified social credit code: its check digit is wrong", code=raw)
        ) from None
    except ValidationError:
        raise InvalidInput(
            t("{code} is not a valid unified social credit code: 8 digits, then digits and capital letters", code=raw)
        ) from None


def _snapshot(o: Organization) -> dict:
    return {f: getattr(o, f) for f in ("kind", "name", "parent_id", "uscc", "status", "rating")} | {
        "area_code": codes.unpad(o.area_code)
    }


def _check(session: Session, principal: Principal, o: Organization) -> None:
    """The rules of a whole row (after a create or a change): name, parent, social fields, unique code."""
    problems = []
    if not o.name.strip():
        problems.append(t("give the organization's name"))
    if o.kind != "social_organization" and any(getattr(o, f) is not None for f in SOCIAL_FIELDS):
        problems.append(t("only a social organization has a registration, a type, a field of service and a rating"))
    if o.kind == "social_organization" and o.registration is None:
        problems.append(t("say whether the social organization is registered or filed"))
    if problems:
        raise InvalidInput(problems[0], details=problems)
    check_rating(o.rating, what=t("a rating"))
    check_point(o.lon, o.lat)
    if o.parent_id is not None:
        _check_parent(session, principal, o)
    _unique_uscc(session, o.uscc, o.id)


def _unique_uscc(session: Session, code: str | None, own_id: int | None) -> None:
    other = repo.org_with_uscc(session, code) if code else None
    if other is not None and other.id != own_id:
        raise Conflict(
            t("unified social credit code {code} is registered already ({name})", code=code, name=other.name)
        )


def _check_parent(session: Session, principal: Principal, o: Organization) -> None:
    if o.kind not in PARTY_KINDS:
        raise InvalidInput(t("only a Party organization has a higher Party organization"))
    parent = visible_org(session, principal, o.parent_id)
    if parent.kind not in PARTY_KINDS or PARTY_KINDS.index(parent.kind) >= PARTY_KINDS.index(o.kind):
        raise InvalidInput(
            t("the higher organization must be a higher Party organization (a committee or general branch)")
        )


def create(session: Session, principal: Principal, data: OrganizationIn, *, generated: bool = False) -> Organization:
    """Register an organization at a place where the principal holds orgs.manage."""
    area_in(session, principal, data.area_code, MANAGE)
    if data.kind not in KINDS:
        raise InvalidInput(t("unknown kind of organization {kind!r}", kind=data.kind))
    o = Organization(
        area_code=codes.pad(data.area_code),
        kind=data.kind,
        name=data.name.strip(),
        parent_id=data.parent_id,
        uscc=checked_uscc(data.uscc, data.kind),
        address=data.address.strip(),
        lon=data.lon,
        lat=data.lat,
        contact_name=data.contact_name.strip(),
        contact_phone=parse_phone(data.contact_phone) if data.contact_phone.strip() else "",
        status=data.status,
        registration=data.registration,
        social_type=data.social_type,
        service_field=data.service_field,
        rating=data.rating,
        generated=generated,
    )
    _check(session, principal, o)
    session.add(o)
    session.flush()
    record(session, principal, "organization.create", "organization", o.id, o.area_code, after=_snapshot(o))
    return o


def update(session: Session, principal: Principal, org_id: int, changes: OrganizationUpdate) -> Organization:
    visible_org(session, principal, org_id)
    o = repo.org_for_update(session, org_id)
    principal.check(MANAGE, o.area_code, what=t("organization {id}", id=org_id))
    before = _snapshot(o)
    given = changes.model_dump(exclude_unset=True)
    if "uscc" in given:
        given["uscc"] = checked_uscc(given["uscc"], o.kind)
        _unique_uscc(session, given["uscc"], o.id)  # before the row changes: nothing dirty on a refusal
    if given.get("contact_phone"):
        given["contact_phone"] = parse_phone(given["contact_phone"])
    for name in EDITABLE:
        if name in given:
            value = given[name]
            setattr(o, name, value.strip() if isinstance(value, str) and name != "uscc" else value)
    if o.parent_id == o.id:
        raise InvalidInput(t("an organization cannot be its own higher organization"))
    with session.no_autoflush:  # the changed row is checked before it is written
        _check(session, principal, o)
    session.flush()
    record(
        session, principal, "organization.update", "organization", o.id, o.area_code, before=before, after=_snapshot(o)
    )
    return o


def _contact_grant_covers(session: Session, user_id: int, area_code: str) -> bool:
    grants = accounts_repo.grants_of(session, [user_id]).get(user_id, [])
    return any(
        g.role == Role.org_contact.value and codes.in_subtree(area_code, codes.unpad(g.area_code)) for g in grants
    )


def add_contact(session: Session, principal: Principal, org_id: int, username: str) -> OrgContact:
    """Link an account (holding org_contact over the organization's place) to act for the organization.
    Linking hands on acting for it, so the one who links must hold orgs.act there too (no-escalation)."""
    o = visible_org(session, principal, org_id)
    principal.check(MANAGE, o.area_code, what=t("organization {id}", id=org_id))
    if not principal.can(ACT, o.area_code):
        raise Forbidden(t("you cannot link contacts to {name}: they act for it, and you may not", name=o.name))
    user = accounts_repo.by_username(session, username.strip())
    if user is None or not accounts_repo.reachable(session, principal.scope(MANAGE), user.id):
        raise NotFound(t("user {username} does not exist", username=username))
    if not _contact_grant_covers(session, user.id, o.area_code):
        raise InvalidInput(
            t(
                "{username} holds no org_contact role over the place of {name}; grant it there first",
                username=user.username,
                name=o.name,
            )
        )
    if repo.contact_row(session, o.id, user.id) is not None:
        raise Conflict(t("{username} is a contact of {name} already", username=user.username, name=o.name))
    link = OrgContact(organization_id=o.id, user_id=user.id)
    session.add(link)
    session.flush()
    record(
        session, principal, "organization.contact_add", "organization", o.id, o.area_code, after={"user": user.username}
    )
    return link


def remove_contact(session: Session, principal: Principal, org_id: int, user_id: int) -> None:
    o = visible_org(session, principal, org_id)
    principal.check(MANAGE, o.area_code, what=t("organization {id}", id=org_id))
    link = repo.contact_row(session, o.id, user_id)
    if link is None:
        raise NotFound(t("user {user_id} is not a contact of {name}", user_id=user_id, name=o.name))
    session.delete(link)
    session.flush()
    record(
        session,
        principal,
        "organization.contact_remove",
        "organization",
        o.id,
        o.area_code,
        before={"user_id": user_id},
    )
