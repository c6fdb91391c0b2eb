"""Matters through 四议两公开: ① proposed by the Party organisation → ② joint meeting of the two committees →
③ Party members' meeting → ④ villagers' (representatives' / residents') meeting decides → resolution
disclosed → result disclosed. A step starts only when the one before it is done; a meeting step is done
when its meeting was held and its motion passed (③④ with a township official present). The township
suspends a matter (correction order, upheld complaint, court decision) and resumes it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.selfgov import repository as repo
from linli.selfgov.models import STEPS, Matter, MatterStep, Meeting, Suspension
from linli.selfgov.schemas import MatterIn, MeetingIn, StepIn

STEP_LABELS = {
    "proposal": N_("① proposed by the Party organisation"),
    "joint_meeting": N_("② discussed by the joint meeting of the two committees"),
    "party_meeting": N_("③ reviewed by the Party members' meeting"),
    "decision": N_("④ decided by the villagers' (residents') meeting"),
    "resolution_disclosed": N_("resolution disclosed"),
    "result_disclosed": N_("implementation result disclosed"),
}
# The meeting kinds that make each meeting step.
STEP_MEETINGS = {
    1: ("joint_meeting",),
    2: ("party_meeting",),
    3: ("villagers_meeting", "representatives_meeting", "residents_meeting"),
}
OFFICIAL_STEPS = (2, 3)  # a township official attends ③ and ④
DISCLOSURE_STEPS = (4, 5)
SUSPENSION_LABELS = {
    "correction_order": N_("correction order of the township"),
    "complaint_upheld": N_("complaint upheld"),
    "court_decision": N_("court decision"),
}


def step_name(step: int) -> str:
    return gettext(STEP_LABELS[STEPS[step]])


def propose(session: Session, principal: Principal, data: MatterIn, *, generated: bool = False) -> Matter:
    """A matter the Party organisation proposed (step ①, done on `proposed_on`)."""
    village = repo.place(session, principal, data.area_code)
    if not data.title.strip():
        raise InvalidInput(t("give the matter a title"))
    m = Matter(
        area_code=codes.pad(village.code),
        title=data.title.strip(),
        description=data.description.strip(),
        step=1,
        status="active",
        created_by=principal.audit_name,
        generated=generated,
    )
    session.add(m)
    session.flush()
    session.add(
        MatterStep(
            matter_id=m.id,
            step=0,
            done_on=data.proposed_on,
            done_by=principal.audit_name,
            # No note: the step's own label says it in the reader's language (a note is stored as written).
        )
    )
    session.flush()
    record(
        session,
        principal,
        "selfgov.matter_propose",
        "matter",
        m.id,
        m.area_code,
        after={"step": m.step, "proposed_on": data.proposed_on.isoformat()},
    )
    return m


def for_writer(session: Session, principal: Principal, matter_id: int, permission=repo.WRITE) -> Matter:
    m = repo.matter_for_update(session, matter_id)
    if m is None or not principal.visible.contains(m.area_code):
        raise NotFound(t("matter {id} does not exist", id=matter_id))
    principal.check(permission, m.area_code, what=t("matter {id}", id=matter_id))
    return m


def can_start(m: Matter, step: int) -> None:
    if m.status == "suspended":
        raise Conflict(t("matter {id} is suspended: nothing goes on until the township resumes it", id=m.id))
    if m.status == "done":
        raise Conflict(t("matter {id} is done", id=m.id))
    if step > m.step:
        raise Conflict(
            t("step {step} cannot start before step {before} is done", step=step_name(step), before=step_name(m.step))
        )
    if step < m.step:
        raise Conflict(t("step {step} is done already", step=step_name(step)))


def call_step_meeting(session: Session, principal: Principal, matter_id: int, data: MeetingIn) -> Meeting:
    """Call the meeting of the matter's next step (②③④); the kind must be the step's."""
    from linli.selfgov.service import meetings

    m = for_writer(session, principal, matter_id)
    step = next((s for s, kinds in STEP_MEETINGS.items() if data.kind in kinds), None)
    if step is None:
        raise InvalidInput(t("a {kind} is not a step of 四议两公开", kind=gettext(meetings.KIND_LABELS[data.kind])))
    can_start(m, step)
    existing = repo.steps_of(session, m.id).get(step)
    if existing is not None and existing.meeting_id is not None:
        raise Conflict(t("step {step} has its meeting already", step=step_name(step)))
    if codes.unpad(codes.pad(data.area_code))[:12] != codes.unpad(m.area_code):
        raise InvalidInput(t("the meeting of a matter is held in the matter's village or community"))
    meeting = meetings.call(session, principal, data.model_copy(update={"matter_id": m.id}), generated=m.generated)
    if existing is None:
        session.add(MatterStep(matter_id=m.id, step=step, meeting_id=meeting.id))
    else:
        existing.meeting_id = meeting.id
    m.updated_at = meeting.created_at
    session.flush()
    return meeting


def _meeting_done(session: Session, step: int, row: MatterStep | None) -> Meeting:
    if row is None or row.meeting_id is None:
        raise Conflict(t("step {step} needs its meeting first", step=step_name(step)))
    meeting = session.get(Meeting, row.meeting_id)
    if meeting.status != "held":
        raise Conflict(t("the meeting of step {step} has not been held with its quorum", step=step_name(step)))
    if step in OFFICIAL_STEPS and not meeting.official:
        raise Conflict(t("step {step} needs the township official who was present recorded", step=step_name(step)))
    motions = repo.motions_of(session, meeting.id)
    if not motions or motions[0].result != "passed":
        raise Conflict(t("the meeting of step {step} has not passed the matter's motion", step=step_name(step)))
    return meeting


def _disclosure_done(session: Session, m: Matter, step: int, row: MatterStep | None, data: StepIn) -> MatterStep:
    """⑤⑥: done when the board's item the step names is published (the day and the board recorded from it).
    Only a place without a board records the disclosure by hand (day, place, free-text reference)."""
    from linli.selfgov.service import disclosures

    if disclosures.has_board(session, m):
        item = disclosures.linked_item(session, row)
        if item is None:
            raise Conflict(
                t("step {step} is taken on the disclosure board: disclose it there first", step=step_name(step))
            )
        if item.status != "published" or item.published_on is None:
            raise Conflict(t("disclosure item {id} is not published yet", id=item.id))
        if data.done_on < item.published_on:
            raise InvalidInput(
                t("the step cannot be done before its publication ({day})", day=item.published_on.isoformat())
            )
        row.disclosed_on, row.disclosure_place = item.published_on, f"/public/disclosure/{codes.unpad(m.area_code)}"
        return row
    if data.disclosed_on is None or not data.disclosure_place.strip():
        raise InvalidInput(t("give the day of the disclosure and where it was disclosed"))
    if row is None:
        row = MatterStep(matter_id=m.id, step=step)
        session.add(row)
    row.disclosed_on, row.disclosure_place = data.disclosed_on, data.disclosure_place.strip()
    row.disclosure_ref = (data.disclosure_ref or "").strip() or None
    return row


def complete(
    session: Session, principal: Principal, matter_id: int, step: int, data: StepIn, *,
    on_publication: bool = False, permission=repo.WRITE,
) -> Matter:  # fmt: skip
    """Mark the next step done: its meeting held and the motion passed, or the disclosure recorded
    (`on_publication`: recorded by itself when the board published the step's item — also when the township
    resumes a matter whose item was published meanwhile, by the resuming official)."""
    m = for_writer(session, principal, matter_id, permission)
    if not 1 <= step < len(STEPS):
        raise InvalidInput(t("unknown step {step}", step=step))
    can_start(m, step)
    row = repo.steps_of(session, m.id).get(step)
    if step in STEP_MEETINGS:
        meeting = _meeting_done(session, step, row)
        if data.done_on < meeting.held_on:
            raise InvalidInput(t("the step cannot be done before its meeting ({day})", day=meeting.held_on.isoformat()))
    else:
        row = _disclosure_done(session, m, step, row, data)
    row.done_on, row.done_by, row.note = data.done_on, principal.audit_name, data.note.strip()
    m.step = step + 1
    if m.step == len(STEPS):
        m.status = "done"
    session.flush()
    record(
        session,
        principal,
        "selfgov.step_complete",
        "matter",
        m.id,
        m.area_code,
        after={"step": STEPS[step], "done_on": data.done_on.isoformat(), "status": m.status}
        | ({"on_publication": True} if on_publication else {}),
    )
    return m


def suspend(session: Session, principal: Principal, matter_id: int, kind: str, reason: str) -> Matter:
    """The township stops a matter (its own correction order, an upheld complaint, a court decision)."""
    m = for_writer(session, principal, matter_id, repo.SUPERVISE)
    if kind not in SUSPENSION_LABELS:
        raise InvalidInput(t("unknown reason for a suspension {value!r}", value=kind))
    if not reason.strip():
        raise InvalidInput(t("say why the matter is suspended"))
    if m.status != "active":
        raise Conflict(t("only a matter under way can be suspended"))
    session.add(Suspension(matter_id=m.id, kind=kind, reason=reason.strip(), suspended_by=principal.audit_name))
    m.status = "suspended"
    session.flush()
    record(
        session,
        principal,
        "selfgov.matter_suspend",
        "matter",
        m.id,
        m.area_code,
        before={"status": "active"},
        after={"status": "suspended", "kind": kind},
    )
    return m


def resume(session: Session, principal: Principal, matter_id: int, note: str, on: date | None = None) -> Matter:
    from linli.kit.time import utcnow

    m = for_writer(session, principal, matter_id, repo.SUPERVISE)
    s = repo.open_suspension(session, m.id)
    if m.status != "suspended" or s is None:
        raise Conflict(t("matter {id} is not suspended", id=m.id))
    if not note.strip():
        raise InvalidInput(t("say what was corrected before the matter goes on"))
    s.resumed_by, s.resumed_at, s.resume_note = principal.audit_name, utcnow(), note.strip()
    m.status = "active"
    session.flush()
    record(
        session,
        principal,
        "selfgov.matter_resume",
        "matter",
        m.id,
        m.area_code,
        before={"status": "suspended"},
        after={"status": "active"},
    )
    from linli.selfgov.service import disclosures

    disclosures.catch_up(session, principal, m, repo.SUPERVISE)  # its item was published while it was suspended
    return m
