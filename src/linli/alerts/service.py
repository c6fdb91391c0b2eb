"""Issuing, updating (raising, lowering) and lifting warnings; each is a new message in the thread.

`issue`, `update` and `lift` are what the web form and the JSON API call; `receive` takes a complete
message read from CAP (a file, the CLI, a feed push) and dispatches on its msgType. All of them end in
`_store`, which validates everything (one InvalidInput lists every problem), checks that the issuer
holds warnings.issue at every covered area, writes the message, its areas and coverage, marks the
previous message as no longer current, enqueues its deliveries (`linli.alerts.delivery`) and records
the audit entry — in the caller's transaction.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from linli.alerts import delivery, geo
from linli.alerts.kinds import (
    CERTAINTIES,
    COLOURS,
    MSG_TYPES,
    SCOPES,
    SEVERITIES,
    STATUSES,
    TYPES,
    URGENCIES,
    event_text,
    signal_name,
)
from linli.alerts.models import WarningArea, WarningCoverage, WarningMessage
from linli.alerts.schemas import AreaIn, LiftIn, UpdateIn, WarningIn
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow

CST = timezone(timedelta(hours=8))
FORBIDDEN_ID_CHARS = set(" ,<&\t\r\n")


def _now() -> datetime:
    return utcnow().astimezone(CST).replace(microsecond=0)


# --- finding -----------------------------------------------------------------------------------


def by_identifier(session: Session, identifier: str) -> WarningMessage | None:
    return session.scalar(select(WarningMessage).where(WarningMessage.identifier == identifier))


def coverage_of(session: Session, message_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in message_ids}
    if not message_ids:
        return out
    rows = session.execute(
        select(WarningCoverage.message_id, WarningCoverage.area_code)
        .where(WarningCoverage.message_id.in_(message_ids))
        .order_by(WarningCoverage.area_code)
    )
    for mid, code in rows:
        out[mid].append(codes.unpad(code))
    return out


def current_of_thread(session: Session, thread: str, *, for_update: bool = False) -> WarningMessage | None:
    q = select(WarningMessage).where(WarningMessage.thread == thread, WarningMessage.is_current.is_(True))
    if for_update:
        q = q.with_for_update()
    return session.scalar(q)


def _referenced(session: Session, references: str | None) -> list[WarningMessage]:
    """The known messages a CAP references value names ("sender,identifier,sent" triples)."""
    found = []
    for triple in (references or "").split():
        parts = triple.split(",")
        ident = parts[1] if len(parts) >= 3 else parts[0]
        m = by_identifier(session, ident)
        if m is not None:
            found.append(m)
    return found


def references_of(m: WarningMessage) -> str:
    return f"{m.sender},{m.identifier},{cap_time(m.sent, m.tz_minutes)}"


def cap_time(value: datetime, tz_minutes: int = 480) -> str:
    return as_utc(value).astimezone(timezone(timedelta(minutes=tz_minutes))).replace(microsecond=0).isoformat()


# --- validation --------------------------------------------------------------------------------


def _check_choice(value: str | None, allowed, what: str, problems: list[str]) -> None:
    if value is not None and value not in allowed:
        problems.append(
            t("{what} {value!r} is not one of: {allowed}", what=what, value=value, allowed=", ".join(allowed))
        )


def _aware(value: datetime | None, what: str, problems: list[str]) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        problems.append(t("{what} needs a time zone (e.g. +08:00)", what=what))
        return None
    return value.replace(microsecond=0)


def resolve_areas(session: Session, areas: list[AreaIn], problems: list[str]):
    """(coverage, [(AreaIn, geojson or None)]) with every problem of every area appended."""
    cov = geo.Coverage()
    resolved = []
    if not areas:
        problems.append(t("a warning needs at least one affected area"))
    for n, area in enumerate(areas, 1):
        where = t("area {n}", n=n) + (f" ({area.area_desc})" if area.area_desc else "")
        before = len(problems)
        geocodes = list(area.geocodes) + [("GB/T 2260", c) for c in area.area_codes]
        found_any = False
        for name, value in geocodes:
            code = geo.geocode_area(session, name, value, where, problems)
            if code is not None:
                cov.add(code, "geocode")
                found_any = True
        shapes = []
        for i, text in enumerate(area.polygons, 1):
            poly = geo.parse_polygon(text, f"{where}, " + t("polygon {i}", i=i), problems)
            if poly is None:
                continue
            hit = geo.areas_of_shape(session, poly)
            if not hit:
                if geo.swapped_would_match(session, poly):
                    problems.append(
                        t(
                            "{where}: the polygon covers no known area; latitude and longitude look swapped "
                            "(CAP writes 'latitude,longitude')",
                            where=f"{where}, " + t("polygon {i}", i=i),
                        )
                    )
                else:
                    problems.append(
                        t("{where}: the polygon covers no known area", where=f"{where}, " + t("polygon {i}", i=i))
                    )
                continue
            shapes.append(poly)
            for c in hit:
                cov.add(c, "polygon")
            found_any = True
        for i, text in enumerate(area.circles, 1):
            circle = geo.parse_circle(text, f"{where}, " + t("circle {i}", i=i), problems)
            if circle is None:
                continue
            hit = geo.areas_of_shape(session, circle)
            if not hit:
                problems.append(
                    t("{where}: the circle covers no known area", where=f"{where}, " + t("circle {i}", i=i))
                )
                continue
            shapes.append(circle)
            for c in hit:
                cov.add(c, "circle")
            found_any = True
        if not found_any and len(problems) == before:
            problems.append(t("{where}: no area code, polygon or circle that names a place", where=where))
        merged = None
        if shapes:
            import shapely

            merged = shapely.to_geojson(shapely.union_all(shapes))
        resolved.append((area, merged))
    return cov, resolved


def _check_scope(principal: Principal, area_codes: list[str]) -> None:
    for code in sorted(area_codes):
        if not principal.visible.contains(code):
            raise NotFound(t("area {code} does not exist", code=code))
    refused = [c for c in sorted(area_codes) if not principal.can(Permission.warnings_issue, c)]
    if refused:
        raise Forbidden(
            t(
                "you may not issue warnings for {areas} (permission {permission})",
                areas=", ".join(refused[:5]),
                permission=Permission.warnings_issue.value,
            )
        )


def _identifier(session: Session, area_code: str, agency_code: str, sent: datetime) -> str:
    """Area code (6-digit county, or 12 digits below a county) + agency code + YYYYMMDDHHMMSS + sequence."""
    area = area_code.ljust(6, "0") if len(area_code) <= 6 else area_code[:12].ljust(12, "0")
    prefix = f"{area}{agency_code.upper()}{as_utc(sent).astimezone(CST):%Y%m%d%H%M%S}"
    n = session.scalar(select(func.count()).where(WarningMessage.identifier.startswith(prefix))) or 0
    while True:
        n += 1
        candidate = f"{prefix}{n:02d}"
        if by_identifier(session, candidate) is None:
            return candidate


# --- storing -----------------------------------------------------------------------------------


def _store(
    session: Session,
    principal: Principal,
    data: WarningIn,
    previous: WarningMessage | None,
    *,
    source: str,
) -> WarningMessage:
    problems: list[str] = []
    _check_choice(data.msg_type, MSG_TYPES, "msgType", problems)
    _check_choice(data.status, STATUSES, "status", problems)
    _check_choice(data.scope, SCOPES, "scope", problems)
    _check_choice(data.urgency, URGENCIES, "urgency", problems)
    _check_choice(data.certainty, CERTAINTIES, "certainty", problems)
    _check_choice(data.severity, SEVERITIES, "severity", problems)
    if data.event_type not in TYPES:
        problems.append(
            t("unknown warning type {value!r}; types are: {types}", value=data.event_type, types=", ".join(TYPES))
        )
    if data.colour not in COLOURS:
        problems.append(t("unknown colour {value!r}; colours are: blue, yellow, orange, red", value=data.colour))
    if data.scope == "Restricted" and not data.restriction:
        problems.append(t("a Restricted warning needs a restriction text"))
    if data.identifier is not None and (not data.identifier or FORBIDDEN_ID_CHARS & set(data.identifier)):
        problems.append(t("the identifier must not be empty nor contain spaces, commas, '<' or '&'"))
    sent = _aware(data.sent, "sent", problems) or _now()
    effective = _aware(data.effective, "effective", problems)
    onset = _aware(data.onset, "onset", problems)
    expires = _aware(data.expires, "expires", problems)
    if expires is not None and expires <= (effective or sent):
        problems.append(t("the warning expires before it takes effect"))
    if data.msg_type == "Alert" and previous is not None:
        problems.append(t("an Alert starts a new warning; use Update or Cancel for an existing one"))
    cov, resolved = resolve_areas(session, data.areas, problems)
    if problems:
        raise InvalidInput(
            t("the warning was not accepted: {problems}", problems="; ".join(problems)),
            details=problems,
            code="invalid_warning",
        )
    covered = sorted(cov.codes)
    _check_scope(principal, covered)
    if previous is not None:
        _check_scope(principal, coverage_of(session, [previous.id])[previous.id])
    area_code = geo.common_area(covered)
    identifier = data.identifier or _identifier(session, area_code, data.agency_code, sent)
    if by_identifier(session, identifier) is not None:
        raise Conflict(t("a warning message with the identifier {identifier} already exists", identifier=identifier))
    colour = COLOURS[data.colour]
    message = WarningMessage(
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
        severity=data.severity or colour.severity,
        urgency=data.urgency,
        certainty=data.certainty,
        headline=data.headline
        or (
            f"{data.sender_name}解除{signal_name(data.event_type, data.colour)}"
            if data.msg_type == "Cancel"
            else f"{data.sender_name}发布{signal_name(data.event_type, data.colour)}"
        ),
        description=data.description,
        instruction=data.instruction,
        web=data.web,
        contact=data.contact,
        sent=sent,
        effective=effective,
        onset=onset,
        expires=expires,
        tz_minutes=int(sent.utcoffset().total_seconds() // 60) if sent.utcoffset() is not None else 480,
        is_current=True,
        lifted=data.msg_type == "Cancel",
        source=source,
        created_by=principal.user_id,
        area_code=codes.pad(area_code),
    )
    if previous is not None:
        session.execute(
            sql_update(WarningMessage).where(WarningMessage.thread == previous.thread).values(is_current=False)
        )
    session.add(message)
    session.flush()
    for pos, (area, merged) in enumerate(resolved):
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
    for code, via in cov.codes.items():
        session.add(WarningCoverage(message_id=message.id, area_code=codes.pad(code), via=via))
    session.flush()
    # Deliveries to the people concerned, in this transaction: a rollback drops them with the message.
    enqueued = delivery.fan_out_message(session, message, covered)
    record(
        session,
        principal,
        f"warning.{data.msg_type.lower()}",
        "warning",
        identifier,
        area_code,
        before={"identifier": previous.identifier, "colour": previous.colour} if previous is not None else None,
        after={
            "identifier": identifier,
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
    return message


def _previous_for(session: Session, principal: Principal, identifier: str) -> WarningMessage:
    """The current message of the warning `identifier` belongs to, locked; 404 if unknown or unseen."""
    named = by_identifier(session, identifier)
    if named is None or not _visible(session, principal, named):
        raise NotFound(t("warning {identifier} does not exist", identifier=identifier))
    current = current_of_thread(session, named.thread, for_update=True)
    if current is None or current.lifted:
        raise Conflict(t("warning {identifier} was lifted; issue a new warning instead", identifier=identifier))
    return current


def _areas_of(session: Session, message: WarningMessage) -> list[AreaIn]:
    rows = session.scalars(
        select(WarningArea).where(WarningArea.message_id == message.id).order_by(WarningArea.position)
    ).all()
    return [
        AreaIn(
            area_desc=a.area_desc,
            polygons=json.loads(a.polygons),
            circles=json.loads(a.circles),
            geocodes=[tuple(g) for g in json.loads(a.geocodes)],
            altitude=a.altitude,
            ceiling=a.ceiling,
        )
        for a in rows
    ]


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
        "areas": _areas_of(session, prev),
    }


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
    data = WarningIn(msg_type="Update", **fields)
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
    data = WarningIn(msg_type="Cancel", **fields)
    return _store(session, principal, data, prev, source="issued")


def receive(session: Session, principal: Principal, data: WarningIn, *, source: str) -> tuple[WarningMessage, bool]:
    """A complete message from CAP: (stored message, created). The same identifier again changes nothing."""
    if data.identifier:
        existing = by_identifier(session, data.identifier)
        if existing is not None:
            if not _visible(session, principal, existing):
                raise Conflict(
                    t("a warning message with the identifier {identifier} already exists", identifier=data.identifier)
                )
            return existing, False
    if data.msg_type == "Alert":
        return _store(session, principal, data, None, source=source), True
    referenced = _referenced(session, data.references)
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


# --- reading -----------------------------------------------------------------------------------


def _reach_clause(column, codes_in: list[str], ancestors_of: list[str]):
    """column (padded) in a subtree of `codes_in` or equal to an ancestor of one of `ancestors_of`."""
    from sqlalchemy import and_, false, or_

    parts = []
    for c in codes_in:
        low, high = codes.subtree_range(c)
        parts.append(and_(column >= low, column < high))
    anc = {codes.pad(a) for c in ancestors_of for a in codes.ancestors(c)}
    if anc:
        parts.append(column.in_(sorted(anc)))
    return or_(*parts) if parts else false()


def _visible(session: Session, principal: Principal, message: WarningMessage) -> bool:
    scope = principal.scope(Permission.warnings_read)
    if scope.everything:
        return True
    clause = _reach_clause(WarningCoverage.area_code, list(scope.area_codes), list(scope.area_codes))
    return bool(session.scalar(select(func.count()).where(WarningCoverage.message_id == message.id, clause)))


def get_visible(session: Session, principal: Principal, identifier: str) -> WarningMessage:
    m = by_identifier(session, identifier)
    if m is None or not _visible(session, principal, m):
        raise NotFound(t("warning {identifier} does not exist", identifier=identifier))
    return m


def chain(session: Session, message: WarningMessage) -> list[WarningMessage]:
    return list(
        session.scalars(
            select(WarningMessage)
            .where(WarningMessage.thread == message.thread)
            .order_by(WarningMessage.sent, WarningMessage.id)
        )
    )


def list_messages(
    session: Session,
    principal: Principal | None,
    *,
    area_code: str | None = None,
    current: bool | None = None,
    event_type: str | None = None,
    public_only: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[WarningMessage], int]:
    """Messages covering places in (or above) `area_code`, newest first; `principal` None means public."""
    conds = []
    if area_code:
        if principal is not None:
            principal.check(Permission.warnings_read, area_code, what=t("area {code}", code=area_code))
        elif not codes.is_valid(area_code):
            raise NotFound(t("area {code} does not exist", code=area_code))
        conds.append(_reach_clause(WarningCoverage.area_code, [area_code], [area_code]))
    if principal is not None:
        scope = principal.scope(Permission.warnings_read)
        if not scope.everything:
            conds.append(_reach_clause(WarningCoverage.area_code, list(scope.area_codes), list(scope.area_codes)))
    ids = select(WarningCoverage.message_id).where(*conds).distinct() if conds else None
    q = select(WarningMessage)
    if ids is not None:
        q = q.where(WarningMessage.id.in_(ids))
    if current is True:
        q = q.where(WarningMessage.is_current.is_(True), WarningMessage.lifted.is_(False))
    elif current is False:
        q = q.where((WarningMessage.is_current.is_(False)) | (WarningMessage.lifted.is_(True)))
    if event_type:
        q = q.where(WarningMessage.event_type == event_type)
    if public_only:
        q = q.where(WarningMessage.status == "Actual", WarningMessage.scope == "Public")
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(WarningMessage.sent.desc(), WarningMessage.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def feed_messages(session: Session, area_code: str, *, now: datetime | None = None) -> list[WarningMessage]:
    """An area's feed: the current message of each public warning in force that covers the area, an
    ancestor of it or a place beneath it, and the lifting (Cancel) messages of the last 24 hours."""
    now = now or utcnow()
    items, _ = list_messages(session, None, area_code=area_code, current=None, public_only=True, limit=500)
    out = []
    for m in items:
        if not m.is_current:
            continue
        if m.lifted:
            if as_utc(m.sent) >= now - timedelta(hours=24):
                out.append(m)
        elif m.expires is None or as_utc(m.expires) > now:
            out.append(m)
    return out


__all__ = ["issue", "lift", "receive", "update"]
