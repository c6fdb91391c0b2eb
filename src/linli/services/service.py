"""The catalogue's writes: an area defines an item for its subtree (the province, usually); a county,
street or community enables it and localises it (its promised limit, never above the statutory one;
the place, hours and contacts). Every change is checked whole and audited; nothing is half written.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import gettext, t
from linli.services import kinds
from linli.services import repository as repo
from linli.services.models import ServiceItem, ServiceOffer
from linli.services.schemas import ItemIn, OfferIn

MANAGE = Permission.services_manage
OFFER_LEVELS = (6, 9, 12)  # county, street/township, community/village


def item_problems(data: ItemIn) -> list[str]:
    """Everything wrong with an item, in the reader's language (empty: it may be saved)."""
    problems: list[str] = []
    if not codes.is_valid(data.area_code) or len(data.area_code) > 6:
        problems.append(t("an item is defined by a province, city or county; {code} is none", code=data.area_code))
    why = kinds.basic_code_problem(data.basic_code, data.item_type, data.department_code)
    if why:
        problems.append(gettext(why))
    if data.promised_days > data.statutory_days:
        problems.append(
            t(
                "the promised limit ({promised} working days) may not exceed the statutory limit ({statutory})",
                promised=data.promised_days,
                statutory=data.statutory_days,
            )
        )
    if not data.steps:
        problems.append(t("give the item at least one step after acceptance (the one that decides)"))
    counted = sum(s.days for s in data.steps if s.counts)
    if counted > data.statutory_days:
        problems.append(
            t(
                "the steps take {days} working days, more than the statutory limit ({statutory})",
                days=counted,
                statutory=data.statutory_days,
            )
        )
    names = [m.name.strip() for m in data.materials]
    if len(set(names)) != len(names):
        problems.append(t("two materials have the same name"))
    return problems


def _item_values(data: ItemIn) -> dict:
    values = data.model_dump(exclude={"area_code", "materials", "steps"})
    values["materials"] = kinds.dump(kinds.Material(**m.model_dump()) for m in data.materials)
    values["steps"] = kinds.dump(kinds.Step(**s.model_dump()) for s in data.steps)
    return values


def _snapshot(item: ServiceItem) -> dict:
    return {
        "basic_code": item.basic_code,
        "name": item.name,
        "statutory_days": item.statutory_days,
        "promised_days": item.promised_days,
        "active": item.active,
    }


def _check_definer(session: Session, principal: Principal, area_code: str) -> None:
    if codes.is_valid(area_code):
        principal.check(MANAGE, area_code, what=t("area {code}", code=area_code))
    if not codes.is_valid(area_code) or not repo.area_exists(session, area_code):
        raise NotFound(t("area {code} does not exist", code=area_code))


def save_item(session: Session, principal: Principal, data: ItemIn, *, generated: bool = False) -> ServiceItem:
    """Define an item, or change the item of the same basic code (defined at the same area)."""
    _check_definer(session, principal, data.area_code)
    problems = item_problems(data)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    item = repo.item_by_code(session, data.basic_code)
    before = None
    if item is None:
        item = ServiceItem(area_code=codes.pad(data.area_code), generated=generated, **_item_values(data))
        session.add(item)
    else:
        if item.area_code != codes.pad(data.area_code):
            raise InvalidInput(t("basic code {code} is defined by another area already", code=data.basic_code))
        before = _snapshot(item)
        for key, value in _item_values(data).items():
            setattr(item, key, value)
    session.flush()
    record(
        session, principal, "services.item_create" if before is None else "services.item_update",
        "service_item", item.id, item.area_code, before=before, after=_snapshot(item),
    )  # fmt: skip
    return item


def _offer_problems(item: ServiceItem, area_code: str, promised: int) -> list[str]:
    problems = []
    if len(area_code) not in OFFER_LEVELS:
        problems.append(t("an item is enabled at a county, a street or township, or a community or village"))
    elif not codes.in_subtree(codes.pad(area_code), codes.unpad(item.area_code)):
        problems.append(t("the item is defined for another region; it cannot be enabled here"))
    if promised > item.statutory_days:
        problems.append(
            t(
                "the promised limit ({promised} working days) may not exceed the statutory limit ({statutory})",
                promised=promised,
                statutory=item.statutory_days,
            )
        )
    return problems


def save_offer(session: Session, principal: Principal, data: OfferIn, *, generated: bool = False) -> ServiceOffer:
    """Enable an item at an area (or change its local particulars there)."""
    _check_definer(session, principal, data.area_code)
    item = repo.item_by_id(session, data.item_id)
    if item is None or not item.active:
        raise NotFound(t("service item {id} does not exist", id=data.item_id))
    promised = item.promised_days if data.promised_days is None else data.promised_days
    problems = _offer_problems(item, data.area_code, promised)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    offer = repo.offer_at(session, item.id, data.area_code)
    before = None
    fields = {
        "promised_days": promised,
        "place": data.place.strip(),
        "hours": data.hours.strip(),
        "consult_phone": data.consult_phone.strip() or item.consult_phone,
        "complaint_phone": data.complaint_phone.strip() or item.complaint_phone,
        "enabled": data.enabled,
        "changed_by": principal.audit_name,
    }
    if offer is None:
        code = kinds.implementation_code(data.area_code, item.basic_code)
        offer = ServiceOffer(
            item_id=item.id,
            area_code=codes.pad(data.area_code),
            implementation_code=code,
            generated=generated,
            **fields,
        )
        session.add(offer)
    else:
        before = {"promised_days": offer.promised_days, "enabled": offer.enabled}
        for key, value in fields.items():
            setattr(offer, key, value)
    session.flush()
    after = {"item_id": item.id, "promised_days": offer.promised_days, "enabled": offer.enabled}
    record(
        session, principal, "services.offer_enable" if before is None else "services.offer_update",
        "service_offer", offer.id, offer.area_code, before=before, after=after,
    )  # fmt: skip
    return offer
