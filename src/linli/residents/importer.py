"""Importing households and persons from the register spreadsheet: check every row, then write all or nothing.

Pass 1 reads the file as a stream and checks each row (ID number, grid, duplicates, households, birth
date) and the database (persons already registered); each good row is sealed at once (ID and phone
encrypted, blind indexes) into a temporary spool. Pass 2 writes the spooled rows that stayed good, in
batches, with history events and an ID check per person (see residents.id_checks: a number registered
where the importer cannot read is imported like a free one, and the worker opens its review); one
audit entry sums the import up. Persons are known by their ID
number's blind index, households by (grid, 户编号), so importing the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
import marshal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from sqlalchemy import and_, bindparam, text, update
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.db.bulk import insert_rows, reserve_ids, sql_time
from linli.kit import crypto
from linli.kit.errors import ImportRejected, InvalidInput, RowError
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.residents import id_checks, id_reviews, pii
from linli.residents import repository as repo
from linli.residents.kinds import Relation
from linli.residents.models import Household, IdCheck, Person, PersonTag, ResidentEvent, household_sort_key
from linli.residents.rows import Row, RowProblem, parse_row
from linli.residents.service import W
from linli.residents.sheet import cell_text, read_rows

HOUSEHOLD_COLUMNS = ("id", "area_code", "import_key", "register_type", "address", "unit", "room", "status", "generated",
                     "head_person_id", "created_at", "updated_at", "sort_key")  # fmt: skip
PERSON_COLUMNS = ("id", "area_code", "household_id", "relation", "name", "gender", "birth_date", "ethnicity",
                  "id_number_enc", "id_number_bidx", "phone_enc", "phone_bidx", "status", "moved_in_on",
                  "party_member", "generated", "created_at", "updated_at")  # fmt: skip
EVENT_COLUMNS = ("household_id", "person_id", "kind", "on", "at", "area_code", "actor", "details")
IMPORT_DETAILS = '{"via": "import"}'
Progress = Callable[[str, int, int | None], None]  # (phase, done, total)
BATCH = 5000


@dataclass
class ImportReport:
    total: int = 0
    persons_added: int = 0
    households_added: int = 0
    unchanged: int = 0
    dry_run: bool = False
    bad_rows: list[RowError] = field(default_factory=list)
    digest: str = ""

    def summary(self) -> str:
        verb = "would add" if self.dry_run else "added"
        text = (
            f"{self.total} rows: {verb} {self.persons_added} persons in {self.households_added} new households,"
            f" {self.unchanged} already registered unchanged"
        )
        if self.bad_rows:
            text += f", {len(self.bad_rows)} bad rows {'would be ' if self.dry_run else ''}skipped"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "persons_added": self.persons_added,
            "households_added": self.households_added,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "bad_rows": list(self.bad_rows),
            "summary": self.summary(),
        }


@dataclass(slots=True)  # one per household of the file: a million-person file has ~350,000
class _HouseholdPlan:
    first_row: int
    register_type: str
    address: str
    head_row: int | None = None
    rows: list[int] = field(default_factory=list)
    existing_id: int | None = None
    existing_has_head: bool = False


def _seal(row: Row, bidx: str, held: bool, ring: crypto.Keyring) -> tuple:
    """What pass 2 writes for a row: plain values as text, ID and phone numbers only encrypted; the index
    the entry holds (a placeholder if `held`) and, last, the number's own (for its ID check)."""
    phone_enc, phone_bidx = (
        (ring.encrypt(row.phone, pii.PHONE_CONTEXT), ring.blind_index(row.phone, pii.PHONE_CONTEXT))
        if row.phone
        else (None, None)
    )
    moved_in = row.moved_in_on.isoformat() if row.moved_in_on else None
    return (row.n, row.grid, row.household_key, row.relation, row.name, row.gender, row.birth_date.isoformat(),
            row.ethnicity, ring.encrypt(row.id_number, pii.ID_CONTEXT), id_reviews.index_to_hold(bidx, held),
            phone_enc, phone_bidx, moved_in, row.party_member, tuple(row.tags), bidx)  # fmt: skip


def _spooled(spool: IO[bytes]) -> Iterator[list[tuple]]:
    spool.seek(0)
    while True:
        try:
            yield marshal.load(spool)
        except EOFError:
            return


class _Checker:
    """Pass 1 state: bad rows with reasons, the file's households, rows already registered."""

    def __init__(self, session: Session, actor: Principal, ring: crypto.Keyring, spool: IO[bytes]):
        self.session, self.actor, self.ring, self.spool = session, actor, ring, spool
        # Rows whose number is registered where the actor cannot read: imported as if the number were
        # free (the report cannot tell them apart), holding a placeholder index until the worker's check.
        self.held: set[int] = set()
        self.looked_up = 0
        self.bad: dict[int, str] = {}
        self.seen: dict[str, int] = {}  # ID number → first row
        self.households: dict[tuple[str, str], _HouseholdPlan] = {}
        self.unchanged: set[int] = set()
        self.pending: list[tuple[Row, str]] = []
        self.new_keys: list[tuple[str, str]] = []

    def add(self, row: Row) -> None:
        first = self.seen.get(row.id_number)
        if first is not None:
            self.bad[row.n] = t("duplicate person: the same ID number as row {row}", row=first)
            return
        self.seen[row.id_number] = row.n
        hkey = (row.grid, row.household_key)
        plan = self.households.get(hkey)
        if plan is None:
            plan = self.households[hkey] = _HouseholdPlan(row.n, row.register_type, row.address)
            self.new_keys.append(hkey)
        elif plan.register_type != row.register_type:
            self.bad[row.n] = t("户籍类型 differs from row {row} of the same household", row=plan.first_row)
            return
        if row.relation == Relation.head.value:
            if plan.head_row is not None:
                self.bad[row.n] = t(
                    "a second head (户主) of household {household_key}; the first is in row {row}",
                    household_key=row.household_key,
                    row=plan.head_row,
                )
                return
            plan.head_row = row.n
        plan.rows.append(row.n)
        self.pending.append((row, self.ring.blind_index(row.id_number, pii.ID_CONTEXT)))
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Look the batch up in the database and spool its sealed rows."""
        self._lookup_households(self.new_keys)
        self.new_keys = []
        found = repo.persons_by_id_indexes(
            self.session, [b for _, b in self.pending], lambda area: self.actor.can(Permission.residents_read, area)
        )
        self.looked_up += len(self.pending)
        for row, bidx in self.pending:
            plan = self.households[(row.grid, row.household_key)]
            hit = found.get(bidx)
            if hit is not None and not self.actor.can(Permission.residents_read, hit[1]):
                self.held.add(row.n)
                hit = None
            if hit is not None:
                if plan.existing_id is not None and hit[2] == plan.existing_id:
                    self.unchanged.add(row.n)
                elif hit[2] is not None:
                    self.bad[row.n] = t(
                        "person already registered in another household (household {household_id}): in two households",
                        household_id=hit[2],
                    )
                else:
                    self.bad[row.n] = t("person already registered (without a household); add them to it instead")
                continue
            if row.relation == "head" and plan.existing_has_head:
                self.bad[row.n] = t(
                    "household {household_key} already has a head (户主) in the register",
                    household_key=row.household_key,
                )
        batch = [_seal(row, bidx, row.n in self.held, self.ring) for row, bidx in self.pending if row.n not in self.bad]
        if batch:
            marshal.dump(batch, self.spool)
        self.pending = []

    def _lookup_households(self, keys: list[tuple[str, str]]) -> None:
        for i in range(0, len(keys), 1000):
            chunk = keys[i : i + 1000]
            for hid, area, key, head in repo.households_by_import_key(self.session, chunk):
                plan = self.households.get((area, key))
                if plan is not None:
                    plan.existing_id, plan.existing_has_head = hid, head is not None

    def finish(self) -> None:
        self.flush()
        for (_, key), plan in self.households.items():
            if (plan.head_row is None or plan.head_row in self.bad) and not plan.existing_has_head:
                for n in plan.rows:
                    self.bad.setdefault(n, f"household {key} has no valid head (户主)")


def import_register(
    session: Session,
    actor: Principal,
    fh: IO[bytes],
    *,
    name: str = "",
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a register file (CSV or XLSX, see docs/residents-import.md) opened in binary mode."""
    if not actor.holds_anywhere(W):
        raise InvalidInput(t("you do not have the permission residents.write anywhere"))
    digest = hashlib.sha256()
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
    fh.seek(0)
    with tempfile.TemporaryFile(prefix="linli-import-") as spool:
        checker = _Checker(session, actor, crypto.keyring(), spool)
        grids, today, total = repo.live_grid_codes_in(session, actor.scope(W)), date.today(), 0
        for n, raw in read_rows(fh, name):
            total += 1
            try:
                checker.add(parse_row(n, raw, grids, today))
            except RowProblem as exc:
                checker.bad[n] = str(exc)
            if progress and total % BATCH == 0:
                progress("checking", total, None)
        checker.finish()
        if total == 0:
            raise InvalidInput(t("the file has a header but no rows"))
        grids_of_file = {g for g, _ in checker.households}
        lookup = LookupAudit(
            "import_dry_run" if dry_run else "import",
            _common_area(grids_of_file) if grids_of_file else "",
            checker.looked_up,
        )
        names = _names_of_rows(fh, name, set(checker.bad)) if checker.bad else {}
        bad_rows = [RowError(n, reason, name=names.get(n, "")) for n, reason in sorted(checker.bad.items())]
        if bad_rows and not skip_bad_rows:
            rejected = ImportRejected(
                t("{count} bad row(s) of {total}; nothing was imported", count=len(bad_rows), total=total), bad_rows
            )
            rejected.lookup = lookup  # the caller, having rolled back, records it (see `audit_rejected`)
            raise rejected
        lookup.record(session, actor)
        skip = set(checker.bad) | checker.unchanged
        report = ImportReport(
            total=total,
            dry_run=dry_run,
            bad_rows=bad_rows,
            digest=digest.hexdigest()[:16],
            unchanged=len(checker.unchanged),
            persons_added=total - len(skip),
        )
        needed = [
            k for k, p in checker.households.items() if p.existing_id is None and any(n not in skip for n in p.rows)
        ]
        report.households_added = len(needed)
        if dry_run or not report.persons_added:
            return report
        _write(session, actor, spool, checker.households, skip, report.persons_added, progress)
    record(
        session,
        actor,
        "residents.import",
        "residents_import",
        report.digest,
        _common_area({g for g, _ in checker.households}),
        after={k: v for k, v in report.as_dict().items() if k not in ("bad_rows", "summary")}
        | {"bad_rows": len(bad_rows), "file": name[:100]},
    )
    return report


def _names_of_rows(fh: IO[bytes], file_name: str, rows: set[int]) -> dict[int, str]:
    """The names (姓名) typed in the rows `rows` of the file: the bad-row table says whose row it is. A second
    reading of the file, made only when it has bad rows (the check keeps no names)."""
    fh.seek(0)
    return {n: cell_text(raw.get("name"))[:100] for n, raw in read_rows(fh, file_name) if n in rows}


@dataclass
class LookupAudit:
    """The audit entry of an import's lookups by ID number (a dry run's and a rejected file's too)."""

    purpose: str
    area: str
    count: int

    def record(self, session: Session, actor: Principal) -> None:
        id_reviews.audit_lookup(session, actor, self.purpose, self.area, self.count)


def audit_rejected(session: Session, actor: Principal, exc: ImportRejected) -> None:
    """After rolling a rejected import back: its lookups by ID number still go into the audit log."""
    lookup = getattr(exc, "lookup", None)
    if lookup is not None:
        lookup.record(session, actor)


def _common_area(grids: set[str]) -> str:
    """The deepest area containing all the grids (where the audit entry belongs)."""
    for n in (15, 12, 9, 6, 4, 2):
        if len({g[:n] for g in grids}) == 1:
            return next(iter(grids))[:n]
    return ""


def _write(session, actor, spool, households, skip, todo, progress) -> None:
    """Pass 2: households, persons, tags, events and ID checks from the spool, in batches with ids reserved
    up front."""
    session.flush()  # the raw bulk writes below go around the session
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":  # a bigger page cache keeps the random inserts into the blind index off the disk
        session.execute(text("PRAGMA cache_size = -262144"))
    today, who = date.today().isoformat(), actor.audit_name
    now = sql_time(utcnow(), dialect)
    ids: dict[tuple[str, str], int] = {k: p.existing_id for k, p in households.items() if p.existing_id}
    ht, pt, tt, et, ct = (m.__table__ for m in (Household, Person, PersonTag, ResidentEvent, IdCheck))
    done = 0
    try:
        for records in _spooled(spool):
            rows = [r for r in records if r[0] not in skip]
            if not rows:
                continue
            missing = list(dict.fromkeys((r[1], r[2]) for r in rows if (r[1], r[2]) not in ids))
            for key, hid in zip(missing, reserve_ids(session, ht, len(missing)), strict=True):
                ids[key] = hid
            pids = reserve_ids(session, pt, len(rows))
            heads = {ids[(r[1], r[2])]: pid for r, pid in zip(rows, pids, strict=True) if r[3] == "head"}
            new, household_rows, events = set(), [], []
            for key in missing:
                hid, plan = ids[key], households[key]
                new.add(hid)
                household_rows.append((hid, key[0], key[1], plan.register_type, plan.address, "", "", "active",
                                       False, heads.get(hid), now, now,
                                       household_sort_key(plan.address, "", "")))  # fmt: skip
                events.append((hid, None, "household_created", today, now, key[0], who, IMPORT_DETAILS))
            insert_rows(session, ht, HOUSEHOLD_COLUMNS, household_rows)
            person_rows, tags, checks = [], [], []
            for r, pid in zip(rows, pids, strict=True):
                (
                    _,
                    grid,
                    key,
                    relation,
                    name,
                    gender,
                    born,
                    ethnicity,
                    id_enc,
                    id_bidx,
                    ph_enc,
                    ph_bidx,
                    moved,
                    party,
                    tg,
                    number_bidx,
                ) = r
                hid = ids[(grid, key)]
                person_rows.append((pid, grid, hid, relation, name, gender, born, ethnicity, id_enc, id_bidx, ph_enc,
                                    ph_bidx, "present", moved, party, False, now, now))  # fmt: skip
                tags += [(pid, grid, t, today, "") for t in tg]
                events.append((hid, pid, "registered", today, now, grid, who, IMPORT_DETAILS))
                checks.append((pid, number_bidx, who, now))
            insert_rows(session, pt, PERSON_COLUMNS, person_rows)
            insert_rows(session, tt, ("person_id", "area_code", "tag", "start_on", "note"), tags)
            insert_rows(session, et, EVENT_COLUMNS, events)
            insert_rows(session, ct, id_checks.COLUMNS, checks)
            late = [{"hid": hid, "head_person_id": pid} for hid, pid in heads.items() if hid not in new]
            if late:  # a head whose household began in an earlier batch, or exists already
                session.connection().execute(
                    update(ht).where(and_(ht.c.id == bindparam("hid"), ht.c.head_person_id.is_(None))), late
                )
            done += len(rows)
            if progress:
                progress("importing", done, todo)
    finally:
        if dialect == "sqlite":
            session.execute(text("PRAGMA cache_size = -2000"))
