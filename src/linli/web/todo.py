"""The workbench's to-dos (待办): what each domain says a principal has waiting, gathered in one place.

A domain with work to hand out has a `todo` module whose `todos(session, principal)` returns a list
of `Todo` — counts over what the principal may act on, each with the page where the work is done.
The page kit cannot import the domains (they sit above it), so the application installs the
providers when it is built (`install`, from linli.domains.DOMAINS, as for the navigation) and the
workbench reads them through `gather`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit import i18n


@dataclass(frozen=True)
class Todo:
    """`count` things waiting, done at `href`. `label` is marked with N_ (a plural-free phrase such as
    "Reports to register") and translated when shown; `urgent`: past a deadline or waiting on the
    principal's answer, listed first. `where`: the place or unit it concerns, already readable."""

    label: str
    count: int
    href: str
    urgent: bool = False
    where: str = ""

    @property
    def text(self) -> str:
        return i18n.gettext(self.label)


Provider = Callable[[Session, Principal], list[Todo]]
_providers: tuple[Provider, ...] = ()


def install(providers: Iterable[Provider]) -> None:
    """Set the providers (the application does, from DOMAINS, when it is built)."""
    global _providers
    _providers = tuple(providers)


# The last gathering's total in a session (a request's), for the menu's badge on the same page; a
# flush (a change) forgets it.
_MEMO = "linli.todo_total"


@event.listens_for(Session, "after_flush")
def _forget(session: Session, _context) -> None:
    session.info.pop(_MEMO, None)


def gather(session: Session, principal: Principal) -> list[Todo]:
    """Every domain's to-dos with something waiting, the urgent first (each group in domain order)."""
    found = [item for provider in _providers for item in provider(session, principal) if item.count > 0]
    session.info[_MEMO] = (principal.user_id, sum(item.count for item in found))
    return sorted(found, key=lambda item: not item.urgent)


def total(session: Session, principal: Principal) -> int:
    """How many things wait for the principal (the workbench link's badge on every page): the total the
    page gathered already (the workbench), else one gathering."""
    memo = session.info.get(_MEMO)
    if memo is not None and memo[0] == principal.user_id:
        return memo[1]
    gather(session, principal)
    return session.info[_MEMO][1]
