"""What people change in notify: their consent to be notified (opt in and out for oneself, or staff
recording a resident's), their inbox read, and failed deliveries made due again.

The address (an e-mail address, or a phone number for the SMS/WeChat gateway) is personal data:
stored encrypted and shown masked.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes, crypto
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.phone import InvalidPhone, mask_phone, parse_phone
from linli.kit.time import utcnow
from linli.notify import repository as repo
from linli.notify.models import ADDRESS_CONTEXT, InboxMessage, OutboxMessage, Subscription
from linli.notify.schemas import TOPICS, SubscriptionIn, SubscriptionOut
from linli.residents.models import PHONE_CONTEXT

RECORD = Permission.subscriptions_record
MANAGE = Permission.deliveries_manage
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def mask_email(value: str) -> str:
    name, _, domain = value.partition("@")
    return (name[:1] + "***@" + domain) if domain else "***"


def subscription_out(sub: Subscription) -> SubscriptionOut:
    address = None
    if sub.address_enc:
        value = crypto.keyring().decrypt(sub.address_enc, ADDRESS_CONTEXT)
        address = mask_email(value) if sub.channel == "email" else mask_phone(value)
    return SubscriptionOut(
        id=sub.id,
        user_id=sub.user_id,
        person_id=sub.person_id,
        area_code=codes.unpad(sub.area_code),
        channel=sub.channel,
        topic=sub.topic,
        address=address,
        recorded_by=sub.recorded_by,
        created_at=sub.created_at,
        withdrawn_at=sub.withdrawn_at,
    )


# --- subscriptions -----------------------------------------------------------------------------------


def _address(body: SubscriptionIn, fallback_phone: str | None = None) -> str | None:
    if body.topic not in TOPICS:
        raise InvalidInput(
            t("unknown topic {topic!r}; topics are: {topics}", topic=body.topic, topics=", ".join(TOPICS))
        )
    raw = (body.address or "").strip()
    if body.channel == "inbox":
        return None
    if body.channel == "email":
        if not _EMAIL.match(raw):
            raise InvalidInput(t("give an e-mail address to be notified by e-mail"))
        return raw
    if not raw and fallback_phone:
        return fallback_phone
    try:
        return parse_phone(raw)
    except InvalidPhone:
        raise InvalidInput(t("give a phone number to be notified by SMS")) from None


def _upsert(
    session: Session,
    principal: Principal,
    *,
    user_id: int | None,
    person_id: int | None,
    area_code: str,
    body: SubscriptionIn,
    address: str | None,
) -> Subscription:
    """Consent given again replaces the address of the active subscription instead of adding another."""
    sub = repo.active_subscription(
        session, user_id=user_id, person_id=person_id, channel=body.channel, topic=body.topic
    )
    enc = crypto.keyring().encrypt(address, ADDRESS_CONTEXT) if address else None
    if sub is None:
        sub = Subscription(
            user_id=user_id,
            person_id=person_id,
            area_code=area_code,
            channel=body.channel,
            topic=body.topic,
            address_enc=enc,
            recorded_by=principal.audit_name,
        )
        session.add(sub)
    else:
        sub.address_enc = enc
        sub.area_code = area_code
    session.flush()
    record(
        session,
        principal,
        "subscription.opt_in",
        "subscription",
        sub.id,
        area_code,
        after={"user_id": user_id, "person_id": person_id, "channel": body.channel, "topic": body.topic},
    )
    return sub


def _withdraw(session: Session, principal: Principal, sub: Subscription) -> Subscription:
    if sub.withdrawn_at is None:
        sub.withdrawn_at = utcnow()
        session.flush()
        record(session, principal, "subscription.withdraw", "subscription", sub.id, sub.area_code)
    return sub


def opt_in(session: Session, principal: Principal, body: SubscriptionIn) -> Subscription:
    """The signed-in user's own consent, for where their account says they live."""
    user = repo.user(session, principal.user_id)
    if user is None:
        raise NotFound(t("{what} does not exist", what="user"))
    return _upsert(
        session,
        principal,
        user_id=user.id,
        person_id=None,
        area_code=user.area_code,
        body=body,
        address=_address(body),
    )


def withdraw_own(session: Session, principal: Principal, subscription_id: int) -> Subscription:
    sub = repo.subscription(session, subscription_id)
    if sub is None or sub.user_id is None or sub.user_id != principal.user_id:
        raise NotFound(t("this subscription does not exist"))
    return _withdraw(session, principal, sub)


def record_for_person(session: Session, principal: Principal, person_id: int, body: SubscriptionIn) -> Subscription:
    """A resident's consent taken down by staff (at the counter, on a visit); by SMS defaults to their phone."""
    person = repo.person_in_reach(session, principal, person_id)
    if body.channel == "inbox":
        raise InvalidInput(t("the in-app inbox needs the resident's own account: they opt in after signing in"))
    phone = crypto.keyring().decrypt(person.phone_enc, PHONE_CONTEXT) if person.phone_enc else None
    return _upsert(
        session,
        principal,
        user_id=None,
        person_id=person.id,
        area_code=person.area_code,
        body=body,
        address=_address(body, fallback_phone=phone),
    )


def withdraw_for_person(session: Session, principal: Principal, person_id: int, subscription_id: int) -> Subscription:
    person = repo.person_in_reach(session, principal, person_id)
    sub = repo.subscription(session, subscription_id)
    if sub is None or sub.person_id != person.id:
        raise NotFound(t("this subscription does not exist"))
    return _withdraw(session, principal, sub)


# --- the inbox ---------------------------------------------------------------------------------------


def mark_read(session: Session, principal: Principal, message_id: int) -> InboxMessage:
    message = repo.inbox_message(session, message_id)
    if message is None or message.user_id != principal.user_id:
        raise NotFound("this message does not exist")
    if message.read_at is None:
        message.read_at = utcnow()
        session.flush()
    return message


def mark_all_read(session: Session, principal: Principal) -> int:
    return repo.mark_all_read(session, principal.user_id, utcnow())


# --- failed deliveries -------------------------------------------------------------------------------


def _due_again(row: OutboxMessage) -> None:
    row.status, row.attempts, row.next_attempt_at, row.lease_until = "pending", 0, utcnow(), None


def retry(session: Session, principal: Principal, delivery_id: int) -> OutboxMessage:
    """Give a failed delivery a fresh set of attempts, due now."""
    row = repo.delivery(session, delivery_id)
    if row is None or (row.area_code is None and not principal.system):
        raise NotFound(t("this delivery does not exist"))
    if row.area_code is not None:
        principal.check(MANAGE, row.area_code, what="this delivery")
    if row.status != "dead":
        raise Conflict(t("only a failed delivery can be retried; this one is {status}", status=row.status))
    _due_again(row)
    session.flush()
    record(
        session,
        principal,
        "delivery.retry",
        "outbox",
        row.id,
        row.area_code or codes.pad("00"),
        before={"last_error": row.last_error},
    )
    return row


def retry_all_failed(session: Session, principal: Principal, *, ref: str | None = None) -> int:
    """Command line: every failed delivery (of one ref) due again."""
    rows, _ = repo.failed(session, ref=ref)
    for row in rows:
        _due_again(row)
    session.flush()
    if rows:
        record(session, principal, "delivery.retry_all", "outbox", ref or "*", codes.pad("00"), after={"n": len(rows)})
    return len(rows)
