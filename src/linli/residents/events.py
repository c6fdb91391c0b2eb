"""Appending to a person's or household's history (resident_events); entries are never changed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.time import utcnow
from linli.residents.models import ResidentEvent


def add_event(
    session: Session,
    actor: Principal,
    kind: str,
    area_code: str,
    *,
    on: date | None = None,
    person_id: int | None = None,
    household_id: int | None = None,
    other_household_id: int | None = None,
    from_area: str | None = None,
    to_area: str | None = None,
    details: dict[str, Any] | None = None,
) -> ResidentEvent:
    event = ResidentEvent(
        kind=kind,
        area_code=codes.pad(area_code),
        on=on or date.today(),
        at=utcnow(),
        person_id=person_id,
        household_id=household_id,
        other_household_id=other_household_id,
        from_area=codes.unpad(from_area) if from_area else None,
        to_area=codes.unpad(to_area) if to_area else None,
        details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
        actor=actor.audit_name,
    )
    session.add(event)
    return event
