"""Managing user accounts (admins, within their scope) and one's own password."""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authn import service as authn
from linli.authn.models import User
from linli.authn.passwords import generate_password, hash_password, verify_password
from linli.authz.models import Grant
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{2,63}$")


def _snapshot(u: User) -> dict:
    return {
        "username": u.username,
        "display_name": u.display_name,
        "is_active": u.is_active,
        "area_code": u.area_code,
        "password": "changed",
    }


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
    if area_repo.get_areas(session, [area_code]).get(area_code) is None:
        raise NotFound(t("area {area_code} does not exist", area_code=area_code))
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
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


def in_reach(scope: AreaScope) -> ColumnElement[bool]:
    """SQL: the account's home and every one of its grants lie inside `scope`.

    An account is in scope only where all its grants are: one that also reaches beyond the reader's
    areas (a district's account holding `official` for the province) is, for that reader, not there.
    """
    outside = select(Grant.id).where(Grant.user_id == User.id, ~scope.clause(Grant.area_code))
    return and_(scope.clause(User.area_code), ~outside.exists())


def get_user(session: Session, scope: AreaScope, user_id: int) -> User:
    """The account, if it is in reach of `scope` (users_read to look, users_manage to change); else 404."""
    user = session.scalar(select(User).where(User.id == user_id, in_reach(scope)))
    if user is None:
        raise NotFound(t("user {user_id} does not exist", user_id=user_id))
    return user


def reachable(session: Session, scope: AreaScope, user_id: int) -> bool:
    return session.scalar(select(User.id).where(User.id == user_id, in_reach(scope))) is not None


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(t("user {username} does not exist", username=username))
    return user


def list_users(session: Session, scope: AreaScope, *, offset: int, limit: int, q: str | None = None):
    cond = [in_reach(scope)]
    if q:
        cond.append(User.username.contains(q, autoescape=True) | User.display_name.contains(q, autoescape=True))
    total = session.scalar(select(func.count()).select_from(User).where(*cond)) or 0
    rows = list(session.scalars(select(User).where(*cond).order_by(User.id).offset(offset).limit(limit)))
    return rows, total


def grants_of(session: Session, user_ids: list[int], scope: AreaScope | None = None) -> dict[int, list[Grant]]:
    """The grants of these accounts; with a scope, only those inside it (a reader sees no grant beyond
    their areas, even of an account that gained one since it was listed)."""
    out: dict[int, list[Grant]] = {i: [] for i in user_ids}
    if user_ids:
        stmt = select(Grant).where(Grant.user_id.in_(user_ids))
        if scope is not None:
            stmt = stmt.where(scope.clause(Grant.area_code))
        for g in session.scalars(stmt.order_by(Grant.id)):
            out[g.user_id].append(g)
    return out


def update_user(
    session: Session,
    principal: Principal,
    user_id: int,
    *,
    display_name: str | None = None,
    is_active: bool | None = None,
) -> User:
    user = get_user(session, principal.scope(Permission.users_manage), user_id)
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
    user = get_user(session, principal.scope(Permission.users_manage), user_id)
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
    user = session.get(User, principal.user_id)
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
    return {**ended, "tokens_active": authn.active_tokens(session, user.id)}
