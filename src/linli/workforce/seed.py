"""The seeded defaults of three posts, eighteen levels: Jilin's 2020 draft (吉林省社区工作者职业体系建设
征求意见稿, 2020) as a province-wide setting a county overrides with its own row. Marked `seeded_default`
so every page and pay line that uses them says so. Two numbers are deliberately absent: the local average
monthly pay of public-institution managers and the local coefficient are each county's own, and a pay
run refuses to run without them."""

from __future__ import annotations

from decimal import Decimal

from linli.workforce.schemas import SettingIn

SOURCE = "吉林省社区工作者“三岗十八级”薪酬体系（2020年征求意见稿）：默认值，须由县（市、区）核定"


def coefficients(first: str = "1.00", step: str = "0.05") -> dict[int, Decimal]:
    """Level coefficients rising by a fixed step from level 1 (the draft's shape; each county sets its own)."""
    return {level: Decimal(first) + Decimal(step) * (level - 1) for level in range(1, 19)}


def default(area_code: str = "22", year: int = 2026, **overrides) -> SettingIn:
    values = dict(
        area_code=area_code, year=year, pay_enabled=False, avg_manager_pay=None, local_coefficient=None,
        base_share=Decimal("0.70"), head_min=7, head_max=18, member_min=4, member_max=15, staff_min=1, staff_max=12,
        promotion_years=3, years_per_step=3, max_service_steps=4,
        education_steps={"secondary": 0, "college": 0, "bachelor": 1, "master": 2},
        qualification_steps={"none": 0, "assistant": 1, "social_worker": 2, "senior": 3},
        staff_base_min=10, staff_base_max=15, base_households=3000, households_per_extra=400,
        coefficients=coefficients(), source=SOURCE, seeded_default=True,
    )  # fmt: skip
    values.update(overrides)
    return SettingIn(**values)
