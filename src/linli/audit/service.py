"""Recording and verifying the audit log.

Each entry's hash covers its fields and the previous entry's hash, so editing or deleting any entry
breaks the chain from there on; `verify_chain` names the first entry where it breaks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction

from linli.audit.models import AuditEntry
from linli.authz.principal import Principal
from linli.db import raw
from linli.db.many import as_arrays, insert_many, unnest_insert_sql
from linli.db.meta import MetaValue, get_meta
from linli.kit.time import utcnow

GENESIS = "0" * 64
REDACTED = "[redacted]"
# Field names whose values never enter the log (personal data and secrets); a key matches when it is
# one of these or has one as an underscore-separated part (new_password, contact_phone, phone_number).
SENSITIVE = {"password", "token", "secret", "csrf", "phone", "mobile", "id_number", "id_card", "idcard"}


def _sensitive(key: str) -> bool:
    k = key.lower()
    return any(k == s or k.startswith(s + "_") or k.endswith("_" + s) or f"_{s}_" in k for s in SENSITIVE)


_SQLITE_LOCK = threading.Lock()  # SQLite: one chaining writer per process (PostgreSQL: the head row's lock)


def _redact_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        return redact(value)
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


def redact(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {
        key: (REDACTED if value is not None else None) if _sensitive(str(key)) else _redact_value(value)
        for key, value in data.items()
    }


def _dump(data: Mapping[str, Any] | None) -> str | None:
    return None if data is None else json.dumps(redact(data), ensure_ascii=False, sort_keys=True, default=str)


def entry_hash(e: AuditEntry) -> str:
    payload = json.dumps(
        [
            e.seq,
            e.at.isoformat(timespec="microseconds"),
            e.actor_id,
            e.actor,
            e.action,
            e.entity_type,
            e.entity_id,
            e.area_code,
            e.before,
            e.after,
            e.prev_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session,
    actor: Principal,
    action: str,
    entity_type: str,
    entity_id: str | int,
    area_code: str,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Add one entry to the caller's transaction: it is chained and written when the transaction
    commits (and dropped if it, or the savepoint it was recorded in, rolls back).

    Chaining needs the newest entry's hash, so writers take turns; doing it as the last step of the
    commit keeps that turn to three statements and the commit, instead of the whole transaction.
    """
    if session.get_transaction() is None:
        session.connection()  # begin it: the entry belongs to this transaction and goes with its rollback
    pending: list[_Pending] = session.info.setdefault(PENDING, [])
    pending.append(
        _Pending(
            transaction=session.get_nested_transaction() or session.get_transaction(),
            at=utcnow(),
            actor_id=actor.user_id,
            actor=actor.audit_name,
            action=action,
            entity_type=entity_type,
            entity_id=str(entity_id),
            area_code=area_code.ljust(15, "0") if area_code else "",
            before=_dump(before),
            after=_dump(after),
        )
    )


PENDING = "linli.audit.pending"
HEAD_KEY = "audit_head"


@dataclass
class _Pending:
    transaction: SessionTransaction | None
    at: datetime
    actor_id: int | None
    actor: str
    action: str
    entity_type: str
    entity_id: str
    area_code: str
    before: str | None
    after: str | None


def _rolled_back(trans: SessionTransaction | None) -> bool:
    while trans is not None:
        if trans in _ROLLED_BACK:
            return True
        trans = trans.parent
    return False


_ROLLED_BACK: weakref.WeakSet[SessionTransaction] = weakref.WeakSet()


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        _ROLLED_BACK.add(previous_transaction)
    else:
        session.info.pop(PENDING, None)


@event.listens_for(Session, "before_commit")
def _write_on_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        write_pending(session)


@event.listens_for(Session, "do_orm_execute")
def _write_before_reading_the_log(state) -> None:
    # Read-your-writes: a query of the log inside a transaction sees the entries recorded in it.
    if state.session.info.get(PENDING) and state.is_select and any(m.class_ is AuditEntry for m in state.all_mappers):
        write_pending(state.session)


_HEAD = select(MetaValue.__table__.c.value).where(MetaValue.__table__.c.key == HEAD_KEY)
_HEAD_FOR_UPDATE_PG = f"SELECT value FROM meta WHERE key = '{HEAD_KEY}' FOR UPDATE"


def _lock_head(session: Session) -> tuple[int, str]:
    """Take the writer's turn (the head row, locked until commit) and return the newest (seq, hash)."""
    postgres = session.get_bind().dialect.name == "postgresql"

    def read() -> str | None:
        row = raw.execute(session, _HEAD_FOR_UPDATE_PG).fetchone() if postgres else session.execute(_HEAD).first()
        return row[0] if row else None

    head = read()
    if head is None:
        # First entry ever (or a log from before the head row): start the head row from the log.
        last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
        value = f"{last.seq}:{last.hash}" if last else f"0:{GENESIS}"
        session.execute(_insert_ignore(session, MetaValue).values(key=HEAD_KEY, value=value))
        head = read()
    seq, _, digest = head.partition(":")
    return int(seq), digest


def _insert_ignore(session: Session, table):
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()


def write_pending(session: Session) -> int:
    """Chain and write the entries recorded in this transaction so far; returns how many.

    Runs by itself just before a commit; call it to read one's own entries inside a transaction."""
    pending = [p for p in session.info.pop(PENDING, []) if not _rolled_back(p.transaction)]
    if not pending:
        return 0
    # On PostgreSQL the head row's lock (held to the commit) orders writers; a process-wide lock too
    # could deadlock a transaction that writes its entries twice against one waiting for that row.
    postgres = session.get_bind().dialect.name == "postgresql"
    with contextlib.nullcontext() if postgres else _SQLITE_LOCK:
        seq, prev = _lock_head(session)
        rows = []
        for p in pending:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=p.at,
                actor_id=p.actor_id,
                actor=p.actor,
                action=p.action,
                entity_type=p.entity_type,
                entity_id=p.entity_id,
                area_code=p.area_code,
                before=p.before,
                after=p.after,
                prev_hash=prev,
            )
            entry.hash = prev = entry_hash(entry)
            rows.append({c: getattr(entry, c) for c in _COLUMNS})
        # The head is kept apart from the chain, so deleting the newest entries is noticed too.
        head = f"{seq}:{prev}"
        if postgres:
            # Entries and head in one round trip, one statement of constant text for any number.
            raw.execute(session, _ENTRIES_AND_HEAD, {**as_arrays(rows, _COLUMNS), "head": head})
        else:
            insert_many(session, AuditEntry.__table__, rows)
            session.execute(update(MetaValue).where(MetaValue.key == HEAD_KEY).values(value=head))
    return len(rows)


_COLUMNS = tuple(c.key for c in AuditEntry.__table__.columns)
_ENTRIES_AND_HEAD = (
    f"WITH new_entries AS ({unnest_insert_sql(AuditEntry.__table__, _COLUMNS)}) "
    f"UPDATE meta SET value = :head WHERE key = '{HEAD_KEY}'"
)


@dataclass
class Problem:
    seq: int
    kind: str  # "edited", "deleted", "reordered", "truncated"
    message: str


def _entries(session: Session, batch: int = 5000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        for row in rows:  # keep memory flat over a long log without touching the caller's other objects
            session.expunge(row)


@dataclass
class Verification:
    count: int
    problems: list[Problem]
    head_seq: int
    head_hash: str


def verify_chain(session: Session, anchors: dict[int, str] | None = None) -> Verification:
    """Walk the whole log and report every break.

    `anchors` maps seq → hash noted earlier outside the database (`linli audit verify` prints the
    head to note): a rewrite of the whole chain by someone with database access changes them.
    """
    write_pending(session)
    anchors = dict(anchors or {})
    problems: list[Problem] = []
    expected_seq, prev_hash, count = 1, GENESIS, 0
    for e in _entries(session):
        count += 1
        if e.seq != expected_seq:
            gap = f"{expected_seq}" if e.seq == expected_seq + 1 else f"{expected_seq}–{e.seq - 1}"
            problems.append(Problem(expected_seq, "deleted", f"entry {gap} missing (deleted)"))
        elif e.prev_hash != prev_hash:
            problems.append(Problem(e.seq, "edited", f"entry {e.seq}: link to entry {e.seq - 1} broken"))
        if e.seq in anchors and anchors.pop(e.seq) != e.hash:
            problems.append(Problem(e.seq, "edited", f"entry {e.seq} no longer has the hash noted for it"))
        if entry_hash(e) != e.hash:
            problems.append(
                Problem(e.seq, "edited", f"entry {e.seq} was edited (its content no longer matches its hash)")
            )
        expected_seq, prev_hash = e.seq + 1, e.hash
    head = get_meta(session, HEAD_KEY)
    if head:
        head_seq, head_hash = head.split(":", 1)
        if int(head_seq) >= expected_seq:
            problems.append(
                Problem(expected_seq, "deleted", f"entries {expected_seq}–{head_seq} missing at the end (deleted)")
            )
        elif int(head_seq) == expected_seq - 1 and head_hash != prev_hash:
            problems.append(Problem(int(head_seq), "edited", f"entry {head_seq} differs from the recorded head"))
    for seq in sorted(anchors):
        problems.append(Problem(seq, "deleted", f"entry {seq}, noted earlier, is missing"))
    return Verification(count, problems, expected_seq - 1, prev_hash)


def count_entries(session: Session) -> int:
    write_pending(session)
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0
