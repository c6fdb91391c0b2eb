"""Disclosure boards: write an item (its due date fixed from its kind, the rules and the settings),
publish it (late publication flagged with its reason, never silently), residents' questions within the
objection window, the committee's answers, and an area's local settings.

Who: community workers (disclosure.write) write, publish and answer at their villages; a resident
(disclosure.ask) asks at their own village or community only; officials (disclosure.supervise) set the
local settings and see what is overdue. The board itself is public. Out of reach answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.audit.service import record
from linli.authz.permissions import ROLE_PERMISSIONS, Permission
from linli.authz.principal import Principal
from linli.disclosure import repository as repo
from linli.disclosure import rules
from linli.disclosure.models import DisclosureItem, DisclosureQuestion, DisclosureSettings
from linli.disclosure.repository import READ, SUPERVISE, WRITE, missing
from linli.disclosure.schemas import ItemIn
from linli.kit import codes, refs
from linli.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow

ASK = Permission.disclosure_ask

# What happens elsewhere when an item is published: `fn(session, principal, item)`, in the same transaction.
# A domain that links its records to items subscribes (selfgov: a matter's step ⑤/⑥ is done once its item is
# published); this domain names none of them, so it imports nothing of theirs (docs/disclosure.md).
Listener = Callable[[Session, Principal, DisclosureItem], None]
_published: list[Listener] = []


def on_published(listener: Listener) -> Listener:
    """Subscribe to publications (once: subscribing the same function again changes nothing)."""
    if listener not in _published:
        _published.append(listener)
    return listener


def matter_ref(session: Session, area_code: str, value: str | None) -> str | None:
    """The stable reference (`selfgov-matter:<id>`) of the matter an item of `area_code`'s board discloses,
    from its number or its reference: a matter of that village or community, or none (empty). Free text is
    refused (it was accepted before the records were linked; those items keep it)."""
    value = (value or "").strip()
    if not value:
        return None
    matter_id = int(value) if value.isdigit() and len(value) <= 18 else refs.parse(value, refs.MATTER)
    if matter_id is None or matter_id == 0:
        raise InvalidInput(
            t("name the matter by its number (or selfgov-matter:<number>), not {value!r}", value=value[:100])
        )
    if repo.matter_place(session, matter_id) != codes.pad(area_code):
        raise InvalidInput(t("matter {id} is not a matter of this village or community", id=matter_id))
    return refs.ref(refs.MATTER, matter_id)


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def due_date(kind: str, area_kind: str, settings: rules.Settings, data: ItemIn) -> tuple[date, str]:
    """The item's due date and the rule set it came from: a prompt kind `prompt_days` after its act
    (随时公布); a periodic kind `after_period_days` after its period, which may be no longer than the law's
    frequency (a quarter; a month for frequent collective finances)."""
    if kind in rules.PROMPT_KINDS:
        if data.occurred_on is None:
            raise InvalidInput(t("give the date of the decision or of the completed work it reports"))
        rule_set = rules.law_for(area_kind).on(data.occurred_on)
        return data.occurred_on + timedelta(days=settings.prompt_days), rule_set.name
    if data.period_from is None or data.period_to is None:
        raise InvalidInput(t("give the first and the last day of the period it covers"))
    if data.period_to < data.period_from:
        raise InvalidInput(t("the period ends before it begins"))
    rule_set = rules.law_for(area_kind).on(data.period_to)
    key = (
        "finances_frequent_every_months" if kind == "finances" and settings.finances_monthly else "general_every_months"
    )
    months = rule_set[key].value
    if data.period_to >= _add_months(data.period_from, months):
        raise InvalidInput(
            t(
                "a period of at most {n} month(s) for this item: {cite} ({words})",
                n=months,
                cite=rule_set.cite(key),
                words=rule_set[key].words,
            )
        )
    return data.period_to + timedelta(days=settings.after_period_days), rule_set.name


def _snapshot(item: DisclosureItem) -> dict:
    return {
        "kind": item.kind,
        "title": item.title,
        "status": item.status,
        "due_on": item.due_on.isoformat(),
        "published_on": item.published_on.isoformat() if item.published_on else None,
        "late": item.late,
        "days_late": item.days_late,
    }


def create_item(
    session: Session, principal: Principal, data: ItemIn, *, on: date | None = None, generated: bool = False
) -> DisclosureItem:
    """A draft item on a village's board, its due date fixed now."""
    on = on or repo.today()
    area = repo.village(session, data.area_code)
    if not principal.visible.contains(area.code):
        raise NotFound(t("village or community {code} does not exist", code=data.area_code))
    principal.check(WRITE, area.code, what=t("area {code}", code=area.code))
    if not data.title.strip() or not data.body.strip():
        raise InvalidInput(t("give the item a title and its text"))
    if data.occurred_on and data.occurred_on > on:
        raise InvalidInput(t("the decision or work it reports cannot be in the future"))
    due_on, rule_set = due_date(data.kind, area.kind, repo.settings_for(session, area.code), data)
    linked = matter_ref(session, area.code, data.matter_ref)
    item = DisclosureItem(
        area_code=codes.pad(area.code),
        kind=data.kind,
        title=data.title.strip(),
        body=data.body.strip(),
        period_from=data.period_from if data.kind not in rules.PROMPT_KINDS else None,
        period_to=data.period_to if data.kind not in rules.PROMPT_KINDS else None,
        occurred_on=data.occurred_on if data.kind in rules.PROMPT_KINDS else None,
        due_on=due_on,
        rules=rule_set,
        status="draft",
        matter_ref=linked,
        created_by=principal.audit_name,
        generated=generated,
        late=False,
        days_late=0,
        answer_days=rules.DEFAULTS.answer_days,
    )
    session.add(item)
    session.flush()
    record(session, principal, "disclosure.create", "disclosure_item", item.id, item.area_code, after=_snapshot(item))
    return item


def _for_writer(session: Session, principal: Principal, item_id: int) -> DisclosureItem:
    item = repo.item_for_update(session, item_id)
    if item is None or not principal.can(READ, item.area_code):
        raise missing(item_id)
    principal.check(WRITE, item.area_code, what=t("disclosure item {id}", id=item_id))
    return item


def publish(
    session: Session, principal: Principal, item_id: int, *, late_reason: str = "", on: date | None = None
) -> DisclosureItem:
    """Put a draft on the board today. Past its due date it is published only with the reason given, and
    flagged late for good (with the days), for the township to see."""
    on = on or repo.today()
    item = _for_writer(session, principal, item_id)
    if item.status != "draft":
        raise Conflict(t("disclosure item {id} is published already", id=item.id))
    days_late = (on - item.due_on).days
    if days_late > 0 and not late_reason.strip():
        raise InvalidInput(
            t(
                "this item was due on {due} and is {n} day(s) late: give the reason for publishing it late "
                "(it stays marked late on the board and in the township's report)",
                due=item.due_on.isoformat(),
                n=days_late,
            )
        )
    settings = repo.settings_for(session, codes.unpad(item.area_code))
    before = _snapshot(item)
    item.status, item.published_on, item.published_by = "published", on, principal.audit_name
    item.shown_until = on + timedelta(days=settings.period_days - 1)
    item.objection_until = on + timedelta(days=settings.objection_days - 1)
    item.answer_days = settings.answer_days
    if days_late > 0:
        item.late, item.days_late, item.late_reason = True, days_late, late_reason.strip()
    session.flush()
    record(
        session, principal, "disclosure.publish", "disclosure_item", item.id, item.area_code,
        before=before, after=_snapshot(item),
    )  # fmt: skip
    for listener in _published:
        listener(session, principal, item)
    return item


def link_matter(session: Session, principal: Principal, item_id: int, matter_ref: str) -> DisclosureItem:
    """Name the self-government matter an item discloses (a stable `selfgov-matter:<id>`)."""
    item = _for_writer(session, principal, item_id)
    if item.matter_ref != matter_ref:
        before = item.matter_ref
        item.matter_ref = matter_ref
        session.flush()
        record(
            session, principal, "disclosure.link_matter", "disclosure_item", item.id, item.area_code,
            before={"matter_ref": before}, after={"matter_ref": matter_ref},
        )  # fmt: skip
    return item


def belongs_to(principal: Principal, village_code: str) -> bool:
    """Whether the principal is of this village or community: a grant carrying disclosure.ask at it, above
    it, or inside it (a resident registered at one of its grids)."""
    if principal.system:
        return True
    for role, code in principal.roles_held:
        if ASK in ROLE_PERMISSIONS[role] and (
            code == village_code or codes.is_ancestor(code, village_code) or codes.is_ancestor(village_code, code)
        ):
            return True
    return False


def ask(
    session: Session, principal: Principal, item_id: int, question: str, *, on: date | None = None,
    generated: bool = False,
) -> DisclosureQuestion:  # fmt: skip
    """A resident's question about a published item of their own village, inside its objection window."""
    on = on or repo.today()
    item = repo.public_item(session, item_id)
    village = codes.unpad(item.area_code)
    if not belongs_to(principal, village):
        raise Forbidden(t("only residents of this village or community may ask about its disclosures"))
    text = question.strip()
    if not text or len(text) > 2000:
        raise InvalidInput(t("write your question (at most 2,000 characters)"))
    if not (item.published_on <= on <= item.objection_until):
        raise InvalidInput(
            t(
                "questions about this item could be asked from {start} to {end}; the window is closed. "
                "You may still report a disclosure you think untrue or late to the township "
                "(《村民委员会组织法》第三十一条)",
                start=item.published_on.isoformat(),
                end=item.objection_until.isoformat(),
            )
        )
    q = DisclosureQuestion(
        item_id=item.id,
        area_code=item.area_code,
        asked_by=principal.user_id,
        question=text,
        asked_on=on,
        asked_at=utcnow(),
        answer_due_on=on + timedelta(days=item.answer_days),
        generated=generated,
    )
    session.add(q)
    session.flush()
    # Never the question's words (they may name people): its id, the item and the deadline.
    record(
        session, principal, "disclosure.ask", "disclosure_question", q.id, q.area_code,
        after={"item_id": item.id, "answer_due_on": q.answer_due_on.isoformat(), "length": len(text)},
    )  # fmt: skip
    return q


def answer(
    session: Session, principal: Principal, question_id: int, text: str, *, on: date | None = None
) -> DisclosureQuestion:
    """The committee's answer to a question, by one who writes at its village (404 out of reach)."""
    on = on or repo.today()
    q = repo.question_for_update(session, question_id)
    if q is None or not principal.can(READ, q.area_code):
        raise NotFound(t("question {id} does not exist", id=question_id))
    principal.check(WRITE, q.area_code, what=t("question {id}", id=question_id))
    if q.answered_at is not None:
        raise Conflict(t("question {id} is answered already", id=question_id))
    if not text.strip() or len(text) > 5000:
        raise InvalidInput(t("write the answer (at most 5,000 characters)"))
    q.answer, q.answered_at, q.answered_on, q.answered_by = text.strip(), utcnow(), on, principal.audit_name
    session.flush()
    record(
        session, principal, "disclosure.answer", "disclosure_question", q.id, q.area_code,
        after={"item_id": q.item_id, "answered_on": on.isoformat(), "late": on > q.answer_due_on},
    )  # fmt: skip
    return q


def save_settings(session: Session, principal: Principal, code: str, values: rules.Settings) -> DisclosureSettings:
    """An area's local settings (its villages inherit them unless they have their own)."""
    area = area_repo.find_area(session, code) if codes.is_valid(code) else None
    if area is None or not principal.visible.contains(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(SUPERVISE, code, what=t("area {code}", code=code))
    problems = [
        t("{field} must be between {low} and {high}", field=name, low=low, high=high)
        for name, (low, high) in rules.LIMITS.items()
        if not low <= getattr(values, name) <= high
    ]
    if problems:
        raise InvalidInput(problems[0], details=problems)
    row = repo.settings_row(session, code)
    before = None
    if row is None:
        row = DisclosureSettings(area_code=codes.pad(code), updated_by=principal.audit_name)
        session.add(row)
    else:
        before = {k: getattr(row, k) for k in asdict(values)}
    for key, value in asdict(values).items():
        setattr(row, key, value)
    row.updated_by = principal.audit_name
    session.flush()
    record(
        session, principal, "disclosure.settings", "disclosure_settings", row.id, row.area_code,
        before=before, after=asdict(values),
    )  # fmt: skip
    return row
