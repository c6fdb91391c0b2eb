"""Demo services (marked generated): the example catalogue at the province, enabled at the demo street
of 南关区 and each of its communities, and a few dozen applications in the demo community in every
state — some overdue, one returned for correction, several 代办 — with the demo resident's own one in
process."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import workdays
from linli.kit.time import utcnow
from linli.residents import repository as residents_repo
from linli.services import kinds, repository, seed, service, workflow
from linli.services.models import Application
from linli.services.schemas import ApplicationIn, OfferIn, TransitionIn

PROVINCE, STREET, COMMUNITY = "22", "220102001", "220102001001"
HOURS = "周一至周五 8:30-11:30，13:30-17:00（法定节假日除外）"
# (basic code, how far it gets, assist): every state of an application.
PLAN = [
    ("JF-MZ-00004", "submitted", "none"), ("GG-RS-00007", "submitted", "help"), ("JF-MZ-00005", "submitted", "agent"),
    ("JF-MZ-00013", "submitted", "none"), ("GG-GA-00001", "returned", "none"), ("JF-MZ-00002", "returned", "none"),
    ("QR-MZ-00014", "rejected", "none"), ("GG-RS-00010", "withdrawn", "none"),
    ("JF-MZ-00002", "in_process", "none"), ("JF-MZ-00006", "in_process", "agent"),
    ("QR-CL-00017", "in_process", "agent"),
    ("GG-TY-00019", "in_process", "agent"), ("QR-RS-00012", "overdue", "none"), ("JF-MZ-00015", "overdue", "help"),
    ("JF-MZ-00004", "county", "agent"), ("JF-RS-00008", "county", "help"), ("JF-MZ-00028", "county", "none"),
    ("JF-MZ-00004", "decided", "agent"), ("GG-RS-00011", "decided", "none"), ("JF-MZ-00013", "decided", "none"),
    ("GG-RS-00007", "delivered", "help"), ("GG-YB-00009", "delivered", "help"), ("GG-RS-00010", "delivered", "none"),
    ("GG-MZ-00024", "delivered", "agent"), ("JF-MZ-00005", "delivered", "agent"), ("GG-WJ-00023", "delivered", "help"),
    ("JF-MZ-00025", "delivered", "agent"), ("QR-MZ-00016", "delivered", "none"), ("GG-SF-00027", "delivered", "help"),
]  # fmt: skip


def enable_catalogue(session: Session, actor: Principal) -> int:
    """The examples at the province, enabled at the demo street and its communities; returns new offers."""
    seed.load_examples(session, actor, PROVINCE)
    items = repository.items_for_area(session, COMMUNITY)
    places = [STREET, *repository.communities_of(session, STREET)]
    added = 0
    for place in places:
        if repository.generated_offers_at(session, place):
            continue
        name = "街道便民服务中心" if place == STREET else "社区便民服务站"
        for item in items:
            data = OfferIn(item_id=item.id, area_code=place, place=name, hours=HOURS, consult_phone="0431-88888888")
            service.save_offer(session, actor, data, generated=True)
            added += 1
    return added


def _hand_in_all(session: Session, actor: Principal, app: Application, item) -> None:
    for n, _ in enumerate(kinds.materials_of(item.materials)):
        workflow.mark_seen(session, actor, app.id, n)


def _backdate(app: Application, item, days: int) -> None:
    """Move an accepted application's clock back `days` calendar days (demo only), deadlines with it."""
    start = utcnow() - timedelta(days=days)
    app.submitted_at = app.accepted_at = app.step_started_at = start
    app.due_at = workdays.add_working_days(start, min(item.promised_days, 5))
    app.step_due_at = workdays.add_working_days(start, 2)


def _take(session: Session, actor: Principal, app: Application, item, goal: str) -> None:
    act = lambda action, **kw: workflow.transition(session, actor, app.id, TransitionIn(action=action, **kw))  # noqa: E731
    if goal == "returned":
        act("return", missing=[kinds.materials_of(item.materials)[-1].name, "申请表签名"])
        return
    if goal == "rejected":
        act("reject", note="经核查不符合受理条件（演示数据）")
        return
    if goal == "withdrawn":
        act("withdraw", note="申请人自行撤回")
        return
    if goal == "submitted":
        return
    _hand_in_all(session, actor, app, item)
    act("accept")
    steps = kinds.steps_of(item.steps)
    if goal == "overdue":
        _backdate(app, item, 20)
        return
    last = len(steps) - 1
    for _ in range(last if goal in ("county", "decided", "delivered") else 0):
        act("advance")
    if goal in ("decided", "delivered"):
        act("decide", outcome="approved", note="符合条件，予以批准")
    if goal == "delivered":
        act("deliver")


def generate_applications(session: Session, actor: Principal) -> int:
    if repository.generated_applications(session):
        return 0
    rng = random.Random(16)
    people = repository.applicants_named(session, COMMUNITY, actor.scope(Permission.services_handle), "", limit=60)
    offers = {i.basic_code: (o, i) for o, i in repository.offers_at(session, COMMUNITY)}
    n = 0
    for code, goal, assist in PLAN:
        if code not in offers or not people:
            continue
        offer, item = offers[code]
        person = rng.choice(people)
        data = ApplicationIn(offer_id=offer.id, person_id=person.id, assist=assist, note="（演示数据）")
        app = workflow.submit(session, actor, data, generated=True)
        _take(session, actor, app, item, goal)
        n += 1
    return n + _residents_own(session, actor, offers)


def _resident_person(session: Session) -> int | None:
    """The demo resident's register entry: the one linked to the account "resident", or, before the demo
    accounts exist (they are made after the data), the one linkers pick (linli.accounts.demo)."""
    from sqlalchemy import func, select

    from linli.areas.demo import DEMO_GRID
    from linli.residents.models import Household, Person

    user = residents_repo.user_by_name(session, "resident")
    linked = repository.linked_person(session, user.id) if user else None
    if linked is not None:
        return linked.id
    sizes = (
        select(Person.household_id, func.count().label("n"))
        .where(Person.area_code == DEMO_GRID, Person.status == "present")
        .group_by(Person.household_id)
        .subquery()
    )
    return session.scalar(
        select(Person.id)
        .join(Household, Household.head_person_id == Person.id)
        .join(sizes, sizes.c.household_id == Household.id)
        .where(Household.area_code == DEMO_GRID, Household.status == "active", Person.status == "present")
        .where(sizes.c.n >= 2, residents_repo.unlinked(Person.id))
        .order_by(Household.id)
        .limit(1)
    )


def _residents_own(session: Session, actor: Principal, offers) -> int:
    """The demo resident's application for the old-age allowance, registered at the counter by the
    community (帮办), in process at the street; the resident follows it on their home page."""
    person_id = _resident_person(session)
    if person_id is None or "JF-MZ-00004" not in offers:
        return 0
    offer, item = offers["JF-MZ-00004"]
    data = ApplicationIn(offer_id=offer.id, person_id=person_id, assist="help", note="（演示数据）")
    app = workflow.submit(session, actor, data, generated=True)
    _take(session, actor, app, item, "in_process")
    return 1


def step(session: Session, actor: Principal, say) -> None:
    """The example catalogue enabled in the demo street and communities, and demo applications."""
    offers = enable_catalogue(session, actor)
    if offers:
        say(f"enabled {offers} demo service offers in street {STREET} and its communities (marked generated)")
    n = generate_applications(session, actor)
    if n:
        say(f"generated {n} demo applications in {COMMUNITY} (marked generated)")
