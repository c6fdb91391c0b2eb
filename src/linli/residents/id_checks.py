"""ID numbers set on entries, checked against the register by the worker rather than by the request.

A request that registers, edits or imports an ID number writes one `IdCheck` row (the entry and the
number's blind index) in its own transaction, whether the number was free or held where the worker
cannot read: the two answers do the same work, so they take the same time. `linli worker` then runs
`run_checks`: a number its entry holds was free (nothing to do); an entry holding a placeholder gets
the review of id_reviews, opened here with its audit entry. The row leaves with the check, in the same
transaction, and a review already opened is not opened again: running the job twice opens one review.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from linli.authz.principal import Principal, system_principal
from linli.kit import crypto
from linli.kit.time import utcnow
from linli.residents import id_reviews
from linli.residents import repository as repo
from linli.residents.models import ID_CONTEXT, IdCheck

log = logging.getLogger("linli.residents.id_checks")

# The columns of the importer's bulk insert, in order.
COLUMNS = ("person_id", "id_number_bidx", "created_by", "created_at")
ID_CHECKS_LOCK = 7316301
ACTOR = "worker:id_checks"


def queue_check(session: Session, principal: Principal, person_id: int, bidx: str) -> None:
    """Ask the worker to compare the entry's new number with the register (same row for any number)."""
    session.add(IdCheck(person_id=person_id, id_number_bidx=bidx, created_by=principal.audit_name, created_at=utcnow()))


def run_checks(session: Session, *, batch: int = 1000) -> int:
    """Check every queued number; returns how many reviews were opened. The caller commits."""
    # A number its entry holds was free when it was set: one statement clears a whole import's free rows.
    repo.clear_free_checks(session)
    actor, opened, after = system_principal(ACTOR), 0, 0
    while True:
        checks = repo.queued_checks(session, after=after, limit=batch)
        if not checks:
            return opened
        for check in checks:
            after = check.id
            savepoint = session.begin_nested()
            try:
                opened += _check(session, actor, check)
                session.delete(check)
                savepoint.commit()
            except Exception:  # one bad row must not hold up the others; it stays queued for the next run
                savepoint.rollback()
                log.exception("ID check %s (person %s) failed", check.id, check.person_id)


def _check(session: Session, actor: Principal, check: IdCheck) -> int:
    p, bidx = repo.person_by_id(session, check.person_id), check.id_number_bidx
    if p is None or p.status == "withdrawn" or p.id_number_bidx == bidx:
        return 0
    if not p.id_number_bidx.startswith(id_reviews.HELD_PREFIX):
        return 0  # given another (free) number since
    ring = crypto.keyring()
    if ring.blind_index(ring.decrypt(p.id_number_enc, ID_CONTEXT), ID_CONTEXT) != bidx:
        return 0  # given another number since: that number has its own check
    if repo.review_opened_for(session, p.id, bidx):
        return 0
    others = [q for q in repo.persons_with_index(session, bidx) if q.id != p.id]
    if not others:
        p.id_number_bidx = bidx  # the other entry gave the number up meanwhile: this one holds it now
        session.flush()
        return 0
    existing = next((q for q in others if q.id_number_bidx == bidx), others[0])
    id_reviews.open_review_of_ids(
        session, actor, p.id, p.area_code, existing.id, existing.area_code, bidx, created_by=check.created_by
    )
    return 1


def job(every_seconds: float = 10.0):
    """The worker's periodic job (see `linli worker`)."""
    from linli.notify.outbox import PeriodicJob

    return PeriodicJob("residents.id_checks", every_seconds, lambda s: run_checks(s), ID_CHECKS_LOCK)
