"""The overdue job: an event past its stage deadline escalates one level up (township → county → city).

Each escalation is a timeline step and notifies the unit and the officials of the new level through
the outbox. An event still overdue one working day after an escalation escalates again, up to the city.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.authz.principal import system_principal
from linli.events import repository as repo
from linli.events.notifications import supervising_code
from linli.events.service import log_step
from linli.kit import codes
from linli.kit import workdays as calendar
from linli.kit.time import as_utc, utcnow
from linli.notify.outbox import PeriodicJob

LEVELS = ("township", "county", "city")
ESCALATION_LOCK = 7316101


def escalate_overdue(session: Session, *, now: datetime | None = None, limit: int = 500) -> int:
    """Escalate up to `limit` overdue events; returns how many. Safe to run from several workers."""
    now = now or utcnow()
    actor = system_principal("worker:escalation")
    n = 0
    for event in repo.open_overdue_for_escalation(session, now, limit):
        event.escalation_level += 1
        event.next_escalation_at = calendar.add_working_days(now, 1)
        level = LEVELS[event.escalation_level]
        overdue_h = calendar.working_seconds_between(as_utc(event.stage_deadline), now) / 3600
        session.flush()
        log_step(
            session,
            actor,
            event,
            "escalate",
            event.state,
            note=f"超期 {overdue_h:.1f} 个工作小时，升级至{level}督办 (overdue; escalated to the {level})",
            data={"level": level, "supervisor": codes.unpad(codes.pad(supervising_code(event)))},
            at=now,
        )
        n += 1
    return n


def job(every_seconds: float = 60.0) -> PeriodicJob:
    return PeriodicJob("events.escalate", every_seconds, lambda s: escalate_overdue(s), ESCALATION_LOCK)
