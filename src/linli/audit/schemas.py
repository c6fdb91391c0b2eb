"""Response shapes of the audit log API."""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel

from linli.audit.models import AuditEntry
from linli.kit.codes import unpad
from linli.kit.types import Id


class AuditOut(BaseModel):
    seq: int
    at: datetime
    actor: str
    actor_id: Id | None
    action: str
    entity_type: str
    entity_id: str
    area_code: str
    before: dict | None
    after: dict | None
    hash: str

    @classmethod
    def of(cls, e: AuditEntry) -> AuditOut:
        """The entry as the API shows it: its place unpadded, its before and after as objects."""
        return cls(
            seq=e.seq,
            at=e.at,
            actor=e.actor,
            actor_id=e.actor_id,
            action=e.action,
            entity_type=e.entity_type,
            entity_id=e.entity_id,
            area_code=unpad(e.area_code),
            before=json.loads(e.before) if e.before else None,
            after=json.loads(e.after) if e.after else None,
            hash=e.hash,
        )
