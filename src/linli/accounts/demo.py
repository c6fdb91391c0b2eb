"""The demo's accounts: one per role (`linli demo` prints them with fresh passwords), and the demo
resident linked to an entry of the register.

Not a demo step: the accounts are made after every domain's demo data (`linli demo`, the browser
tests), and each start of the demo gives them new passwords."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.accounts import repository as repo
from linli.accounts.service import create_user, grant_role
from linli.areas import grids as grid_service
from linli.areas.demo import DEMO_GRID
from linli.authn.passwords import generate_password, hash_password
from linli.authz.principal import Principal


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
    # Created with the demo social work station of 农安镇 (linli.socialwork.demo), on its staff: sees its cases.
    DemoAccount("nongan_socialworker", "农安镇社工站社工（演示）", "community_worker", "220122100"),
)


def ensure_accounts(session: Session, actor: Principal) -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts, or give existing ones a fresh password; return them with passwords."""
    out = []
    for acc in ACCOUNTS:
        user = repo.by_username(session, acc.username)
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

    user = repo.by_username(session, "resident")
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
