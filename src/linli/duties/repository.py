"""All SQL of the responsibility lists: a township's list, its duties (current or at a version), versions,
change requests (a list's, the county's queue), links to event categories and service items, and the
reports (items by list and category, changes over time, duties pushed down without a list entry)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.scope import AreaScope, subtree_clause
from linli.duties.models import Duty, DutyChange, DutyLink, DutyList, DutyVersion
from linli.events.models import Event, EventCategory, HandlingUnit
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.services.models import ServiceItem

READ = Permission.duties_read
WRITE = Permission.duties_write
REVIEW = Permission.duties_review


def township(session: Session, code: str) -> Area:
    """The township (street, town) `code`; 404 for anything else. Callers check the principal first."""
    area = area_repo.find_area(session, code) if codes.is_valid(code) else None
    if area is None or area.level != "township":
        raise NotFound(t("street or township {code} does not exist", code=code))
    return area


def names_of(session: Session, area_codes: list[str]) -> dict[str, str]:
    return area_repo.names_of(session, area_codes)


# --- lists and duties ------------------------------------------------------------------------------


def list_at(session: Session, code: str) -> DutyList | None:
    return session.scalar(select(DutyList).where(DutyList.area_code == codes.pad(code)))


def list_for_update(session: Session, list_id: int) -> DutyList | None:
    return session.get(DutyList, list_id, with_for_update=True)


def current_duties(session: Session, list_id: int) -> list[Duty]:
    q = select(Duty).where(Duty.list_id == list_id, Duty.removed_in.is_(None))
    return list(session.scalars(q.order_by(Duty.kind, Duty.code)))


def duties_at_version(session: Session, list_id: int, version: int) -> list[Duty]:
    """The list as it read at a version: duties added by then and not removed by then."""
    q = select(Duty).where(
        Duty.list_id == list_id,
        Duty.added_in <= version,
        or_(Duty.removed_in.is_(None), Duty.removed_in > version),
    )
    return list(session.scalars(q.order_by(Duty.kind, Duty.code)))


def current_duty(session: Session, list_id: int, code: str) -> Duty | None:
    return session.scalar(select(Duty).where(Duty.list_id == list_id, Duty.code == code, Duty.removed_in.is_(None)))


def versions(session: Session, list_id: int) -> list[DutyVersion]:
    return list(session.scalars(select(DutyVersion).where(DutyVersion.list_id == list_id).order_by(DutyVersion.number)))


def generated_lists(session: Session) -> int:
    return session.scalar(select(func.count()).where(DutyList.generated.is_(True))) or 0


# --- change requests -------------------------------------------------------------------------------


def change(session: Session, change_id: int, *, for_update: bool = False) -> DutyChange | None:
    return session.get(DutyChange, change_id, with_for_update=for_update)


def proposed(c: DutyChange) -> dict:
    return json.loads(c.proposed or "{}")


def changes_of_list(session: Session, list_id: int, limit: int = 50) -> list[DutyChange]:
    q = select(DutyChange).where(DutyChange.list_id == list_id).order_by(DutyChange.id.desc()).limit(limit)
    return list(session.scalars(q))


def pending_for_code(session: Session, list_id: int, duty_code: str) -> DutyChange | None:
    return session.scalar(
        select(DutyChange).where(
            DutyChange.list_id == list_id, DutyChange.duty_code == duty_code, DutyChange.state == "pending"
        )
    )


def pending_queue(session: Session, scope: AreaScope, code: str, limit: int = 100) -> list[DutyChange]:
    """Requests waiting for review inside an area (the county's queue), oldest first."""
    q = (
        select(DutyChange)
        .where(DutyChange.state == "pending", scope.clause(DutyChange.area_code))
        .where(subtree_clause(DutyChange.area_code, code))
        .order_by(DutyChange.id)
        .limit(limit)
    )
    return list(session.scalars(q))


def pending_count(session: Session, scope: AreaScope) -> int:
    q = select(func.count()).where(DutyChange.state == "pending", scope.clause(DutyChange.area_code))
    return session.scalar(q) or 0


# --- links -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Linked:
    link: DutyLink
    target_name: str


def links_of(session: Session, code: str) -> list[Linked]:
    """A township's links, each with the name of the category or item it names."""
    q = (
        select(DutyLink, EventCategory.name, ServiceItem.name)
        .outerjoin(EventCategory, EventCategory.code == DutyLink.event_category_code)
        .outerjoin(ServiceItem, ServiceItem.id == DutyLink.service_item_id)
        .where(DutyLink.area_code == codes.pad(code))
        .order_by(DutyLink.duty_code, DutyLink.id)
    )
    return [Linked(link, cat or item or "") for link, cat, item in session.execute(q)]


def link_exists(session: Session, code: str, duty_code: str, category: str | None, item_id: int | None) -> bool:
    q = select(DutyLink.id).where(
        DutyLink.area_code == codes.pad(code),
        DutyLink.duty_code == duty_code,
        DutyLink.event_category_code.is_(None) if category is None else DutyLink.event_category_code == category,
        DutyLink.service_item_id.is_(None) if item_id is None else DutyLink.service_item_id == item_id,
    )
    return session.scalar(q) is not None


def event_category(session: Session, code: str) -> EventCategory | None:
    return session.get(EventCategory, code)


def event_categories(session: Session) -> list[EventCategory]:
    return list(
        session.scalars(select(EventCategory).where(EventCategory.active.is_(True)).order_by(EventCategory.code))
    )


def service_item(session: Session, item_id: int) -> ServiceItem | None:
    return session.get(ServiceItem, item_id)


def service_items_for(session: Session, code: str) -> list[ServiceItem]:
    """The active service items defined at the township's province, city or county (a picker's choices)."""
    wanted = [codes.pad(c) for c in codes.ancestors(code)]
    q = select(ServiceItem).where(ServiceItem.area_code.in_(wanted), ServiceItem.active.is_(True))
    return list(session.scalars(q.order_by(ServiceItem.basic_code)))


def duty_for_category(session: Session, code: str, category_code: str) -> Duty | None:
    """The current duty of a township's list that an event category (or its 大类) is linked to: who is
    responsible for such an event there. None when the list holds none."""
    q = (
        select(Duty)
        .join(DutyLink, and_(DutyLink.area_code == Duty.area_code, DutyLink.duty_code == Duty.code))
        .where(Duty.area_code == codes.pad(code), Duty.removed_in.is_(None))
        .where(DutyLink.event_category_code.in_({category_code, category_code[:2]}))
        .order_by(func.length(DutyLink.event_category_code).desc(), Duty.code)
        .limit(1)
    )
    return session.scalar(q)


def duty_for_service_item(session: Session, code: str, item_id: int) -> Duty | None:
    """The current duty of a township's list that a service item is linked to (the item's page says
    which duty handling it discharges there). None when the list holds none."""
    q = (
        select(Duty)
        .join(DutyLink, and_(DutyLink.area_code == Duty.area_code, DutyLink.duty_code == Duty.code))
        .where(Duty.area_code == codes.pad(code), Duty.removed_in.is_(None), DutyLink.service_item_id == item_id)
        .order_by(Duty.code)
        .limit(1)
    )
    return session.scalar(q)


# --- reports ---------------------------------------------------------------------------------------


def items_by_list(session: Session, scope: AreaScope, code: str) -> list[tuple[str, str, str, int]]:
    """(township, kind, category, count) of the current lists inside an area (the partial index)."""
    q = (
        select(Duty.area_code, Duty.kind, Duty.category, func.count())
        .where(Duty.removed_in.is_(None), scope.clause(Duty.area_code), subtree_clause(Duty.area_code, code))
        .group_by(Duty.area_code, Duty.kind, Duty.category)
        .order_by(Duty.area_code, Duty.kind, Duty.category)
    )
    return [(codes.unpad(a), k, c, n) for a, k, c, n in session.execute(q)]


def changes_by_month(session: Session, scope: AreaScope, code: str) -> list[tuple[str, str, int]]:
    """(YYYY-MM, action, count) of approved changes inside an area, by the month they were approved."""
    q = select(DutyChange.reviewed_at, DutyChange.action).where(
        DutyChange.state == "approved", scope.clause(DutyChange.area_code), subtree_clause(DutyChange.area_code, code)
    )
    counted = Counter((at.strftime("%Y-%m"), action) for at, action in session.execute(q) if at is not None)
    return [(m, a, n) for (m, a), n in sorted(counted.items())]


def _held_categories(session: Session, scope: AreaScope, code: str) -> dict[str, set[str]]:
    """township → the event categories its current list holds (through links of current duties)."""
    q = (
        select(DutyLink.area_code, DutyLink.event_category_code)
        .join(Duty, and_(Duty.area_code == DutyLink.area_code, Duty.code == DutyLink.duty_code))
        .where(Duty.removed_in.is_(None), DutyLink.event_category_code.is_not(None))
        .where(scope.clause(DutyLink.area_code), subtree_clause(DutyLink.area_code, code))
    )
    held: dict[str, set[str]] = {}
    for area, category in session.execute(q):
        held.setdefault(codes.unpad(area), set()).add(category)
    return held


def unlisted_dispatches(session: Session, scope: AreaScope, code: str) -> list[tuple[str, str, str, int]]:
    """Duties pushed down without a list entry: (township, category, its name, events) of events dispatched
    to a unit sitting at a township for a category the township's current list does not hold (neither the
    小类 nor its 大类 is linked to a duty in the list)."""
    q = (
        select(HandlingUnit.area_code, Event.category_code, EventCategory.name, func.count())
        .join(HandlingUnit, HandlingUnit.id == Event.unit_id)
        .join(EventCategory, EventCategory.code == Event.category_code)
        .where(Event.dispatched_at.is_not(None), scope.clause(Event.area_code), subtree_clause(Event.area_code, code))
        .where(subtree_clause(HandlingUnit.area_code, code))
        .group_by(HandlingUnit.area_code, Event.category_code, EventCategory.name)
    )
    held = _held_categories(session, scope, code)
    out = []
    for unit_area, category, name, n in session.execute(q):
        town = codes.unpad(unit_area)
        if len(town) != 9:
            continue  # a county department's or a community's unit: not pushed down to a township
        linked = held.get(town, set())
        if category not in linked and category[:2] not in linked:
            out.append((town, category, name, n))
    return sorted(out)
