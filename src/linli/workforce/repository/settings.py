"""Reads of the rules: a setting by area and year (the county's, else the nearest ancestor's), its coefficients."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.workforce.models import (
    LevelCoefficient,
    WorkforceSetting,
)


def setting_for(session: Session, area_code: str, year: int) -> WorkforceSetting | None:
    """The setting of `year` at the area or its nearest ancestor that has one."""
    chain = [codes.pad(c) for c in [*codes.ancestors(area_code), area_code]]
    rows = session.scalars(
        select(WorkforceSetting).where(WorkforceSetting.year == year, WorkforceSetting.area_code.in_(chain))
    ).all()
    return max(rows, key=lambda s: len(codes.unpad(s.area_code)), default=None)


def setting_at(session: Session, area_code: str, year: int) -> WorkforceSetting | None:
    """The setting of exactly this area and year (the one a save replaces)."""
    return session.scalar(
        select(WorkforceSetting).where(
            WorkforceSetting.area_code == codes.pad(area_code), WorkforceSetting.year == year
        )
    )


def coefficients(session: Session, setting_id: int) -> dict[int, LevelCoefficient]:
    rows = session.scalars(select(LevelCoefficient).where(LevelCoefficient.setting_id == setting_id))
    return {c.level: c for c in rows}


def settings_in(session: Session, scope: AreaScope) -> list[WorkforceSetting]:
    q = select(WorkforceSetting).where(scope.reach_clause(WorkforceSetting.area_code))
    return list(session.scalars(q.order_by(WorkforceSetting.area_code, WorkforceSetting.year)))


def setting_by_id(session: Session, setting_id: int) -> WorkforceSetting:
    return session.get(WorkforceSetting, setting_id)
