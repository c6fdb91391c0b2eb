"""All SQL about disclosure boards: an area's settings, items for staff and for the public board,
questions with their askers, the overdue report by child area, and the workbench's counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, subtree_clause
from linli.disclosure.models import DisclosureItem, DisclosureQuestion, DisclosureSettings
from linli.disclosure.rules import DEFAULTS, Settings
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING
from linli.selfgov.models import Matter

READ = Permission.disclosure_read
WRITE = Permission.disclosure_write
SUPERVISE = Permission.disclosure_supervise


def today() -> date:
    """The day as people in China read it (dates on a board are Beijing dates)."""
    return datetime.now(BEIJING).date()


def missing(item_id: int) -> NotFound:
    return NotFound(t("disclosure item {id} does not exist", id=item_id))


def matter_place(session: Session, matter_id: int) -> str | None:
    """The padded area code of a self-government matter (None: no such matter), to check an item's link.
    Read from selfgov's table (its models), not through its service: selfgov imports this domain."""
    return session.scalar(select(Matter.area_code).where(Matter.id == matter_id))


def latest_periods(session: Session, scope: AreaScope, code: str | None = None) -> dict[tuple[str, str], date]:
    """(padded village code, periodic kind) → the last day its board's items cover (drafts too), in `scope`
    (and under `code`): where the next period of each kind starts."""
    conds = [scope.clause(DisclosureItem.area_code), DisclosureItem.period_to.is_not(None)]
    if code:
        conds.append(subtree_clause(DisclosureItem.area_code, code))
    q = (
        select(DisclosureItem.area_code, DisclosureItem.kind, func.max(DisclosureItem.period_to))
        .where(*conds)
        .group_by(DisclosureItem.area_code, DisclosureItem.kind)
    )
    return {(a, k): last for a, k, last in session.execute(q)}


def village(session: Session, code: str) -> Area:
    """The village or community `code` (any reader: boards are public); 404 for anything else."""
    area = area_repo.find_area(session, code) if codes.is_valid(code) else None
    if area is None or area.level != "village":
        raise NotFound(t("village or community {code} does not exist", code=code))
    return area


# --- settings --------------------------------------------------------------------------------------


def settings_rows(session: Session, code: str) -> dict[str, DisclosureSettings]:
    """The settings rows of the area and its ancestors, by unpadded code."""
    wanted = [codes.pad(c) for c in [*codes.ancestors(code), code]]
    rows = session.scalars(select(DisclosureSettings).where(DisclosureSettings.area_code.in_(wanted)))
    return {codes.unpad(r.area_code): r for r in rows}


def settings_for(session: Session, code: str) -> Settings:
    """The settings in force at an area: its own row, else its nearest ancestor's, else the defaults."""
    rows = settings_rows(session, code)
    for c in [code, *reversed(codes.ancestors(code))]:
        r = rows.get(c)
        if r is not None:
            return Settings(
                r.period_days, r.objection_days, r.answer_days, r.prompt_days, r.after_period_days, r.finances_monthly
            )
    return DEFAULTS


def settings_row(session: Session, code: str) -> DisclosureSettings | None:
    return session.scalar(select(DisclosureSettings).where(DisclosureSettings.area_code == codes.pad(code)))


# --- items -----------------------------------------------------------------------------------------


def item_for_update(session: Session, item_id: int) -> DisclosureItem | None:
    return session.get(DisclosureItem, item_id, with_for_update=True)


def item(session: Session, item_id: int) -> DisclosureItem | None:
    """An item by id, whatever its status (for a domain that names it: a matter's disclosure step)."""
    return session.get(DisclosureItem, item_id)


def item_for_staff(session: Session, principal: Principal, item_id: int) -> DisclosureItem:
    """An item inside the principal's reach for disclosure.read; 404 otherwise, like a missing one."""
    item = session.get(DisclosureItem, item_id)
    if item is None or not principal.can(READ, item.area_code):
        raise missing(item_id)
    return item


def public_item(session: Session, item_id: int) -> DisclosureItem:
    """A published item, for anyone; drafts answer 404."""
    item = session.get(DisclosureItem, item_id)
    if item is None or item.status != "published":
        raise missing(item_id)
    return item


def board(session: Session, code: str, *, offset: int = 0, limit: int = 50) -> tuple[list[DisclosureItem], int]:
    """A board's published items, newest publication first."""
    conds = [DisclosureItem.area_code == codes.pad(code), DisclosureItem.status == "published"]
    total = session.scalar(select(func.count()).where(*conds)) or 0
    q = select(DisclosureItem).where(*conds).order_by(DisclosureItem.published_on.desc(), DisclosureItem.id.desc())
    return list(session.scalars(q.offset(offset).limit(limit))), total


def staff_items(
    session: Session,
    principal: Principal,
    code: str,
    *,
    flag: str = "",
    on: date | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[DisclosureItem], int]:
    """Items inside an area for staff: all, or only the overdue (`flag="overdue"`) or late ones."""
    on = on or today()
    conds = [principal.scope(READ).clause(DisclosureItem.area_code), subtree_clause(DisclosureItem.area_code, code)]
    if flag == "overdue":
        conds += [DisclosureItem.published_on.is_(None), DisclosureItem.due_on < on]
    elif flag == "late":
        conds.append(DisclosureItem.late)
    elif flag == "draft":
        conds.append(DisclosureItem.status == "draft")
    total = session.scalar(select(func.count()).where(*conds)) or 0
    q = select(DisclosureItem).where(*conds).order_by(DisclosureItem.due_on.desc(), DisclosureItem.id.desc())
    return list(session.scalars(q.offset(offset).limit(limit))), total


def board_fingerprint(session: Session, code: str) -> tuple:
    """What a printed board depends on, in one query: its published items' count and last change, its
    questions' count and last answer (a cached PDF of the same fingerprint is the same PDF)."""
    items = select(func.count(), func.max(DisclosureItem.updated_at)).where(
        DisclosureItem.area_code == codes.pad(code), DisclosureItem.status == "published"
    )
    questions = select(func.count(), func.max(DisclosureQuestion.answered_at)).where(
        DisclosureQuestion.area_code == codes.pad(code)
    )
    return (*session.execute(items).one(), *session.execute(questions).one())


# --- questions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    question: DisclosureQuestion
    asker: str  # the account's display name: masked before it is shown to the public


def questions_of(session: Session, item_ids: list[int]) -> dict[int, list[Asked]]:
    out: dict[int, list[Asked]] = {i: [] for i in item_ids}
    if not item_ids:
        return out
    q = (
        select(DisclosureQuestion, func.coalesce(User.display_name, User.username))
        .join(User, User.id == DisclosureQuestion.asked_by)
        .where(DisclosureQuestion.item_id.in_(item_ids))
        .order_by(DisclosureQuestion.asked_at, DisclosureQuestion.id)
    )
    for question, name in session.execute(q):
        out[question.item_id].append(Asked(question, name or ""))
    return out


def question_for_update(session: Session, question_id: int) -> DisclosureQuestion | None:
    return session.get(DisclosureQuestion, question_id, with_for_update=True)


def unanswered(
    session: Session, scope: AreaScope, code: str, on: date, *, limit: int = 50
) -> list[tuple[DisclosureQuestion, DisclosureItem]]:
    """Questions inside an area not answered yet, the oldest deadline first."""
    q = (
        select(DisclosureQuestion, DisclosureItem)
        .join(DisclosureItem, DisclosureItem.id == DisclosureQuestion.item_id)
        .where(
            DisclosureQuestion.answered_at.is_(None),
            scope.clause(DisclosureQuestion.area_code),
            subtree_clause(DisclosureQuestion.area_code, code),
        )
        .order_by(DisclosureQuestion.answer_due_on, DisclosureQuestion.id)
        .limit(limit)
    )
    return [(question, item) for question, item in session.execute(q)]


# --- the overdue report and the workbench's counts ------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    code: str  # the child area (unpadded)
    overdue: int
    late: int
    unanswered: int


def overdue_report(session: Session, scope: AreaScope, code: str, on: date) -> list[ReportLine]:
    """Per child area of `code`: items unpublished past due, items published late, questions unanswered
    past their deadline. Each count reads one partial index (unpublished, late, open questions)."""
    width = codes.child_length(code)
    items, questions = DisclosureItem.area_code, DisclosureQuestion.area_code
    parts = [
        select(func.substr(items, 1, width).label("child"), literal("overdue").label("what"), func.count())
        .where(DisclosureItem.published_on.is_(None), DisclosureItem.due_on < on)
        .where(subtree_clause(items, code), scope.clause(items))
        .group_by("child"),
        select(func.substr(items, 1, width).label("child"), literal("late").label("what"), func.count())
        .where(
            DisclosureItem.late, subtree_clause(items, code), scope.clause(items)
        )  # the partial index's "WHERE late"
        .group_by("child"),
        select(func.substr(questions, 1, width).label("child"), literal("unanswered").label("what"), func.count())
        .where(DisclosureQuestion.answered_at.is_(None), DisclosureQuestion.answer_due_on < on)
        .where(subtree_clause(questions, code), scope.clause(questions))
        .group_by("child"),
    ]
    found: dict[str, dict[str, int]] = {}
    for child, what, n in session.execute(union_all(*parts)):
        found.setdefault(codes.unpad(child.ljust(15, "0")), {})[what] = n
    return [
        ReportLine(c, v.get("overdue", 0), v.get("late", 0), v.get("unanswered", 0)) for c, v in sorted(found.items())
    ]


def due_soon_count(session: Session, scope: AreaScope, on: date, days: int = 7) -> int:
    """Drafts due within `days` or already past due, inside the scope (the community workers' to-do)."""
    return (
        session.scalar(
            select(func.count()).where(
                DisclosureItem.published_on.is_(None),
                DisclosureItem.due_on <= on + timedelta(days=days),
                scope.clause(DisclosureItem.area_code),
            )
        )
        or 0
    )


def open_questions_count(session: Session, scope: AreaScope, on: date | None = None) -> int:
    """Questions waiting for an answer inside the scope (past their deadline only, with `on`)."""
    conds = [DisclosureQuestion.answered_at.is_(None), scope.clause(DisclosureQuestion.area_code)]
    if on is not None:
        conds.append(DisclosureQuestion.answer_due_on < on)
    return session.scalar(select(func.count()).where(*conds)) or 0


def overdue_count(session: Session, scope: AreaScope, on: date) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                DisclosureItem.published_on.is_(None),
                DisclosureItem.due_on < on,
                scope.clause(DisclosureItem.area_code),
            )
        )
        or 0
    )


def generated_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(DisclosureItem.generated.is_(True))) or 0
