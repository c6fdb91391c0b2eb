"""The navigation: the links each domain contributes (its views' `NAV`), shown to a principal only
where their grants would let them in (no link to a page that would refuse).

The page kit cannot import the domains (they sit above it), so the application installs the links
when it is built (`install`, from linli.domains.DOMAINS) and every page's header reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission, Role
from linli.authz.principal import Principal
from linli.kit import i18n
from linli.kit.i18n import N_


@dataclass(frozen=True)
class NavLink:
    """A link in the navigation. `label` is marked with N_ and translated when shown; `href` gives the
    link for a principal, or None where the principal would be refused; `order` places it."""

    order: int
    label: str
    href: Callable[[Principal], str | None]
    # A count shown beside the link (e.g. unread messages): one cheap query, run on every page.
    badge: Callable[[Session, Principal], int] | None = None
    # What the count counts, for screen readers ("3 unread"); marked with N_.
    badge_label: str = N_("unread")
    # One's own account (password, API tokens, registration): shown by the user's name, not in the menu.
    account: bool = False
    # Work done now and then (registers, reports, settings): under "More" at the end of the menu, which
    # opens with a tap, so that the daily links fit a phone's screen above the page.
    more: bool = False


@dataclass(frozen=True)
class Badge:
    """A link's count and what it counts (translated); false when there is nothing to show."""

    count: int
    label: str = ""

    def __bool__(self) -> bool:
        return self.count > 0


def at_first_area(permission: Permission, path: str) -> Callable[[Principal], str | None]:
    """`path` with `{code}` the area of the principal's first grant carrying `permission`."""

    def href(principal: Principal) -> str | None:
        code = principal.first_area_with(permission)
        return None if code is None else path.format(code=code)

    return href


def where_held(permission: Permission, path: str) -> Callable[[Principal], str | None]:
    """`path`, for a principal holding `permission` somewhere."""
    return lambda principal: path if principal.holds_anywhere(permission) else None


def for_role(role: Role, path: str) -> Callable[[Principal], str | None]:
    return lambda principal: path if principal.has_role(role) else None


def is_staff(principal: Principal) -> bool:
    """Any role but resident somewhere (the system principal is staff everywhere)."""
    return principal.system or any(role != Role.resident for role, _code in principal.roles_held)


def for_staff(path: str) -> Callable[[Principal], str | None]:
    """`path`, for anyone but a resident (pages a resident has no use for stay out of their menu)."""
    return lambda principal: path if is_staff(principal) else None


def always(path: str) -> Callable[[Principal], str | None]:
    return lambda principal: path


_links: tuple[NavLink, ...] = ()


def install(links: Iterable[NavLink]) -> None:
    """Set the navigation's links (the application does, from DOMAINS, when it is built)."""
    global _links
    _links = tuple(sorted(links, key=lambda link: link.order))


class NavItem(NamedTuple):
    href: str
    label: str
    badge: Badge
    more: bool = False


def nav_items(principal: Principal | None, session: Session | None = None, *, account: bool = False) -> list[NavItem]:
    """(href, label, badge, more) of the links this principal may follow, in order (badges need the
    request's session; without one they count 0): the main menu's, or with `account` those of one's own
    account."""
    if principal is None:
        return []
    items = []
    for link in _links:
        if link.account is not account:
            continue
        href = link.href(principal)
        if href is not None:
            count = link.badge(session, principal) if link.badge is not None and session is not None else 0
            badge = Badge(count, i18n.gettext(link.badge_label))
            items.append(NavItem(href, i18n.gettext(link.label), badge, link.more))
    return items
