"""Buildings, households (户), persons, their tags, their history, and transfer requests between areas.

Nothing here is deleted: a death, a move or a merge changes the current row and appends an event.
ID and phone numbers are stored encrypted (`*_enc`) with a blind index (`*_bidx`) for exact search.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit import crypto
from linli.kit.natural import KEY_LENGTH, natural_key
from linli.kit.time import utcnow

# Associated data of the encrypted columns: a value moved to another column no longer decrypts.
ID_CONTEXT = "persons.id_number"
PHONE_CONTEXT = "persons.phone"
# The columns `linli keys rotate` re-encrypts: (table, primary key column, column, associated data).
crypto.register_encrypted("persons", "id", "id_number_enc", ID_CONTEXT)
crypto.register_encrypted("persons", "id", "phone_enc", PHONE_CONTEXT)


# Compared as code points on PostgreSQL too (a locale's collation would skip the separators).
SORT_KEY_TYPE = String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")


class Building(Base, AreaScoped, Timestamped):
    """A residential compound, single house, shop or institution in a grid (area_code is the grid)."""

    __tablename__ = "buildings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    units: Mapped[int | None] = mapped_column(Integer)  # 单元 of a compound building
    floors: Mapped[int | None] = mapped_column(Integer)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Household(Base, AreaScoped, Timestamped):
    """A household (户): its address, head and register type; members are persons pointing at it."""

    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("area_code", "import_key", name="uq_households_area_import_key"),
        # A grid's households (and an area's) in address order, a page at a time.
        Index("ix_households_area_sort", "area_code", "sort_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"), index=True)
    unit: Mapped[str] = mapped_column(String(20), nullable=False, default="")  # 单元
    room: Mapped[str] = mapped_column(String(20), nullable=False, default="")  # 室
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    register_type: Mapped[str] = mapped_column(String(12), nullable=False)  # local / resident / floating
    # No foreign key: the head is one of the members, which point back here (a cycle).
    head_person_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")  # active/merged/dissolved
    merged_into_id: Mapped[int | None] = mapped_column(Integer)
    # The household number of an imported file (户编号), unique within its grid: re-imports find it.
    import_key: Mapped[str | None] = mapped_column(String(64))
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    # The address in natural order (linli.kit.natural), kept by the listener below and by bulk writers.
    sort_key: Mapped[str] = mapped_column(SORT_KEY_TYPE, nullable=False, default="")


@event.listens_for(Household, "before_insert")
@event.listens_for(Household, "before_update")
def _keep_sort_key(mapper, connection, target: Household) -> None:
    target.sort_key = household_sort_key(target.address, target.unit, target.room)


def household_sort_key(address: str | None, unit: str | None, room: str | None) -> str:
    """Address, then unit, then room, numbers in numeric order: "2-1-31" before "2-1-302"."""
    return natural_key(address, unit, room)


class Person(Base, AreaScoped, Timestamped):
    """A resident; area_code is the grid they live in (or lived in last, once moved out or deceased)."""

    __tablename__ = "persons"
    __table_args__ = (
        Index("ix_persons_area_household", "area_code", "household_id"),
        # Partial: counts by age band and searches by age read present persons only, from the index alone.
        Index(
            "ix_persons_area_birth",
            "area_code",
            "birth_date",
            postgresql_where=text("status = 'present'"),
            sqlite_where=text("status = 'present'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Indexed through the composite indexes above (fewer indexes make bulk imports faster).
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    relation: Mapped[str | None] = mapped_column(String(16))  # relation to the head of household
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    gender: Mapped[str] = mapped_column(String(8), nullable=False)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False)
    ethnicity: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    id_number_enc: Mapped[str] = mapped_column(Text, nullable=False)
    id_number_bidx: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    phone_enc: Mapped[str | None] = mapped_column(Text)
    phone_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="present")  # present/moved_out/deceased
    moved_in_on: Mapped[date | None] = mapped_column(Date)
    moved_out_on: Mapped[date | None] = mapped_column(Date)
    died_on: Mapped[date | None] = mapped_column(Date)
    party_member: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class PersonTag(Base, AreaScoped):
    """A group a person belongs to for a time (低保 from … to …); area_code follows the person."""

    __tablename__ = "person_tags"
    __table_args__ = (Index("ix_person_tags_area_tag", "area_code", "tag", "end_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    area_code: Mapped[str] = mapped_column(String(15), nullable=False)  # indexed by ix_person_tags_area_tag
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    tag: Mapped[str] = mapped_column(String(24), nullable=False)
    start_on: Mapped[date] = mapped_column(Date, nullable=False)
    end_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class ResidentEvent(Base, AreaScoped):
    """One entry of a person's or household's history; area_code is where it happened (the old grid)."""

    __tablename__ = "resident_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    on: Mapped[date] = mapped_column(Date, nullable=False)  # the day it took effect
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)  # when it was recorded
    from_area: Mapped[str | None] = mapped_column(String(15))
    to_area: Mapped[str | None] = mapped_column(String(15))
    other_household_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[str | None] = mapped_column(Text)  # JSON; never ID or phone numbers
    actor: Mapped[str] = mapped_column(String(100), nullable=False)


class TransferRequest(Base, AreaScoped):
    """A move into an area the mover cannot reach: area_code is the source grid, to_area the target's.

    Both sides see it; the target side accepts or rejects it, the source side may cancel it.
    """

    __tablename__ = "transfer_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    to_area: Mapped[str] = mapped_column(String(15), nullable=False, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="pending")
    reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    requested_by: Mapped[str] = mapped_column(String(100), nullable=False)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class IdReview(Base, AreaScoped):
    """Two register entries with one ID number, in areas of different workers: a supervisor decides.

    area_code is the lowest common area of the two entries, so the review is seen by those who hold
    residents.write there (and above), not by the worker who made the second entry: to them the number
    looked free. The second ("provisional") entry holds a placeholder blind index (`HELD_PREFIX` + random)
    while the real one is kept here, because the register's blind index is unique.
    """

    __tablename__ = "id_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)  # the new entry
    existing_person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    id_number_bidx: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="open")  # see IdReviewStatus
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class IdCheck(Base):
    """An ID number just given to an entry, for the worker to compare with the rest of the register.

    Every registration, edit and import that sets a number writes one, in its own transaction, whether
    the number was free or held where the worker cannot read: the request does the same work either way,
    and the review (if any) is opened by `linli worker` (residents.id_checks). Deleted once checked.
    """

    __tablename__ = "id_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False)
    # Indexed: until it is checked, the entry counts as registered with the number (id_index_clause).
    id_number_bidx: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class AccountLink(Base):
    """A resident's sign-in account linked to their own register entry, by staff who checked their
    identity card: one account to at most one person and one person to at most one account.

    A table of its own rather than a `person_id` column on `users`: the link is a fact of the register
    (made and undone under `residents.write`), so the accounts table stays free of it, and adding a
    foreign-key column to `users` would make SQLite rebuild that table, which fails once tokens,
    sessions and grants refer to it. Unlinking deletes the row; the audit log keeps the history.
    """

    __tablename__ = "person_accounts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, unique=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    linked_by: Mapped[str] = mapped_column(String(100), nullable=False)
