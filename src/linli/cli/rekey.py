"""Re-encrypting every registered encrypted column with the current data key, and counting values per key."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from linli import domains
from linli.db.base import Base
from linli.kit import crypto


def _columns():
    domains.import_models()  # the domains register their encrypted columns on import

    for col in crypto.ENCRYPTED_COLUMNS:
        table = Base.metadata.tables[col.table]
        yield col, table, table.c[col.key], table.c[col.column]


def key_usage(session: Session, ring: crypto.Keyring) -> dict[str, dict[str, int]]:
    """{table.column: {key id: values, ...}}; values under a key missing from the ring show as '(unknown)'."""
    out: dict[str, dict[str, int]] = {}
    for col, table, _, c in _columns():
        total = session.scalar(select(func.count()).select_from(table).where(c.is_not(None))) or 0
        counts = {
            kid: session.scalar(select(func.count()).select_from(table).where(c.startswith(f"v1:{kid}:"))) or 0
            for kid, _ in ring.keys
        }
        counts["(unknown)"] = total - sum(counts.values())
        out[f"{col.table}.{col.column}"] = counts
    return out


def reencrypt(
    factory: sessionmaker[Session],
    ring: crypto.Keyring,
    *,
    batch: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Re-encrypt, in committed batches, every value not under the current key; returns how many.

    Each batch commits on its own: a stopped rotation is resumed by running it again, and every value
    stays readable throughout because the old keys remain in the ring.
    """
    current = f"v1:{ring.current_id}:"
    with factory() as s:
        todo = sum(
            s.scalar(select(func.count()).select_from(t).where(c.is_not(None), ~c.startswith(current))) or 0
            for _, t, _, c in _columns()
        )
    done = 0
    for col, table, pk, c in _columns():
        last = None
        while True:
            with factory() as s, s.begin():
                stmt = select(pk, c).where(c.is_not(None), ~c.startswith(current)).order_by(pk).limit(batch)
                if last is not None:
                    stmt = stmt.where(pk > last)
                rows = s.execute(stmt).all()
                if not rows:
                    break
                s.connection().execute(
                    update(table).where(pk == bindparam("_pk")).values({col.column: bindparam("_value")}),
                    [{"_pk": k, "_value": ring.encrypt(ring.decrypt(v, col.context), col.context)} for k, v in rows],
                )
                last = rows[-1][0]
            done += len(rows)
            if progress:
                progress(done, todo)
    return done
