"""When each API token was last used, written off the request in short transactions of their own.

A request authenticated by a token used to write the token's last use in its own transaction. For a
read that is a read transaction that writes, and on SQLite (WAL) a read transaction cannot become a
writer once another writer has committed since it began: "database is locked" at once, whatever the
busy timeout (442 of 19,821 requests with six threads). So a read only notes the use here; a thread
writes what was noted every FLUSH_SECONDS, in its own transaction that starts as a writer and waits
for the lock. The column is for people ("last used 3 minutes ago"), so a few seconds late is fine.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, update
from sqlalchemy.orm import Session

from linli.authn.models import ApiToken
from linli.db.engine import begin_for_writing

FLUSH_SECONDS = 5.0
log = logging.getLogger(__name__)
_tokens = ApiToken.__table__
_TOKEN_USED = update(_tokens).where(_tokens.c.id == bindparam("token_id")).values(last_used_at=bindparam("now"))


class TokenUses:
    """Uses noted per engine, written by one daemon thread (started on the first use)."""

    def __init__(self, every: float = FLUSH_SECONDS) -> None:
        self.every = every
        self._pending: dict[Engine, dict[int, datetime]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def note(self, session: Session, token_id: int, when: datetime) -> None:
        """Record a use. A session bound to a single connection (the tests' transaction, which another
        thread must not touch) writes at once, in its own transaction as before."""
        bind = session.get_bind()
        if isinstance(bind, Connection):
            session.execute(_TOKEN_USED, {"token_id": token_id, "now": when})
            return
        with self._lock:
            self._pending.setdefault(bind, {})[token_id] = when
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="linli-token-uses", daemon=True)
                self._thread.start()

    def pending(self) -> int:
        with self._lock:
            return sum(len(uses) for uses in self._pending.values())

    def flush(self) -> None:
        """Write what was noted; what fails to be written is kept for the next round."""
        with self._lock:
            batches, self._pending = self._pending, {}
        for engine, uses in batches.items():
            try:
                with Session(bind=engine) as session:
                    begin_for_writing(session)
                    rows = [{"token_id": token_id, "now": when} for token_id, when in uses.items()]
                    session.execute(_TOKEN_USED, rows)
                    session.commit()
            except Exception:
                log.exception("could not record the last use of %d API tokens; trying again later", len(uses))
                with self._lock:
                    kept = self._pending.setdefault(engine, {})
                    for token_id, when in uses.items():
                        kept.setdefault(token_id, when)

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            self.flush()


TOKEN_USES = TokenUses()
