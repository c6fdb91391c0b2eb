"""Answers of the services API and pages: rows as schemas, with deadlines (remaining working time,
overdue) computed at the moment of reading, and the figures with names instead of codes."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes, workdays
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow
from linli.services import kinds, repository, workflow
from linli.services.models import Application, ServiceItem, ServiceOffer
from linli.services.schemas import (
    ApplicationDetail,
    ApplicationOut,
    ItemOut,
    LogOut,
    MaterialIn,
    MaterialOut,
    OfferOut,
    StatsRow,
    StepIn,
)


def check_area(session: Session, principal: Principal, code: str, permission=Permission.services_read) -> None:
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    if area_repo.find_area(session, code) is None:
        raise NotFound(t("area {code} does not exist", code=code))


def item_out(i: ServiceItem) -> ItemOut:
    return ItemOut(
        id=i.id,
        area_code=codes.unpad(i.area_code),
        basic_code=i.basic_code,
        main_name=i.main_name,
        sub_name=i.sub_name,
        name=i.name,
        item_type=i.item_type,
        department=i.department,
        department_code=i.department_code,
        implementing_unit=i.implementing_unit,
        level=i.level,
        legal_basis=i.legal_basis,
        conditions=i.conditions,
        materials=[MaterialIn(**vars(m)) for m in kinds.materials_of(i.materials)],
        steps=[StepIn(**vars(s)) for s in kinds.steps_of(i.steps)],
        statutory_days=i.statutory_days,
        promised_days=i.promised_days,
        fee=i.fee,
        fee_basis=i.fee_basis,
        online_depth=i.online_depth,
        max_visits=i.max_visits,
        consult_phone=i.consult_phone,
        complaint_phone=i.complaint_phone,
        community_role=i.community_role,
        example=i.example,
        active=i.active,
        generated=i.generated,
    )


def offer_out(o: ServiceOffer, i: ServiceItem) -> OfferOut:
    return OfferOut(
        id=o.id,
        item_id=i.id,
        area_code=codes.unpad(o.area_code),
        implementation_code=o.implementation_code,
        name=i.name,
        basic_code=i.basic_code,
        statutory_days=i.statutory_days,
        promised_days=o.promised_days,
        place=o.place,
        hours=o.hours,
        consult_phone=o.consult_phone,
        complaint_phone=o.complaint_phone,
        enabled=o.enabled,
        example=i.example,
    )


def overdue(a: Application, now: datetime) -> bool:
    """In process past its step's deadline or the promised one (repository.overdue_clause)."""
    if a.state != "in_process":
        return False
    return any(d is not None and as_utc(d) < now for d in (a.step_due_at, a.due_at))


def remaining_hours(a: Application, now: datetime) -> float | None:
    due = a.step_due_at if a.state == "in_process" else None
    if due is None:
        return None
    return round(workdays.working_seconds_between(now, as_utc(due)) / 3600, 1)


def out(a: Application, item: ServiceItem | None, now: datetime) -> ApplicationOut:
    steps = kinds.steps_of(item.steps) if item else []
    step = (
        steps[a.step_index]
        if a.state == "in_process" and a.step_index is not None and a.step_index < len(steps)
        else None
    )
    return ApplicationOut(
        id=a.id,
        number=a.number,
        offer_id=a.offer_id,
        item_id=a.item_id,
        item_name=item.name if item else "",
        area_code=codes.unpad(a.area_code),
        applicant_name=a.applicant_name,
        channel=a.channel,
        assist=a.assist,
        acted_by=a.acted_by,
        state=a.state,
        step_index=a.step_index,
        step_name=step.name if step else None,
        step_unit=step.unit if step else None,
        step_due_at=a.step_due_at,
        due_at=a.due_at,
        overdue=overdue(a, now),
        remaining_working_hours=remaining_hours(a, now),
        submitted_at=a.submitted_at,
        accepted_at=a.accepted_at,
        decided_at=a.decided_at,
        delivered_at=a.delivered_at,
        outcome=a.outcome,
        reason=a.reason,
        missing=json.loads(a.missing or "[]"),
        visits=a.visits,
        generated=a.generated,
    )


def outs(session: Session, rows: list[Application]) -> list[ApplicationOut]:
    items = {i: repository.item_by_id(session, i) for i in {a.item_id for a in rows}}
    now = utcnow()
    return [out(a, items[a.item_id], now) for a in rows]


def materials(session: Session, a: Application, item: ServiceItem) -> list[MaterialOut]:
    have = repository.materials_of(session, a.id)
    return [
        MaterialOut(
            position=n,
            name=m.name,
            required=m.required,
            original=m.original,
            count=m.count,
            how=have[n].how if n in have else None,
            file_name=have[n].file_name if n in have else None,
        )
        for n, m in enumerate(kinds.materials_of(item.materials))
    ]


def detail(session: Session, principal: Principal, a: Application) -> ApplicationDetail:
    item = repository.item_by_id(session, a.item_id)
    log = [
        LogOut(
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            step_index=e.step_index,
            unit=e.unit,
            actor=e.actor,
            note=e.note,
            at=e.at,
        )
        for e in repository.log_of(session, a.id)
    ]
    return ApplicationDetail(
        **out(a, item, utcnow()).model_dump(),
        materials=materials(session, a, item),
        log=log,
        actions=workflow.allowed(session, principal, a, item),
    )


def figures(session: Session, principal: Principal, area: str, by: str) -> list[StatsRow]:
    """Per item or per child area inside `area`, named (items by name, areas by name)."""
    check_area(session, principal, area)
    scope = principal.scope(Permission.services_read)
    if by == "item":
        rows = repository.figures_by_item(session, scope, area)
        names = repository.names_of_items(session, [int(r.key) for r in rows])
        label = {r.key: names.get(int(r.key), r.key) for r in rows}
    else:
        rows = repository.figures_by_child(session, scope, area)
        found = area_repo.names_of(session, [codes.unpad(r.key) for r in rows])
        label = {r.key: found.get(codes.unpad(r.key), codes.unpad(r.key)) for r in rows}
    return [
        StatsRow(
            key=codes.unpad(r.key) if by == "area" else r.key,
            name=label[r.key],
            total=r.total,
            open=r.open,
            decided=r.decided,
            on_time=r.on_time,
            on_time_rate=None if r.on_time_rate is None else round(r.on_time_rate, 4),
            average_working_days=None if r.working_days is None else round(r.working_days, 2),
            average_visits=None if r.visits is None else round(r.visits, 2),
        )
        for r in sorted(rows, key=lambda r: -r.total)
    ]
