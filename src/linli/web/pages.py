"""Pieces every domain's pages share: errors as the lines a form or an error page shows, in the reader's
language. (The area a page is about and its breadcrumb are the areas domain's: `linli.areas.pages`.)"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from linli.kit.errors import DomainError
from linli.kit.i18n import N_, gettext, t

# Where a value came from, not a field: left out of the field's name.
_SOURCES = frozenset({"body", "query", "path", "form", "header", "cookie"})
# The parameters many pages take, named as a person reads them; any other field by its own name.
FIELD_NAMES = {
    "page": N_("page number"),
    "q": N_("search text"),
    "code": N_("area code"),
    "area_code": N_("area code"),
    "lon": N_("longitude"),
    "lat": N_("latitude"),
    "title": N_("title"),
    "body": N_("text"),
    "description": N_("description"),
    "name": N_("name"),
    "phone": N_("phone number"),
    "id_number": N_("ID number"),
    "expires_at": N_("expiry time"),
}
# What was wrong, by pydantic's error type: {field} and, where the type has one, {limit} or {expected}.
_PROBLEMS = {
    "missing": N_("{field}: this is required"),
    "int_parsing": N_("{field}: give a whole number"),
    "int_type": N_("{field}: give a whole number"),
    "int_from_float": N_("{field}: give a whole number"),
    "float_parsing": N_("{field}: give a number"),
    "float_type": N_("{field}: give a number"),
    "bool_parsing": N_("{field}: answer yes or no"),
    "greater_than_equal": N_("{field}: give {limit} or more"),
    "greater_than": N_("{field}: give more than {limit}"),
    "less_than_equal": N_("{field}: give {limit} or less"),
    "less_than": N_("{field}: give less than {limit}"),
    "string_too_long": N_("{field}: at most {limit} characters"),
    "string_too_short": N_("{field}: at least {limit} characters"),
    "too_long": N_("{field}: at most {limit} items"),
    "too_short": N_("{field}: at least {limit} items"),
    "literal_error": N_("{field}: choose one of {expected}"),
    "enum": N_("{field}: choose one of {expected}"),
    "date_parsing": N_("{field}: give a date as 2026-12-04"),
    "date_from_datetime_parsing": N_("{field}: give a date as 2026-12-04"),
    "datetime_parsing": N_("{field}: give a date and time as 2026-12-04 09:30"),
    "datetime_from_date_parsing": N_("{field}: give a date and time as 2026-12-04 09:30"),
    "json_invalid": N_("the data sent is not valid JSON"),
    "model_attributes_type": N_("{field}: this is not what was expected here"),
}
_LIMITS = ("ge", "gt", "le", "lt", "max_length", "min_length")


def field_name(loc: Iterable[Any]) -> str:
    """A field's name as a person reads it: the known ones translated, an item of a list by its number."""
    parts = [p for p in loc if p not in _SOURCES]
    if not parts:
        return ""
    last = parts[-1]
    if isinstance(last, int) and len(parts) > 1:
        return t("{field}, item {n}", field=field_name(parts[:-1]), n=last + 1)
    key = str(last)
    return gettext(FIELD_NAMES[key]) if key in FIELD_NAMES else key.replace("_", " ")


def problem(error: Mapping[str, Any]) -> str:
    """One pydantic error in words, in the reader's language (a validator's own message as it is)."""
    field = field_name(error.get("loc", ())) or gettext(N_("the request"))
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "value_error" and ctx.get("error") is not None:
        return f"{field}: {ctx['error']}"
    if kind not in _PROBLEMS:
        return t("{field}: this value is not valid", field=field)
    limit = next((ctx[k] for k in _LIMITS if k in ctx), "")
    expected = str(ctx.get("expected", "")).replace("'", "")
    return gettext(_PROBLEMS[kind]).format(field=field, limit=limit, expected=expected)


def error_lines(exc: DomainError | ValidationError) -> list[str]:
    """An error as the lines a form shows: each field's problem, each listed detail, or the message."""
    if isinstance(exc, ValidationError):
        return [problem(e) for e in exc.errors()]
    if isinstance(exc.details, list) and exc.details and all(isinstance(d, str) for d in exc.details):
        return list(exc.details)
    return [exc.message]


def is_local_path(value: str | None) -> bool:
    """A path on this site, never another site's address (an open redirect is a phishing aid)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return False
    return not urlsplit(value).netloc
