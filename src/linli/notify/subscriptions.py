"""Residents' consent to be notified: opt in and out for oneself, or staff recording a resident's consent.

The address (an e-mail address, or a phone number for the SMS/WeChat gateway) is personal data:
stored encrypted and shown masked.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes, crypto
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.notify.fanout import TOPICS
from linli.notify.models import ADDRESS_CONTEXT, Subscription
from linli.residents.idcard import InvalidPhone, mask_phone, parse_phone
from linli.residents.models import PHONE_CONTEXT, Person

RECORD = Permission.subscriptions_record
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SubscriptionIn(BaseModel):
    channel: Literal["inbox", "email", "webhook"]
    topic: str = "warnings"
    address: str | None = Field(None, max_length=200, description="e-mail address, or phone number for SMS")


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int | None
    person_id: int | None
    area_code: str
    channel: str
    topic: str
    address: str | None  # masked
    recorded_by: str
    created_at: object
    withdrawn_at: object | None


def mask_email(value: str) -> str:
    name, _, domain = value.partition("@")
    return (name[:1] + "***@" + domain) if domain else "***"


def out(sub: Subscription) -> SubscriptionOut:
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
    who = Subscription.user_id == user_id if user_id is not None else Subscription.person_id == person_id
    sub = session.scalar(
        select(Subscription).where(
            who,
            Subscription.channel == body.channel,
            Subscription.topic == body.topic,
            Subscription.withdrawn_at.is_(None),
        )
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


# --- for oneself -----------------------------------------------------------------------------------


def opt_in(session: Session, principal: Principal, body: SubscriptionIn) -> Subscription:
    """The signed-in user's own consent, for where their account says they live."""
    user = session.get(User, principal.user_id)
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


def list_own(session: Session, principal: Principal) -> list[Subscription]:
    return list(
        session.scalars(
            select(Subscription).where(Subscription.user_id == principal.user_id).order_by(Subscription.id.desc())
        )
    )


def withdraw_own(session: Session, principal: Principal, subscription_id: int) -> Subscription:
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.user_id is None or sub.user_id != principal.user_id:
        raise NotFound(t("this subscription does not exist"))
    return _withdraw(session, principal, sub)


# --- staff, for a resident --------------------------------------------------------------------------


def _person(session: Session, principal: Principal, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or not principal.visible.contains(person.area_code):
        raise NotFound(t("{what} does not exist", what=f"person {person_id}"))
    principal.check(RECORD, person.area_code, what=f"person {person_id}")
    return person


def record_for_person(session: Session, principal: Principal, person_id: int, body: SubscriptionIn) -> Subscription:
    """A resident's consent taken down by staff (at the counter, on a visit); by SMS defaults to their phone."""
    person = _person(session, principal, person_id)
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


def list_for_person(session: Session, principal: Principal, person_id: int) -> list[Subscription]:
    person = _person(session, principal, person_id)
    return list(
        session.scalars(
            select(Subscription).where(Subscription.person_id == person.id).order_by(Subscription.id.desc())
        )
    )


def withdraw_for_person(session: Session, principal: Principal, person_id: int, subscription_id: int) -> Subscription:
    person = _person(session, principal, person_id)
    sub = session.get(Subscription, subscription_id)
    if sub is None or sub.person_id != person.id:
        raise NotFound(t("this subscription does not exist"))
    return _withdraw(session, principal, sub)
