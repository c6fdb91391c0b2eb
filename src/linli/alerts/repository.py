"""All of the warnings' SQL: finding and reading messages (by identifier, a thread's current message,
coverage and areas, what a user may see, lists and an area's public feed), confirmations and the
progress table, and the people a warning reaches, as selectables handed to notify (the staff of a
subtree; residents holding a tag). Writes are `linli.alerts.service`; the CAP time format is in
`linli.alerts.kinds`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, case, false, func, literal_column, or_, select, true, update
from sqlalchemy.orm import Session

from linli.alerts import audience
from linli.alerts.models import WarningArea, WarningConfirmation, WarningCoverage, WarningMessage
from linli.alerts.schemas import AreaIn
from linli.areas.models import Area
from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import reach_clause, subtree_clause
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow
from linli.notify import outbox
from linli.residents.models import AccountLink, Person

# --- finding -------------------------------------------------------------------------------------


def by_identifier(session: Session, identifier: str) -> WarningMessage | None:
    return session.scalar(select(WarningMessage).where(WarningMessage.identifier == identifier))


def identifiers_starting(session: Session, prefix: str) -> int:
    """How many messages have an identifier starting with `prefix`."""
    return session.scalar(select(func.count()).where(WarningMessage.identifier.startswith(prefix))) or 0


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


def messages_of_thread(session: Session, thread: str) -> list[tuple[int, str]]:
    """(id, msgType) of every message of the thread."""
    stmt = select(WarningMessage.id, WarningMessage.msg_type).where(WarningMessage.thread == thread)
    return [(i, kind) for i, kind in session.execute(stmt)]


def supersede(session: Session, thread: str) -> None:
    """Every message of the thread no longer current (a new one is about to be)."""
    session.execute(update(WarningMessage).where(WarningMessage.thread == thread).values(is_current=False))


def in_force_told(session: Session, statuses: Sequence[str]) -> list[WarningMessage]:
    """The current messages of the warnings not lifted whose status is one of `statuses`."""
    return list(
        session.scalars(
            select(WarningMessage).where(
                WarningMessage.is_current.is_(True),
                WarningMessage.lifted.is_(False),
                WarningMessage.status.in_(statuses),
            )
        )
    )


def area_rows(session: Session, message_id: int) -> list[WarningArea]:
    """The CAP <area> blocks of a message, in their order."""
    stmt = select(WarningArea).where(WarningArea.message_id == message_id).order_by(WarningArea.position)
    return list(session.scalars(stmt))


def areas_of(session: Session, message: WarningMessage) -> list[AreaIn]:
    return [
        AreaIn(
            area_desc=a.area_desc,
            polygons=json.loads(a.polygons),
            circles=json.loads(a.circles),
            geocodes=[tuple(g) for g in json.loads(a.geocodes)],
            altitude=a.altitude,
            ceiling=a.ceiling,
        )
        for a in area_rows(session, message.id)
    ]


# --- reading -------------------------------------------------------------------------------------


def visible(session: Session, principal: Principal, message: WarningMessage) -> bool:
    """Whether the principal may read the message: it is for them (`linli.alerts.audience`, the rule
    the fan-out follows) and it covers their areas, an ancestor of one or a place beneath one."""
    where = audience.reader_codes(principal, audience.readers(message.status, message.scope))
    if where is None:
        return True
    if not where:
        return False
    clause = reach_clause(WarningCoverage.area_code, where)
    return bool(session.scalar(select(func.count()).where(WarningCoverage.message_id == message.id, clause)))


def readable_clause(principal: Principal, *conds):
    """SQL: the WarningMessages the principal may read (as `visible`), among those covering `conds`."""
    parts = []
    for which in audience.Readers:
        where = audience.reader_codes(principal, which)
        if where is not None and not where:
            continue
        reach = [] if where is None else [reach_clause(WarningCoverage.area_code, where)]
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


def _filtered(
    q: Select, current: bool | None, event_type: str | None, public_only: bool, one_per_warning: bool = False
) -> Select:
    if one_per_warning:  # a warning is its thread: its current message (a lifted one's is the Cancel)
        q = q.where(WarningMessage.is_current.is_(True))
    if current is True:
        q = q.where(WarningMessage.is_current.is_(True), WarningMessage.lifted.is_(False))
    elif current is False:
        q = q.where((WarningMessage.is_current.is_(False)) | (WarningMessage.lifted.is_(True)))
    if event_type:
        q = q.where(WarningMessage.event_type == event_type)
    if public_only:
        q = q.where(audience.clause(WarningMessage, audience.Readers.EVERYONE))
    return q


def list_messages(
    session: Session,
    principal: Principal | None,
    *,
    area_code: str | None = None,
    current: bool | None = None,
    event_type: str | None = None,
    public_only: bool = False,
    one_per_warning: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[WarningMessage], int]:
    """Messages covering places in (or above) `area_code` that the principal may read, newest first;
    `principal` None means the public (public messages only); `one_per_warning`: each warning once, by
    its current message."""
    conds = []
    if area_code:
        if principal is not None:
            principal.check(Permission.warnings_read, area_code, what=t("area {code}", code=area_code))
        elif not codes.is_valid(area_code):
            raise NotFound(t("area {code} does not exist", code=area_code))
        conds.append(reach_clause(WarningCoverage.area_code, [area_code]))
    q = select(WarningMessage)
    if principal is not None:
        q = q.where(readable_clause(principal, *conds))
    else:  # the public: public messages only, whatever the caller asked
        q = q.where(audience.clause(WarningMessage, audience.Readers.EVERYONE))
        if conds:
            q = q.where(WarningMessage.id.in_(select(WarningCoverage.message_id).where(*conds)))
    q = _filtered(q, current, event_type, public_only, one_per_warning)
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


# --- areas ---------------------------------------------------------------------------------------


def area(session: Session, code: str) -> Area | None:
    """The area of this (unpadded) code, retired or not."""
    return session.get(Area, code)


def live_area(session: Session, code: str) -> str | None:
    """The code, if an area that is not retired has it."""
    return session.scalar(select(Area.code).where(Area.code == code, Area.retired_at.is_(None)))


def area_names(session: Session, area_codes: Sequence[str]) -> dict[str, str]:
    if not area_codes:
        return {}
    return dict(session.execute(select(Area.code, Area.name).where(Area.code.in_(list(area_codes)))).all())


# --- the people a warning reaches (selectables for notify) ---------------------------------------


def confirmed_users(thread: str) -> Select:
    """The users who answered the warning (user ids)."""
    return select(WarningConfirmation.user_id).where(WarningConfirmation.thread == thread)


# --- confirmations and progress ------------------------------------------------------------------


def confirmation(session: Session, message_id: int, user_id: int | None, kind: str) -> WarningConfirmation | None:
    return session.scalar(
        select(WarningConfirmation).where(
            WarningConfirmation.message_id == message_id,
            WarningConfirmation.user_id == user_id,
            WarningConfirmation.kind == kind,
        )
    )


def confirmations_of(session: Session, thread: str, user_id: int | None) -> list[WarningConfirmation]:
    if user_id is None:
        return []
    return list(
        session.scalars(
            select(WarningConfirmation)
            .where(WarningConfirmation.thread == thread, WarningConfirmation.user_id == user_id)
            .order_by(WarningConfirmation.at, WarningConfirmation.id)
        )
    )


def confirmations_seen(session: Session, principal: Principal, thread: str) -> list[WarningConfirmation]:
    """Confirmations of the thread: the principal's own, and those in their deliveries.manage scope."""
    scope = principal.scope(Permission.deliveries_manage)
    q = select(WarningConfirmation).where(WarningConfirmation.thread == thread)
    if not scope.everything:
        own = WarningConfirmation.user_id == (principal.user_id or -1)
        q = q.where(own | scope.clause(WarningConfirmation.area_code) if not scope.empty else own)
    return list(session.scalars(q.order_by(WarningConfirmation.at, WarningConfirmation.id)))


def staff_progress(session: Session, ref_prefix: str, thread: str, area_code: str, cutoff: datetime) -> list:
    """Rows (child, staff, reached, confirmed, ok, danger, overdue) of the staff sent the thread's
    messages (refs starting with `ref_prefix`) in the subtree of `area_code`, by child area: each person
    once, with their answers; overdue are those without one first told at or before `cutoff`."""
    s = outbox.staff_recipients(ref_prefix, area_code).subquery("s")
    w = WarningConfirmation
    c = (
        select(
            w.user_id.label("user_id"),
            func.max(_one_if(w.kind == "patrolled_ok")).label("ok"),
            func.max(_one_if(w.kind == "danger_found")).label("danger"),
        )
        .where(w.thread == thread)
        .group_by(w.user_id)
        .subquery("c")
    )
    child = func.substr(s.c.area_code, 1, _length(codes.child_length(area_code)))
    stmt = (
        select(
            child.label("child"),
            func.count().label("staff"),
            func.sum(s.c.reached).label("reached"),
            func.sum(_one_if(c.c.user_id.is_not(None))).label("confirmed"),
            func.sum(func.coalesce(c.c.ok, 0)).label("ok"),
            func.sum(func.coalesce(c.c.danger, 0)).label("danger"),
            func.sum(_one_if(and_(c.c.user_id.is_(None), s.c.first_at <= cutoff))).label("overdue"),
        )
        .select_from(s.outerjoin(c, c.c.user_id == s.c.user_id))
        .group_by(child)
    )
    return list(session.execute(stmt))


def overdue_staff(session: Session, ref_prefix: str, thread: str, area_code: str, cutoff: datetime, limit: int) -> list:
    """The staff sent the thread's messages in the subtree of `area_code` who have not answered though
    first told at or before `cutoff`, by place then name: rows (user_id, display_name, username, area
    code padded, place name, person_id, person's area code, phone ciphertext) — the person being their
    own entry in the register, when their account is linked to one."""
    s = outbox.staff_recipients(ref_prefix, area_code).subquery("s")
    answered = select(WarningConfirmation.user_id).where(WarningConfirmation.thread == thread)
    stmt = (
        select(
            s.c.user_id,
            User.display_name,
            User.username,
            s.c.area_code,
            Area.name,
            Person.id,
            Person.area_code,
            Person.phone_enc,
        )
        .select_from(s)
        .join(User, User.id == s.c.user_id)
        .outerjoin(Area, Area.area_code == s.c.area_code)
        .outerjoin(AccountLink, AccountLink.user_id == s.c.user_id)
        .outerjoin(Person, Person.id == AccountLink.person_id)
        .where(s.c.first_at <= cutoff, s.c.user_id.not_in(answered))
        .order_by(s.c.area_code, User.display_name, User.id)
        .limit(limit)
    )
    return list(session.execute(stmt))


def _one_if(condition):
    return case((condition, 1), else_=0)


def _length(n: int):
    return literal_column(str(int(n)))


# --- demo data -----------------------------------------------------------------------------------


def generated_messages(session: Session) -> int:
    return session.scalar(select(func.count()).where(WarningMessage.generated.is_(True))) or 0


def first_grids(session: Session, area_code: str, n: int) -> list[str]:
    """The codes of the first `n` live grids in the subtree of `area_code`."""
    stmt = (
        select(Area.code)
        .where(Area.level == "grid", subtree_clause(Area.area_code, area_code), Area.retired_at.is_(None))
        .order_by(Area.code)
        .limit(n)
    )
    return list(session.scalars(stmt))


def user_named(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def persons_with_phone(session: Session, area_code: str, n: int) -> list[int]:
    """The first `n` persons (ids) with a phone in the subtree of `area_code`."""
    stmt = (
        select(Person.id)
        .where(subtree_clause(Person.area_code, area_code), Person.phone_enc.is_not(None))
        .order_by(Person.id)
        .limit(n)
    )
    return list(session.scalars(stmt))
