"""Self-government: the bodies of a village or community, its meetings with their frozen voter base,
attendance, motions and recorded votes, and matters taken through 四议两公开.

Every row belongs to a village or community (`area_code`, its padded 12-digit code; a group meeting to
its villagers' group, a grid). Persons are the register's (`person_id`): names, birth dates and ID
numbers stay in the residents domain and are never copied here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.db.base import AreaScoped, Base, Timestamped, UTCDateTime
from linli.kit.time import utcnow

BODIES = ("party_committee", "villagers_committee", "representative")
POSTS = ("secretary", "deputy_secretary", "director", "deputy_director", "member", "representative")
MEETING_KINDS = (
    "villagers_meeting",
    "residents_meeting",
    "representatives_meeting",
    "group_meeting",
    "joint_meeting",
    "party_meeting",
)
BASES = ("adults", "households", "members")
MEETING_STATUSES = ("planned", "held", "failed")
CHOICES = ("yes", "no", "abstain")
MATTER_STATUSES = ("active", "suspended", "done")
SUSPENSION_KINDS = ("correction_order", "complaint_upheld", "court_decision")
# The six steps of 四议两公开, in order.
STEPS = ("proposal", "joint_meeting", "party_meeting", "decision", "resolution_disclosed", "result_disclosed")


class BodyMember(Base, AreaScoped, Timestamped):
    """A seat on a body of the village: the Party committee, the villagers' (residents') committee, or a
    representative (with the households they represent). One person may hold a seat on both committees
    (secretary and director, 一肩挑)."""

    __tablename__ = "selfgov_members"
    __table_args__ = (Index("ix_selfgov_members_area_body", "area_code", "body"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    body: Mapped[str] = mapped_column(String(24), nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False, index=True)
    post: Mapped[str] = mapped_column(String(24), nullable=False)
    term_from: Mapped[date] = mapped_column(Date, nullable=False)
    term_to: Mapped[date | None] = mapped_column(Date)
    households: Mapped[int | None] = mapped_column(Integer)  # a representative's households
    group_code: Mapped[str | None] = mapped_column(String(15))  # the villagers' group (grid) represented
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Meeting(Base, AreaScoped, Timestamped):
    """A meeting of a body, its voter base frozen when it is called (`selfgov_voters`), judged by the rule
    set in force on `held_on` (`rules_name`). A failed quorum leads to a new meeting (`rescheduled_from_id`)."""

    __tablename__ = "selfgov_meetings"
    __table_args__ = (Index("ix_selfgov_meetings_area_held", "area_code", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    base: Mapped[str] = mapped_column(String(12), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notice_on: Mapped[date] = mapped_column(Date, nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    materials_on: Mapped[date | None] = mapped_column(Date)  # materials circulated (Party members' meeting)
    rules_name: Mapped[str] = mapped_column(String(32), nullable=False)
    base_count: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="planned")
    official: Mapped[str] = mapped_column(String(100), nullable=False, default="")  # township official present
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("selfgov_matters.id"), index=True)
    rescheduled_from_id: Mapped[int | None] = mapped_column(ForeignKey("selfgov_meetings.id"))
    rescheduled_to_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class Voter(Base):
    """One entry of a meeting's frozen voter base (a person, or a household's representative), and
    whether they signed in."""

    __tablename__ = "selfgov_voters"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id", name="uq_selfgov_voters_meeting_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("selfgov_meetings.id"), nullable=False)
    person_id: Mapped[int] = mapped_column(Integer, nullable=False)  # the register's person (no key: bulk)
    household_id: Mapped[int | None] = mapped_column(Integer)
    woman: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Motion(Base):
    """A question put to a meeting; `result` is set when it is decided from the confirmed votes."""

    __tablename__ = "selfgov_motions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("selfgov_meetings.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    result: Mapped[str | None] = mapped_column(String(12))  # passed / rejected
    yes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    no: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    abstain: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    present: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BallotBatch(Base):
    """Votes entered together: recorded in the meeting (confirmed at once) or paper ballots entered after
    it by one clerk, counted only once a second account confirms them."""

    __tablename__ = "selfgov_ballot_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("selfgov_motions.id"), nullable=False, index=True)
    method: Mapped[str] = mapped_column(String(12), nullable=False)  # recorded / paper
    entered_by: Mapped[str] = mapped_column(String(64), nullable=False)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    yes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    no: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    abstain: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class Vote(Base):
    """One voter's vote on a motion; a voter votes once (the unique key), counted once its batch is confirmed."""

    __tablename__ = "selfgov_votes"
    __table_args__ = (UniqueConstraint("motion_id", "person_id", name="uq_selfgov_votes_motion_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("selfgov_motions.id"), nullable=False)
    batch_id: Mapped[int] = mapped_column(ForeignKey("selfgov_ballot_batches.id"), nullable=False, index=True)
    person_id: Mapped[int] = mapped_column(Integer, nullable=False)
    choice: Mapped[str] = mapped_column(String(8), nullable=False)


class Recount(Base):
    """A recount of a paper batch: the figures counted again from the paper, and whether they matched."""

    __tablename__ = "selfgov_recounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("selfgov_ballot_batches.id"), nullable=False, index=True)
    counted_by: Mapped[str] = mapped_column(String(64), nullable=False)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    yes: Mapped[int] = mapped_column(Integer, nullable=False)
    no: Mapped[int] = mapped_column(Integer, nullable=False)
    abstain: Mapped[int] = mapped_column(Integer, nullable=False)
    matches: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")


class Matter(Base, AreaScoped, Timestamped):
    """A matter decided through 四议两公开: `step` is the index in STEPS of the next step to do (6: done)."""

    __tablename__ = "selfgov_matters"
    __table_args__ = (Index("ix_selfgov_matters_area_status", "area_code", "status", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    step: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class MatterStep(Base):
    """A step done (or under way) of a matter: its meeting, or the disclosure's date and place."""

    __tablename__ = "selfgov_matter_steps"
    __table_args__ = (UniqueConstraint("matter_id", "step", name="uq_selfgov_matter_steps_matter_step"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("selfgov_matters.id"), nullable=False)
    step: Mapped[int] = mapped_column(Integer, nullable=False)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("selfgov_meetings.id"))
    done_on: Mapped[date | None] = mapped_column(Date)
    done_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    disclosed_on: Mapped[date | None] = mapped_column(Date)
    disclosure_place: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    disclosure_ref: Mapped[str | None] = mapped_column(String(100))  # the disclosure domain's record, later


class Suspension(Base):
    """A matter stopped by the township's correction order, an upheld complaint or a court decision."""

    __tablename__ = "selfgov_suspensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("selfgov_matters.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    suspended_by: Mapped[str] = mapped_column(String(64), nullable=False)
    suspended_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    resumed_by: Mapped[str | None] = mapped_column(String(64))
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resume_note: Mapped[str] = mapped_column(Text, nullable=False, default="")


# Who asks for a meeting (村委会组织法第二十一条, 居委会组织法第十条): adult villagers, the villagers'
# representatives, adult residents of a community. The committee must then convene it.
REQUEST_BASES = ("villagers", "representatives", "residents")
REQUEST_STATUSES = ("collecting", "reached", "convened")


class ConveneRequest(Base, AreaScoped, Timestamped):
    """A request that the committee convene a villagers' (residents') meeting: its supporters are persons of
    the register counted against the share the law of the day names, of a base counted when it was opened
    (`base_count`, `required`); `reached` once enough support it, `convened` once the meeting is called."""

    __tablename__ = "selfgov_convene_requests"
    __table_args__ = (Index("ix_selfgov_convene_requests_area_status", "area_code", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    basis: Mapped[str] = mapped_column(String(16), nullable=False)
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    rules_name: Mapped[str] = mapped_column(String(32), nullable=False)
    base_count: Mapped[int] = mapped_column(Integer, nullable=False)
    required: Mapped[int] = mapped_column(Integer, nullable=False)
    supporters: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="collecting")
    reached_on: Mapped[date | None] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("selfgov_meetings.id"))
    created_by: Mapped[str] = mapped_column(String(64), nullable=False)
    generated: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class ConveneSupporter(Base):
    """A person of the register who supports a request (once per request; stored by id only)."""

    __tablename__ = "selfgov_convene_supporters"
    __table_args__ = (UniqueConstraint("request_id", "person_id", name="uq_selfgov_convene_supporters_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("selfgov_convene_requests.id"), nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), nullable=False)
    added_on: Mapped[date] = mapped_column(Date, nullable=False)
    added_by: Mapped[str] = mapped_column(String(64), nullable=False)
