"""Meetings: attendance, motions, ballots and their tally."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.authz.scope import subtree_clause
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.selfgov.models import (
    BallotBatch,
    Meeting,
    Motion,
    Recount,
    Vote,
    Voter,
)
from linli.selfgov.repository.places import READ, reaches

# --- meetings --------------------------------------------------------------------------------------


def meeting_readable(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    m = session.get(Meeting, meeting_id)
    if m is None or not reaches(principal, m.area_code):
        raise NotFound(t("meeting {id} does not exist", id=meeting_id))
    return m


def meeting_for_update(session: Session, meeting_id: int) -> Meeting | None:
    return session.get(Meeting, meeting_id, with_for_update=True)


@dataclass(frozen=True)
class Attendance:
    base: int
    present: int
    women_present: int


def attendance(session: Session, meeting_id: int) -> Attendance:
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((Voter.present.is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(Voter.present.is_(True), Voter.woman.is_(True)), 1), else_=0)), 0),
        ).where(Voter.meeting_id == meeting_id)
    ).one()
    return Attendance(int(row[0]), int(row[1]), int(row[2]))


def voters(session: Session, meeting_id: int, *, offset: int = 0, limit: int = 200) -> list[Voter]:
    q = select(Voter).where(Voter.meeting_id == meeting_id).order_by(Voter.id).offset(offset).limit(limit)
    return list(session.scalars(q))


def voter_ids(session: Session, meeting_id: int, person_ids: Sequence[int]) -> dict[int, Voter]:
    """The frozen base's entries of these persons, by person."""
    if not person_ids:
        return {}
    out: dict[int, Voter] = {}
    ids = list(person_ids)
    for start in range(0, len(ids), 900):  # SQLite's parameter limit
        q = select(Voter).where(Voter.meeting_id == meeting_id, Voter.person_id.in_(ids[start : start + 900]))
        out.update({v.person_id: v for v in session.scalars(q)})
    return out


def present_person_ids(session: Session, meeting_id: int) -> set[int]:
    q = select(Voter.person_id).where(Voter.meeting_id == meeting_id, Voter.present.is_(True))
    return set(session.scalars(q))


def motions_of(session: Session, meeting_id: int) -> list[Motion]:
    return list(session.scalars(select(Motion).where(Motion.meeting_id == meeting_id).order_by(Motion.id)))


def motion_for_update(session: Session, motion_id: int) -> Motion | None:
    return session.get(Motion, motion_id, with_for_update=True)


def batches_of(session: Session, motion_ids: Sequence[int]) -> dict[int, list[BallotBatch]]:
    out: dict[int, list[BallotBatch]] = {i: [] for i in motion_ids}
    if motion_ids:
        q = select(BallotBatch).where(BallotBatch.motion_id.in_(list(motion_ids))).order_by(BallotBatch.id)
        for b in session.scalars(q):
            out[b.motion_id].append(b)
    return out


def batch_for_update(session: Session, batch_id: int) -> BallotBatch | None:
    return session.get(BallotBatch, batch_id, with_for_update=True)


def recounts_of(session: Session, batch_ids: Sequence[int]) -> dict[int, list[Recount]]:
    out: dict[int, list[Recount]] = {i: [] for i in batch_ids}
    if batch_ids:
        for r in session.scalars(select(Recount).where(Recount.batch_id.in_(list(batch_ids))).order_by(Recount.id)):
            out[r.batch_id].append(r)
    return out


def voted_person_ids(session: Session, motion_id: int, person_ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    ids = list(person_ids)
    for start in range(0, len(ids), 900):
        q = select(Vote.person_id).where(Vote.motion_id == motion_id, Vote.person_id.in_(ids[start : start + 900]))
        found |= set(session.scalars(q))
    return found


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    abstain: int
    unconfirmed: int

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


def tally(session: Session, motion_id: int) -> Tally:
    """The confirmed votes of a motion by choice, and how many votes wait for their confirmation."""
    confirmed = BallotBatch.confirmed_at.is_not(None)
    q = (
        select(Vote.choice, confirmed, func.count())
        .join(BallotBatch, BallotBatch.id == Vote.batch_id)
        .where(Vote.motion_id == motion_id)
        .group_by(Vote.choice, confirmed)
    )
    counts = {"yes": 0, "no": 0, "abstain": 0}
    waiting = 0
    for choice, done, n in session.execute(q):
        if done:
            counts[choice] += n
        else:
            waiting += n
    return Tally(counts["yes"], counts["no"], counts["abstain"], waiting)


def votes_of(session: Session, motion_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """Each motion's recorded votes (confirmed or not) by person."""
    out: dict[int, dict[int, str]] = {i: {} for i in motion_ids}
    if motion_ids:
        for mid, pid, choice in session.execute(
            select(Vote.motion_id, Vote.person_id, Vote.choice).where(Vote.motion_id.in_(list(motion_ids)))
        ):
            out[mid][pid] = choice
    return out


def meetings_of_matter(session: Session, matter_id: int) -> list[Meeting]:
    q = select(Meeting).where(Meeting.matter_id == matter_id).order_by(Meeting.held_on, Meeting.id)
    return list(session.scalars(q))


def meeting(session: Session, meeting_id: int) -> Meeting | None:
    """A meeting by id, unchecked (another domain names it and checks its place itself)."""
    return session.get(Meeting, meeting_id)


def first_meeting_day(session: Session, code: str) -> date | None:
    """The day of the first meeting the platform records at the village or community `code` (padded)."""
    return session.scalar(select(func.min(Meeting.held_on)).where(Meeting.area_code == code))


def held_meetings(session: Session, code: str, kinds: Sequence[str], *, limit: int = 30) -> list[Meeting]:
    """The village's held meetings of these kinds, latest first (a convention's adopting meeting)."""
    q = select(Meeting).where(Meeting.area_code == code, Meeting.kind.in_(list(kinds)), Meeting.status == "held")
    return list(session.scalars(q.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)))


def meetings_of_kind(session: Session, code: str, kind: str, *, limit: int = 30) -> list[Meeting]:
    """The village's planned or held meetings of a kind, latest first (the meeting a request convened)."""
    q = select(Meeting).where(Meeting.area_code == codes.pad(code), Meeting.kind == kind, Meeting.status != "failed")
    return list(session.scalars(q.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)))


def meetings_in(session: Session, principal: Principal, code: str, *, limit: int = 50) -> list[Meeting]:
    q = select(Meeting).where(
        subtree_clause(Meeting.area_code, code), principal.scope(READ).reach_clause(Meeting.area_code)
    )
    return list(session.scalars(q.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)))


def meetings_in_count(session: Session, code: str) -> int:
    return session.scalar(select(func.count()).where(subtree_clause(Meeting.area_code, code))) or 0
