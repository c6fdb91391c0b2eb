"""The event catalogue (categories, time limits, units, routing rules, unit members) cached per process.

Every report needs its category, its limits, its unit by the routing rules and the members to tell;
reading them from the database cost six round trips per report. They change rarely (an official
editing a limit or a rule), so each process keeps a read-only snapshot under a version in `meta`:
any flush that adds, changes or deletes one of these rows writes a new version at commit, and every
process reloads on its next transaction. A transaction that changed the catalogue itself reads its own,
uncommitted catalogue until it commits: loaded again after each flush that changes it (and after a
rollback, a savepoint's included), kept between them (the demo writes its catalogue, then 3,000 events
that read it, in one transaction).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from linli.db.meta import bump_version, register_version_key, version_of
from linli.events.models import CategoryLimit, EventCategory, HandlingUnit, RoutingRule, UnitArea, UnitMember
from linli.events.schemas import StageLimits
from linli.kit import codes

VERSION_KEY = register_version_key("event_catalog_version")
CHANGED = "linli.events.catalog_changed"
OWN = "linli.events.own_catalog"  # this transaction's uncommitted catalogue, until it changes again
CATALOG_MODELS = (EventCategory, CategoryLimit, HandlingUnit, UnitArea, UnitMember, RoutingRule)


@dataclass(frozen=True)
class CategoryInfo:
    code: str
    parent_code: str | None
    name: str
    name_en: str
    unit_kind: str
    limits: StageLimits
    active: bool


@dataclass
class Catalog:
    version: str | None
    categories: dict[str, CategoryInfo] = field(default_factory=dict)
    limits: dict[tuple[str, str], StageLimits] = field(default_factory=dict)  # (category, padded area)
    rules: dict[tuple[str, str], int] = field(default_factory=dict)  # (category, padded area) → active unit
    desks: dict[str, int] = field(default_factory=dict)  # padded township code → dispatch desk
    unit_names: dict[int, str] = field(default_factory=dict)
    members: dict[int, tuple[int, ...]] = field(default_factory=dict)
    category_names: dict[str, str] = field(default_factory=dict)

    def limit_override(self, category_code: str, area_code: str) -> StageLimits | None:
        """The limits set by the deepest area at or above `area_code`, if any."""
        for code in _self_and_ancestors_padded(area_code):
            row = self.limits.get((category_code, code))
            if row is not None:
                return row
        return None

    def routed_unit_id(self, category: CategoryInfo | EventCategory, area_code: str) -> int | None:
        """The unit of the rule of the deepest area above; a sub-category's rule beats its parent's."""
        cats = [category.code] + ([category.parent_code] if category.parent_code else [])
        for code in _self_and_ancestors_padded(area_code):
            for cat in cats:
                unit = self.rules.get((cat, code))
                if unit is not None:
                    return unit
        return None


def _self_and_ancestors_padded(area_code: str) -> list[str]:
    real = codes.unpad(area_code)
    return [codes.pad(c) for c in reversed([*codes.ancestors(real), real])]


def _load(session: Session, version: str | None) -> Catalog:
    cat = Catalog(version)
    for c in session.scalars(select(EventCategory)):
        cat.categories[c.code] = CategoryInfo(
            c.code, c.parent_code, c.name, c.name_en, c.unit_kind, StageLimits.of_row(c), c.active
        )
    for row in session.scalars(select(CategoryLimit)):
        cat.limits[(row.category_code, row.area_code)] = StageLimits.of_row(row)
    active: set[int] = set()
    for uid, name, kind, area_code, is_active in session.execute(
        select(HandlingUnit.id, HandlingUnit.name, HandlingUnit.kind, HandlingUnit.area_code, HandlingUnit.active)
    ):
        cat.unit_names[uid] = name
        if is_active:
            active.add(uid)
        if kind == "dispatch_desk":
            cat.desks.setdefault(area_code, uid)  # the first desk, as the query by area did
    for category_code, area_code, unit_id in session.execute(
        select(RoutingRule.category_code, RoutingRule.area_code, RoutingRule.unit_id)
    ):
        if unit_id in active:
            cat.rules[(category_code, area_code)] = unit_id
    members: dict[int, list[int]] = {}
    for unit_id, user_id in session.execute(select(UnitMember.unit_id, UnitMember.user_id).order_by(UnitMember.id)):
        members.setdefault(unit_id, []).append(user_id)
    cat.members = {k: tuple(v) for k, v in members.items()}
    cat.category_names = {code: c.name for code, c in cat.categories.items()}
    return cat


class CatalogCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Catalog | None = None

    def for_session(self, session: Session) -> Catalog:
        if _pending_changes(session):
            session.flush()  # as the first query would (autoflush); _note_changes forgets OWN
        if session.info.get(CHANGED):
            own = session.info.get(OWN)
            if own is None:
                own = session.info[OWN] = _load(session, None)  # this transaction's own catalogue
            return own
        version = version_of(session, VERSION_KEY)
        if version is None:  # never versioned (a database from before the cache): no caching
            return _load(session, None)
        current = self._current
        if current is not None and current.version == version:
            return current
        with self._lock:
            if self._current is None or self._current.version != version:
                self._current = _load(session, version)
            return self._current

    def invalidate(self) -> None:
        self._current = None


CATALOG = CatalogCache()


def _pending_changes(session: Session) -> bool:
    return any(isinstance(o, CATALOG_MODELS) for o in chain(session.new, session.dirty, session.deleted))


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    if _pending_changes(session):
        session.info[CHANGED] = True
        session.info.pop(OWN, None)


@event.listens_for(Session, "before_commit")
def _version_changes(session: Session) -> None:
    if session.in_nested_transaction():
        return
    if _pending_changes(session):
        session.flush()
    session.info.pop(OWN, None)
    if session.info.pop(CHANGED, False):
        bump_version(session, VERSION_KEY)


@event.listens_for(Session, "after_soft_rollback")
def _forget_changes(session: Session, previous_transaction) -> None:
    session.info.pop(OWN, None)  # a savepoint's rollback may have undone a change it holds
    if not previous_transaction.nested:
        session.info.pop(CHANGED, None)
