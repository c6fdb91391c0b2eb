"""linli.domains: the one list drives routers, navigation, models and demo; leaving a domain out, or
defining a router nobody mounts, fails when the application is built."""

from __future__ import annotations

import dataclasses
import types

import pytest
from fastapi import APIRouter

from linli import domains
from linli.app import create_app
from linli.authz.deps import iter_routes
from linli.db.base import Base


def test_every_domain_router_is_mounted_in_domain_order():
    app = create_app()
    paths = [r.path for r in iter_routes(app.routes)]
    for d in domains.DOMAINS:
        for router in d.api_routers() + d.view_routers():
            for route in iter_routes(router.routes):
                assert route.path in paths, (d.name, route.path)
    # The event reports, the busiest API, are tried first.
    assert paths[0] == "/healthz" and paths[1].startswith("/api/v1/event")


def test_a_domain_left_out_of_the_list_fails_at_start_up(monkeypatch):
    monkeypatch.setattr(domains, "DOMAINS", tuple(d for d in domains.DOMAINS if d.name != "notices"))
    with pytest.raises(RuntimeError, match=r"\['notices'\].*not in linli.domains.DOMAINS"):
        create_app()


def test_a_listed_domain_that_is_no_package_fails(monkeypatch):
    ghost = domains.Domain("ghosts", api=(), views=(), models=None, demo=None)
    monkeypatch.setattr(domains, "DOMAINS", (*domains.DOMAINS, ghost))
    with pytest.raises(RuntimeError, match=r"\['ghosts'\].*not packages"):
        create_app()


def test_a_router_nobody_mounts_fails_at_start_up(monkeypatch):
    import linli.notices.views as notice_views

    stray = APIRouter()

    @stray.get("/notices-stray")
    def forgotten():
        return {}

    monkeypatch.setattr(notice_views, "stray_router", stray, raising=False)
    with pytest.raises(RuntimeError, match=r"linli\.notices\.views\.stray_router .*\['/notices-stray'\]"):
        create_app()


def test_a_views_module_dropped_from_its_domain_fails(monkeypatch):
    audit = domains.by_name("audit")
    changed = tuple(dataclasses.replace(d, views=()) if d is audit else d for d in domains.DOMAINS)
    monkeypatch.setattr(domains, "DOMAINS", changed)
    with pytest.raises(RuntimeError, match=r"linli\.audit\.views\.router"):
        create_app()


def test_navigation_is_the_domains_links_in_order():
    create_app()
    from linli.web import nav

    labels = [link.label for link in nav._links]
    assert labels[:4] == ["Workbench", "Home", "Messages", "Residents"] and labels[-1] == "Password"
    assert len(labels) == sum(len(d.nav()) for d in domains.DOMAINS)
    # One's own account's links sit by the user's name, not in the main menu.
    assert [link.label for link in nav._links if link.account] == ["My registration", "API tokens", "Password"]


def test_models_registry_knows_every_domains_tables():
    domains.import_models()
    for d in domains.DOMAINS:
        if d.models:
            module = d.module(d.models)
            tables = {
                v.__table__.name
                for v in vars(module).values()
                if isinstance(v, type) and issubclass(v, Base) and hasattr(v, "__table__")
            }
            assert tables <= set(Base.metadata.tables), d.name


def test_demo_steps_run_areas_first():
    names = [d.name for d in domains.demo_order()]
    assert names[0] == "areas" and names.index("residents") < names.index("events")
    assert all(isinstance(d.module(d.demo), types.ModuleType) for d in domains.demo_order())
