"""The audit chain's verification, exactly: every kind of break with the problem it reports, the head,
the anchors, and the hash's format (each property a mutation of the verification would break;
tools/mutation.sh)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text

from linli.audit.models import AuditEntry
from linli.audit.service import GENESIS, Problem, _entries, entry_hash, record, verify_chain
from linli.db.meta import get_meta
from tests.factories import SYSTEM


def test_the_hash_of_an_entry_is_fixed_for_good():
    """The hash of a stored entry must never change between versions, or old logs stop verifying: it is
    the SHA-256 of the compact JSON array of the fields in this order, non-ASCII kept as it is."""
    entry = AuditEntry(
        seq=7,
        at=datetime(2024, 5, 1, 8, 30, 0, 1234, tzinfo=UTC),
        actor_id=3,
        actor="王五",
        action="event.verify",
        entity_type="event",
        entity_id="12",
        area_code="220102001001000",
        before='{"state": "handled"}',
        after='{"state": "verified", "note": "已核查"}',
        prev_hash=GENESIS,
    )
    # sha256 of: [7,"2024-05-01T08:30:00.001234+00:00",3,"王五","event.verify","event","12","220102001001000",
    #             "{\"state\": \"handled\"}","{\"state\": \"verified\", \"note\": \"已核查\"}","000…000"]
    assert entry_hash(entry) == "89970200dbaa5785a22a80313caa20105f13dae63ae9481aac7177d784e19bbb"
    bare = AuditEntry(
        seq=1,
        at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC),
        actor_id=None,
        actor="cli",
        action="areas.import",
        entity_type="area",
        entity_id="22",
        area_code="",
        before=None,
        after=None,
        prev_hash=GENESIS,
    )
    # Whole seconds still carry their microseconds: "2024-05-01T08:30:00.000000+00:00".
    assert entry_hash(bare) == "0f402d084528794ebffd62b4ca6e5f553c97afb3ee437bb337466f0fd36f8c16"


def drop_append_only_triggers(session) -> None:
    """What an attacker with direct database access would do first (rolled back with the test)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("DROP TRIGGER audit_log_no_delete"))


@pytest.fixture
def chain(session):
    """A log of six entries (seq 1–6), committed, with the triggers that keep it append-only dropped."""
    for i in range(6):
        record(session, SYSTEM, "thing.do", "thing", i, "220102", after={"n": i})
    session.commit()
    drop_append_only_triggers(session)
    return session


def hash_of(session, seq: int) -> str:
    return session.scalar(text("SELECT hash FROM audit_log WHERE seq = :s"), {"s": seq})


def delete(session, where: str) -> None:
    session.execute(text(f"DELETE FROM audit_log WHERE {where}"))
    session.expire_all()


def test_an_empty_log_verifies(session):
    result = verify_chain(session)
    assert (result.count, result.problems, result.head_seq, result.head_hash) == (0, [], 0, GENESIS)


def test_an_intact_log_verifies_and_names_its_head(chain):
    result = verify_chain(chain)
    assert (result.count, result.problems, result.head_seq) == (6, [], 6)
    assert result.head_hash == hash_of(chain, 6) == get_meta(chain, "audit_head").split(":")[1]


def test_entries_not_yet_written_are_verified_too(chain):
    record(chain, SYSTEM, "thing.do", "thing", 7, "220102")
    assert verify_chain(chain).count == 7


@pytest.mark.parametrize("batch", [1, 2, 4, 6, 7])
def test_the_log_is_read_in_batches_each_entry_once_in_order(chain, batch):
    rows = list(_entries(chain, batch=batch))
    assert [e.seq for e in rows] == [1, 2, 3, 4, 5, 6]
    assert not any(e in chain for e in rows)  # let go of, to keep memory flat


def test_the_log_is_read_in_order_of_seq_not_as_stored(chain):
    """On PostgreSQL a row rewritten in place (same content) moves to the end of the table: a read that
    relied on the stored order would see entry 1 last and report a chain that is intact as broken.
    (SQLite stores the log in seq order whatever happens, so there this checks nothing new.)"""
    chain.execute(text("UPDATE audit_log SET actor = actor WHERE seq IN (1, 3)"))
    chain.expire_all()
    assert [e.seq for e in _entries(chain, batch=4)] == [1, 2, 3, 4, 5, 6]
    assert verify_chain(chain).problems == []


def test_a_deleted_entry_is_named(chain):
    delete(chain, "seq = 3")
    result = verify_chain(chain)
    assert result.count == 5
    assert result.problems == [Problem(3, "deleted", "entry 3 missing (deleted)")]


def test_deleted_entries_are_named_as_a_range(chain):
    delete(chain, "seq IN (2, 3, 4)")
    assert verify_chain(chain).problems == [Problem(2, "deleted", "entry 2–4 missing (deleted)")]


def test_an_edited_entry_is_named(chain):
    chain.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4"))
    chain.expire_all()
    assert verify_chain(chain).problems == [
        Problem(4, "edited", "entry 4 was edited (its content no longer matches its hash)")
    ]


def test_an_entry_rehashed_after_editing_breaks_the_next_link(chain):
    entry = chain.get(AuditEntry, 4)
    entry.actor = "mallory"
    entry.hash = entry_hash(entry)
    chain.flush()
    chain.expire_all()
    assert verify_chain(chain).problems == [Problem(5, "edited", "entry 5: link to entry 4 broken")]


def test_the_first_entry_links_to_the_genesis(chain):
    entry = chain.get(AuditEntry, 1)
    entry.prev_hash = "f" * 64
    entry.hash = entry_hash(entry)
    chain.flush()
    chain.expire_all()
    problems = verify_chain(chain).problems
    assert problems[0] == Problem(1, "edited", "entry 1: link to entry 0 broken")


def test_entries_deleted_at_the_end_are_noticed_from_the_head(chain):
    delete(chain, "seq > 4")
    result = verify_chain(chain)
    assert result.problems == [Problem(5, "deleted", "entries 5–6 missing at the end (deleted)")]
    assert (result.count, result.head_seq, result.head_hash) == (4, 4, hash_of(chain, 4))


def test_the_last_entry_deleted_is_noticed(chain):
    delete(chain, "seq = 6")
    assert verify_chain(chain).problems == [Problem(6, "deleted", "entries 6–6 missing at the end (deleted)")]


def test_a_head_that_differs_from_the_last_entry_is_named(chain):
    chain.execute(text("UPDATE meta SET value = :v WHERE key = 'audit_head'"), {"v": "6:" + "e" * 64})
    assert verify_chain(chain).problems == [Problem(6, "edited", "entry 6 differs from the recorded head")]


def test_a_head_behind_the_log_or_no_head_is_no_problem(chain):
    # A head behind the log cannot be told from entries written after it was read.
    chain.execute(text("UPDATE meta SET value = :v WHERE key = 'audit_head'"), {"v": "5:" + "e" * 64})
    assert verify_chain(chain).problems == []
    chain.execute(text("DELETE FROM meta WHERE key = 'audit_head'"))
    assert verify_chain(chain).problems == []


def test_anchors_noted_earlier_are_checked(chain):
    noted = {2: hash_of(chain, 2), 5: hash_of(chain, 5)}
    assert verify_chain(chain, noted).problems == []
    assert verify_chain(chain, {}).problems == verify_chain(chain, None).problems == []
    wrong = {3: "0" * 64, 5: hash_of(chain, 5)}
    assert verify_chain(chain, wrong).problems == [Problem(3, "edited", "entry 3 no longer has the hash noted for it")]
    assert wrong == {3: "0" * 64, 5: hash_of(chain, 5)}  # the caller's anchors are left as they were


def test_anchors_beyond_or_deleted_from_the_log_are_missing(chain):
    delete(chain, "seq = 2")
    noted = {9: "a" * 64, 2: "b" * 64, 8: "c" * 64}
    assert verify_chain(chain, noted).problems == [
        Problem(2, "deleted", "entry 2 missing (deleted)"),
        Problem(2, "deleted", "entry 2, noted earlier, is missing"),
        Problem(8, "deleted", "entry 8, noted earlier, is missing"),
        Problem(9, "deleted", "entry 9, noted earlier, is missing"),
    ]


def test_every_break_is_reported_not_only_the_first(chain):
    chain.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"))
    delete(chain, "seq = 4")
    chain.execute(text("UPDATE meta SET value = :v WHERE key = 'audit_head'"), {"v": "6:" + "e" * 64})
    assert verify_chain(chain).problems == [
        Problem(2, "edited", "entry 2 was edited (its content no longer matches its hash)"),
        Problem(4, "deleted", "entry 4 missing (deleted)"),
        Problem(6, "edited", "entry 6 differs from the recorded head"),
    ]


def test_a_head_with_a_colon_in_its_hash_is_named(chain):
    chain.execute(text("UPDATE meta SET value = :v WHERE key = 'audit_head'"), {"v": f"6:{hash_of(chain, 6)}:x"})
    assert verify_chain(chain).problems == [Problem(6, "edited", "entry 6 differs from the recorded head")]


def test_the_log_is_read_a_batch_at_a_time(chain):
    """Memory stays flat over a long log: one query per batch (and one finding the end)."""
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        if "FROM audit_log" in statement:
            statements.append(statement)

    engine = chain.get_bind().engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert [e.seq for e in _entries(chain, batch=4)] == [1, 2, 3, 4, 5, 6]
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 3


def test_entries_are_checked_in_the_order_of_their_numbers(chain):
    # Entry 2 deleted and written back as it was: stored after entry 6 now (PostgreSQL reads it last
    # without an ORDER BY; SQLite keeps rows in primary-key order anyway), and the chain is intact.
    row = chain.execute(text("SELECT * FROM audit_log WHERE seq = 2")).mappings().one()
    delete(chain, "seq = 2")
    keys = list(row.keys())
    chain.execute(
        text(f"INSERT INTO audit_log ({', '.join(keys)}) VALUES ({', '.join(':' + k for k in keys)})"), dict(row)
    )
    chain.expire_all()
    assert verify_chain(chain).problems == []
