"""`linli demo`: a working Linli on Jilin Province in one command (SQLite in the current directory)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas import grids as grid_service
from linli.areas.demo import generate_county_grids
from linli.areas.importer import import_boundaries, import_divisions
from linli.areas.models import Area
from linli.authn.models import User
from linli.authn.passwords import generate_password, hash_password
from linli.authn.users import create_user
from linli.authz.principal import Principal
from linli.authz.service import grant_role
from linli.residents.demo import generate_county_residents, has_residents

# An urban district of Changchun and a rural county, as the issue asks.
DEMO_COUNTIES = ("220102", "220122")
DEMO_GRID = "220102001001001"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    area_code: str


ACCOUNTS = (
    DemoAccount("admin", "系统管理员", "admin", "22"),
    DemoAccount("province", "省民政厅干部", "official", "22"),
    DemoAccount("county", "南关区民政局干部", "official", "220102"),
    DemoAccount("street", "街道干部", "official", "220102001"),
    DemoAccount("community", "社区工作者", "community_worker", "220102001001"),
    DemoAccount("gridworker", "网格员", "grid_worker", DEMO_GRID),
    DemoAccount("resident", "居民", "resident", "220102001001"),
    DemoAccount("auditor", "审计员", "auditor", "22"),
    DemoAccount("weather", "农安县气象台值班员", "warning_issuer", "220122"),
    # Created with the demo warnings on a grid of 农安县 (linli.alerts.demo); has not confirmed the warning.
    DemoAccount("nongan_gridworker", "农安县网格员01（演示）", "grid_worker", "220122"),
)


def data_file(name: str) -> bytes:
    return resources.files("linli").joinpath("data", name).read_bytes()


def load_areas(session: Session, actor: Principal, say) -> None:
    if session.scalar(select(func.count()).select_from(Area)) == 0:
        report = import_divisions(session, actor, data_file("divisions-22.json"))
        say(f"areas: {report.summary()}")
        report = import_boundaries(session, actor, data_file("counties-22.geojson"))
        say(f"county boundaries: {report.summary()}")
    for code in DEMO_COUNTIES:
        has_grids = session.scalar(
            select(func.count()).select_from(Area).where(Area.level == "grid", Area.code.startswith(code))
        )
        if not has_grids:
            n = generate_county_grids(session, actor, code)
            say(f"generated {n} demo grids in {session.get(Area, code).name} ({code})")
        if not has_residents(session, code):
            n = generate_county_residents(session, actor, code, busy_grid=DEMO_GRID)
            say(f"generated {n} demo residents in {session.get(Area, code).name} ({code})")
    load_events(session, actor, say)
    load_warnings(session, actor, say)
    load_notices(session, actor, say)


def load_notices(session: Session, actor: Principal, say) -> None:
    """Two published notices in the demo community: to all residents, and to the elderly living alone."""
    from linli.notices.demo import COMMUNITY, generate_notices

    n = generate_notices(session, actor)
    if n:
        say(f"published {n} demo notices in {session.get(Area, COMMUNITY).name} ({COMMUNITY}) (marked generated)")


def load_warnings(session: Session, actor: Principal, say) -> None:
    """农安县气象台's lightning yellow warning in force and a lifted gale warning (marked generated)."""
    from linli.alerts.demo import generate_warnings

    n = generate_warnings(session, actor)
    if n:
        say(f"generated {n} demo warning messages in 农安县 (marked generated)")


def load_events(session: Session, actor: Principal, say, count: int = 3000) -> None:
    """Event categories, demo handling units and routing, and generated events in the demo grids."""
    from linli.events.demo import generate_events
    from linli.events.seed import seed_categories, seed_units

    seed_categories(session)
    for code in DEMO_COUNTIES:
        seed_units(session, code)
    n = generate_events(session, actor, DEMO_COUNTIES, count)
    if n:
        say(f"generated {n} demo events (marked generated)")


def ensure_accounts(session: Session, actor: Principal) -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts, or give existing ones a fresh password; return them with passwords."""
    out = []
    for acc in ACCOUNTS:
        user = session.scalar(select(User).where(User.username == acc.username))
        if user is None:
            user, password = create_user(session, actor, acc.username, acc.display_name, acc.area_code)
            grant_role(session, actor, user.id, acc.role, acc.area_code)
            if acc.role == "grid_worker" and DEMO_GRID.startswith(acc.area_code):
                grid_service.assign_worker(session, actor, DEMO_GRID, user.id, "worker")
        else:
            password = generate_password()
            user.password_hash = hash_password(password)
        out.append((acc, password))
    link_demo_resident(session, actor)
    return out


def link_demo_resident(session: Session, actor: Principal) -> None:
    """Link the demo resident's account to a head of a household of two or more in the demo grid, so
    "My registration" shows something; once (a second run keeps the link)."""
    from linli.residents import accounts
    from linli.residents import repository as residents_repo
    from linli.residents.models import Household, Person

    user = session.scalar(select(User).where(User.username == "resident"))
    if user is None or residents_repo.account_link_of_user(session, user.id) is not None:
        return
    sizes = (
        select(Person.household_id, func.count().label("n"))
        .where(Person.area_code == DEMO_GRID, Person.status == "present")
        .group_by(Person.household_id)
        .subquery()
    )
    head = session.scalar(
        select(Person.id)
        .join(Household, Household.head_person_id == Person.id)
        .join(sizes, sizes.c.household_id == Household.id)
        .where(Household.area_code == DEMO_GRID, Household.status == "active", Person.status == "present")
        .where(sizes.c.n >= 2, residents_repo.unlinked(Person.id))
        .order_by(Household.id)
        .limit(1)
    )
    if head is not None:
        accounts.link(session, actor, head, user.username)
