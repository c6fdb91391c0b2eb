"""All SQL of self-government: who may read what, the voter base of a meeting computed from the register,
the bodies' registers, meetings with their attendance and votes, and matters for the township's list.

Reading: staff holding selfgov.read see the villages and communities inside their areas; a resident (whose
grant is their grid) sees those of their own village or community: the places that are in their scope or
above it (`AreaScope.reach_clause`). Out of reach answers 404, like a row that does not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import subtree_clause
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.residents.models import Household, Person
from linli.selfgov.models import (
    BallotBatch,
    BodyMember,
    Matter,
    MatterStep,
    Meeting,
    Motion,
    Recount,
    Suspension,
    Vote,
    Voter,
)

READ = Permission.selfgov_read
WRITE = Permission.selfgov_write
SUPERVISE = Permission.selfgov_supervise
ADULT_YEARS = 18


def _reaches(principal: Principal, area_code: str) -> bool:
    """Whether the principal may read a row of this place: inside their scope, or above their grant."""
    if principal.can(READ, area_code):
        return True
    place = codes.unpad(codes.pad(area_code))
    return any(codes.is_ancestor(place, c) for c in principal.scope(READ).area_codes)


def place(session: Session, principal: Principal, code: str, permission: Permission = WRITE) -> Area:
    """A village or community where the principal holds `permission` (404 out of reach, 422 not a village)."""
    if not codes.is_valid(code):
        raise NotFound(t("area {code} does not exist", code=code))
    principal.check(permission, code, what=t("area {code}", code=code))
    area = area_repo.find_area(session, code)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    if area.level != "village":
        raise InvalidInput(
            t("{name} is not a village or community: meetings and matters belong to one", name=area.name)
        )
    return area


def place_or_above(session: Session, principal: Principal, code: str) -> Area:
    """An area whose matters the principal may read: inside their scope, or their own village above them."""
    if not codes.is_valid(code) or not _reaches(principal, code):
        raise NotFound(t("area {code} does not exist", code=code))
    area = area_repo.find_area(session, code)
    if area is None:
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def area_of(session: Session, code: str) -> Area:
    area = area_repo.find_area(session, codes.unpad(code))
    if area is None:
        raise NotFound(t("area {code} does not exist", code=codes.unpad(code)))
    return area


# --- the voter base --------------------------------------------------------------------------------


def _lived_there(day: date):
    """SQL: the person lived at their registered place on `day` (moved in by then, not yet gone)."""
    arrived = or_(Person.moved_in_on.is_(None), Person.moved_in_on <= day)
    stayed = or_(
        Person.status == "present",
        and_(Person.status == "moved_out", Person.moved_out_on > day),
        and_(Person.status == "deceased", Person.died_on > day),
    )
    return and_(arrived, stayed)


def _adult_on(day: date):
    try:
        born_by = day.replace(year=day.year - ADULT_YEARS)
    except ValueError:  # 29 February
        born_by = day.replace(year=day.year - ADULT_YEARS, day=28)
    return Person.birth_date <= born_by


def adults(session: Session, code: str, day: date) -> list[tuple[int, int | None, bool]]:
    """(person, household, woman) of everyone 18 or over on `day` living under `code` then."""
    q = select(Person.id, Person.household_id, Person.gender == "female").where(
        subtree_clause(Person.area_code, code), _adult_on(day), _lived_there(day)
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


def household_representatives(session: Session, code: str, day: date) -> list[tuple[int, int | None, bool]]:
    """Each active household under `code` by its head, when the head is an adult living there on `day`."""
    q = (
        select(Person.id, Household.id, Person.gender == "female")
        .join(Person, Person.id == Household.head_person_id)
        .where(
            subtree_clause(Household.area_code, code),
            Household.status == "active",
            _adult_on(day),
            _lived_there(day),
        )
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


def party_members(session: Session, code: str, day: date) -> list[tuple[int, int | None, bool]]:
    q = select(Person.id, Person.household_id, Person.gender == "female").where(
        subtree_clause(Person.area_code, code), Person.party_member.is_(True), _adult_on(day), _lived_there(day)
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


def seated(session: Session, code: str, bodies: Sequence[str], day: date) -> list[tuple[int, int | None, bool]]:
    """The persons holding a seat on `bodies` of the village on `day`, each once (一肩挑 counts once)."""
    q = (
        select(Person.id, Person.household_id, Person.gender == "female")
        .join(BodyMember, BodyMember.person_id == Person.id)
        .where(
            BodyMember.area_code == codes.pad(code),
            BodyMember.body.in_(list(bodies)),
            BodyMember.term_from <= day,
            or_(BodyMember.term_to.is_(None), BodyMember.term_to >= day),
        )
        .distinct()
    )
    return [tuple(r) for r in session.execute(q.order_by(Person.id))]


# --- bodies ----------------------------------------------------------------------------------------


def members_of(session: Session, code: str, day: date | None = None) -> list[BodyMember]:
    q = select(BodyMember).where(BodyMember.area_code == codes.pad(code))
    if day is not None:
        q = q.where(BodyMember.term_from <= day, or_(BodyMember.term_to.is_(None), BodyMember.term_to >= day))
    return list(session.scalars(q.order_by(BodyMember.body, BodyMember.post, BodyMember.id)))


def member_readable(session: Session, principal: Principal, member_id: int) -> BodyMember:
    m = session.get(BodyMember, member_id)
    if m is None or not _reaches(principal, m.area_code):
        raise NotFound(t("seat {id} does not exist", id=member_id))
    return m


def member_for_update(session: Session, member_id: int) -> BodyMember | None:
    return session.get(BodyMember, member_id, with_for_update=True)


def person_place(session: Session, person_id: int) -> tuple[str, str, bool] | None:
    """(padded area code, gender, present) of a register entry, for checking a seat's holder."""
    row = session.execute(
        select(Person.area_code, Person.gender, Person.status == "present").where(Person.id == person_id)
    ).first()
    return tuple(row) if row else None


# --- meetings --------------------------------------------------------------------------------------


def meeting_readable(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    m = session.get(Meeting, meeting_id)
    if m is None or not _reaches(principal, m.area_code):
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


def meetings_in(session: Session, principal: Principal, code: str, *, limit: int = 50) -> list[Meeting]:
    q = select(Meeting).where(
        subtree_clause(Meeting.area_code, code), principal.scope(READ).reach_clause(Meeting.area_code)
    )
    return list(session.scalars(q.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)))


# --- matters ---------------------------------------------------------------------------------------


def matter(session: Session, matter_id: int) -> Matter | None:
    """A matter by id, unchecked (another domain names it and checks its place itself)."""
    return session.get(Matter, matter_id)


def matter_readable(session: Session, principal: Principal, matter_id: int) -> Matter:
    m = session.get(Matter, matter_id)
    if m is None or not _reaches(principal, m.area_code):
        raise NotFound(t("matter {id} does not exist", id=matter_id))
    return m


def matter_for_update(session: Session, matter_id: int) -> Matter | None:
    return session.get(Matter, matter_id, with_for_update=True)


def steps_of(session: Session, matter_id: int) -> dict[int, MatterStep]:
    return {s.step: s for s in session.scalars(select(MatterStep).where(MatterStep.matter_id == matter_id))}


def step_of_meeting(session: Session, meeting_id: int) -> MatterStep | None:
    return session.scalar(select(MatterStep).where(MatterStep.meeting_id == meeting_id))


def suspensions_of(session: Session, matter_id: int) -> list[Suspension]:
    q = select(Suspension).where(Suspension.matter_id == matter_id).order_by(Suspension.id)
    return list(session.scalars(q))


def open_suspension(session: Session, matter_id: int) -> Suspension | None:
    q = select(Suspension).where(Suspension.matter_id == matter_id, Suspension.resumed_at.is_(None))
    return session.scalar(q)


@dataclass(frozen=True)
class MatterFilter:
    area_code: str | None = None
    status: str | None = None
    step: int | None = None
    failed_quorum: bool = False


def list_matters(
    session: Session, principal: Principal, f: MatterFilter, *, offset: int = 0, limit: int = 50
) -> tuple[list[Matter], int]:
    """Matters the principal may read (in their areas, or of their own village), newest change first."""
    conds = [principal.scope(READ).reach_clause(Matter.area_code)]
    if f.area_code:
        conds.append(subtree_clause(Matter.area_code, f.area_code))
    if f.status:
        conds.append(Matter.status == f.status)
    if f.step is not None:
        conds.append(Matter.step == f.step)
    if f.failed_quorum:
        failed = select(Meeting.id).where(Meeting.matter_id == Matter.id, Meeting.status == "failed")
        conds.append(failed.exists())
    query = select(Matter).where(*conds)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Matter.updated_at.desc(), Matter.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def failed_meetings(
    session: Session, principal: Principal, code: str | None = None, *, limit: int = 50
) -> list[Meeting]:
    """Meetings that failed their quorum, in the principal's areas, the latest first."""
    conds = [principal.scope(READ).clause(Meeting.area_code), Meeting.status == "failed"]
    if code:
        conds.append(subtree_clause(Meeting.area_code, code))
    q = select(Meeting).where(*conds).order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)
    return list(session.scalars(q))


# --- to-dos ----------------------------------------------------------------------------------------


def count_active_matters(session: Session, principal: Principal) -> int:
    conds = [principal.scope(WRITE).clause(Matter.area_code), Matter.status == "active"]
    return session.scalar(select(func.count()).where(*conds)) or 0


def count_unconfirmed_batches(session: Session, principal: Principal) -> int:
    """Paper ballot batches in the principal's places waiting for a second person's confirmation."""
    q = (
        select(func.count())
        .select_from(BallotBatch)
        .join(Motion, Motion.id == BallotBatch.motion_id)
        .join(Meeting, Meeting.id == Motion.meeting_id)
        .where(principal.scope(WRITE).clause(Meeting.area_code), BallotBatch.confirmed_at.is_(None))
    )
    return session.scalar(q) or 0


def count_suspended(session: Session, principal: Principal, permission: Permission) -> int:
    conds = [principal.scope(permission).clause(Matter.area_code), Matter.status == "suspended"]
    return session.scalar(select(func.count()).where(*conds)) or 0


def generated_matters(session: Session, code: str) -> int:
    return (
        session.scalar(select(func.count()).where(Matter.area_code == codes.pad(code), Matter.generated.is_(True))) or 0
    )


def meeting_of_batch(session: Session, batch_id: int) -> int:
    """The meeting a ballot batch was entered for (404 for an unknown batch)."""
    q = (
        select(Motion.meeting_id)
        .join(BallotBatch, BallotBatch.motion_id == Motion.id)
        .where(BallotBatch.id == batch_id)
    )
    found = session.scalar(q)
    if found is None:
        raise NotFound(t("ballot batch {id} does not exist", id=batch_id))
    return found


def most_peopled_village(session: Session, county: str, kind: str) -> Area | None:
    """The village (or community) of a county with the most people registered, Party members among them
    (the demo's: its Party members' meeting needs some)."""
    counts: dict[str, list[int]] = {}
    q = select(Person.area_code, Person.party_member).where(subtree_clause(Person.area_code, county))
    for code, party in session.execute(q):
        found = counts.setdefault(code[:12], [0, 0])
        found[0] += 1
        found[1] += 1 if party else 0
    places = area_repo.get_areas(session, sorted(counts))
    ranked = sorted((c for c, a in places.items() if a.kind == kind and counts[c][1]), key=lambda c: (-counts[c][0], c))
    return places[ranked[0]] if ranked else None


def meetings_in_count(session: Session, code: str) -> int:
    return session.scalar(select(func.count()).where(subtree_clause(Meeting.area_code, code))) or 0
