"""The registry of organizations and the accounts that act for them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.authz.scope import AreaScope, subtree_clause
from linli.organizations.models import (
    Organization,
    OrgContact,
)
from linli.organizations.repository.common import page as _page


def get_org(session: Session, org_id: int, scope: AreaScope) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.id == org_id, scope.clause(Organization.area_code)))


def org_for_update(session: Session, org_id: int) -> Organization | None:
    """The organization, locked (unscoped: the service checks the principal)."""
    return session.get(Organization, org_id, with_for_update=True)


def orgs_in(
    session: Session,
    scope: AreaScope,
    *,
    area_code: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Organization], int]:
    """Organizations in scope (under `area_code`, of `kind`, whose name contains `q`), by name."""
    conds = [scope.clause(Organization.area_code)]
    if area_code:
        conds.append(subtree_clause(Organization.area_code, area_code))
    if kind:
        conds.append(Organization.kind == kind)
    if status:
        conds.append(Organization.status == status)
    if q and q.strip():
        conds.append(Organization.name.contains(q.strip(), autoescape=True))
    query = select(Organization).where(*conds)
    return _page(session, query, (Organization.name, Organization.id), offset, limit)


def org_with_uscc(session: Session, uscc: str) -> Organization | None:
    return session.scalar(select(Organization).where(Organization.uscc == uscc))


def org_names(session: Session, org_ids: Sequence[int | None]) -> dict[int, str]:
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return {}
    return dict(session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all())  # type: ignore[arg-type]


def children_of(session: Session, org_id: int) -> list[Organization]:
    return list(session.scalars(select(Organization).where(Organization.parent_id == org_id).order_by(Organization.id)))


def is_contact(session: Session, org_id: int, user_id: int | None) -> bool:
    if user_id is None:
        return False
    found = select(OrgContact.id).where(OrgContact.organization_id == org_id, OrgContact.user_id == user_id)
    return session.scalar(found) is not None


def contacts_of(session: Session, org_id: int) -> list[tuple[int, str, str]]:
    """(user id, username, display name) of the organization's contacts."""
    q = (
        select(User.id, User.username, User.display_name)
        .join(OrgContact, OrgContact.user_id == User.id)
        .where(OrgContact.organization_id == org_id)
        .order_by(User.username)
    )
    return [tuple(r) for r in session.execute(q).all()]  # type: ignore[misc]


def contact_row(session: Session, org_id: int, user_id: int) -> OrgContact | None:
    q = select(OrgContact).where(OrgContact.organization_id == org_id, OrgContact.user_id == user_id)
    return session.scalar(q)


def orgs_of_contact(session: Session, user_id: int | None, scope: AreaScope) -> list[Organization]:
    """The organizations (in scope) an account acts for."""
    if user_id is None:
        return []
    q = (
        select(Organization)
        .join(OrgContact, OrgContact.organization_id == Organization.id)
        .where(OrgContact.user_id == user_id, scope.clause(Organization.area_code))
        .order_by(Organization.name)
    )
    return list(session.scalars(q))


def org_named(session: Session, name: str) -> Organization | None:
    """The first organization of that exact name (the demo finds its units by name)."""
    return session.scalar(select(Organization).where(Organization.name == name).order_by(Organization.id).limit(1))
