"""Demo data of notifications, for the other domains' demos (notify has no demo step of its own):
residents' consent to be told, as if taken down on a visit; messages sent in the past and delivered."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit.time import utcnow
from linli.notify import repository, service
from linli.notify.channels import CHANNELS
from linli.notify.schemas import SubscriptionIn


def consents(session: Session, actor: Principal, person_ids: Sequence[int], channel: str = "webhook") -> int:
    """The persons' consent to be told of warnings through `channel` (by SMS: their registered phone)."""
    for pid in person_ids:
        service.record_for_person(session, actor, pid, SubscriptionIn(channel=channel))
    return len(person_ids)


def backdate(session: Session, ref_prefix: str, when: datetime) -> None:
    """The messages whose refs start with `ref_prefix` enqueued at `when`."""
    repository.backdate(session, ref_prefix, when)


def deliver_inbox(session: Session, ref_prefix: str) -> None:
    """The inbox messages whose refs start with `ref_prefix` delivered now."""
    ids = repository.inbox_rows(session, ref_prefix)
    if ids:
        CHANNELS["inbox"].deliver_batch(session, ids, now=utcnow())  # type: ignore[attr-defined]
        session.expire_all()
