"""The rules of three posts, eighteen levels, as functions of a setting row: nothing here holds a number
of its own. Each answer says which rule gave it, so a payroll line or a level can be explained."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from linli.workforce.models import WorkforceSetting

CENT = Decimal("0.01")


def level_range(setting: WorkforceSetting, post: str) -> tuple[int, int]:
    return {
        "head": (setting.head_min, setting.head_max),
        "member": (setting.member_min, setting.member_max),
        "staff": (setting.staff_min, setting.staff_max),
    }[post]


def full_years(start: date, on: date) -> int:
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


@dataclass(frozen=True)
class Initial:
    level: int
    steps: dict  # rule → steps it added


def initial_level(
    setting: WorkforceSetting, post: str, *, work_start: date, education: str, qualification: str, on: date
) -> Initial:
    """The post's lowest level, plus service years, education and qualification steps; capped at its highest."""
    low, high = level_range(setting, post)
    service = min(full_years(work_start, on) // setting.years_per_step, setting.max_service_steps)
    edu = int(json.loads(setting.education_steps).get(education, 0))
    qual = int(json.loads(setting.qualification_steps).get(qualification, 0))
    return Initial(min(low + service + edu + qual, high), {"service": service, "education": edu, "qualification": qual})


def base_pay(setting: WorkforceSetting, coefficient: Decimal) -> Decimal:
    """Monthly base pay = average manager pay × local coefficient × base share × level coefficient."""
    amount = setting.avg_manager_pay * setting.local_coefficient * setting.base_share * coefficient
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def staffing_band(setting: WorkforceSetting, households: int) -> tuple[int, int]:
    """How many workers a community of `households` households should have: (fewest, most)."""
    extra = 0
    if households > setting.base_households:
        more = households - setting.base_households
        extra = -(-more // setting.households_per_extra)  # one per started block
    return setting.staff_base_min + extra, setting.staff_base_max + extra


def weights_json(weights: dict) -> str:
    """The raters' weights as stored: a JSON object of decimal strings, sorted by rater."""
    return json.dumps({k: str(v) for k, v in sorted(weights.items())})


def weights(setting: WorkforceSetting) -> dict[str, Decimal]:
    return {k: Decimal(v) for k, v in json.loads(setting.rater_weights).items()}


def weighted_score(setting: WorkforceSetting, scores: dict[str, Decimal]) -> Decimal:
    """Σ score × weight over the county's raters (the caller checks every rater scored)."""
    found = weights(setting)
    return sum((scores[r] * w for r, w in found.items()), Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def grade(setting: WorkforceSetting, score: Decimal) -> str:
    """The result of a weighted score by the county's lowest score of each grade."""
    if score >= setting.excellent_min:
        return "excellent"
    if score >= setting.competent_min:
        return "competent"
    return "basic" if score >= setting.basic_min else "incompetent"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def flagged_years(years: dict[int, str], in_a_row: int) -> list[int]:
    """The years of the run when the latest `in_a_row` assessed years are consecutive and all
    incompetent (the dismissal review rule), else []."""
    latest = sorted(years)[-in_a_row:]
    if len(latest) < in_a_row or latest[-1] - latest[0] != in_a_row - 1:
        return []
    return latest if all(years[y] == "incompetent" for y in latest) else []
