"""What the events pages share: who may see them, state and step names in the user's language,
breadcrumbs, error lines."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from linli.areas import pages as area_pages
from linli.areas.models import Area
from linli.authz.deps import Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events.kinds import (  # noqa: F401 (the pages import them from here)
    ACTION_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    action_label,
    source_label,
    state_label,
    unit_kind_label,
)
from linli.kit.errors import DomainError

READ = Require(Permission.events_read)
REPORT = Require(Permission.events_report)
MANAGE = Require(Permission.events_manage)
VERIFY = Require(Permission.events_verify)
# Who a page's route lets in: `principal: Reader` and so on.
Reader = Annotated[Principal, Depends(READ)]
Reporter = Annotated[Principal, Depends(REPORT)]
Manager = Annotated[Principal, Depends(MANAGE)]
Verifier = Annotated[Principal, Depends(VERIFY)]
PAGE = 50


def crumbs(session: Session, principal: Principal, area: Area) -> list[dict[str, str]]:
    return area_pages.crumbs(session, principal, area, "events")


def error_lines(exc: DomainError) -> list[str]:
    """The line an events form shows for a refusal: its message (a workflow refusal's details are the
    names of the missing fields, which web.pages.error_lines would show instead)."""
    return [exc.message]


def pages(total: int, size: int = PAGE) -> int:
    return max(1, -(-total // size))
