"""A reporter's contact details (phone, e-mail): sealed at rest, masked when shown, revealed by permission.

They are personal data like the register's phone numbers: encrypted with the data keys (kit.crypto),
shown masked (138****5678, a***@example.com) to staff who read the event, in clear to the reporter
and, through an explicit reveal that is audited, to those who must call the reporter back.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events import repository as repo
from linli.events.models import EMAIL_CONTEXT, PHONE_CONTEXT, Event
from linli.kit import crypto
from linli.kit.errors import Forbidden
from linli.kit.i18n import t
from linli.kit.phone import mask_phone, normalize_phone


def seal(value: str | None, context: str) -> str | None:
    value = (value or "").strip()
    return crypto.keyring().encrypt(value, context) if value else None


def mask_email(value: str) -> str:
    """a***@example.com: the first character of the name and the domain stay."""
    name, at, domain = value.rpartition("@")
    if not at or not name:
        return value[:1] + "***" if value else value
    return f"{name[:1]}***@{domain}"


def mask_phone_text(value: str) -> str:
    """138****5678 for what the reporter typed as a phone number (spaces, dashes, +86 allowed)."""
    digits = normalize_phone(value)
    return mask_phone(digits) if len(digits) >= 7 else "*" * len(value)


def _open(enc: str | None, context: str, *, reveal: bool) -> str | None:
    if enc is None:
        return None
    value = crypto.keyring().decrypt(enc, context)
    if reveal:
        return value
    return mask_email(value) if context == EMAIL_CONTEXT else mask_phone_text(value)


def phone_of(event: Event, *, reveal: bool) -> str | None:
    return _open(event.contact_phone_enc, PHONE_CONTEXT, reveal=reveal)


def email_of(event: Event, *, reveal: bool) -> str | None:
    return _open(event.contact_email_enc, EMAIL_CONTEXT, reveal=reveal)


def may_reveal(session: Session, principal: Principal, event: Event) -> bool:
    """Who must call the reporter back: managers of the place, and the members of the unit the event
    is dispatched to (a department handler's permission covers only their own unit's events)."""
    if not principal.can(Permission.events_reveal_contact, event.area_code):
        return False
    if principal.system or principal.can(Permission.events_manage, event.area_code):
        return True
    return event.unit_id is not None and repo.is_member(session, event.unit_id, principal.user_id)


def reveal(session: Session, principal: Principal, event: Event) -> dict[str, str | None]:
    """The contact in clear, for one who may call the reporter back; the reveal is in the audit log."""
    what = t("event {event_id}", event_id=event.id)
    principal.check(Permission.events_reveal_contact, event.area_code, what=what)  # 404 outside, 403 inside
    if not may_reveal(session, principal, event):
        raise Forbidden(t("you do not act for the unit this event is dispatched to"))
    fields = [f for f, enc in (("phone", event.contact_phone_enc), ("email", event.contact_email_enc)) if enc]
    record(
        session,
        principal,
        "event.reveal_contact",
        "event",
        event.id,
        event.area_code,
        after={"reporter_id": event.reporter_id, "contact_name": event.contact_name, "fields": fields},
    )
    return {
        "contact_name": event.contact_name,
        "contact_phone": phone_of(event, reveal=True),
        "contact_email": email_of(event, reveal=True),
    }


# Phone numbers, e-mail addresses and ID numbers a reporter may have typed into the free text.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{9}[0-9Xx](?![0-9])")
_PHONE = re.compile(
    r"(?<![0-9])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])"  # a mobile
    r"|(?<![0-9])0[0-9]{2,3}-?[0-9]{7,8}(?![0-9])"  # a landline with its area code
)


def public_text(text: str) -> str:
    """Free text as others may see it: phone numbers, e-mail addresses and ID numbers in it masked."""
    if not text:
        return text
    text = _EMAIL.sub(lambda m: mask_email(m.group()), text)
    text = _ID.sub(lambda m: m.group()[:6] + "*" * 8 + m.group()[-4:], text)
    return _PHONE.sub(lambda m: mask_phone_text(m.group()), text)
