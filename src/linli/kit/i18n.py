"""Translations: English message ids, Babel catalogues per locale, the locale of the current request.

`t("area {code} does not exist", code=c)` returns the message in the current locale, formatted. The
locale lives in a context variable set per request (web pages default to Chinese, API clients and
the CLI to English unless they ask otherwise).
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LOCALES = ("zh-CN", "en")
WEB_DEFAULT = "zh-CN"
LOCALE_NAMES = {"zh-CN": "中文", "en": "English"}

_current: ContextVar[str] = ContextVar("linli_locale", default="en")


def normalize(value: str | None) -> str | None:
    """A supported locale for a tag like 'zh', 'zh-CN', 'zh_Hans', 'en-GB', or None."""
    if not value:
        return None
    tag = value.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-CN"
    if tag.startswith("en"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    if not header:
        return None
    weighted = []
    for part in header.split(","):
        lang, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if normalize(lang):
            weighted.append((weight, normalize(lang)))
    return max(weighted)[1] if weighted else None


@lru_cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of a locale, read from its .po file (no compile step)."""
    po = LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale.replace("-", "_"))
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def set_locale(locale: str):
    return _current.set(locale if locale in LOCALES else "en")


def reset_locale(token) -> None:
    _current.reset(token)


def current_locale() -> str:
    return _current.get()


def N_(message: str) -> str:
    """Marks a message for extraction; translated where it is shown (with `gettext`)."""
    return message


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def t(message: str, **params) -> str:
    """Translate `message` into the current locale and fill in its {named} parameters."""
    text = gettext(message)
    return text.format(**params) if params else text
