"""Working time on the mainland China calendar: official holidays and make-up working days.

Holiday data comes from the `chinese-calendar` package, which covers the years the State Council
has published. For a date beyond its data we fall back to "Monday to Friday" with a logged warning
rather than fail: a deadline near the year's end reaches into a year whose holidays are announced
only in November or December, and event intake must not stop then. The fallback is reported by
`covered()` so callers can say the deadline is provisional.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from linli.kit.time import BEIJING, as_utc

log = logging.getLogger("linli.kit.workdays")
_warned: set[int] = set()


@lru_cache(maxsize=8)
def parse_periods(spec: str) -> tuple[tuple[time, time], ...]:
    """'08:30-12:00,13:30-17:30' → ((08:30, 12:00), (13:30, 17:30)); increasing, non-overlapping."""
    periods = []
    for part in spec.split(","):
        a, _, b = part.strip().partition("-")
        try:
            start, end = time.fromisoformat(a.strip()), time.fromisoformat(b.strip())
        except ValueError:
            raise ValueError(f"working hours {spec!r}: write periods as HH:MM-HH:MM, separated by commas") from None
        if end <= start or (periods and start < periods[-1][1]):
            raise ValueError(f"working hours {spec!r}: periods must be increasing and not overlap")
        periods.append((start, end))
    if not periods:
        raise ValueError("working hours: at least one period is needed")
    return tuple(periods)


def periods() -> tuple[tuple[time, time], ...]:
    from linli.config import get_settings

    return parse_periods(get_settings().working_hours)


def covered(day: date) -> bool:
    """Whether the holiday data covers this day's year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning(
                "no official holiday data for %d (chinese-calendar %s); counting Monday–Friday as working days",
                day.year,
                getattr(chinese_calendar, "__version__", "?"),
            )
        return day.weekday() < 5


def _periods_of(day: date) -> list[tuple[datetime, datetime]]:
    if not is_workday(day):
        return []
    return [(datetime.combine(day, a, BEIJING), datetime.combine(day, b, BEIJING)) for a, b in periods()]


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment `hours` working hours after `start` (UTC in, UTC out)."""
    left = timedelta(hours=hours)
    local = as_utc(start).astimezone(BEIJING)
    day = local.date()
    for _ in range(3700):  # ten years of days: a limit is never that long
        for a, b in _periods_of(day):
            if local >= b:
                continue
            begin = max(a, local)
            if begin + left <= b:
                return (begin + left).astimezone(ZoneInfo("UTC"))
            left -= b - begin
        day += timedelta(days=1)
        local = datetime.combine(day, time(0), BEIJING)
    raise ValueError(f"{hours} working hours is beyond any sensible limit")


def add_working_days(start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day after the day of `start` (the day of report does not count)."""
    day = as_utc(start).astimezone(BEIJING).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return datetime.combine(day, periods()[-1][1], BEIJING).astimezone(ZoneInfo("UTC"))


def add_limit(start: datetime, amount: int, unit: str) -> datetime:
    if unit == "hours":
        return add_working_hours(start, amount)
    if unit == "days":
        return add_working_days(start, amount)
    raise ValueError(f"unknown limit unit {unit!r}; use 'hours' or 'days'")


def working_seconds_between(a: datetime, b: datetime) -> float:
    """Working seconds from a to b (negative when b is before a): the time left shown to people."""
    if b < a:
        return -working_seconds_between(b, a)
    a_l, b_l = as_utc(a).astimezone(BEIJING), as_utc(b).astimezone(BEIJING)
    total = 0.0
    day = a_l.date()
    while day <= b_l.date():
        for p, q in _periods_of(day):
            lo, hi = max(p, a_l), min(q, b_l)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return total
