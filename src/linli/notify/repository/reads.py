"""notify's reads: failed deliveries, subscriptions, the inbox, and the reads that check the reader's reach."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Select,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, subtree_clause
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.notify.models import InboxMessage, OutboxMessage, Subscription
from linli.notify.repository.fanout import ref_range
from linli.residents import repository as residents
from linli.residents.models import Person

_o = OutboxMessage


# --- failed deliveries ---------------------------------------------------------------------------


def _page(session: Session, stmt: Select, order, *, offset: int = 0, limit: int | None = None) -> tuple[list, int]:
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(order).offset(offset).limit(limit)).all()
    return list(rows), total


def failed(
    session: Session,
    scope: AreaScope | None = None,
    *,
    area_code: str | None = None,
    ref: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[OutboxMessage], int]:
    """Given-up deliveries (in `scope`, and in the subtree of `area_code`; of `ref`), newest first."""
    stmt = select(_o).where(_o.status == "dead")
    if scope is not None:
        stmt = stmt.where(scope.clause(_o.area_code))
    if area_code:
        stmt = stmt.where(subtree_clause(_o.area_code, area_code))
    if ref:
        stmt = stmt.where(_o.ref == ref)
    return _page(session, stmt, _o.id.desc(), offset=offset, limit=limit)


def delivery(session: Session, delivery_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, delivery_id)


# --- subscriptions -------------------------------------------------------------------------------


def subscription(session: Session, subscription_id: int) -> Subscription | None:
    return session.get(Subscription, subscription_id)


def active_subscription(
    session: Session, *, user_id: int | None, person_id: int | None, channel: str, topic: str
) -> Subscription | None:
    """The active subscription of the user (or else the person) to `topic` through `channel`."""
    who = Subscription.user_id == user_id if user_id is not None else Subscription.person_id == person_id
    return session.scalar(
        select(Subscription).where(
            who, Subscription.channel == channel, Subscription.topic == topic, Subscription.withdrawn_at.is_(None)
        )
    )


def subscriptions_of(session: Session, *, user_id: int | None = None, person_id: int | None = None):
    """The subscriptions (withdrawn ones too) of a user or of a person, newest first."""
    who = Subscription.user_id == user_id if person_id is None else Subscription.person_id == person_id
    return list(session.scalars(select(Subscription).where(who).order_by(Subscription.id.desc())))


# --- the inbox -----------------------------------------------------------------------------------


def inbox_page(
    session: Session,
    user_id: int | None,
    *,
    unread_only: bool = False,
    read_only: bool = False,
    kind: str | None = None,
    offset: int,
    limit: int,
) -> tuple[list[InboxMessage], int, int]:
    """(page of the user's messages newest first, total, unread count): only the unread or only the read
    ones if asked, and with `kind` (warning, notice, event…) only messages of kinds `<kind>.…`."""
    base = select(InboxMessage).where(InboxMessage.user_id == user_id)
    if unread_only:
        base = base.where(InboxMessage.read_at.is_(None))
    if read_only:
        base = base.where(InboxMessage.read_at.is_not(None))
    if kind:
        low, high = ref_range(f"{kind}.")
        base = base.where(InboxMessage.kind >= low, InboxMessage.kind < high)
    rows, total = _page(session, base, InboxMessage.id.desc(), offset=offset, limit=limit)
    return rows, total, unread_count(session, user_id)


def inbox_message(session: Session, message_id: int) -> InboxMessage | None:
    return session.get(InboxMessage, message_id)


def mark_all_read(session: Session, user_id: int | None, when: datetime) -> int:
    stmt = update(InboxMessage).where(InboxMessage.user_id == user_id, InboxMessage.read_at.is_(None))
    return session.execute(stmt.values(read_at=when)).rowcount or 0


# --- reads with their checks ---------------------------------------------------------------------


def failed_in_reach(
    session: Session,
    principal: Principal,
    *,
    area_code: str | None = None,
    ref: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[OutboxMessage], int]:
    """Given-up deliveries whose recipient lives where the principal manages deliveries (and in
    `area_code`), newest first. Messages without a place (event notifications) are listed by the
    command line only (`failed`)."""
    if area_code and not principal.visible.contains(area_code):
        raise NotFound(t("{what} does not exist", what=f"area {area_code}"))
    scope = principal.scope(Permission.deliveries_manage)
    return failed(session, scope, area_code=area_code, ref=ref, offset=offset, limit=limit)


def user(session: Session, user_id: int | None) -> User | None:
    return session.get(User, user_id) if user_id is not None else None


def person_in_reach(session: Session, principal: Principal, person_id: int) -> Person:
    """The person, if the principal may record their consent: 404 if out of sight, 403 without the right."""
    person = residents.get_person(session, person_id, principal.visible)
    if person is None:
        raise NotFound(t("{what} does not exist", what=f"person {person_id}"))
    principal.check(Permission.subscriptions_record, person.area_code, what=f"person {person_id}")
    return person


def subscriptions_of_person(session: Session, principal: Principal, person_id: int) -> list[Subscription]:
    return subscriptions_of(session, person_id=person_in_reach(session, principal, person_id).id)


def unread_count(session: Session, user_id: int | None) -> int:
    """The user's unread inbox messages (the menu's badge: along ix_inbox_messages_user_created)."""
    if user_id is None:
        return 0
    stmt = select(func.count()).where(InboxMessage.user_id == user_id, InboxMessage.read_at.is_(None))
    return int(session.scalar(stmt) or 0)
