"""Issuing, updating (raising, lowering) and lifting warnings; each is a new message in the thread.

`issue`, `update` and `lift` are what the web form and the JSON API call; `receive` takes a complete
message read from CAP (a file, the CLI, a feed push) and dispatches on its msgType. All of them end in
`_store`, which validates everything (one InvalidInput lists every problem), checks that the issuer
holds warnings.issue at every covered area, writes the message, its areas and coverage, marks the
previous message as no longer current, enqueues its deliveries (`linli.alerts.delivery`) and records
the audit entry — in the caller's transaction. Finding and reading messages is `linli.alerts.repository`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.alerts import delivery, geo, repository
from linli.alerts.checks import (
    aware,
    check_fields,
    check_previous,
    check_scope,
    check_weather,
    not_accepted,
    resolve_areas,
)
from linli.alerts.kinds import (
    COLOURS,
    cap_time,
    event_text,
    now_cst,
    signal_name,
)
from linli.alerts.models import WarningArea, WarningCoverage, WarningMessage
from linli.alerts.schemas import LiftIn, UpdateIn, WarningIn
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING, as_utc


def _referenced(session: Session, principal: Principal, references: str | None) -> list[WarningMessage]:
    """The known messages a CAP references value names ("sender,identifier,sent" triples); one the
    principal may not see is unknown to them, as if it did not exist."""
    found = []
    for triple in (references or "").split():
        parts = triple.split(",")
        ident = parts[1] if len(parts) >= 3 else parts[0]
        m = repository.by_identifier(session, ident)
        if m is not None and repository.visible(session, principal, m):
            found.append(m)
    return found


def references_of(m: WarningMessage) -> str:
    return f"{m.sender},{m.identifier},{cap_time(m.sent, m.tz_minutes)}"


def _identifier(session: Session, area_code: str, agency_code: str, sent: datetime) -> str:
    """Area code (6-digit county, or 12 digits below a county) + agency code + YYYYMMDDHHMMSS + sequence."""
    area = area_code.ljust(6, "0") if len(area_code) <= 6 else area_code[:12].ljust(12, "0")
    prefix = f"{area}{agency_code.upper()}{as_utc(sent).astimezone(BEIJING):%Y%m%d%H%M%S}"
    n = repository.identifiers_starting(session, prefix)
    while True:
        n += 1
        candidate = f"{prefix}{n:02d}"
        if repository.by_identifier(session, candidate) is None:
            return candidate


# --- storing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A message's content once validated: its times (aware, to the second) and what it covers."""

    sent: datetime
    effective: datetime | None
    onset: datetime | None
    expires: datetime | None
    coverage: geo.Coverage
    resolved: list  # [(AreaIn, GeoJSON of its shapes or None)]

    @property
    def covered(self) -> list[str]:
        return sorted(self.coverage.codes)


def _validated(session: Session, principal: Principal, data: WarningIn, previous: WarningMessage | None) -> Checked:
    """Every check of the content at once: one InvalidInput (422) lists every problem found."""
    problems: list[str] = []
    check_fields(data, problems)
    sent = aware(data.sent, "sent", problems) or now_cst()
    effective = aware(data.effective, "effective", problems)
    onset = aware(data.onset, "onset", problems)
    expires = aware(data.expires, "expires", problems)
    if expires is not None and expires <= (effective or sent):
        problems.append(t("the warning expires before it takes effect"))
    if data.msg_type == "Alert" and previous is not None:
        problems.append(t("an Alert starts a new warning; use Update or Cancel for an existing one"))
    cov, resolved = resolve_areas(session, data.areas, problems, principal.visible)
    if problems:
        raise InvalidInput(
            t("the warning was not accepted: {problems}", problems="; ".join(problems)),
            details=problems,
            code="invalid_warning",
        )
    return Checked(sent, effective, onset, expires, cov, resolved)


def _headline(data: WarningIn) -> str:
    verb = "解除" if data.msg_type == "Cancel" else "发布"
    return data.headline or f"{data.sender_name}{verb}{signal_name(data.event_type, data.colour)}"


def _built(
    data: WarningIn,
    previous: WarningMessage | None,
    checked: Checked,
    *,
    identifier: str,
    area_code: str,
    source: str,
    created_by: int | None,
) -> WarningMessage:
    """The new message of the thread (or of a new one), not added to the session yet."""
    sent = checked.sent
    return WarningMessage(
        identifier=identifier,
        thread=previous.thread if previous is not None else identifier,
        previous_id=previous.id if previous is not None else None,
        references=data.references or (references_of(previous) if previous is not None else None),
        sender=data.sender or f"{data.agency_code.lower()}@{area_code}.linli",
        sender_name=data.sender_name,
        agency_code=data.agency_code,
        msg_type=data.msg_type,
        status=data.status,
        scope=data.scope,
        restriction=data.restriction,
        note=data.note,
        language=data.language,
        event_type=data.event_type,
        event=data.event or event_text(data.event_type),
        colour=data.colour,
        severity=data.severity or COLOURS[data.colour].severity,
        urgency=data.urgency,
        certainty=data.certainty,
        headline=_headline(data),
        description=data.description,
        instruction=data.instruction,
        web=data.web,
        contact=data.contact,
        sent=sent,
        effective=checked.effective,
        onset=checked.onset,
        expires=checked.expires,
        tz_minutes=int(sent.utcoffset().total_seconds() // 60) if sent.utcoffset() is not None else 480,
        is_current=True,
        lifted=data.msg_type == "Cancel",
        source=source,
        created_by=created_by,
        area_code=codes.pad(area_code),
    )


def _written(session: Session, message: WarningMessage, previous: WarningMessage | None, checked: Checked) -> None:
    """The message, its CAP areas and its coverage written; the previous message no longer current."""
    if previous is not None:
        repository.supersede(session, previous.thread)
    session.add(message)
    session.flush()
    for pos, (area, merged) in enumerate(checked.resolved):
        session.add(
            WarningArea(
                message_id=message.id,
                position=pos,
                area_desc=area.area_desc or "",
                polygons=json.dumps(area.polygons),
                circles=json.dumps(area.circles),
                geocodes=json.dumps([list(g) for g in area.geocodes] + [["GB/T 2260", c] for c in area.area_codes]),
                geojson=merged,
                altitude=area.altitude,
                ceiling=area.ceiling,
            )
        )
    for code, via in checked.coverage.codes.items():
        session.add(WarningCoverage(message_id=message.id, area_code=codes.pad(code), via=via))
    session.flush()


def _recorded(
    session: Session,
    principal: Principal,
    message: WarningMessage,
    previous: WarningMessage | None,
    *,
    area_code: str,
    covered: list[str],
    source: str,
    enqueued: int,
) -> None:
    record(
        session,
        principal,
        f"warning.{message.msg_type.lower()}",
        "warning",
        message.identifier,
        area_code,
        before={"identifier": previous.identifier, "colour": previous.colour} if previous is not None else None,
        after={
            "identifier": message.identifier,
            "thread": message.thread,
            "type": message.event_type,
            "colour": message.colour,
            "status": message.status,
            "scope": message.scope,
            "areas": covered,
            "source": source,
            "enqueued": enqueued,
        },
    )


def _store(
    session: Session,
    principal: Principal,
    data: WarningIn,
    previous: WarningMessage | None,
    *,
    source: str,
) -> WarningMessage:
    """Validate, build and write the message, fan it out and record it (see the module docstring)."""
    if previous is not None:  # first: the warning is seen, and its areas are named on its page
        reached = repository.coverage_of(session, [previous.id])[previous.id]
        check_previous(principal, previous.identifier, reached)
        check_weather(principal, [previous.event_type], reached)
    checked = _validated(session, principal, data, previous)
    covered = checked.covered
    check_scope(principal, covered)
    check_weather(principal, [data.event_type], covered)
    area_code = geo.common_area(covered)
    identifier = data.identifier or _identifier(session, area_code, data.agency_code, checked.sent)
    if repository.by_identifier(session, identifier) is not None:
        raise Conflict(t("a warning message with the identifier {identifier} already exists", identifier=identifier))
    message = _built(
        data,
        previous,
        checked,
        identifier=identifier,
        area_code=area_code,
        source=source,
        created_by=principal.user_id,
    )
    _written(session, message, previous, checked)
    # Deliveries to the people concerned, in this transaction: a rollback drops them with the message.
    enqueued = delivery.fan_out_message(session, message, covered)
    _recorded(
        session, principal, message, previous, area_code=area_code, covered=covered, source=source, enqueued=enqueued
    )
    return message


def _previous_for(session: Session, principal: Principal, identifier: str) -> WarningMessage:
    """The current message of the warning `identifier` belongs to, locked; 404 if unknown or unseen."""
    named = repository.by_identifier(session, identifier)
    if named is None or not repository.visible(session, principal, named):
        raise NotFound(t("warning {identifier} does not exist", identifier=identifier))
    current = repository.current_of_thread(session, named.thread, for_update=True)
    if current is None or current.lifted:
        raise Conflict(t("warning {identifier} was lifted; issue a new warning instead", identifier=identifier))
    return current


def _carry(session: Session, prev: WarningMessage) -> dict:
    return {
        "sender": prev.sender,
        "sender_name": prev.sender_name,
        "agency_code": prev.agency_code,
        "status": prev.status,
        "scope": prev.scope,
        "restriction": prev.restriction,
        "language": prev.language,
        "event_type": prev.event_type,
        "event": prev.event,
        "colour": prev.colour,
        "urgency": prev.urgency,
        "certainty": prev.certainty,
        "description": prev.description,
        "instruction": prev.instruction,
        "web": prev.web,
        "contact": prev.contact,
        "effective": prev.effective,
        "onset": prev.onset,
        "expires": prev.expires,
        "areas": repository.areas_of(session, prev),
    }


def _message_in(**fields) -> WarningIn:
    """The next message of a warning: its fields carried over with the changes; a change the carried
    message cannot hold is refused (422) with what is wrong, not a server error."""
    try:
        return WarningIn(**fields)
    except ValidationError as exc:
        raise not_accepted(exc) from None


# --- the operations ----------------------------------------------------------------------------


def issue(session: Session, principal: Principal, data: WarningIn, *, source: str = "issued") -> WarningMessage:
    """Issue a new warning (an Alert message); returns the stored message."""
    if data.msg_type != "Alert":
        raise InvalidInput(t("a new warning is an Alert; use update or lift for {kind}", kind=data.msg_type))
    return _store(session, principal, data, None, source=source)


def update(session: Session, principal: Principal, identifier: str, changes: UpdateIn) -> WarningMessage:
    """Update the warning `identifier` belongs to (same colour, or raised/lowered): an Update message."""
    prev = _previous_for(session, principal, identifier)
    fields = _carry(session, prev)
    given = changes.model_dump(exclude_unset=True, exclude_none=True)
    if "areas" in given:
        given["areas"] = changes.areas
    fields.update(given)
    if "headline" not in given:
        colour = fields["colour"]
        verb = "更新"
        if colour in COLOURS and prev.colour in COLOURS and COLOURS[colour].rank != COLOURS[prev.colour].rank:
            verb = "升级为" if COLOURS[colour].rank > COLOURS[prev.colour].rank else "降级为"
        fields["headline"] = (
            f"{prev.sender_name}{verb}{signal_name(prev.event_type, colour)}" if colour in COLOURS else None
        )
    if "severity" not in given:
        fields["severity"] = None  # follows the colour
    data = _message_in(msg_type="Update", **fields)
    return _store(session, principal, data, prev, source="issued")


def lift(session: Session, principal: Principal, identifier: str, body: LiftIn) -> WarningMessage:
    """Lift (解除) the warning `identifier` belongs to: a Cancel message."""
    prev = _previous_for(session, principal, identifier)
    fields = _carry(session, prev)
    fields.update(
        headline=body.headline,
        description=body.description or f"{prev.sender_name}解除{signal_name(prev.event_type, prev.colour)}。",
        instruction=body.instruction,
        sent=body.sent,
        urgency="Past",
        certainty="Observed",
        expires=None,
    )
    if fields["effective"] is not None and body.sent is None:
        fields["effective"] = None
    data = _message_in(msg_type="Cancel", **fields)
    return _store(session, principal, data, prev, source="issued")


def receive(session: Session, principal: Principal, data: WarningIn, *, source: str) -> tuple[WarningMessage, bool]:
    """A complete message from CAP: (stored message, created). The same identifier again changes nothing."""
    if data.identifier:
        existing = repository.by_identifier(session, data.identifier)
        if existing is not None:
            if not repository.visible(session, principal, existing):
                raise Conflict(
                    t("a warning message with the identifier {identifier} already exists", identifier=data.identifier)
                )
            return existing, False
    if data.msg_type == "Alert":
        return _store(session, principal, data, None, source=source), True
    referenced = _referenced(session, principal, data.references)
    if not referenced:
        raise InvalidInput(
            t(
                "the {kind} refers to no known warning (references: {references})",
                kind=data.msg_type,
                references=data.references or "—",
            ),
            code="unknown_reference",
        )
    newest = max(referenced, key=lambda m: (as_utc(m.sent), m.id))
    prev = _previous_for(session, principal, newest.identifier)
    return _store(session, principal, data, prev, source=source), True


__all__ = ["issue", "lift", "receive", "update"]
