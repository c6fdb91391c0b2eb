"""Compatibility: residents' consent to be notified is in `linli.notify.service` (and its schemas in
`linli.notify.schemas`); these names stay here for the callers not moved yet."""

from __future__ import annotations

from linli.notify.schemas import SubscriptionIn, SubscriptionOut
from linli.notify.service import opt_in, record_for_person, withdraw_for_person, withdraw_own

__all__ = ["SubscriptionIn", "SubscriptionOut", "opt_in", "record_for_person", "withdraw_for_person", "withdraw_own"]
