"""Names, not codes: how a page shows an area to the person reading it.

`{{ area_label(code) }}` in a template renders the area's name with its code in a tooltip (`title`), and
`{{ area_label(code, parent=True) }}` the name of its parent before it ("华阳社区 · 第一网格": grid names
repeat from one community to the next). A code no area has is shown as it is. Names are looked up once
per request and code, through the function the application installs from the areas domain (the page
kit cannot import the domains above it; linli.app calls `install`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from linli.kit import codes

# code → (name, parent code): the areas of the codes asked for that exist.
Lookup = Callable[[Session, Sequence[str]], dict[str, tuple[str, str | None]]]
_lookup: Lookup | None = None


def install(lookup: Lookup) -> None:
    """Set the area lookup (the application does, when it is built)."""
    global _lookup
    _lookup = lookup


def _real(code: str) -> str:
    """A row's stored code is padded to 15 characters (db.base.AreaScoped): the area's own code is the
    unpadded one ("220102001000000" is the township 220102001)."""
    return codes.unpad(code) if len(code) == codes.WIDTH else code


def _known(request: Any, wanted: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """The names of `wanted` codes (real or padded), from the request's cache, looking up only those not
    seen yet; keyed by the codes as asked."""
    codes_asked = {c: _real(c) for c in wanted if c}
    state = request.state
    cache: dict[str, tuple[str, str | None] | None] | None = getattr(state, "area_names", None)
    if cache is None:
        cache = {}
        state.area_names = cache
    missing = [c for c in dict.fromkeys(codes_asked.values()) if c not in cache]
    session = getattr(state, "db", None)
    if missing and session is not None and _lookup is not None:
        found = _lookup(session, missing)
        cache.update({c: found.get(c) for c in missing})
    return {c: v for c, real in codes_asked.items() if (v := cache.get(real)) is not None}


def prefetch(request: Any, codes: Iterable[str | None]) -> None:
    """Look up many codes and their parents at once (two queries), for a page listing many: each
    `area_label(...)` of the page then finds its name in the request's cache."""
    wanted = [c for c in codes if c]
    found = _known(request, wanted)
    _known(request, [p for _, p in found.values() if p])


def area_name(request: Any, code: str | None, *, parent: bool = False) -> str:
    """The readable name of area `code` (with its parent's before it), or the code when unknown."""
    if not code:
        return ""
    known = _known(request, [code])
    if code not in known:
        return code
    name, parent_code = known[code]
    if parent and parent_code:
        above = _known(request, [parent_code]).get(parent_code)
        if above is not None:
            return f"{above[0]} · {name}"
    return name


@pass_context
def area_label(context: Any, code: str | None, parent: bool = False) -> Markup:
    """`{{ area_label(code) }}`: the area's name, its code in a tooltip."""
    if not code:
        return Markup("—")
    text = area_name(context["request"], code, parent=parent)
    if text == code:
        return Markup(escape(code))
    return Markup('<span class="area-name" title="{}">{}</span>').format(_real(code), text)
