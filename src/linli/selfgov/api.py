"""JSON API of self-government (/api/v1/selfgov): bodies' seats, meetings (call, sign in, close, reschedule),
motions and votes (recorded, paper ballots, confirmation, recounts, decision), matters step by step."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, Require
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.types import Id
from linli.residents import repository as residents_repo
from linli.selfgov import repository as repo
from linli.selfgov.models import STEPS, BallotBatch, BodyMember, Matter, Meeting, Motion, Recount
from linli.selfgov.schemas import (
    BallotsIn,
    BatchOut,
    ConvenedIn,
    DisclosedOut,
    DiscloseIn,
    EndTermIn,
    MatterIn,
    MatterOut,
    MeetingIn,
    MeetingOut,
    MemberIn,
    MemberOut,
    MotionIn,
    MotionOut,
    QuorumOut,
    RecountIn,
    RecountOut,
    RequestIn,
    RequestOut,
    RescheduleIn,
    ResumeIn,
    SignInIn,
    Step,
    StepIn,
    StepOut,
    SupportersIn,
    SuspendIn,
)
from linli.selfgov.service import bodies, convening, disclosures, matters, meetings, votes

router = APIRouter(prefix="/api/v1/selfgov", tags=["selfgov"])
READ = Require(Permission.selfgov_read)
WRITE = Require(Permission.selfgov_write)
SUPERVISE = Require(Permission.selfgov_supervise)
Reader = Annotated[Principal, Depends(READ)]
Writer = Annotated[Principal, Depends(WRITE)]
Supervisor = Annotated[Principal, Depends(SUPERVISE)]


def member_out(session: Session, rows: list[BodyMember]) -> list[MemberOut]:
    names = residents_repo.names_of(session, [r.person_id for r in rows])
    return [
        MemberOut(
            id=r.id,
            area_code=codes.unpad(r.area_code),
            body=r.body,
            person_id=r.person_id,
            name=names.get(r.person_id, ""),
            post=r.post,
            term_from=r.term_from,
            term_to=r.term_to,
            households=r.households,
            group_code=r.group_code,
        )
        for r in rows
    ]


def meeting_out(session: Session, m: Meeting) -> MeetingOut:
    q = meetings.quorum(session, m)
    return MeetingOut(
        id=m.id,
        area_code=codes.unpad(m.area_code),
        kind=m.kind,
        base=m.base,
        title=m.title,
        place=m.place,
        notice_on=m.notice_on,
        held_on=m.held_on,
        materials_on=m.materials_on,
        status=m.status,
        official=m.official,
        content=m.content,
        matter_id=m.matter_id,
        rescheduled_from_id=m.rescheduled_from_id,
        rescheduled_to_id=m.rescheduled_to_id,
        generated=m.generated,
        quorum=QuorumOut(
            base=q.base,
            present=q.present,
            required=q.required,
            met=q.met,
            rule_set=q.rule_set.name,
            citation=q.citation,
            words=q.words,
        ),
    )


def motion_out(session: Session, motion: Motion, m: Meeting) -> MotionOut:
    found = repo.tally(session, motion.id)
    rule_set, rule = meetings.majority(session, m)
    decided = motion.result is not None
    return MotionOut(
        id=motion.id,
        meeting_id=motion.meeting_id,
        title=motion.title,
        result=motion.result,
        yes=motion.yes if decided else found.yes,
        no=motion.no if decided else found.no,
        abstain=motion.abstain if decided else found.abstain,
        present=motion.present,
        unconfirmed=found.unconfirmed,
        majority=f"{meetings.share_words(rule)} — {meetings.rules.cite(rule_set, rule)}",
    )


def batch_out(b: BallotBatch) -> BatchOut:
    return BatchOut(
        id=b.id,
        motion_id=b.motion_id,
        method=b.method,
        entered_by=b.entered_by,
        entered_at=b.entered_at,
        confirmed_by=b.confirmed_by,
        confirmed_at=b.confirmed_at,
        yes=b.yes,
        no=b.no,
        abstain=b.abstain,
    )


def matter_out(session: Session, m: Matter, *, steps: bool = True) -> MatterOut:
    rows = repo.steps_of(session, m.id) if steps else {}
    return MatterOut(
        id=m.id,
        area_code=codes.unpad(m.area_code),
        title=m.title,
        description=m.description,
        step=m.step,
        next_step=STEPS[m.step] if m.step < len(STEPS) else None,
        status=m.status,
        generated=m.generated,
        updated_at=m.updated_at,
        steps=[
            StepOut(
                step=s.step,
                name=STEPS[s.step],
                meeting_id=s.meeting_id,
                done_on=s.done_on,
                done_by=s.done_by,
                note=s.note,
                disclosed_on=s.disclosed_on,
                disclosure_place=s.disclosure_place,
                disclosure_ref=s.disclosure_ref,
            )
            for _, s in sorted(rows.items())
        ],
    )


# --- bodies ----------------------------------------------------------------------------------------


@router.get("/areas/{code}/members", response_model=list[MemberOut], summary="Seats of a village's bodies")
def list_members(code: str, principal: Reader, session: DbSession):
    village = repo.place(session, principal, code, Permission.selfgov_read)
    return member_out(session, repo.members_of(session, village.code))


@router.post("/members", response_model=MemberOut, status_code=201, summary="Seat a person on a body")
def seat_member(body: MemberIn, principal: Writer, session: DbSession):
    return member_out(session, [bodies.seat(session, principal, body)])[0]


@router.post("/members/{member_id}/end", response_model=MemberOut, summary="End a seat's term")
def end_term(member_id: Id, body: EndTermIn, principal: Writer, session: DbSession):
    return member_out(session, [bodies.end_term(session, principal, member_id, body.on)])[0]


# --- meetings --------------------------------------------------------------------------------------


@router.post("/meetings", response_model=MeetingOut, status_code=201, summary="Call a meeting (its voter base frozen)")
def call_meeting(body: MeetingIn, principal: Writer, session: DbSession):
    if body.matter_id is not None:
        return meeting_out(session, matters.call_step_meeting(session, principal, body.matter_id, body))
    return meeting_out(session, meetings.call(session, principal, body))


@router.get("/meetings/{meeting_id}", response_model=MeetingOut, summary="A meeting with its quorum")
def get_meeting(meeting_id: Id, principal: Reader, session: DbSession):
    return meeting_out(session, repo.meeting_readable(session, principal, meeting_id))


@router.post("/meetings/{meeting_id}/sign-in", response_model=MeetingOut, summary="Sign voters of the base in")
def sign_in(meeting_id: Id, body: SignInIn, principal: Writer, session: DbSession):
    meetings.sign_in(session, principal, meeting_id, list(body.person_ids), body.present)
    return meeting_out(session, repo.meeting_readable(session, principal, meeting_id))


@router.post("/meetings/{meeting_id}/close", response_model=MeetingOut, summary="Record the meeting as held")
def close_meeting(meeting_id: Id, principal: Writer, session: DbSession):
    return meeting_out(session, meetings.close(session, principal, meeting_id))


@router.post(
    "/meetings/{meeting_id}/reschedule",
    response_model=MeetingOut,
    status_code=201,
    summary="Reschedule a meeting whose quorum failed (the new meeting)",
)
def reschedule_meeting(meeting_id: Id, body: RescheduleIn, principal: Writer, session: DbSession):
    return meeting_out(session, meetings.reschedule(session, principal, meeting_id, body.notice_on, body.held_on))


@router.get("/meetings/{meeting_id}/motions", response_model=list[MotionOut], summary="A meeting's motions")
def list_motions(meeting_id: Id, principal: Reader, session: DbSession):
    m = repo.meeting_readable(session, principal, meeting_id)
    return [motion_out(session, x, m) for x in repo.motions_of(session, m.id)]


@router.post("/meetings/{meeting_id}/motions", response_model=MotionOut, status_code=201, summary="Put a motion")
def add_motion(meeting_id: Id, body: MotionIn, principal: Writer, session: DbSession):
    motion = votes.add_motion(session, principal, meeting_id, body.title)
    return motion_out(session, motion, repo.meeting_readable(session, principal, meeting_id))


@router.post(
    "/motions/{motion_id}/ballots",
    response_model=BatchOut,
    status_code=201,
    summary="Enter votes: recorded in the meeting, or paper ballots to be confirmed by a second person",
)
def enter_ballots(motion_id: Id, body: BallotsIn, principal: Writer, session: DbSession):
    return batch_out(votes.enter(session, principal, motion_id, body.votes, body.method))


@router.post(
    "/motions/{motion_id}/decide", response_model=MotionOut, summary="Decide a motion from its confirmed votes"
)
def decide_motion(motion_id: Id, principal: Writer, session: DbSession):
    motion = votes.decide(session, principal, motion_id)
    return motion_out(session, motion, repo.meeting_readable(session, principal, motion.meeting_id))


@router.post("/batches/{batch_id}/confirm", response_model=BatchOut, summary="Confirm paper ballots (a second person)")
def confirm_batch(batch_id: Id, principal: Writer, session: DbSession):
    return batch_out(votes.confirm(session, principal, batch_id))


@router.post("/batches/{batch_id}/recount", response_model=RecountOut, status_code=201, summary="Log a recount")
def recount_batch(batch_id: Id, body: RecountIn, principal: Writer, session: DbSession):
    r: Recount = votes.recount(session, principal, batch_id, body.yes, body.no, body.abstain, body.note)
    return RecountOut(
        id=r.id,
        batch_id=r.batch_id,
        counted_by=r.counted_by,
        counted_at=r.counted_at,
        yes=r.yes,
        no=r.no,
        abstain=r.abstain,
        matches=r.matches,
        note=r.note,
    )


# --- matters ---------------------------------------------------------------------------------------


@router.get("/matters", response_model=Page[MatterOut], summary="Matters one may read, with filters")
def list_matters(
    principal: Reader,
    session: DbSession,
    area: str | None = Query(None, max_length=15, description="area code: matters of it or beneath it"),
    status: str | None = Query(None, pattern="^(active|suspended|done)$"),
    step: Step | None = Query(None, description="index of the next step (6: done)"),
    failed_quorum: bool = Query(False, description="only matters with a meeting that failed its quorum"),
    pp: PageParams = Depends(page_params),
):
    if area:
        repo.place_or_above(session, principal, area)
    items, total = repo.list_matters(
        session, principal, repo.MatterFilter(area, status, step, failed_quorum), offset=pp.offset, limit=pp.size
    )
    return Page(items=[matter_out(session, m, steps=False) for m in items], total=total, page=pp.page, size=pp.size)


@router.post(
    "/matters", response_model=MatterOut, status_code=201, summary="A matter proposed by the Party organisation"
)
def propose_matter(body: MatterIn, principal: Writer, session: DbSession):
    return matter_out(session, matters.propose(session, principal, body))


@router.get("/matters/{matter_id}", response_model=MatterOut, summary="A matter with its steps")
def get_matter(matter_id: Id, principal: Reader, session: DbSession):
    return matter_out(session, repo.matter_readable(session, principal, matter_id))


@router.post("/matters/{matter_id}/steps/{step}", response_model=MatterOut, summary="Mark the matter's next step done")
def complete_step(matter_id: Id, step: Step, body: StepIn, principal: Writer, session: DbSession):
    return matter_out(session, matters.complete(session, principal, matter_id, step, body))


@router.post(
    "/matters/{matter_id}/steps/{step}/disclose",
    response_model=DisclosedOut,
    summary="Disclose step ⑤ or ⑥ on the matter's board (write the item, or pick one written there)",
)
def disclose_step(matter_id: Id, step: Step, body: DiscloseIn, principal: Writer, session: DbSession):
    done = disclosures.disclose(session, principal, matter_id, step, item_id=body.item_id, occurred_on=body.occurred_on)
    m = repo.matter_readable(session, principal, matter_id)
    return DisclosedOut(item_id=done.item.id, created=done.created, item_status=done.item.status,
                        matter=matter_out(session, m))  # fmt: skip


@router.post("/matters/{matter_id}/suspend", response_model=MatterOut, summary="Suspend a matter (township)")
def suspend_matter(matter_id: Id, body: SuspendIn, principal: Supervisor, session: DbSession):
    return matter_out(session, matters.suspend(session, principal, matter_id, body.kind, body.reason))


@router.post("/matters/{matter_id}/resume", response_model=MatterOut, summary="Resume a suspended matter (township)")
def resume_matter(matter_id: Id, body: ResumeIn, principal: Supervisor, session: DbSession):
    return matter_out(session, matters.resume(session, principal, matter_id, body.note))


# --- convening on request ---------------------------------------------------------------------------


def request_out(r) -> RequestOut:
    return RequestOut(
        id=r.id, area_code=codes.unpad(r.area_code), title=r.title, reason=r.reason, basis=r.basis,
        opened_on=r.opened_on, rule_set=r.rules_name, base=r.base_count, required=r.required,
        supporters=r.supporters, status=r.status, reached_on=r.reached_on, meeting_id=r.meeting_id,
        words=convening.words(r),
    )  # fmt: skip


@router.get("/areas/{code}/requests", response_model=list[RequestOut], summary="A village's requests to convene")
def list_requests(code: str, principal: Reader, session: DbSession):
    area = repo.place(session, principal, code, repo.READ)
    return [request_out(r) for r in repo.requests_of(session, area.code)]


@router.post("/requests", response_model=RequestOut, status_code=201, summary="Record a request to convene a meeting")
def open_request(body: RequestIn, principal: Writer, session: DbSession):
    r = convening.open_request(session, principal, body.area_code, body.basis, body.title, body.reason)
    return request_out(r)


@router.get("/requests/{request_id}", response_model=RequestOut, summary="A request to convene, with its support")
def get_request(request_id: Id, principal: Reader, session: DbSession):
    return request_out(repo.request_readable(session, principal, request_id))


@router.post("/requests/{request_id}/supporters", response_model=RequestOut, summary="Enter a request's supporters")
def add_supporters(request_id: Id, body: SupportersIn, principal: Writer, session: DbSession):
    return request_out(convening.support(session, principal, request_id, body.person_ids))


@router.post("/requests/{request_id}/convened", response_model=RequestOut, summary="The meeting called on a request")
def request_convened(request_id: Id, body: ConvenedIn, principal: Writer, session: DbSession):
    return request_out(convening.convened(session, principal, request_id, body.meeting_id))
