"""Finding and reading warning messages: by identifier, a thread's current message, coverage and
areas, what a user may see, lists and an area's public feed; and the CAP time format. Reads only
(`linli.alerts.service` writes)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from linli.alerts import audience
from linli.alerts.models import WarningArea, WarningCoverage, WarningMessage
from linli.alerts.schemas import AreaIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING, as_utc, utcnow


def now_cst() -> datetime:
    return utcnow().astimezone(BEIJING).replace(microsecond=0)


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


def geocoded_areas(session: Session, message_id: int) -> list[str]:
    """The areas a message names by code (not those its polygons or circles reach), unpadded."""
    rows = session.scalars(
        select(WarningCoverage.area_code)
        .where(WarningCoverage.message_id == message_id, WarningCoverage.via == "geocode")
        .order_by(WarningCoverage.area_code)
    )
    return [codes.unpad(c) for c in rows]


def current_of_thread(session: Session, thread: str, *, for_update: bool = False) -> WarningMessage | None:
    q = select(WarningMessage).where(WarningMessage.thread == thread, WarningMessage.is_current.is_(True))
    if for_update:
        q = q.with_for_update()
    return session.scalar(q)


def areas_of(session: Session, message: WarningMessage) -> list[AreaIn]:
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


def cap_time(value: datetime, tz_minutes: int = 480) -> str:
    return as_utc(value).astimezone(timezone(timedelta(minutes=tz_minutes))).replace(microsecond=0).isoformat()


# --- reading -----------------------------------------------------------------------------------


def _reach_clause(column, codes_in: list[str], ancestors_of: list[str]):
    """column (padded) in a subtree of `codes_in` or equal to an ancestor of one of `ancestors_of`."""
    parts = []
    for c in codes_in:
        low, high = codes.subtree_range(c)
        parts.append(and_(column >= low, column < high))
    anc = {codes.pad(a) for c in ancestors_of for a in codes.ancestors(c)}
    if anc:
        parts.append(column.in_(sorted(anc)))
    return or_(*parts) if parts else false()


def visible(session: Session, principal: Principal, message: WarningMessage) -> bool:
    """Whether the principal may read the message: it is for them (`linli.alerts.audience`, the rule
    the fan-out follows) and it covers their areas, an ancestor of one or a place beneath one."""
    where = audience.reader_codes(principal, audience.readers(message.status, message.scope))
    if where is None:
        return True
    if not where:
        return False
    clause = _reach_clause(WarningCoverage.area_code, where, where)
    return bool(session.scalar(select(func.count()).where(WarningCoverage.message_id == message.id, clause)))


def readable_clause(principal: Principal, *conds):
    """SQL: the WarningMessages the principal may read (as `visible`), among those covering `conds`."""
    parts = []
    for which in audience.Readers:
        where = audience.reader_codes(principal, which)
        if where is not None and not where:
            continue
        reach = [] if where is None else [_reach_clause(WarningCoverage.area_code, where, where)]
        covering = [*conds, *reach]
        ids = WarningMessage.id.in_(select(WarningCoverage.message_id).where(*covering)) if covering else true()
        parts.append(and_(audience.clause(WarningMessage, which), ids))
    return or_(*parts) if parts else false()


def get_visible(session: Session, principal: Principal, identifier: str) -> WarningMessage:
    m = by_identifier(session, identifier)
    if m is None or not visible(session, principal, m):
        raise NotFound(t("warning {identifier} does not exist", identifier=identifier))
    return m


def chain(session: Session, message: WarningMessage, principal: Principal | None = None) -> list[WarningMessage]:
    """The messages of the message's warning, oldest first; with a principal, those they may read."""
    msgs = session.scalars(
        select(WarningMessage)
        .where(WarningMessage.thread == message.thread)
        .order_by(WarningMessage.sent, WarningMessage.id)
    )
    return [m for m in msgs if principal is None or m.id == message.id or visible(session, principal, m)]


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
    """Messages covering places in (or above) `area_code` that the principal may read, newest first;
    `principal` None means the public (public messages only)."""
    conds = []
    if area_code:
        if principal is not None:
            principal.check(Permission.warnings_read, area_code, what=t("area {code}", code=area_code))
        elif not codes.is_valid(area_code):
            raise NotFound(t("area {code} does not exist", code=area_code))
        conds.append(_reach_clause(WarningCoverage.area_code, [area_code], [area_code]))
    q = select(WarningMessage)
    if principal is not None:
        q = q.where(readable_clause(principal, *conds))
    else:  # the public: public messages only, whatever the caller asked
        q = q.where(audience.clause(WarningMessage, audience.Readers.EVERYONE))
        if conds:
            q = q.where(WarningMessage.id.in_(select(WarningCoverage.message_id).where(*conds)))
    if current is True:
        q = q.where(WarningMessage.is_current.is_(True), WarningMessage.lifted.is_(False))
    elif current is False:
        q = q.where((WarningMessage.is_current.is_(False)) | (WarningMessage.lifted.is_(True)))
    if event_type:
        q = q.where(WarningMessage.event_type == event_type)
    if public_only:
        q = q.where(audience.clause(WarningMessage, audience.Readers.EVERYONE))
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
