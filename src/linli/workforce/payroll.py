"""The monthly pay run of a county: every worker in post on the month's first day gets one line, the
base pay of their level by the county's rules of that year, and the line says where each number came
from. A preview computes the lines and writes nothing; confirming writes them once (a month is run
once). Refused whole, naming what is missing, when the rules, a parameter or a level's coefficient
are not set."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import gettext, t
from linli.workforce import repository as repo
from linli.workforce import rules
from linli.workforce.kinds import POSTS
from linli.workforce.models import PayLine, PayRun, WorkforceSetting

PAY = Permission.workforce_pay


@dataclass(frozen=True)
class Line:
    worker_id: int
    area_code: str
    post: str
    level: int
    coefficient_id: int
    coefficient: Decimal
    amount: Decimal
    explanation: dict


@dataclass(frozen=True)
class Run:
    county: str
    month: str
    setting: WorkforceSetting
    lines: list[Line]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def _setting(session: Session, county: str, year: int) -> WorkforceSetting:
    setting = repo.setting_for(session, county, year)
    if setting is None or not setting.pay_enabled:
        raise InvalidInput(t("the pay system is not enabled in county {code} for {year}", code=county, year=year))
    missing = [n for n in ("avg_manager_pay", "local_coefficient") if getattr(setting, n) is None]
    if missing:
        raise InvalidInput(
            t("the {year} rules of {area} lack: {what}", year=year, area=codes.unpad(setting.area_code),
              what=", ".join(missing))
        )  # fmt: skip
    return setting


def compute(session: Session, principal: Principal, county: str, month: str) -> Run:
    """The lines of the county's month, without writing them."""
    if not codes.is_valid(county) or len(county) != 6:
        raise NotFound(t("area {code} does not exist", code=county))
    principal.check(PAY, county, what=t("area {code}", code=county))
    day = date.fromisoformat(f"{month}-01")
    setting = _setting(session, county, day.year)
    table = repo.coefficients(session, setting.id)
    rows = repo.pay_rows(session, county, day)
    no_level = [r.worker_id for r in rows if r.level is None]
    if no_level:
        raise InvalidInput(t("workers without a level on {day}: {ids}", day=day.isoformat(), ids=no_level[:20]))
    absent = sorted({r.level for r in rows} - set(table))
    if absent:
        raise InvalidInput(
            t("the {year} coefficient table of {area} has no coefficient for levels {levels}", year=day.year,
              area=codes.unpad(setting.area_code), levels=", ".join(map(str, absent)))
        )  # fmt: skip
    base = {
        "setting_id": setting.id, "area": codes.unpad(setting.area_code), "year": setting.year,
        "avg_manager_pay": str(setting.avg_manager_pay), "local_coefficient": str(setting.local_coefficient),
        "base_share": str(setting.base_share), "source": setting.source, "seeded_default": setting.seeded_default,
    }  # fmt: skip
    amounts = {level: rules.base_pay(setting, c.coefficient) for level, c in table.items()}
    lines = [
        Line(
            r.worker_id,
            r.area_code,
            r.post,
            r.level,
            table[r.level].id,
            table[r.level].coefficient,
            amounts[r.level],
            {**base, "coefficient_id": table[r.level].id},
        )  # fmt: skip
        for r in rows
    ]
    return Run(county, month, setting, lines)


def confirm(session: Session, principal: Principal, county: str, month: str) -> PayRun:
    run = compute(session, principal, county, month)
    if repo.pay_run_of(session, county, month) is not None:
        raise Conflict(t("the pay of {month} in this county has been run already", month=month))
    saved = PayRun(
        area_code=codes.pad(county), month=month, setting_id=run.setting.id, total=run.total,
        lines=len(run.lines), confirmed_by=principal.audit_name,
    )  # fmt: skip
    session.add(saved)
    session.flush()
    if run.lines:
        session.execute(
            insert(PayLine),
            [
                {
                    "run_id": saved.id,
                    "worker_id": x.worker_id,
                    "area_code": x.area_code,
                    "post": x.post,
                    "level": x.level,
                    "coefficient_id": x.coefficient_id,
                    "coefficient": x.coefficient,
                    "amount": x.amount,
                    "explanation": json.dumps(x.explanation, ensure_ascii=False),
                }  # fmt: skip
                for x in run.lines
            ],
        )
    record(
        session, principal, "workforce.pay_confirm", "pay_run", saved.id, saved.area_code,
        after={"month": month, "lines": len(run.lines), "total": str(run.total), "setting_id": run.setting.id},
    )  # fmt: skip
    return saved


def explain(
    post: str, level: int, coefficient: Decimal, amount: Decimal, why: dict, area_name: str | None = None
) -> str:
    """A line's explanation in the reader's language: the post in words, the county by name when given."""
    return t(
        "post {post}, level {level}: {pay} (average monthly pay of public-institution managers, {area} {year}) × "
        "{local} (local coefficient) × {share} (base share) × {coefficient} (level coefficient, row {row}) = "
        "{amount}; rules row {setting}",
        post=gettext(POSTS.get(post, post)), level=level, pay=why["avg_manager_pay"], area=area_name or why["area"],
        year=why["year"],
        local=why["local_coefficient"], share=why["base_share"], coefficient=coefficient,
        row=why["coefficient_id"], amount=amount, setting=why["setting_id"],
    ) + (t(" (seeded default: {source})", source=why["source"]) if why.get("seeded_default") else "")  # fmt: skip
