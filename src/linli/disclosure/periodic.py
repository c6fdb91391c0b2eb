"""The next period of each periodic kind a board discloses (finances, relief funds, other items: at least
quarterly, monthly for frequent collective finances — 村委会组织法第三十条), and whether its item is missing past
its due date.

A board's next period of a kind starts the day after the last day its items of that kind cover (drafts
count: a written draft is the board's own overdue flag); it is as long as the law's frequency of the day
(`general_every_months`, or `finances_frequent_every_months` where the village's finances are frequent); it is
due `after_period_days` after it ends. Past that day with no item written it is *missing*: shown on the
board's staff page with a prefilled form, and a to-do. Nothing is written by itself: an item is the
committee's text (a draft cannot be edited, so an empty one written for them would be published empty). A
board that never wrote an item of a kind has no period to follow (the kind may not apply to it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope
from linli.disclosure import repository as repo
from linli.disclosure import rules
from linli.kit import codes


@dataclass(frozen=True)
class NextPeriod:
    area_code: str  # unpadded
    kind: str
    period_from: date
    period_to: date
    due_on: date
    missing: bool  # past its due date with no item
    citation: str


def _add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def next_period(area_kind: str, settings: rules.Settings, code: str, kind: str, last: date, on: date) -> NextPeriod:
    start = last + timedelta(days=1)
    rule_set = rules.law_for(area_kind).on(start)
    key = (
        "finances_frequent_every_months" if kind == "finances" and settings.finances_monthly else "general_every_months"
    )
    months = rule_set[key].value
    end = _add_months(start, months) - timedelta(days=1)  # the longest period the law allows (service.due_date)
    due = end + timedelta(days=settings.after_period_days)
    return NextPeriod(codes.unpad(code), kind, start, end, due, on > due, rule_set.cite(key))


def next_periods(session: Session, scope: AreaScope, code: str, on: date) -> list[NextPeriod]:
    """The next period of each periodic kind of the boards under `code` in `scope`, missing ones first."""
    out = []
    for (village, kind), last in sorted(repo.latest_periods(session, scope, code).items()):
        if kind in rules.PROMPT_KINDS:
            continue
        area = repo.village(session, codes.unpad(village))
        settings = repo.settings_for(session, area.code)
        out.append(next_period(area.kind, settings, village, kind, last, on))
    return sorted(out, key=lambda p: (not p.missing, p.due_on))


def missing_count(session: Session, scope: AreaScope, on: date) -> int:
    """Periodic items missing past their due date on the boards in `scope` (a worker's few villages)."""
    return sum(1 for p in next_periods(session, scope, "", on) if p.missing)
