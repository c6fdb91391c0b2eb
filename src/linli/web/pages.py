"""Pieces every domain's pages share: errors as the lines a form shows. (The area a page is about and
its breadcrumb are the areas domain's: `linli.areas.pages`.)"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import ValidationError

from linli.kit.errors import DomainError


def error_lines(exc: DomainError | ValidationError) -> list[str]:
    """An error as the lines a form shows: each field's problem, each listed detail, or the message."""
    if isinstance(exc, ValidationError):
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    if isinstance(exc.details, list) and exc.details and all(isinstance(d, str) for d in exc.details):
        return list(exc.details)
    return [exc.message]


def is_local_path(value: str | None) -> bool:
    """A path on this site, never another site's address (an open redirect is a phishing aid)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    return not urlsplit(value).netloc
