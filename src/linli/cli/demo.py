"""`linli demo`: a working Linli on Jilin Province in one command (SQLite in the current directory).

The data are every domain's demo step (`load_data`); the accounts, one per role, are the accounts
domain's (`linli.accounts.demo`), made after the data."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli import domains
from linli.accounts.demo import ACCOUNTS, DemoAccount, ensure_accounts
from linli.authz.principal import Principal

__all__ = ["ACCOUNTS", "DemoAccount", "ensure_accounts", "load_data"]


def load_data(session: Session, actor: Principal, say) -> None:
    """Every domain's demo data, in the order of linli.domains.demo_order (areas first); each step adds
    only what is missing, so a second run adds nothing."""
    for domain in domains.demo_order():
        domain.demo_step()(session, actor, say)
