"""All SQL of the services domain: the catalogue (items, offers), applications (who may read which,
lists, the counter's queue, one's own), and the figures per item and per area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, ancestors_clause, subtree_clause
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.residents import repository as residents_repo
from linli.residents.models import Person
from linli.services.kinds import CLOSED_STATES, LEVEL_LENGTH
from linli.services.models import (
    Application,
    ApplicationLog,
    ApplicationMaterial,
    ServiceFigures,
    ServiceItem,
    ServiceOffer,
)

READ = Permission.services_read
HANDLE = Permission.services_handle


def missing(application_id: int) -> NotFound:
    return NotFound(t("application {id} does not exist", id=application_id))


def area_exists(session: Session, code: str) -> bool:
    return area_repo.find_area(session, code) is not None


# --- the catalogue ---------------------------------------------------------------------------------


def item_by_code(session: Session, basic_code: str) -> ServiceItem | None:
    return session.scalar(select(ServiceItem).where(ServiceItem.basic_code == basic_code))


def item_by_id(session: Session, item_id: int) -> ServiceItem | None:
    return session.get(ServiceItem, item_id)


def items_by_code(session: Session, basic_codes: Sequence[str]) -> dict[str, ServiceItem]:
    if not basic_codes:
        return {}
    rows = session.scalars(select(ServiceItem).where(ServiceItem.basic_code.in_(sorted(set(basic_codes)))))
    return {i.basic_code: i for i in rows}


def offer_at(session: Session, item_id: int, area_code: str) -> ServiceOffer | None:
    return session.scalar(
        select(ServiceOffer).where(ServiceOffer.item_id == item_id, ServiceOffer.area_code == codes.pad(area_code))
    )


def offer_with_item(session: Session, offer_id: int) -> tuple[ServiceOffer, ServiceItem] | None:
    row = session.execute(
        select(ServiceOffer, ServiceItem)
        .join(ServiceItem, ServiceItem.id == ServiceOffer.item_id)
        .where(ServiceOffer.id == offer_id)
    ).first()
    return (row[0], row[1]) if row else None


def public_offer(session: Session, offer_id: int) -> tuple[ServiceOffer, ServiceItem]:
    """An enabled offer of an active item: what anyone may read (the catalogue is public)."""
    found = offer_with_item(session, offer_id)
    if found is None or not found[0].enabled or not found[1].active:
        raise NotFound(t("service {id} does not exist", id=offer_id))
    return found


def offers_at(session: Session, area_code: str, *, enabled_only: bool = True) -> list[tuple[ServiceOffer, ServiceItem]]:
    """The items enabled at an area (exactly there), by name."""
    q = (
        select(ServiceOffer, ServiceItem)
        .join(ServiceItem, ServiceItem.id == ServiceOffer.item_id)
        .where(ServiceOffer.area_code == codes.pad(area_code))
    )
    if enabled_only:
        q = q.where(ServiceOffer.enabled.is_(True), ServiceItem.active.is_(True))
    return [(o, i) for o, i in session.execute(q.order_by(ServiceItem.main_name, ServiceItem.name, ServiceItem.id))]


def items_for_area(session: Session, area_code: str) -> list[ServiceItem]:
    """The items an area may enable: those defined at it or above it, by code."""
    q = select(ServiceItem).where(
        or_(ancestors_clause(ServiceItem.area_code, [area_code]), ServiceItem.area_code == codes.pad(area_code)),
        ServiceItem.active.is_(True),
    )
    return list(session.scalars(q.order_by(ServiceItem.basic_code)))


def offers_under(session: Session, area_code: str) -> list[tuple[ServiceOffer, ServiceItem]]:
    """Every offer inside an area's subtree (its own too), for the catalogue's export."""
    q = (
        select(ServiceOffer, ServiceItem)
        .join(ServiceItem, ServiceItem.id == ServiceOffer.item_id)
        .where(subtree_clause(ServiceOffer.area_code, area_code))
        .order_by(ServiceOffer.area_code, ServiceItem.basic_code)
    )
    return [(o, i) for o, i in session.execute(q)]


def communities_of(session: Session, code: str) -> list[str]:
    """The codes of the communities (villages) of a street or township."""
    return sorted(area_repo.child_names(session, code))


def generated_items(session: Session) -> int:
    return session.scalar(select(func.count()).where(ServiceItem.generated.is_(True))) or 0


def generated_offers_at(session: Session, area_code: str) -> int:
    return (
        session.scalar(
            select(func.count()).where(ServiceOffer.generated.is_(True), ServiceOffer.area_code == codes.pad(area_code))
        )
        or 0
    )


# --- the applicant ---------------------------------------------------------------------------------


def linked_person(session: Session, user_id: int | None) -> Person | None:
    """The register entry an account is linked to (data entered once: the application reads it)."""
    if user_id is None:
        return None
    link = residents_repo.account_link_of_user(session, user_id)
    return residents_repo.person_by_id(session, link.person_id) if link else None


def person_by_id(session: Session, person_id: int) -> Person | None:
    return residents_repo.person_by_id(session, person_id)


def account_of_person(session: Session, person_id: int) -> int | None:
    link = residents_repo.account_link_of_person(session, person_id)
    return link.user_id if link else None


def household_address(session: Session, person: Person) -> str:
    if person.household_id is None:
        return ""
    h = residents_repo.household_by_id(session, person.household_id)
    return " ".join(x for x in (h.address, h.unit, h.room) if x) if h else ""


# --- applications ----------------------------------------------------------------------------------


def may_read(principal: Principal, app: Application, own_person: int | None = None) -> bool:
    """Staff of its area, the account that applied or follows it, or the applicant's linked account."""
    return (
        principal.can(READ, app.area_code)
        or principal.can(HANDLE, app.area_code)
        or (principal.user_id is not None and app.user_id == principal.user_id)
        or (own_person is not None and app.person_id == own_person)
    )


def own_person_id(session: Session, principal: Principal) -> int | None:
    """The register entry the principal's account is linked to (their applications made at the counter)."""
    if principal.user_id is None:
        return None
    link = residents_repo.account_link_of_user(session, principal.user_id)
    return link.person_id if link else None


def get_readable(session: Session, principal: Principal, application_id: int) -> Application:
    app = session.get(Application, application_id)
    if app is None or not (may_read(principal, app) or may_read(principal, app, own_person_id(session, principal))):
        raise missing(application_id)
    return app


def application_for_update(session: Session, application_id: int) -> Application | None:
    return session.get(Application, application_id, with_for_update=True)


def staff_scope(principal: Principal) -> AreaScope:
    """Where the principal sees applications as staff (every role that handles them also reads them)."""
    return principal.scope(READ)


def overdue_clause(now: datetime):
    """In process past its step's deadline or the promised one (read along the partial index of those
    in process; the promised deadline starts at acceptance)."""
    return and_(Application.state == "in_process", or_(Application.step_due_at < now, Application.due_at < now))


@dataclass(frozen=True)
class Filters:
    area_code: str | None
    state: str | None = None
    item_id: int | None = None
    overdue: bool = False
    level: str | None = None  # in process at a unit of this level


def _listing(principal: Principal, f: Filters, now: datetime) -> Select:
    q = select(Application).where(staff_scope(principal).clause(Application.area_code))
    if f.area_code:
        q = q.where(subtree_clause(Application.area_code, f.area_code))
    if f.state:
        q = q.where(Application.state == f.state)
    if f.item_id:
        q = q.where(Application.item_id == f.item_id)
    if f.level:
        q = q.where(Application.state == "in_process", Application.step_level == f.level)
    if f.overdue:
        q = q.where(overdue_clause(now))
    return q


def list_for_area(
    session: Session, principal: Principal, f: Filters, now: datetime, *, offset: int = 0, limit: int = 50
) -> tuple[list[Application], int]:
    """Applications inside an area the principal reads, newest first (the counter's queue with a state)."""
    q = _listing(principal, f, now)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    order = (Application.step_due_at, Application.id) if f.level or f.overdue else (Application.submitted_at.desc(),)
    rows = session.scalars(q.order_by(*order, Application.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def list_mine(session: Session, principal: Principal, *, offset: int = 0, limit: int = 50):
    if principal.user_id is None:
        return [], 0
    mine = Application.user_id == principal.user_id
    person = own_person_id(session, principal)
    q = select(Application).where(or_(mine, Application.person_id == person) if person else mine)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(
        q.order_by(Application.submitted_at.desc(), Application.id.desc()).offset(offset).limit(limit)
    )
    return list(rows), total


def names_of_items(session: Session, item_ids: Sequence[int]) -> dict[int, str]:
    if not item_ids:
        return {}
    q = select(ServiceItem.id, ServiceItem.name).where(ServiceItem.id.in_(sorted(set(item_ids))))
    return {i: name for i, name in session.execute(q)}


def materials_of(session: Session, application_id: int) -> dict[int, ApplicationMaterial]:
    q = select(ApplicationMaterial).where(ApplicationMaterial.application_id == application_id)
    return {m.position: m for m in session.scalars(q)}


def material_at(session: Session, application_id: int, position: int) -> ApplicationMaterial | None:
    return session.scalar(
        select(ApplicationMaterial).where(
            ApplicationMaterial.application_id == application_id, ApplicationMaterial.position == position
        )
    )


def log_of(session: Session, application_id: int) -> list[ApplicationLog]:
    q = select(ApplicationLog).where(ApplicationLog.application_id == application_id)
    return list(session.scalars(q.order_by(ApplicationLog.at, ApplicationLog.id)))


def count_where(session: Session, scope: AreaScope, *conds) -> int:
    return session.scalar(select(func.count()).where(scope.clause(Application.area_code), *conds)) or 0


def generated_applications(session: Session) -> int:
    return session.scalar(select(func.count()).where(Application.generated.is_(True))) or 0


# --- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    key: str
    total: int
    open: int
    decided: int
    on_time: int
    working_days: float | None  # average over the decided
    visits: float | None  # average over the decided

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.decided if self.decided else None


def bump(session: Session, area_code: str, item_id: int, **deltas: float) -> None:
    """Add to the running totals of a community's item (a row made on its first application)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {"total": 0, "open": 0, "decided": 0, "on_time": 0, "working_days": 0.0, "visits": 0, **deltas}
    stmt = dialect.insert(ServiceFigures).values(area_code=area_code, item_id=item_id, **values)
    t = ServiceFigures.__table__
    stmt = stmt.on_conflict_do_update(
        index_elements=[t.c.area_code, t.c.item_id], set_={k: t.c[k] + stmt.excluded[k] for k in deltas}
    )
    session.execute(stmt)


def rebuild_figures(session: Session) -> int:
    """Recount every community's totals from the applications themselves; returns the rows written."""
    decided = Application.decided_at.is_not(None)
    q = select(
        Application.area_code,
        Application.item_id,
        func.count(),
        func.sum(case((Application.state.not_in(CLOSED_STATES), 1), else_=0)),
        func.sum(case((decided, 1), else_=0)),
        func.sum(case((Application.on_time.is_(True), 1), else_=0)),
        func.coalesce(func.sum(case((decided, Application.working_days), else_=0.0)), 0.0),
        func.coalesce(func.sum(case((decided, Application.visits), else_=0)), 0),
    ).group_by(Application.area_code, Application.item_id)
    session.execute(delete(ServiceFigures))
    keys = ("area_code", "item_id", "total", "open", "decided", "on_time", "working_days", "visits")
    rows = [dict(zip(keys, r, strict=True)) for r in session.execute(q)]
    if rows:
        session.execute(insert(ServiceFigures), rows)
    return len(rows)


def _measures():
    f = ServiceFigures
    return (func.sum(f.total), func.sum(f.open), func.sum(f.decided), func.sum(f.on_time), func.sum(f.working_days),
            func.sum(f.visits))  # fmt: skip


def _figures(rows) -> list[Figures]:
    out = []
    for key, total, open_, decided, on_time, days, visits in rows:
        d = int(decided or 0)
        days_avg, visits_avg = (float(days) / d, float(visits) / d) if d else (None, None)
        out.append(Figures(str(key), int(total), int(open_ or 0), d, int(on_time or 0), days_avg, visits_avg))
    return out


def figures_by_item(session: Session, scope: AreaScope, area_code: str) -> list[Figures]:
    """Per item inside an area: volumes, decided on time, average working days and visits."""
    f = ServiceFigures
    q = select(f.item_id, *_measures()).where(scope.clause(f.area_code), subtree_clause(f.area_code, area_code))
    return _figures(session.execute(q.group_by(f.item_id)))


def figures_by_child(session: Session, scope: AreaScope, area_code: str) -> list[Figures]:
    """Per child area of an area (rolled up from the communities beneath)."""
    f = ServiceFigures
    child = func.substr(f.area_code, 1, min(codes.child_length(area_code), LEVEL_LENGTH["community"]))
    q = select(child, *_measures()).where(scope.clause(f.area_code), subtree_clause(f.area_code, area_code))
    return _figures(session.execute(q.group_by(child)))


def applicants_named(session: Session, community: str, scope: AreaScope, name: str, limit: int = 20) -> list[Person]:
    """People present in a community whose name contains `name`: the counter's picker."""
    rows, _ = residents_repo.search_persons(
        session, community, scope, name=name, id_bidx=None, phone_bidx=None, tag=None, born_after=None,
        born_before=None, status="present", offset=0, limit=limit, today=date.today(),
    )  # fmt: skip
    return rows


def household_of(session: Session, person: Person) -> list[Person]:
    """The person and the others present in their household."""
    return residents_repo.members(session, person.household_id) if person.household_id else [person]


def refreshed(session: Session, app: Application) -> Application:
    """The application as the database has it now (after a refused change, to show the page again)."""
    session.refresh(app)
    return app
