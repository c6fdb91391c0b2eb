"""Compatibility: `fan_out(…, audience=Audience…)` as before, for the callers not moved to
`linli.notify.outbox` yet (notices, the residents' ID reviews, bench/bench_fanout.py).

An Audience names its people by rule ("the staff", "subscribers with a tag"); `linli.notify.outbox`
takes them as selectables instead. This module turns the one into the other with the selectables of
`linli.alerts.repository` (the staff of a subtree, persons holding a tag) — the only place notify
reaches beyond its own tables, and only through another domain's public module. A caller moves by
building its selectables in its own repository and calling `outbox.fan_out(users=…, subscribers=…)`;
when none is left, this module goes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from linli.kit import codes
from linli.notify import outbox
from linli.notify.outbox import DeliveryCounts, FanOutResult, Subscribers, delivery_counts
from linli.notify.schemas import TOPICS

__all__ = ["TOPICS", "Audience", "DeliveryCounts", "FanOutResult", "delivery_counts", "fan_out"]


@dataclass(frozen=True)
class Audience:
    """Who beyond the staff: every subscriber of the topic, nobody, or subscribers with a current tag."""

    residents: bool = True
    tag: str | None = None  # e.g. "elderly_alone": residents holding this tag today
    topic: str = "warnings"

    @classmethod
    def all_residents(cls, topic: str = "warnings") -> Audience:
        return cls(residents=True, topic=topic)

    @classmethod
    def workers_only(cls) -> Audience:
        return cls(residents=False)

    @classmethod
    def tagged(cls, tag: str, topic: str = "warnings") -> Audience:
        return cls(residents=True, tag=tag, topic=topic)


def fan_out(
    session: Session,
    *,
    ref: str,
    kind: str,
    area_code: str,
    content: Mapping[str, Any],
    audience: Audience,
    key_suffix: str = "",
) -> FanOutResult:
    """Enqueue `content` for the staff of the subtree of `area_code` (unpadded) and whoever else
    `audience` reaches there (see `linli.notify.outbox.fan_out`)."""
    from linli.alerts import repository as people

    codes.level_of(area_code)
    subscribers = None
    if audience.residents:
        persons = people.tagged_persons(audience.tag, date.today()) if audience.tag else None
        subscribers = Subscribers(audience.topic, persons)
    return outbox.fan_out(
        session,
        ref=ref,
        kind=kind,
        area_code=area_code,
        content=content,
        users=people.staff_of(area_code),
        subscribers=subscribers,
        key_suffix=key_suffix,
    )
