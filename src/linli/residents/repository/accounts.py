"""SQL of the links between residents' accounts and register entries, and of the accounts linked."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.authz.models import Grant
from linli.residents.models import AccountLink


def account_link_of_person(session: Session, person_id: int) -> AccountLink | None:
    return session.scalar(select(AccountLink).where(AccountLink.person_id == person_id))


def account_link_of_user(session: Session, user_id: int) -> AccountLink | None:
    return session.get(AccountLink, user_id)


def linked_usernames(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    """person id → the user name of the account linked to them, for those linked."""
    if not person_ids:
        return {}
    rows = session.execute(
        select(AccountLink.person_id, User.username)
        .join(User, User.id == AccountLink.user_id)
        .where(AccountLink.person_id.in_(list(person_ids)))
    ).all()
    return {pid: name for pid, name in rows}


def linked_accounts() -> Select:
    """A selectable of (user id, person id): accounts linked to their register entry."""
    return select(AccountLink.user_id, AccountLink.person_id)


def unlinked(person_id_column):
    """A condition: the person has no linked account."""
    return ~select(AccountLink.person_id).where(AccountLink.person_id == person_id_column).exists()


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_name(session: Session, username: str) -> User | None:
    """The account with this user name: exactly as typed, else ignoring case (names are unique ignoring case)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = session.scalar(select(User).where(func.lower(User.username) == username.lower()).limit(1))
    return user


def roles_of(session: Session, user_id: int) -> set[str]:
    return set(session.scalars(select(Grant.role).where(Grant.user_id == user_id)))
