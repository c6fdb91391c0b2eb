"""What the social work pages share: the permissions as route dependencies, the words of the domain's
values, numbers typed in forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Depends

from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit.errors import Forbidden, InvalidInput
from linli.kit.i18n import t
from linli.socialwork import kinds

READ, MANAGE, RECORD = Permission.socialwork_read, Permission.socialwork_manage, Permission.socialwork_record
Reader = Annotated[Principal, Depends(Require(READ))]
Manager = Annotated[Principal, Depends(Require(MANAGE))]
Recorder = Annotated[Principal, Depends(Require(RECORD))]
PAGE = 50


def helpers() -> dict[str, Any]:
    """The labels the templates show, in the page's language."""
    return {
        "level_label": lambda v: kinds.label(kinds.LEVELS, v),
        "status_label": lambda v: kinds.label(kinds.STATUSES, v),
        "service_label": lambda v: kinds.label(kinds.SERVICES, v),
        "qualification_label": lambda v: kinds.label(kinds.QUALIFICATIONS, v),
        "case_state": lambda v: kinds.label(kinds.CASE_STATES, v),
        "step_label": lambda v: kinds.label(kinds.STEPS, v),
        "services": kinds.options(kinds.SERVICES),
        "qualifications": kinds.options(kinds.QUALIFICATIONS),
        "today": date.today().isoformat(),
    }


def opt_int(value: str, what: str) -> int | None:
    if not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError:
        raise InvalidInput(t("{what}: {value!r} is not a whole number", what=what, value=value)) from None


def number(value: str, what: str) -> Decimal:
    """A decimal typed in a form (hours: 1.5); a clear error when it is none."""
    try:
        found = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(t("{what}: {value!r} is not a number", what=what, value=value)) from None
    if not found.is_finite() or abs(found) >= 1000:
        raise InvalidInput(t("{what}: {value!r} is not a number", what=what, value=value))
    return found.quantize(Decimal("0.1"))


def refusal_status(tried) -> int:
    """403 when the principal may not do it (not on the staff), else 422: the form is shown again either way."""
    return 403 if isinstance(tried.error, Forbidden) else 422
