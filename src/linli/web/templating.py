"""Jinja2 templates of the web console, with translations and the context every page needs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from linli.authz.permissions import Permission
from linli.kit import i18n
from linli.kit.time import BEIJING
from linli.web import display
from linli.web.nav import nav_items

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
templates.env.globals["LOCALE_NAMES"] = i18n.LOCALE_NAMES
templates.env.globals["P"] = Permission
templates.env.globals["area_label"] = display.area_label  # names, not codes (linli.web.display)

# Times are stored in UTC and shown in Beijing time (China has one time zone and no summer time).


def beijing(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """`{{ event.reported_at|beijing }}`: a stored time as the people using the console read it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(BEIJING).strftime(fmt)
    return value.strftime(fmt)


templates.env.filters["beijing"] = beijing


def readable_json(value: Any) -> str:
    """`{{ entry.after|readable_json }}`: stored JSON as people read it, Chinese as Chinese (escaped for
    HTML by the template like any text)."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True, default=str)


templates.env.filters["readable_json"] = readable_json


def yuan(value: Decimal | str | int | None) -> str:
    """`{{ line.amount|yuan }}`: an exact amount with thousands grouped, as money is read (8,779,300.00)."""
    if value is None or value == "":
        return ""
    return format(Decimal(str(value)), ",.2f")


templates.env.filters["yuan"] = yuan

LANG_COOKIE = "linli_lang"
TEXT_COOKIE = "linli_text"


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200):
    principal = getattr(request.state, "principal", None)
    ctx = {
        "user": getattr(request.state, "user", None),
        "principal": principal,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "locale": i18n.current_locale(),
        "large_text": request.cookies.get(TEXT_COOKIE) == "large",
        "nav": nav_items(principal, getattr(request.state, "db", None)),
        "account_nav": nav_items(principal, getattr(request.state, "db", None), account=True),
        "path": request.url.path,
        "query": request.url.query,
        "breadcrumb": [],
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
