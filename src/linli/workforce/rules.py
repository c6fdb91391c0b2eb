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
