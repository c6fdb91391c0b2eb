"""Grid and community workers confirm a warning (received; patrolled, no danger; danger found, which
files an event), and the progress of a warning by area: staff reached, confirmed and overdue, and
residents' deliveries by channel.

Only staff who were sent the warning (an outbox row of the thread without a subscription) confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.alerts import repository
from linli.alerts.delivery import message_ref, reminder_ref, thread_prefix, thread_ref
from linli.alerts.models import WarningConfirmation, WarningMessage
from linli.audit.service import record
from linli.authz.permissions import Permission, refusal
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.kit import codes, crypto
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import N_, t
from linli.kit.phone import mask_phone
from linli.kit.time import utcnow
from linli.notify import outbox
from linli.residents.models import PHONE_CONTEXT

KINDS = {
    "received": N_("Received"),
    "patrolled_ok": N_("Patrolled, no danger"),
    "danger_found": N_("Danger found"),
}
CHANNEL_LABELS = {"inbox": N_("In-app"), "email": N_("E-mail"), "webhook": N_("SMS/WeChat")}
# The event category of a danger found on patrol: 房屋安全隐患 (unsafe building) by default, which is
# what wind, rain, snow and lightning most often leave behind; any sub-category (小类) may be given.
DANGER_CATEGORY = "0502"


def recipient_area(session: Session, thread: str, user_id: int | None) -> str | None:
    """The padded grid (or community) of a staff recipient of the thread, or None if not one.

    Looked up by outbox key (unique index), one per message of the thread: a county-wide warning has
    half a million rows under its refs, and this runs on every view of the warning page.
    """
    if user_id is None:
        return None
    base = thread_ref(thread)
    messages = repository.messages_of_thread(session, thread)
    refs = [f"{base}:lift" if kind == "Cancel" else f"{base}:{i}" for i, kind in messages]
    return outbox.staff_area(session, [*refs, reminder_ref(thread)], user_id)


def _danger_event(session, principal, message, area_code, note, lon, lat, category_code):
    from linli.events.reporting import report
    from linli.events.schemas import ReportIn

    if lon is None or lat is None:
        place = repository.area(session, codes.unpad(area_code))
        while place is not None and place.rep_lon is None and place.parent_code:
            place = repository.area(session, place.parent_code)
        if place is None or place.rep_lon is None:
            raise InvalidInput(t("where is the danger? give its longitude and latitude"), code="no_location")
        lon, lat = place.rep_lon, place.rep_lat
    body = ReportIn(
        category_code=category_code or DANGER_CATEGORY,
        title=f"预警巡查发现险情：{message.headline}"[:200],
        description=(note or "").strip() or f"巡查{message.headline}时发现险情。",
        lon=lon,
        lat=lat,
    )
    return report(session, principal, body, source="warning").event


def confirm(
    session: Session,
    principal: Principal,
    identifier: str,
    kind: str,
    *,
    note: str | None = None,
    lon: float | None = None,
    lat: float | None = None,
    category_code: str | None = None,
) -> tuple[WarningConfirmation, bool]:
    """Record a recipient's answer to the warning `identifier` belongs to: (confirmation, created).

    The same answer to the same message again returns the first one (a double tap on a phone).
    """
    named = repository.get_visible(session, principal, identifier)
    if kind not in KINDS:
        raise InvalidInput(
            t("unknown confirmation {kind!r}; one of: {kinds}", kind=kind, kinds=", ".join(KINDS)),
            code="invalid_confirmation",
        )
    area_code = recipient_area(session, named.thread, principal.user_id)
    if area_code is None:
        raise Forbidden(t("only the grid and community workers this warning was sent to confirm it"))
    current = repository.current_of_thread(session, named.thread)
    if current is None or current.lifted:
        raise Conflict(t("warning {identifier} was lifted; there is nothing to confirm", identifier=identifier))
    existing = repository.confirmation(session, current.id, principal.user_id, kind)
    if existing is not None:
        return existing, False
    event = None
    if kind == "danger_found":
        event = _danger_event(session, principal, current, area_code, note, lon, lat, category_code)
    row = WarningConfirmation(
        thread=current.thread,
        message_id=current.id,
        user_id=principal.user_id,
        kind=kind,
        note=(note or "").strip() or None,
        event_id=event.id if event is not None else None,
        at=utcnow(),
        area_code=area_code,
    )
    session.add(row)
    session.flush()
    record(
        session,
        principal,
        "warning.confirm",
        "warning",
        current.identifier,
        codes.unpad(area_code),
        after={"thread": current.thread, "kind": kind, "note": row.note, "event_id": row.event_id},
    )
    return row, True


def list_confirmations(session: Session, principal: Principal, identifier: str) -> list[WarningConfirmation]:
    """Confirmations of the warning: one's own, and those in one's deliveries.manage scope."""
    named = repository.get_visible(session, principal, identifier)
    return repository.confirmations_seen(session, principal, named.thread)


# --- progress ----------------------------------------------------------------------------------


@dataclass
class ChannelCounts:
    total: int = 0
    delivered: int = 0
    failed: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.delivered - self.failed


@dataclass
class AreaProgress:
    code: str
    name: str = ""
    staff: int = 0
    reached: int = 0
    confirmed: int = 0
    patrolled_ok: int = 0
    danger_found: int = 0
    overdue: int = 0
    residents: dict[str, ChannelCounts] = field(default_factory=dict)
    drill: bool = False  # a child area that can be opened

    def add(self, other: AreaProgress) -> None:
        for f in ("staff", "reached", "confirmed", "patrolled_ok", "danger_found", "overdue"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        for ch, c in other.residents.items():
            mine = self.residents.setdefault(ch, ChannelCounts())
            mine.total += c.total
            mine.delivered += c.delivered
            mine.failed += c.failed


@dataclass
class Progress:
    area_code: str
    minutes: int
    rows: list[AreaProgress]
    total: AreaProgress
    channels: list[str]
    resident_ref: str


def progress(session: Session, message: WarningMessage, area_code: str, *, now: datetime | None = None) -> Progress:
    """Progress of the warning inside `area_code` (unpadded), by child area. Staff are counted over the
    whole warning (each person once); residents' deliveries are those of the current message."""
    now = now or utcnow()
    current = repository.current_of_thread(session, message.thread) or message
    minutes, cutoff = _cutoff(session, message, now)
    rows: dict[str, AreaProgress] = {}

    def row(child: str) -> AreaProgress:
        code = codes.unpad(codes.pad(child))
        return rows.setdefault(code, AreaProgress(code))

    staff = repository.staff_progress(session, thread_prefix(message.thread), message.thread, area_code, cutoff)
    for child, n_staff, reached, confirmed, ok, danger, overdue in staff:
        r = row(child)
        r.staff, r.reached, r.confirmed = int(n_staff), int(reached or 0), int(confirmed or 0)
        r.patrolled_ok, r.danger_found, r.overdue = int(ok or 0), int(danger or 0), int(overdue or 0)
    ref = message_ref(current)
    for (child, channel), c in outbox.subscriber_counts(session, ref, area_code).items():
        row(child).residents[channel] = ChannelCounts(c.total, c.delivered, c.failed)
    return _rolled_up(session, area_code, minutes, rows, ref)


def _rolled_up(session: Session, area_code: str, minutes: int, rows: dict[str, AreaProgress], ref: str) -> Progress:
    """The progress table: the child areas named and in order, and their total."""
    names = repository.area_names(session, list(rows))
    total = AreaProgress(area_code, name=names.get(area_code, ""))
    ordered = []
    channels: set[str] = set()
    for code in sorted(rows):
        r = rows[code]
        r.name = names.get(code, code)
        r.drill = code != area_code and len(code) < 15
        channels.update(r.residents)
        total.add(r)
        ordered.append(r)
    if not total.name:
        total.name = repository.area_names(session, [area_code]).get(area_code) or area_code
    return Progress(area_code, minutes, ordered, total, sorted(channels), ref)


def _cutoff(session: Session, message: WarningMessage, now: datetime) -> tuple[int, datetime]:
    """(minutes a worker has to answer, the time before which those told are overdue); a lifted warning
    has nobody overdue any more."""
    minutes = get_settings().warning_confirm_minutes
    current = repository.current_of_thread(session, message.thread) or message
    cutoff = now - timedelta(minutes=minutes) if not current.lifted else datetime(1970, 1, 2, tzinfo=now.tzinfo)
    return minutes, cutoff


@dataclass
class OverdueWorker:
    """A worker sent the warning who has not answered in time: named, with their place (a grid or a
    village) and their phone from their own register entry, masked; `call` is the full number for a
    tel: link, only for a reader who may see it (residents.reveal where the entry is), else None."""

    user_id: int
    name: str
    place_code: str
    place_name: str
    phone: str | None
    call: str | None
    person_id: int | None = None
    person_area: str | None = None

    @property
    def is_grid(self) -> bool:
        return len(self.place_code) == 15


OVERDUE_LISTED = 100


def overdue_workers(
    session: Session, principal: Principal, message: WarningMessage, area_code: str, *, now: datetime | None = None
) -> list[OverdueWorker]:
    """The workers inside `area_code` (whose progress the reader sees) overdue with their answer."""
    _minutes, cutoff = _cutoff(session, message, now or utcnow())
    rows = repository.overdue_staff(
        session, thread_prefix(message.thread), message.thread, area_code, cutoff, OVERDUE_LISTED
    )
    out = []
    for user_id, display, username, place, place_name, person_id, person_area, phone_enc in rows:
        phone = crypto.keyring().decrypt(phone_enc, PHONE_CONTEXT) if phone_enc else None
        may_call = phone is not None and principal.can(Permission.residents_reveal, person_area)
        out.append(
            OverdueWorker(
                user_id=user_id,
                name=display or username,
                place_code=codes.unpad(place),
                place_name=place_name or codes.unpad(place),
                phone=mask_phone(phone) if phone else None,
                call=phone if may_call else None,
                person_id=person_id,
                person_area=person_area,
            )
        )
    return out


def record_phone_reveals(session: Session, principal: Principal, identifier: str, workers: list[OverdueWorker]) -> None:
    """Audit each phone number shown in full (in a call link) on a warning's progress."""
    for w in workers:
        if w.call is not None and w.person_id is not None:
            record(
                session,
                principal,
                "persons.reveal",
                "person",
                w.person_id,
                w.person_area or "",
                after={"fields": ["phone"], "why": f"warning {identifier}: overdue worker"},
            )


PROGRESS_PERMISSIONS = (Permission.deliveries_manage, Permission.warnings_issue)


def can_see_progress(principal: Principal, area_code: str) -> bool:
    return any(principal.can(p, area_code) for p in PROGRESS_PERMISSIONS)


def progress_area(principal: Principal, message: WarningMessage, asked: str | None) -> str | None:
    """The area whose progress the principal sees (those managing deliveries or issuing warnings there):
    the one asked for (checked), else the warning's own area, else the first of their areas inside it."""
    if asked:
        if not principal.visible.contains(asked):
            raise NotFound(t("area {code} does not exist", code=asked))
        if not can_see_progress(principal, asked):
            raise Forbidden(refusal(Permission.deliveries_manage))
        return asked
    own = codes.unpad(message.area_code)
    if can_see_progress(principal, own):
        return own
    inside = sorted(
        c for p in PROGRESS_PERMISSIONS for c in principal.scope(p).area_codes if codes.in_subtree(codes.pad(c), own)
    )
    return inside[0] if inside else None
