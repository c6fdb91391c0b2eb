"""DOMAINS: the one list of Linli's domains, and what each brings to the application.

A domain is a package `linli.<name>` of the same shape (docs/adding-a-domain.md): its tables
(`models`), its JSON routes (`api`), its pages (`views`, whose `NAV` lists its links in the
navigation) and its demo data (`demo`, whose `step(session, actor, say)` the demo runs) and its to-dos on the
workbench (`todo`, whose `todos(session, principal)` lists them; linli.web.todo). This list
drives all of it: `create_app` mounts the routers of every domain in this order, the navigation is
the domains' `NAV` links, the models registry (Alembic, tests, key rotation) imports their models, and
`linli demo` runs their demo steps. Nothing else names the domains.

`check(app)` runs when the application is built and fails loudly when a package under `linli` is
neither a layer below the domains nor listed here, or when a router defined in any module of a
domain (or of the layers) has a route the application does not serve: a domain left out of the list
or a router nobody mounts is a start-up error, not a page that silently 404s.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

import linli

# Packages below the domains (and the application's own): they are not domains.
LAYERS = frozenset({"kit", "db", "authn", "authz", "web", "cli", "migrations", "locale", "data"})
# Tables of the layers themselves: the migration bookkeeping, users and sessions, grants.
LAYER_MODELS = ("linli.db.meta", "linli.authn.models", "linli.authz.models")


# What other domains may import of a domain (docs/architecture.md), besides its `demo` from their `demo`.
PUBLIC = ("models", "schemas", "repository", "service", "kinds", "pages")


@dataclass(frozen=True)
class Domain:
    """One domain. Module names are relative to the domain's package (`"api"` is `linli.<name>.api`)
    unless they start with `linli.`; each api/views module has a module-level `router`."""

    name: str
    api: tuple[str, ...] = ("api",)
    views: tuple[str, ...] = ("views",)
    models: str | None = "models"
    demo: str | None = "demo"
    # Modules other domains may import (tests/app/test_architecture.py checks every cross-domain
    # import): the shared shape, and the flows a domain offers the others, named for what they do.
    public: tuple[str, ...] = PUBLIC
    # The module whose `todos(session, principal)` lists the domain's to-dos on the workbench
    # (linli.web.todo), or None where the domain hands out no work.
    todo: str | None = None

    @property
    def package(self) -> str:
        return f"linli.{self.name}"

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(name if name.startswith("linli.") else f"{self.package}.{name}")

    def api_routers(self) -> list:
        return [self.module(m).router for m in self.api]

    def view_routers(self) -> list:
        return [self.module(m).router for m in self.views]

    def nav(self) -> list:
        """The domain's links in the navigation: each views module's `NAV` (a list of web.nav.NavLink)."""
        return [link for m in self.views for link in getattr(self.module(m), "NAV", ())]

    def todo_provider(self) -> Callable | None:
        return self.module(self.todo).todos if self.todo else None

    def demo_step(self) -> Callable | None:
        return getattr(self.module(self.demo), "step", None) if self.demo else None


# The order is the order of the routes: FastAPI tries routes in turn, at a cost per route tried, so
# the busiest API (event reports) comes first. Demo steps run in this order too (areas before the
# residents and events placed in them).
DOMAINS: tuple[Domain, ...] = (
    # reporting: the one way an event comes in (a warning's confirmation reports one too).
    Domain("events", public=(*PUBLIC, "reporting"), todo="todo"),
    # grids: a grid's page data and its workers; locate: the deepest area under a point.
    Domain("areas", public=(*PUBLIC, "grids", "locate")),
    # Accounts administer the layers' tables (users, tokens: authn.models; grants: authz.models).
    Domain("accounts", models=None),
    Domain("audit", demo=None),
    # accounts: a resident's own account, linked to their register entry.
    Domain("residents", public=(*PUBLIC, "accounts"), todo="todo"),
    # confirm: a warning's confirmation progress (the officials' overview counts it).
    Domain("alerts", public=(*PUBLIC, "confirm"), todo="todo"),
    # Reached only through its outbox: enqueue to recipients, copy them, read delivery progress.
    Domain("notify", api=("api", "delivery_api"), demo=None, public=("outbox",)),
    Domain("notices"),
    # Residents' self-government (issue 15): disclosure boards (村务/居务公开), conventions (村规民约/居民公约)
    # and consultations; the bodies, meetings and matters are `selfgov` below (its demo runs after theirs).
    Domain("disclosure", todo="todo"),
    Domain("conventions", todo="todo"),
    Domain("consultation", todo="todo"),  # 城乡社区协商 (issue 15, item 6)
    # workflow: applications (办件) from submission to delivery, for other domains' demos and overviews.
    Domain("services", public=(*PUBLIC, "workflow"), todo="todo"),
    # Organizations and social forces: the registry, alliances and their three lists, dual reporting.
    Domain("organizations", todo="todo"),
    # Residents' self-government: bodies, meetings with frozen voter bases and recorded votes, 四议两公开.
    Domain("selfgov", todo="todo"),
    # Community workers on three posts, eighteen levels: register, dated regional rules, assessments, pay runs.
    Domain("workforce", todo="todo"),
    # Social work stations (社工站): county centres, township stations, village rooms; staff, records, cases.
    Domain("socialwork"),
    # Townships' responsibility lists (履职事项清单) and community certificates (社区证明): issue 16, items 3-4.
    Domain("duties", todo="todo"),
    Domain("certificates"),
    # Safety units (issue 17, item 6): community police, judges in grids, legal advisers; mediation cases.
    Domain("safety", todo="todo"),
    # Community and village service facilities, happy-community sites, elderly university classes (issue 18).
    Domain("facilities"),
    # Funding of villages and communities: budget lines by kind and payer, subsidies paid, reports.
    Domain("funding"),
    # Road and lane chiefs (街长/路长/巷长): roads, appointments with the grids and roads covered, patrols.
    Domain("chiefs", todo="todo"),
    # The start page: the to-dos the domains above list (their `todo`), and the principal's places.
    Domain("workbench", api=(), models=None, demo=None),
)


def by_name(name: str) -> Domain:
    for d in DOMAINS:
        if d.name == name:
            return d
    raise KeyError(name)


def demo_order() -> list[Domain]:
    """Domains with a demo step, in the order their data depends on each other."""
    first = ("areas", "residents", "events", "alerts", "notices", "disclosure", "conventions", "consultation")
    ranked = sorted(DOMAINS, key=lambda d: first.index(d.name) if d.name in first else len(first))
    return [d for d in ranked if d.demo and d.demo_step() is not None]


def import_models() -> None:
    """Import every model module so Base.metadata knows every table (Alembic, tests, create_all, and
    key rotation, which finds the encrypted columns on the models)."""
    for name in LAYER_MODELS:
        importlib.import_module(name)
    for d in DOMAINS:
        if d.models:
            d.module(d.models)


def _packages() -> Iterator[str]:
    for info in pkgutil.iter_modules(linli.__path__):
        if info.ispkg:
            yield info.name


def is_route_module(name: str) -> bool:
    """Whether a module (`linli.<package>.…`) is one of the route modules: an `api` or `views` module or
    package (or inside one), or a `*_api` module. Routers are made there only
    (tests/app/test_architecture.py), so the start-up check imports nothing else."""
    parts = name.split(".")[2:]
    return any(p in ("api", "views") or p.endswith("_api") for p in parts)


def _route_modules(package: str) -> Iterator[ModuleType]:
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if is_route_module(info.name):
            yield importlib.import_module(info.name)


def check(app) -> None:
    """Fail when a domain package is not in DOMAINS or a router's route is not served by `app`."""
    from fastapi import APIRouter

    listed = {d.name for d in DOMAINS}
    unknown = sorted(set(_packages()) - LAYERS - listed)
    if unknown:
        raise RuntimeError(f"packages {unknown} under linli are not in linli.domains.DOMAINS (nor a layer)")
    missing = sorted(listed - set(_packages()))
    if missing:
        raise RuntimeError(f"DOMAINS lists {missing}, which are not packages under linli")
    from linli.authz.deps import iter_routes

    served = {r.endpoint for r in iter_routes(app.routes)}
    for package in sorted((listed | LAYERS) - {"migrations", "locale", "data", "cli"}):
        for module in _route_modules(f"linli.{package}"):
            for name, value in vars(module).items():
                if not isinstance(value, APIRouter):
                    continue
                lost = [r.path for r in iter_routes(value.routes) if r.endpoint not in served]
                if lost:
                    raise RuntimeError(
                        f"{module.__name__}.{name} has routes the application does not serve: {lost}; "
                        "mount it through the domain's entry in linli.domains.DOMAINS"
                    )
