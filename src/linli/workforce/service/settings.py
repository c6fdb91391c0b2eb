"""Writes of the rules: an area's dated regional setting for a year, with its level coefficients."""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.workforce import repository as repo
from linli.workforce import rules
from linli.workforce.models import (
    LevelCoefficient,
    WorkforceSetting,
)
from linli.workforce.schemas import SettingIn
from linli.workforce.service.common import MANAGE


def _setting_problems(data: SettingIn) -> list[str]:
    problems = []
    for post, low, high in (
        ("head", data.head_min, data.head_max),
        ("member", data.member_min, data.member_max),
        ("staff", data.staff_min, data.staff_max),
    ):
        if low > high:
            problems.append(t("the lowest level of post {post} is above its highest", post=post))
    if data.staff_base_min > data.staff_base_max:
        problems.append(t("the fewest workers of the staffing rule are more than the most"))
    total = sum(data.rater_weights.values(), Decimal(0))
    if total != 1:
        problems.append(t("the raters' weights must add up to 1; they add up to {total}", total=total))
    if not data.excellent_min > data.competent_min > data.basic_min:
        problems.append(t("the lowest scores must fall from excellent to competent to basically competent"))
    bad = sorted(level for level, c in data.coefficients.items() if not 1 <= level <= 18 or c <= 0)
    if bad:
        problems.append(t("level coefficients must be for levels 1–18 and above zero: {levels}", levels=bad))
    return problems


def save_setting(session: Session, principal: Principal, data: SettingIn) -> WorkforceSetting:
    """Set (or replace) the rules of an area for a year, with its level coefficients."""
    if not codes.is_valid(data.area_code) or len(data.area_code) > 6:
        raise InvalidInput(t("rules are set by a province, city or county; {code} is none", code=data.area_code))
    principal.check(MANAGE, data.area_code, what=t("area {code}", code=data.area_code))
    problems = _setting_problems(data)
    if problems:
        raise InvalidInput(problems[0], details=problems)
    values = data.model_dump(exclude={"area_code", "coefficients"})
    values["education_steps"] = json.dumps(data.education_steps, sort_keys=True)
    values["qualification_steps"] = json.dumps(data.qualification_steps, sort_keys=True)
    values["rater_weights"] = rules.weights_json(data.rater_weights)
    setting = repo.setting_at(session, data.area_code, data.year)
    if setting is None:
        setting = WorkforceSetting(area_code=codes.pad(data.area_code), **values)
        session.add(setting)
        session.flush()
    else:
        for key, value in values.items():
            setattr(setting, key, value)
        for c in repo.coefficients(session, setting.id).values():
            session.delete(c)
        session.flush()
    session.add_all(
        LevelCoefficient(setting_id=setting.id, level=level, coefficient=c) for level, c in data.coefficients.items()
    )
    session.flush()
    record(
        session, principal, "workforce.setting_save", "workforce_setting", setting.id, setting.area_code,
        after={"year": data.year, "levels": len(data.coefficients), "pay_enabled": data.pay_enabled},
    )  # fmt: skip
    return setting
