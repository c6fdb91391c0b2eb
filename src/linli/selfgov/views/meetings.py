"""A meeting's page: the quorum in words with its article, the sign-in list (a page of the frozen base at a
time), motions with their tally, ballots entered on a phone (one line per ballot: number and choice),
confirmed by a second person, recounts; closing, rescheduling and the minutes PDF."""

from __future__ import annotations

import re

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from linli.areas.pages import crumbs
from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.pdf import PDF_MEDIA_TYPE
from linli.kit.types import Id, PageNumber
from linli.residents import repository as residents_repo
from linli.selfgov import repository as repo
from linli.selfgov.minutes import minutes_pdf
from linli.selfgov.schemas import VoteIn
from linli.selfgov.service import bodies, meetings, votes
from linli.selfgov.views.common import Reader, Writer, helpers, required_day
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 100
CHOICE_WORDS = {
    "yes": "yes",
    "y": "yes",
    "赞成": "yes",
    "同意": "yes",
    "1": "yes",
    "no": "no",
    "n": "no",
    "反对": "no",
    "不同意": "no",
    "0": "no",
    "abstain": "abstain",
    "a": "abstain",
    "弃权": "abstain",
}


def parse_ballots(text: str) -> list[VoteIn]:
    """One ballot a line: the voter's number and the choice (赞成/反对/弃权, yes/no/abstain, y/n/a)."""
    out, bad = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        parts = [p for p in re.split(r"[\s,，;；]+", line.strip()) if p]
        if not parts:
            continue
        choice = CHOICE_WORDS.get(parts[-1].lower()) if len(parts) == 2 else None
        if choice is None or not parts[0].isdigit() or not 0 < int(parts[0]) < 2**31:
            bad.append(n)
            continue
        out.append(VoteIn(person_id=int(parts[0]), choice=choice))
    if bad:
        raise InvalidInput(
            t(
                "lines {lines} are not a voter's number and a choice (赞成, 反对 or 弃权)",
                lines=", ".join(map(str, bad[:20])),
            )
        )
    return out


def _page(request, session, principal, meeting_id, *, page=1, errors=(), form=None, status=200):
    m = repo.meeting_readable(session, principal, meeting_id)
    area = repo.area_of(session, m.area_code[:12])
    q = meetings.quorum(session, m)
    page = max(1, page)
    listed = repo.voters(session, m.id, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    motions = repo.motions_of(session, m.id)
    batches = repo.batches_of(session, [x.id for x in motions])
    ctx = {
        "m": m,
        "area": area,
        "q": q,
        "majority": meetings.majority(session, m),
        "cite": meetings.rules.cite,
        "share_words": meetings.share_words,
        "voters": listed,
        "names": residents_repo.names_of(session, [v.person_id for v in listed]),
        "page": page,
        "pages": max(1, -(-q.base // PER_PAGE)),
        "motions": motions,
        "tallies": {x.id: repo.tally(session, x.id) for x in motions},
        "batches": batches,
        "recounts": repo.recounts_of(session, [b.id for bs in batches.values() for b in bs]),
        "flags": bodies.representatives_check(session, area.code, area.kind, m.held_on)
        if m.kind == "representatives_meeting"
        else [],
        "can_write": principal.can(Permission.selfgov_write, m.area_code),
        # Who attended and how each voted: for the staff of the place; residents read the figures.
        "show_names": principal.can(Permission.selfgov_read, m.area_code),
        "me": principal.audit_name,
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "selfgov"),
        **helpers(),
    }
    return render(request, "selfgov/meeting.html", ctx, status_code=status)


def _back(meeting_id: Id, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/selfgov/meetings/{meeting_id}{anchor}", status_code=303)


@router.get("/selfgov/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(meeting_id: Id, request: Request, principal: Reader, session: DbSession, page: PageNumber = 1):
    return _page(request, session, principal, meeting_id, page=page)


@router.get("/selfgov/meetings/{meeting_id}/minutes.pdf")
def minutes(meeting_id: Id, principal: Reader, session: DbSession):
    m = repo.meeting_readable(session, principal, meeting_id)
    principal.check(Permission.selfgov_read, m.area_code, what=t("meeting {id}", id=m.id))  # names: staff only
    area = repo.area_of(session, m.area_code)
    pdf = minutes_pdf(session, m, area.name)
    return Response(
        pdf, media_type=PDF_MEDIA_TYPE, headers={"Content-Disposition": f'inline; filename="minutes-{m.id}.pdf"'}
    )


@router.post("/selfgov/meetings/{meeting_id}/sign-in", response_class=HTMLResponse)
async def sign_in(meeting_id: Id, request: Request, principal: Writer, session: DbSession):
    form = await request.form()
    listed = [int(x) for x in form.getlist("listed") if str(x).isdigit()]
    present = {int(x) for x in form.getlist("present") if str(x).isdigit()}
    page = int(form.get("page", "1")) if str(form.get("page", "1")).isdigit() else 1
    with attempt(session) as tried:
        if present:
            meetings.sign_in(session, principal, meeting_id, sorted(present), True)
        away = [p for p in listed if p not in present]
        if away:
            meetings.sign_in(session, principal, meeting_id, away, False)
    if tried.refused:
        return _page(request, session, principal, meeting_id, page=page, errors=tried.errors, status=422)
    return RedirectResponse(f"/selfgov/meetings/{meeting_id}?page={page}#sign-in", status_code=303)


@router.post("/selfgov/meetings/{meeting_id}/close", response_class=HTMLResponse)
def close(meeting_id: Id, request: Request, principal: Writer, session: DbSession):
    with attempt(session) as tried:
        meetings.close(session, principal, meeting_id)
    if tried.refused:
        return _page(request, session, principal, meeting_id, errors=tried.errors, status=422)
    return _back(meeting_id)


@router.post("/selfgov/meetings/{meeting_id}/reschedule", response_class=HTMLResponse)
def reschedule(
    meeting_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    notice_on: str = Form(""),
    held_on: str = Form(""),
):
    form = {"notice_on": notice_on, "held_on": held_on}
    with attempt(session) as tried:
        new = meetings.reschedule(
            session, principal, meeting_id, required_day(notice_on, "notice"), required_day(held_on, "held on")
        )
    if tried.refused:
        return _page(request, session, principal, meeting_id, errors=tried.errors, form=form, status=422)
    return _back(new.id)


@router.post("/selfgov/meetings/{meeting_id}/motions", response_class=HTMLResponse)
def add_motion(meeting_id: Id, request: Request, principal: Writer, session: DbSession, title: str = Form("")):
    with attempt(session) as tried:
        votes.add_motion(session, principal, meeting_id, title)
    if tried.refused:
        return _page(request, session, principal, meeting_id, errors=tried.errors, form={"motion": title}, status=422)
    return _back(meeting_id, "#motions")


@router.post("/selfgov/motions/{motion_id}/ballots", response_class=HTMLResponse)
def enter_ballots(
    motion_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    ballots: str = Form(""),
    method: str = Form("paper"),
):
    motion = repo.motion_for_update(session, motion_id)
    meeting_id = motion.meeting_id if motion else 0
    with attempt(session) as tried:
        votes.enter(session, principal, motion_id, parse_ballots(ballots), method)
    if tried.refused:
        return _page(
            request,
            session,
            principal,
            meeting_id,
            errors=tried.errors,
            form={"ballots": ballots, "motion_id": motion_id},
            status=422,
        )
    return _back(meeting_id, "#motions")


@router.post("/selfgov/motions/{motion_id}/decide", response_class=HTMLResponse)
def decide(motion_id: Id, request: Request, principal: Writer, session: DbSession):
    motion = repo.motion_for_update(session, motion_id)
    meeting_id = motion.meeting_id if motion else 0
    with attempt(session) as tried:
        votes.decide(session, principal, motion_id)
    if tried.refused:
        return _page(request, session, principal, meeting_id, errors=tried.errors, status=422)
    return _back(meeting_id, "#motions")


@router.post("/selfgov/batches/{batch_id}/confirm", response_class=HTMLResponse)
def confirm(batch_id: Id, request: Request, principal: Writer, session: DbSession):
    meeting_id = repo.meeting_of_batch(session, batch_id)
    with attempt(session) as tried:
        votes.confirm(session, principal, batch_id)
    if tried.refused:
        return _page(request, session, principal, meeting_id, errors=tried.errors, status=422)
    return _back(meeting_id, "#motions")


@router.post("/selfgov/batches/{batch_id}/recount", response_class=HTMLResponse)
def recount(
    batch_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    yes: str = Form(""),
    no: str = Form(""),
    abstain: str = Form(""),
    note: str = Form(""),
):
    meeting_id = repo.meeting_of_batch(session, batch_id)
    with attempt(session) as tried:
        figures = [int(x) if x.strip().isdigit() else None for x in (yes, no, abstain)]
        if None in figures:
            raise InvalidInput(t("give the yes, no and abstain counts of the recount as numbers"))
        votes.recount(session, principal, batch_id, *figures, note=note)
    if tried.refused:
        return _page(request, session, principal, meeting_id, errors=tried.errors, status=422)
    return _back(meeting_id, "#motions")
