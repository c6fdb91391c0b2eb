"""Every write of the accounts domain, audited: creating and changing accounts (administrators, within
their scope), granting and revoking roles (never more than the granter holds), one's own password and
API tokens."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from linli.accounts import repository as repo
from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authn import service as authn
from linli.authn.models import ApiToken, User
from linli.authn.passwords import generate_password, hash_password, verify_password
from linli.authz.models import Grant
from linli.authz.permissions import ROLE_PERMISSIONS, Permission, parse_role
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{2,63}$")


def _snapshot(u: User) -> dict:
    return {
        "username": u.username,
        "display_name": u.display_name,
        "is_active": u.is_active,
        "area_code": u.area_code,
        "password": "changed",
    }


def _area_exists(session: Session, area_code: str) -> bool:
    return area_repo.get_areas(session, [area_code]).get(area_code) is not None


# --- accounts ---------------------------------------------------------------------------------


def create_user(
    session: Session,
    principal: Principal,
    username: str,
    display_name: str,
    area_code: str,
    password: str | None = None,
) -> tuple[User, str]:
    """Create an account at a home area; returns the user and its password (generated when not given)."""
    username = username.strip()
    if not USERNAME.match(username):
        raise InvalidInput(t("a user name has 3–64 letters, digits or . _ - @ and starts with a letter or digit"))
    if not codes.is_valid(area_code):
        raise InvalidInput(t("{area_code!r} is not an area code", area_code=area_code))
    principal.check(Permission.users_manage, area_code, what=t("area {area_code}", area_code=area_code))
    if not _area_exists(session, area_code):
        raise NotFound(t("area {area_code} does not exist", area_code=area_code))
    if repo.username_taken(session, username):
        raise Conflict(t("the user name {username} is taken", username=username))
    password = password or generate_password()
    user = User(
        username=username,
        display_name=display_name.strip()[:100],
        password_hash=hash_password(password),
        area_code=codes.pad(area_code),
    )
    session.add(user)
    session.flush()
    after = _snapshot(user)
    after.pop("password")
    record(session, principal, "user.create", "user", user.id, area_code, after=after)
    return user, password


def update_user(
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    display_name: str | None = None,
    is_active: bool | None = None,
) -> User:
    user = repo.get_user(session, principal.scope(Permission.users_manage), user_id)
    if is_active is False and user.id == principal.user_id:
        raise InvalidInput(t("you cannot disable your own account"))
    before = _snapshot(user)
    if display_name is not None:
        user.display_name = display_name.strip()[:100]
    ended: dict = {}
    if is_active is not None:
        if not is_active and user.is_active:
            # A disabled account keeps no door open: its sessions end and its API tokens are revoked.
            ended = authn.revoke_all_access(session, user.id)
        user.is_active = is_active
    session.flush()
    before.pop("password")
    after = _snapshot(user)
    after.pop("password")
    after.update(ended)
    record(session, principal, "user.update", "user", user.id, user.area_code, before=before, after=after)
    return user


def reset_password(session: Session, principal: Principal, user_id: int) -> tuple[str, dict]:
    """A generated password; the account's sessions end and its API tokens are revoked (counts returned)."""
    user = repo.get_user(session, principal.scope(Permission.users_manage), user_id)
    password = generate_password()
    user.password_hash = hash_password(password)
    # Whoever knew the old password may have made tokens with it: a reset shuts every door.
    ended = authn.revoke_all_access(session, user.id)
    record(
        session,
        principal,
        "user.reset_password",
        "user",
        user.id,
        user.area_code,
        after={"password": "reset", **ended},
    )
    return password, ended


def change_own_password(
    session: Session,
    principal: Principal,
    current: str,
    new: str,
    *,
    keep_session: str | None = None,
    revoke_tokens: bool = False,
) -> dict:
    """Change one's password; every other browser session of the account ends (the current one stays),
    and with `revoke_tokens` every API token too. Returns the counts and how many tokens remain active."""
    user = repo.own_user(session, principal.user_id)
    if user is None or not verify_password(user.password_hash, current):
        raise InvalidInput(t("the current password is wrong"), code="bad_credentials")
    if new == current:
        raise InvalidInput(t("the new password must differ from the current one"))
    user.password_hash = hash_password(new)
    ended = authn.revoke_all_access(session, user.id, tokens=revoke_tokens, keep_session=keep_session)
    record(
        session,
        principal,
        "user.change_password",
        "user",
        user.id,
        user.area_code,
        after={"password": "changed", **ended},
    )
    return {**ended, "tokens_active": repo.active_tokens(session, user.id)}


# --- grants -----------------------------------------------------------------------------------


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
    user = repo.get_user(session, principal.scope(authority), user_id)
    if not principal.can(authority, area_code) or not _area_exists(session, area_code):
        # Outside the granter's own scope the area is, for them, not there.
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
    if repo.grant_held(session, user.id, role_.value, padded) is not None:
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
    grant = repo.get_grant(session, grant_id)
    # The grant's own area in reach is not enough: its account must be in reach too (all its grants).
    if (
        grant is None
        or not principal.visible.contains(grant.area_code)
        or not repo.reachable(session, principal.scope(Permission.users_read), grant.user_id)
    ):
        raise NotFound(t("grant {grant_id} does not exist", grant_id=grant_id))
    if not principal.can(Permission.users_manage, grant.area_code):
        raise Forbidden(t("you may not revoke grants here"))
    if not repo.reachable(session, principal.scope(Permission.users_manage), grant.user_id):
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


# --- one's own API tokens ---------------------------------------------------------------------


def create_token(
    session: Session, actor: Principal, user: User, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A new API token of `user`; returns it with its secret, shown once."""
    token, secret = authn.issue_token(session, user.id, name, expires_in_days)
    record(
        session,
        actor,
        "token.create",
        "api_token",
        token.id,
        user.area_code,
        after={
            "name": token.name,
            "prefix": token.prefix,
            "user": user.username,
            "expires_at": token.expires_at,
        },
    )
    return token, secret


def create_own_token(
    session: Session, principal: Principal, name: str, expires_in_days: int | None
) -> tuple[ApiToken, str]:
    """A new API token of the signed-in account."""
    return create_token(session, principal, repo.own_user(session, principal.user_id), name, expires_in_days)


def revoke_token(session: Session, actor: Principal, token_id: int) -> ApiToken:
    """Revoke one of one's own tokens (another account's is, for the actor, not there)."""
    token = repo.get_token(session, token_id)
    if token is None or token.user_id != actor.user_id:
        raise NotFound(t("this token does not exist"))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        user = repo.own_user(session, token.user_id)
        record(
            session,
            actor,
            "token.revoke",
            "api_token",
            token.id,
            user.area_code if user else "",
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )
    return token
