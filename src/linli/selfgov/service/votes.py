"""Motions and votes: each vote recorded per voter of the frozen base who signed in, once; paper ballots
entered by one clerk count only once a second account confirms them; recounts are logged; a motion is
decided from the confirmed votes by the majority rule of the meeting's day (abstentions are not yes)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.selfgov import repository as repo
from linli.selfgov import rules
from linli.selfgov.models import BallotBatch, Meeting, Motion, Recount, Vote
from linli.selfgov.schemas import VoteIn
from linli.selfgov.service import meetings


def add_motion(session: Session, principal: Principal, meeting_id: int, title: str) -> Motion:
    m = meetings.for_writer(session, principal, meeting_id)
    if m.status == "failed":
        raise Conflict(t("meeting {id} failed its quorum: put the motion to the rescheduled meeting", id=m.id))
    if not title.strip():
        raise InvalidInput(t("give the motion a title"))
    motion = Motion(meeting_id=m.id, title=title.strip())
    session.add(motion)
    session.flush()
    record(session, principal, "selfgov.motion_add", "motion", motion.id, m.area_code, after={"meeting_id": m.id})
    return motion


def _motion_and_meeting(session: Session, principal: Principal, motion_id: int) -> tuple[Motion, Meeting]:
    motion = repo.motion_for_update(session, motion_id)
    if motion is None:
        raise NotFound(t("motion {id} does not exist", id=motion_id))
    return motion, meetings.for_writer(session, principal, motion.meeting_id)


def _require_quorum(session: Session, m: Meeting) -> meetings.Quorum:
    if m.status == "failed":
        raise Conflict(t("meeting {id} failed its quorum and was rescheduled", id=m.id))
    q = meetings.quorum(session, m)
    if not q.met:
        raise Conflict(t("no vote can be counted without a quorum: {words}", words=q.words))
    return q


def _check_voters(session: Session, m: Meeting, motion: Motion, votes: Sequence[VoteIn]) -> None:
    """Every vote by a voter of the frozen base who signed in, once, in person where proxies are refused."""
    proxies = [v for v in votes if v.proxy_for is not None]
    if proxies:
        rule_set, rule = rules.find(meetings.law_area_kind(session, m), m.held_on, "proxies_allowed")
        if not rule.value:
            raise InvalidInput(
                t("voting by proxy is not allowed ({cite}: {words})", cite=rules.cite(rule_set, rule), words=rule.words)
            )
    ids = [v.person_id for v in votes]
    twice = sorted(p for p, n in Counter(ids).items() if n > 1)
    if twice:
        raise InvalidInput(t("persons {ids} appear twice among these ballots", ids=", ".join(map(str, twice[:20]))))
    base = repo.voter_ids(session, m.id, ids)
    outside = [p for p in ids if p not in base]
    if outside:
        raise InvalidInput(
            t(
                "persons {ids} are not in this meeting's voter base (frozen on {day}): their votes are refused",
                ids=", ".join(map(str, outside[:20])),
                day=m.held_on.isoformat(),
            )
        )
    absent = [p for p in ids if not base[p].present]
    if absent:
        raise InvalidInput(
            t("persons {ids} did not sign in: only those present vote", ids=", ".join(map(str, absent[:20])))
        )
    already = repo.voted_person_ids(session, motion.id, ids)
    if already:
        raise Conflict(
            t("persons {ids} have voted on this motion already", ids=", ".join(map(str, sorted(already)[:20])))
        )


def enter(
    session: Session, principal: Principal, motion_id: int, votes: Sequence[VoteIn], method: str = "paper"
) -> BallotBatch:
    """Enter votes: recorded in the meeting (counted at once) or paper ballots (counted once confirmed)."""
    motion, m = _motion_and_meeting(session, principal, motion_id)
    if method not in ("recorded", "paper"):
        raise InvalidInput(t("unknown way of voting {value!r}", value=method))
    if motion.result is not None:
        raise Conflict(t("motion {id} is decided already", id=motion.id))
    if not votes:
        raise InvalidInput(t("enter at least one vote"))
    _require_quorum(session, m)
    _check_voters(session, m, motion, votes)
    counts = Counter(v.choice for v in votes)
    now = utcnow()
    batch = BallotBatch(
        motion_id=motion.id,
        method=method,
        entered_by=principal.audit_name,
        entered_at=now,
        confirmed_by=principal.audit_name if method == "recorded" else None,
        confirmed_at=now if method == "recorded" else None,
        yes=counts["yes"],
        no=counts["no"],
        abstain=counts["abstain"],
    )
    session.add(batch)
    session.flush()
    rows = [{"motion_id": motion.id, "batch_id": batch.id, "person_id": v.person_id, "choice": v.choice} for v in votes]
    session.execute(insert(Vote), rows)
    record(
        session,
        principal,
        "selfgov.ballots_enter",
        "ballot_batch",
        batch.id,
        m.area_code,
        after={"motion_id": motion.id, "method": method, "yes": batch.yes, "no": batch.no, "abstain": batch.abstain},
    )
    return batch


def _batch(session: Session, principal: Principal, batch_id: int) -> tuple[BallotBatch, Motion, Meeting]:
    batch = repo.batch_for_update(session, batch_id)
    if batch is None:
        raise NotFound(t("ballot batch {id} does not exist", id=batch_id))
    motion, m = _motion_and_meeting(session, principal, batch.motion_id)
    return batch, motion, m


def confirm(session: Session, principal: Principal, batch_id: int) -> BallotBatch:
    """A second account confirms paper ballots another entered; the clerk who entered them cannot."""
    batch, motion, m = _batch(session, principal, batch_id)
    if batch.confirmed_at is not None:
        raise Conflict(t("ballot batch {id} is confirmed already", id=batch.id))
    if batch.entered_by == principal.audit_name:
        raise Conflict(t("the ballots you entered must be confirmed by a second person, with another account"))
    batch.confirmed_by, batch.confirmed_at = principal.audit_name, utcnow()
    session.flush()
    record(
        session,
        principal,
        "selfgov.ballots_confirm",
        "ballot_batch",
        batch.id,
        m.area_code,
        after={"motion_id": motion.id, "entered_by": batch.entered_by},
    )
    return batch


def recount(
    session: Session, principal: Principal, batch_id: int, yes: int, no: int, abstain: int, note: str = ""
) -> Recount:
    """The paper of a batch counted again: logged with whether it matches what was entered."""
    batch, motion, m = _batch(session, principal, batch_id)
    matches = (yes, no, abstain) == (batch.yes, batch.no, batch.abstain)
    r = Recount(
        batch_id=batch.id,
        counted_by=principal.audit_name,
        yes=yes,
        no=no,
        abstain=abstain,
        matches=matches,
        note=note.strip(),
    )
    session.add(r)
    session.flush()
    record(
        session,
        principal,
        "selfgov.ballots_recount",
        "ballot_batch",
        batch.id,
        m.area_code,
        before={"yes": batch.yes, "no": batch.no, "abstain": batch.abstain},
        after={"yes": yes, "no": no, "abstain": abstain, "matches": matches},
    )
    return r


def decide(session: Session, principal: Principal, motion_id: int) -> Motion:
    """Decide a motion from its confirmed votes: passed when the yes votes meet the majority of those present."""
    motion, m = _motion_and_meeting(session, principal, motion_id)
    if motion.result is not None:
        raise Conflict(t("motion {id} is decided already", id=motion.id))
    q = _require_quorum(session, m)
    found = repo.tally(session, motion.id)
    if found.unconfirmed:
        raise Conflict(t("{n} paper ballots wait for a second person's confirmation", n=found.unconfirmed))
    rule_set, rule = meetings.majority(session, m)
    motion.yes, motion.no, motion.abstain, motion.present = found.yes, found.no, found.abstain, q.present
    motion.result = "passed" if rule.met(found.yes, q.present) else "rejected"
    motion.decided_by, motion.decided_at = principal.audit_name, utcnow()
    session.flush()
    record(
        session,
        principal,
        "selfgov.motion_decide",
        "motion",
        motion.id,
        m.area_code,
        after={
            "result": motion.result,
            "yes": found.yes,
            "no": found.no,
            "abstain": found.abstain,
            "present": q.present,
            "rules": rule_set.name,
        },
    )
    return motion
