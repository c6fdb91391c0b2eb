"""Granting and revoking roles: only inside the granter's scope, never more than the granter holds."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authn.users import get_user, reachable
from linli.authz.models import Grant
from linli.authz.permissions import ROLE_PERMISSIONS, Permission, parse_role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t


def grant_role(
    session: Session,
    principal: Principal,
    user_id: int,
    role: str,
    area_code: str,
    *,
    authority: Permission = Permission.users_manage,
) -> Grant:
    """Grant `role` at `area_code` to an account: every path that gives an account a role comes here.

    `authority` is the permission the path is exercised under (users_manage for the users pages,
    grids_assign for assigning a grid worker). The area must lie in its scope, the account must be in
    its reach (home and every grant inside it) and the granter must hold every permission of the role
    at the area: nobody hands on more than they hold, whichever door they use.
    """
    role_ = parse_role(role)
    if not codes.is_valid(area_code):
        raise InvalidInput(t("{area_code!r} is not an area code", area_code=area_code))
    user = get_user(session, principal.scope(authority), user_id)
    if not principal.can(authority, area_code):
        # Outside the granter's own scope: the area is, for them, not there.
        raise NotFound(t("area {area_code} does not exist", area_code=area_code), code="area_not_found")
    if area_repo.get_areas(session, [area_code]).get(area_code) is None:
        raise NotFound(t("area {area_code} does not exist", area_code=area_code), code="area_not_found")
    missing = ROLE_PERMISSIONS[role_] - principal.permissions_at(area_code)
    if missing:
        raise Forbidden(
            t(
                "you cannot grant {role}: it includes permissions you do not hold there ({missing})",
                role=role_.value,
                missing=", ".join(sorted(p.value for p in missing)),
            )
        )
    padded = codes.pad(area_code)
    exists = session.scalar(
        select(Grant).where(Grant.user_id == user.id, Grant.role == role_.value, Grant.area_code == padded)
    )
    if exists is not None:
        raise Conflict(
            t(
                "{username} already holds {role} at {area_code}",
                username=user.username,
                role=role_.value,
                area_code=area_code,
            )
        )
    grant = Grant(user_id=user.id, role=role_.value, area_code=padded, granted_by=principal.user_id)
    session.add(grant)
    session.flush()
    record(
        session,
        principal,
        "grant.create",
        "grant",
        grant.id,
        area_code,
        after={"user": user.username, "role": role_.value, "area_code": area_code},
    )
    return grant


def revoke_grant(session: Session, principal: Principal, grant_id: int) -> None:
    grant = session.get(Grant, grant_id)
    # The grant's own area in reach is not enough: its account must be in reach too (all its grants).
    if (
        grant is None
        or not principal.visible.contains(grant.area_code)
        or not reachable(session, principal.scope(Permission.users_read), grant.user_id)
    ):
        raise NotFound(t("grant {grant_id} does not exist", grant_id=grant_id))
    if not principal.can(Permission.users_manage, grant.area_code):
        raise Forbidden(t("you may not revoke grants here"))
    if not reachable(session, principal.scope(Permission.users_manage), grant.user_id):
        raise NotFound(t("grant {grant_id} does not exist", grant_id=grant_id))
    code = grant.code
    session.delete(grant)
    session.flush()
    record(
        session,
        principal,
        "grant.revoke",
        "grant",
        grant_id,
        code,
        before={"user_id": grant.user_id, "role": grant.role, "area_code": code},
    )


def find_grant(session: Session, user_id: int, role: str, area_code: str) -> Grant:
    grant = session.scalar(
        select(Grant).where(
            Grant.user_id == user_id,
            Grant.role == parse_role(role).value,
            Grant.area_code == codes.pad(area_code),
        )
    )
    if grant is None:
        raise NotFound(t("no grant of {role} at {area_code} for this user", role=role, area_code=area_code))
    return grant
