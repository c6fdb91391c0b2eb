"""Every read of the accounts domain: users in an administrator's reach, their grants, one's own tokens.

The tables are the layers' (`users` and `api_tokens` in linli.authn.models, `grants` in
linli.authz.models): signing in and checking permissions read them below the domains; administering
them is this domain's.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from linli.authn.models import ApiToken, User
from linli.authz.models import Grant
from linli.authz.permissions import parse_role
from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow

# --- users ------------------------------------------------------------------------------------


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


def by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def own_user(session: Session, user_id: int | None) -> User | None:
    """The signed-in account itself (no scope: it is one's own)."""
    return session.get(User, user_id) if user_id is not None else None


def username_taken(session: Session, username: str) -> bool:
    """Whether an account has this name, in any case ("Alice" takes "alice")."""
    return session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None


def list_users(session: Session, scope: AreaScope, *, offset: int, limit: int, q: str | None = None):
    cond = [in_reach(scope)]
    if q:
        cond.append(User.username.contains(q, autoescape=True) | User.display_name.contains(q, autoescape=True))
    total = session.scalar(select(func.count()).select_from(User).where(*cond)) or 0
    rows = list(session.scalars(select(User).where(*cond).order_by(User.id).offset(offset).limit(limit)))
    return rows, total


# --- grants -----------------------------------------------------------------------------------


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


def get_grant(session: Session, grant_id: int) -> Grant | None:
    return session.get(Grant, grant_id)


def grant_held(session: Session, user_id: int, role: str, padded_code: str) -> Grant | None:
    """The account's grant of `role` (a Role value) at the (padded) area, if it holds one."""
    return session.scalar(
        select(Grant).where(Grant.user_id == user_id, Grant.role == role, Grant.area_code == padded_code)
    )


def find_grant(session: Session, user_id: int, role: str, area_code: str) -> Grant:
    grant = grant_held(session, user_id, parse_role(role).value, codes.pad(area_code))
    if grant is None:
        raise NotFound(t("no grant of {role} at {area_code} for this user", role=role, area_code=area_code))
    return grant


# --- one's own API tokens ---------------------------------------------------------------------


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))


def get_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def active_tokens(session: Session, user_id: int) -> int:
    """How many of the account's API tokens still work (not revoked, not expired)."""
    now = utcnow()
    return (
        session.scalar(
            select(func.count())
            .select_from(ApiToken)
            .where(
                ApiToken.user_id == user_id,
                ApiToken.revoked_at.is_(None),
                (ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now),
            )
        )
        or 0
    )
