"""What every write of the workforce shares: the permissions, a worker the principal may manage, the
rules of a worker's county for a year."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.workforce import repository as repo
from linli.workforce.models import (
    Worker,
    WorkforceSetting,
)

MANAGE = Permission.workforce_manage
READ = Permission.workforce_read


def missing_worker(worker_id: int) -> NotFound:
    return NotFound(t("worker {id} does not exist", id=worker_id))


def managed(session: Session, principal: Principal, worker_id: int) -> Worker:
    worker = repo.get_worker(session, principal.scope(READ), worker_id)
    if worker is None:
        raise missing_worker(worker_id)
    principal.check(MANAGE, codes.unpad(worker.area_code), what=t("worker {id}", id=worker_id))
    return worker


def setting_of(session: Session, worker: Worker, year: int) -> WorkforceSetting:
    setting = repo.setting_for(session, codes.unpad(worker.area_code), year)
    if setting is None:
        raise InvalidInput(t("no workforce rules for {year} are set for this county or above it", year=year))
    return setting
