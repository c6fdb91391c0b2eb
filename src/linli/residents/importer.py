"""Importing households and persons from the register spreadsheet: check every row, then write all or nothing.

Pass 1 reads the file as a stream and checks each row (ID number, grid, duplicates, households, birth
date), and the database for persons already registered. Pass 2 reads it again and writes in batches
(encrypted, with blind indexes and history events); one audit entry sums the import up. Persons are
known by their ID number's blind index, households by (grid, 户编号), so a re-import changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session

from linli.areas.models import Area
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.db.bulk import insert_rows, reserve_ids, sql_time
from linli.kit import crypto
from linli.kit.errors import ImportRejected, InvalidInput, RowError
from linli.kit.time import utcnow
from linli.residents import pii
from linli.residents import repository as repo
from linli.residents.idcard import InvalidIdNumber, InvalidPhone, parse_id, parse_phone
from linli.residents.kinds import (
    GENDER_LABELS,
    REGISTER_LABELS,
    RELATION_LABELS,
    TAG_LABELS,
    RegisterType,
    Relation,
    from_label,
)
from linli.residents.models import Household, Person, PersonTag, ResidentEvent
from linli.residents.service import W
from linli.residents.sheet import cell_date, cell_text, read_rows

HOUSEHOLD_COLUMNS = ("id", "area_code", "import_key", "register_type", "address", "unit", "room", "status", "generated",
                     "head_person_id", "created_at", "updated_at")  # fmt: skip
PERSON_COLUMNS = ("id", "area_code", "household_id", "relation", "name", "gender", "birth_date", "ethnicity",
                  "id_number_enc", "id_number_bidx", "phone_enc", "phone_bidx", "status", "moved_in_on",
                  "party_member", "generated", "created_at", "updated_at")  # fmt: skip
EVENT_COLUMNS = ("household_id", "person_id", "kind", "on", "at", "area_code", "actor", "details")
IMPORT_DETAILS = '{"via": "import"}'
Progress = Callable[[str, int, int | None], None]  # (phase, done, total)
BATCH = 5000
TRUE, FALSE = {"是", "y", "yes", "true", "1", "党员"}, {"否", "n", "no", "false", "0", ""}


@dataclass
class Row:
    n: int
    household_key: str
    grid: str
    register_type: str
    address: str
    relation: str
    name: str
    id_number: str
    gender: str
    birth_date: date
    ethnicity: str
    phone: str | None
    moved_in_on: date | None
    party_member: bool
    tags: list[str]


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


class RowProblem(ValueError):
    pass


def _date(value: Any, what: str) -> date | None:
    try:
        return cell_date(value)
    except ValueError as exc:
        raise RowProblem(f"{what}: {exc}") from None


def parse_row(n: int, raw: dict[str, Any], grids: frozenset[str], today: date) -> Row:
    """One row checked on its own (the file-wide and database checks come after)."""
    key = cell_text(raw.get("household_key"))
    if not key or len(key) > 64:
        raise RowProblem("户编号 is missing (or longer than 64 characters)")
    grid = cell_text(raw.get("grid"))
    if grid not in grids:
        raise RowProblem(f"grid {grid} does not exist (or is not yours to write)" if grid else "网格编码 is missing")
    name = cell_text(raw.get("name"))
    if not name or len(name) > 100:
        raise RowProblem("姓名 is missing" if not name else "姓名 is longer than 100 characters")
    raw_id = raw.get("id_number")
    if isinstance(raw_id, float | int) and not isinstance(raw_id, bool):
        raise RowProblem("公民身份号码 was stored as a number and lost digits: format the column as text")
    try:
        parsed = parse_id(cell_text(raw_id), today)
    except InvalidIdNumber as exc:
        raise RowProblem(f"bad ID number: {exc.message}") from None
    relation = from_label(RELATION_LABELS, cell_text(raw.get("relation")))
    if relation is None:
        raise RowProblem(
            f"与户主关系 {cell_text(raw.get('relation'))!r} is not one of {'、'.join(RELATION_LABELS.values())}"
        )
    reg_text = cell_text(raw.get("register_type"))
    register = from_label(REGISTER_LABELS, reg_text) if reg_text else RegisterType.local
    if register is None:
        raise RowProblem(f"户籍类型 {reg_text!r} is not one of {'、'.join(REGISTER_LABELS.values())}")
    gender_text = cell_text(raw.get("gender"))
    if gender_text:
        gender = from_label(GENDER_LABELS, gender_text)
        if gender is None:
            raise RowProblem(f"性别 {gender_text!r} is not 男 or 女")
        if gender.value != parsed.gender:
            raise RowProblem(f"性别 {gender_text} does not agree with the ID number")
    born = _date(raw.get("birth_date"), "出生日期")
    if born is not None and born != parsed.birth_date:
        raise RowProblem(
            f"birth date {born.isoformat()} does not agree with the ID number ({parsed.birth_date.isoformat()})"
        )
    phone_text = cell_text(raw.get("phone"))
    try:
        phone = parse_phone(phone_text) if phone_text else None
    except InvalidPhone as exc:
        raise RowProblem(f"bad phone number: {exc.message}") from None
    party_text = cell_text(raw.get("party_member")).lower()
    if party_text not in TRUE | FALSE:
        raise RowProblem(f"党员 {party_text!r} is not 是 or 否")
    tags = []
    for label in cell_text(raw.get("tags")).replace(";", "、").replace("；", "、").replace(",", "、").split("、"):
        if label.strip():
            tag = from_label(TAG_LABELS, label)
            if tag is None:
                raise RowProblem(f"unknown tag {label.strip()!r}; tags are {'、'.join(TAG_LABELS.values())}")
            tags.append(tag.value)
    return Row(
        n=n,
        household_key=key,
        grid=grid,
        register_type=register.value,
        address=cell_text(raw.get("address"))[:300],
        relation=relation.value,
        name=name,
        id_number=parsed.value,
        gender=parsed.gender,
        birth_date=parsed.birth_date,
        ethnicity=cell_text(raw.get("ethnicity"))[:20],
        phone=phone,
        moved_in_on=_date(raw.get("moved_in_on"), "迁入日期"),
        party_member=party_text in TRUE,
        tags=sorted(set(tags)),
    )


@dataclass
class _HouseholdPlan:
    first_row: int
    register_type: str
    address: str
    head_row: int | None = None
    rows: list[int] = field(default_factory=list)
    existing_id: int | None = None
    existing_has_head: bool = False


def _writable_grids(session: Session, actor: Principal) -> frozenset[str]:
    rows = session.execute(
        select(Area.code).where(Area.level == "grid", Area.retired_at.is_(None), actor.scope(W).clause(Area.area_code))
    ).scalars()
    return frozenset(rows)


def _validate(session, actor, fh, name, ring, progress):
    """Pass 1: every bad row with its reason; the households of the file; rows already registered."""
    grids = _writable_grids(session, actor)
    today = date.today()
    bad: dict[int, str] = {}
    seen: dict[str, int] = {}  # ID number → first row
    households: dict[tuple[str, str], _HouseholdPlan] = {}
    unchanged: set[int] = set()
    pending: list[tuple[Row, str]] = []
    total = 0

    def check_database(batch: list[tuple[Row, str]]) -> None:
        found = repo.persons_by_id_indexes(session, [b for _, b in batch])
        for row, bidx in batch:
            hit = found.get(bidx)
            if hit is None:
                continue
            plan = households[(row.grid, row.household_key)]
            if plan.existing_id is not None and hit[2] == plan.existing_id:
                unchanged.add(row.n)
                continue
            elif hit[2] is not None:
                bad[row.n] = f"person already registered in another household (household {hit[2]}): in two households"
            else:
                bad[row.n] = "person already registered (without a household); add them to the household instead"
        for row, _ in batch:
            plan = households[(row.grid, row.household_key)]
            if row.n not in bad and row.n not in unchanged and row.relation == "head" and plan.existing_has_head:
                bad[row.n] = f"household {row.household_key} already has a head (户主) in the register"

    def lookup_households(keys: list[tuple[str, str]]) -> None:
        for i in range(0, len(keys), 1000):
            chunk = keys[i : i + 1000]
            stmt = select(Household.id, Household.area_code, Household.import_key, Household.head_person_id).where(
                Household.import_key.in_({k for _, k in chunk}), Household.area_code.in_({g for g, _ in chunk})
            )
            for hid, area, key, head in session.execute(stmt):
                plan = households.get((area, key))
                if plan is not None:
                    plan.existing_id, plan.existing_has_head = hid, head is not None

    new_keys: list[tuple[str, str]] = []
    for n, raw in read_rows(fh, name):
        total += 1
        try:
            row = parse_row(n, raw, grids, today)
        except RowProblem as exc:
            bad[n] = str(exc)
            continue
        first = seen.get(row.id_number)
        if first is not None:
            bad[n] = f"duplicate person: the same ID number as row {first}"
            continue
        seen[row.id_number] = n
        hkey = (row.grid, row.household_key)
        plan = households.get(hkey)
        if plan is None:
            plan = households[hkey] = _HouseholdPlan(n, row.register_type, row.address)
            new_keys.append(hkey)
        elif plan.register_type != row.register_type:
            bad[n] = f"户籍类型 differs from row {plan.first_row} of the same household"
            continue
        if row.relation == Relation.head.value:
            if plan.head_row is not None:
                bad[n] = f"a second head (户主) of household {row.household_key}; the first is in row {plan.head_row}"
                continue
            plan.head_row = n
        plan.rows.append(n)
        pending.append((row, ring.blind_index(row.id_number, pii.ID_CONTEXT)))
        if len(pending) >= BATCH:
            lookup_households(new_keys)
            new_keys = []
            check_database(pending)
            pending = []
            if progress:
                progress("checking", total, None)
    lookup_households(new_keys)
    check_database(pending)
    for (_, key), plan in households.items():
        if (plan.head_row is None or plan.head_row in bad) and not plan.existing_has_head:
            for n in plan.rows:
                bad.setdefault(n, f"household {key} has no valid head (户主)")
    return total, bad, households, unchanged


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
        raise InvalidInput("you do not have the permission residents.write anywhere")
    ring = crypto.keyring()
    digest = hashlib.sha256()
    while chunk := fh.read(1 << 20):
        digest.update(chunk)
    fh.seek(0)
    total, bad, households, unchanged = _validate(session, actor, fh, name, ring, progress)
    bad_rows = [RowError(n, reason) for n, reason in sorted(bad.items())]
    if total == 0:
        raise InvalidInput("the file has a header but no rows")
    report = ImportReport(total=total, dry_run=dry_run, bad_rows=bad_rows, digest=digest.hexdigest()[:16])
    if bad_rows and not skip_bad_rows:
        raise ImportRejected(f"{len(bad_rows)} bad row(s) of {total}; nothing was imported", bad_rows)
    skip = set(bad) | unchanged
    report.unchanged = len(unchanged)
    # A household is written only if some good row still needs it.
    report.persons_added = total - len(skip)
    if dry_run:
        report.households_added = _needed_households(households, skip, fh, name)
        return report
    fh.seek(0)
    report.households_added = _write(session, actor, fh, name, ring, households, skip, report.persons_added, progress)
    if report.persons_added:
        grids = {g for g, _ in households}
        record(
            session,
            actor,
            "residents.import",
            "residents_import",
            report.digest,
            _common_area(grids),
            after={k: v for k, v in report.as_dict().items() if k not in ("bad_rows", "summary")}
            | {"bad_rows": len(bad_rows), "file": name[:100]},
        )
    return report


def _needed_households(households, skip, fh, name) -> int:
    fh.seek(0)
    needed = set()
    for n, raw in read_rows(fh, name):
        if n not in skip:
            needed.add((cell_text(raw.get("grid")), cell_text(raw.get("household_key"))))
    return sum(1 for k in needed if k in households and households[k].existing_id is None)


def _common_area(grids: set[str]) -> str:
    """The deepest area containing all the grids (where the audit entry belongs)."""
    for n in (15, 12, 9, 6, 4, 2):
        if len({g[:n] for g in grids}) == 1:
            return next(iter(grids))[:n]
    return ""


def _write(session, actor, fh, name, ring, households, skip, todo, progress) -> int:
    """Pass 2: households, persons, tags and events, in batches with ids reserved up front."""
    session.flush()  # the raw bulk writes below go around the session
    today, who = date.today(), actor.audit_name
    dialect = session.get_bind().dialect.name
    now, today_s = sql_time(utcnow(), dialect), today.isoformat()
    ids: dict[tuple[str, str], int] = {k: p.existing_id for k, p in households.items() if p.existing_id}
    new_households = 0
    batch: list[Row] = []
    grids = frozenset(g for g, _ in households)
    done = 0
    ht, pt, tt, et = (m.__table__ for m in (Household, Person, PersonTag, ResidentEvent))

    def flush(rows: list[Row]) -> None:
        nonlocal new_households
        missing = list(dict.fromkeys((r.grid, r.household_key) for r in rows if (r.grid, r.household_key) not in ids))
        for key, hid in zip(missing, reserve_ids(session, ht, len(missing)), strict=True):
            ids[key] = hid
        pids = reserve_ids(session, pt, len(rows))
        heads = {ids[(r.grid, r.household_key)]: pid for r, pid in zip(rows, pids, strict=True) if r.relation == "head"}
        new = set()
        household_rows, events = [], []
        for g, k in missing:
            hid = ids[(g, k)]
            new.add(hid)
            plan = households[(g, k)]
            household_rows.append((hid, g, k, plan.register_type, plan.address, "", "", "active", False, heads.get(hid),
                                   now, now))  # fmt: skip
            events.append((hid, None, "household_created", today_s, now, g, who, IMPORT_DETAILS))
        insert_rows(session, ht, HOUSEHOLD_COLUMNS, household_rows)
        new_households += len(missing)
        person_rows, tags = [], []
        for r, pid in zip(rows, pids, strict=True):
            hid = ids[(r.grid, r.household_key)]
            phone_enc, phone_bidx = (
                (ring.encrypt(r.phone, pii.PHONE_CONTEXT), ring.blind_index(r.phone, pii.PHONE_CONTEXT))
                if r.phone
                else (None, None)
            )
            moved_in = r.moved_in_on.isoformat() if r.moved_in_on else None
            person_rows.append((
                pid, r.grid, hid, r.relation, r.name, r.gender, r.birth_date.isoformat(), r.ethnicity,
                ring.encrypt(r.id_number, pii.ID_CONTEXT), ring.blind_index(r.id_number, pii.ID_CONTEXT),
                phone_enc, phone_bidx, "present", moved_in, r.party_member, False, now, now,
            ))  # fmt: skip
            tags += [(pid, r.grid, t, today_s, "") for t in r.tags]
            events.append((hid, pid, "registered", today_s, now, r.grid, who, IMPORT_DETAILS))
        insert_rows(session, pt, PERSON_COLUMNS, person_rows)
        insert_rows(session, tt, ("person_id", "area_code", "tag", "start_on", "note"), tags)
        insert_rows(session, et, EVENT_COLUMNS, events)
        late = [{"hid": hid, "pid": pid} for hid, pid in heads.items() if hid not in new]
        if late:  # a head whose household began in an earlier batch, or exists already
            session.connection().execute(
                update(ht).where(and_(ht.c.id == bindparam("hid"), ht.c.head_person_id.is_(None))),
                [{"hid": x["hid"], "head_person_id": x["pid"]} for x in late],
            )

    for n, raw in read_rows(fh, name):
        if n in skip:
            continue
        row = parse_row(n, raw, grids, today)
        batch.append(row)
        if len(batch) >= BATCH:
            flush(batch)
            done += len(batch)
            batch = []
            if progress:
                progress("importing", done, todo)
    if batch:
        flush(batch)
        done += len(batch)
        if progress:
            progress("importing", done, todo)
    session.flush()
    return new_households
