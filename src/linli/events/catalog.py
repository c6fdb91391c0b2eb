"""Categories with their time limits, handling units with their members and areas, routing rules."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.accounts import repository as users
from linli.areas.models import Area
from linli.audit.service import record
from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events import repository as repo
from linli.events.catalog_cache import CATALOG, CategoryInfo
from linli.events.models import CategoryLimit, EventCategory, HandlingUnit, RoutingRule, UnitArea, UnitMember
from linli.events.schemas import LimitsIn, RuleIn, StageLimits, UnitIn, UnitOut
from linli.kit import codes
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t

UNIT_KINDS = {
    "dispatch_desk": "调度台 dispatch desk (township grid-management centre)",
    "street_department": "街道科室 street-office department",
    "county_department": "县区职能部门 county department",
    "utility": "公用事业单位 utility",
    "property_company": "物业公司 property company",
    "police_station": "派出所 police station",
    "court": "法庭/法官 court or judge in the grid",
}


def _unknown_category(code: str) -> InvalidInput:
    return InvalidInput(
        t("unknown event category {code!r}; see GET /api/v1/event-categories", code=code), code="unknown_category"
    )


def get_category(session: Session, code: str) -> EventCategory:
    cat = repo.category(session, code)
    if cat is None or not cat.active:
        raise _unknown_category(code)
    return cat


def reportable_category(session: Session, code: str) -> CategoryInfo:
    """A sub-category (小类): events are reported against the second level of the tree."""
    cat = CATALOG.for_session(session).categories.get(code)
    if cat is None or not cat.active:
        raise _unknown_category(code)
    if cat.parent_code is None:
        raise InvalidInput(
            t(
                "{code} ({name}) is a main category (大类); report under one of its sub-categories (小类)",
                code=code,
                name=cat.name,
            ),
            code="unknown_category",
        )
    return cat


def limits_for(session: Session, cat: EventCategory | CategoryInfo, area_code: str) -> StageLimits:
    """The limits of a category at a (padded) area: the deepest area's own, else the category's."""
    catalog = CATALOG.for_session(session)
    row = catalog.limit_override(cat.code, area_code)
    if row is not None:
        return row
    info = catalog.categories.get(cat.code)
    if info is not None:
        return info.limits
    return cat.limits if isinstance(cat, CategoryInfo) else StageLimits.of_row(cat)


def _area(session: Session, principal: Principal, code: str) -> Area:
    if not codes.is_valid(code):
        raise InvalidInput(t("{code!r} is not an area code", code=code))
    area = session.get(Area, code)
    if area is None or not principal.visible.contains(code):
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def set_limits(session: Session, principal: Principal, category_code: str, body: LimitsIn) -> CategoryLimit:
    """An official's limits for a category in their area (the deepest area's limits apply beneath it)."""
    cat = get_category(session, category_code)
    _area(session, principal, body.area_code)
    principal.check(Permission.categories_manage, body.area_code, what=t("area {code}", code=body.area_code))
    padded = codes.pad(body.area_code)
    row = repo.limits_set_at(session, cat.code, padded)
    before = None
    values = body.model_dump(exclude={"area_code"})
    if row is None:
        row = CategoryLimit(category_code=cat.code, area_code=padded, **values)
        session.add(row)
    else:
        before = {k: getattr(row, k) for k in values}
        for k, v in values.items():
            setattr(row, k, v)
    session.flush()
    record(session, principal, "event_category.limits", "event_category", cat.code, padded, before=before, after=values)
    return row


def unit_out(u: HandlingUnit, serves: list[str]) -> UnitOut:
    return UnitOut(
        id=u.id,
        name=u.name,
        kind=u.kind,
        area_code=codes.unpad(u.area_code),
        serves=serves,
        active=u.active,
        generated=u.generated,
    )


def get_unit(session: Session, principal: Principal, unit_id: int) -> HandlingUnit:
    u = repo.unit(session, unit_id, principal.scope(Permission.events_read))
    if u is None:
        raise NotFound(t("handling unit {unit_id} does not exist", unit_id=unit_id))
    return u


def create_unit(session: Session, principal: Principal, body: UnitIn, *, generated: bool = False) -> HandlingUnit:
    if body.kind not in UNIT_KINDS:
        raise InvalidInput(
            t("unknown unit kind {kind!r}; kinds are: {kinds}", kind=body.kind, kinds=", ".join(UNIT_KINDS))
        )
    _area(session, principal, body.area_code)
    principal.check(Permission.events_manage, body.area_code, what=t("area {code}", code=body.area_code))
    for code in body.serves:
        _area(session, principal, code)
        principal.check(Permission.events_manage, code, what=t("area {code}", code=code))
    u = HandlingUnit(name=body.name.strip(), kind=body.kind, area_code=codes.pad(body.area_code), generated=generated)
    session.add(u)
    session.flush()
    for code in dict.fromkeys(body.serves):
        session.add(UnitArea(unit_id=u.id, area_code=codes.pad(code)))
    session.flush()
    record(session, principal, "unit.create", "handling_unit", u.id, u.area_code, after=body.model_dump())
    return u


def add_member(session: Session, principal: Principal, unit_id: int, user_id: int) -> UnitMember:
    u = get_unit(session, principal, unit_id)
    principal.check(Permission.events_manage, u.area_code, what=t("handling unit {unit_id}", unit_id=unit_id))
    # A member accepts, returns and handles the unit's events: adding one hands on events.handle, so
    # the one who adds must hold it there (no-escalation) and reach the account (all its grants).
    if not principal.can(Permission.events_handle, u.area_code):
        raise Forbidden(
            t(
                "you cannot add members to {unit}: members handle its events, and you do not hold events.handle there",
                unit=u.name,
            )
        )
    user = session.get(User, user_id)
    if user is None or not users.reachable(session, principal.scope(Permission.events_manage), user_id):
        raise NotFound(t("user {user_id} does not exist", user_id=user_id))
    if repo.is_member(session, u.id, user_id):
        raise Conflict(t("{username} is already a member of {unit}", username=user.username, unit=u.name))
    m = UnitMember(unit_id=u.id, user_id=user_id)
    session.add(m)
    session.flush()
    record(session, principal, "unit.member_add", "handling_unit", u.id, u.area_code, after={"user": user.username})
    return m


def create_rule(session: Session, principal: Principal, body: RuleIn) -> RoutingRule:
    cat = get_category(session, body.category_code)
    _area(session, principal, body.area_code)
    principal.check(Permission.events_manage, body.area_code, what=t("area {code}", code=body.area_code))
    u = get_unit(session, principal, body.unit_id)
    padded = codes.pad(body.area_code)
    if repo.rule_set_at(session, cat.code, padded) is not None:
        raise Conflict(
            t("a rule for {category} in {area_code} exists already", category=cat.code, area_code=body.area_code)
        )
    rule = RoutingRule(category_code=cat.code, area_code=padded, unit_id=u.id)
    session.add(rule)
    session.flush()
    record(session, principal, "routing_rule.create", "routing_rule", rule.id, padded, after=body.model_dump())
    return rule


def ensure_dispatch_desk(session: Session, area_code: str) -> HandlingUnit:
    """The township's dispatch desk (created on first need): where events without a rule go."""
    real = codes.unpad(area_code)
    desk_code = codes.pad(real[:9] if len(real) >= 9 else real)
    desk_id = CATALOG.for_session(session).desks.get(desk_code)
    desk = session.get(HandlingUnit, desk_id) if desk_id is not None else None
    if desk is None:
        area = session.get(Area, codes.unpad(desk_code))
        name = f"{area.name if area else codes.unpad(desk_code)}网格化服务管理中心调度台"
        desk = HandlingUnit(name=name, kind="dispatch_desk", area_code=desk_code)
        session.add(desk)
        session.flush()
    return desk


def route(session: Session, cat: EventCategory | CategoryInfo, area_code: str) -> int:
    """The unit an event of `cat` at `area_code` goes to: by the routing rules, else the township's desk."""
    catalog = CATALOG.for_session(session)
    unit_id = catalog.routed_unit_id(cat, area_code)
    if unit_id is not None:
        return unit_id
    real = codes.unpad(area_code)
    desk_id = catalog.desks.get(codes.pad(real[:9] if len(real) >= 9 else real))
    return desk_id if desk_id is not None else ensure_dispatch_desk(session, area_code).id
