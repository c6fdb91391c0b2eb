"""A place's self-government page: a village's matters, meetings and bodies (with the forms of the committee's
work), or a township's (county's…) matters across its villages with filters, its failed quorums and
suspended matters; the rules table."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas import repository as area_repo
from linli.areas.pages import crumbs
from linli.authz.deps import DbSession, SignedIn
from linli.authz.permissions import Permission
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.types import Id
from linli.residents import repository as residents_repo
from linli.selfgov import repository as repo
from linli.selfgov import rules
from linli.selfgov.schemas import MatterIn, MeetingIn, MemberIn
from linli.selfgov.service import bodies, convening, matters, meetings
from linli.selfgov.views.common import Reader, Writer, day, helpers, required_day
from linli.web.display import prefetch
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50


def _filters(status: str, step: str, failed: str) -> repo.MatterFilter:
    return repo.MatterFilter(
        status=status if status in ("active", "suspended", "done") else None,
        step=int(step) if step.isdigit() and int(step) <= 6 else None,
        failed_quorum=failed == "1",
    )


def _village_context(session, principal, area) -> dict:
    today = date.today()
    seats = repo.members_of(session, area.code)
    names = residents_repo.names_of(session, [s.person_id for s in seats])
    return {
        "seats": seats,
        "names": names,
        "flags": bodies.representatives_check(session, area.code, area.kind, today),
        "meetings_list": repo.meetings_in(session, principal, area.code),
        "kinds": meetings.COMMUNITY_KINDS if area.kind == "community" else meetings.VILLAGE_KINDS,
        "groups": area_repo.child_names(session, area.code),
        "can_write": principal.can(Permission.selfgov_write, area.code),
        "requests": repo.requests_of(session, area.code),
        "request_words": convening.words,
        "bases": [
            (b, gettext(label))
            for b, label in convening.BASIS_LABELS.items()
            if convening.BASES[b][0] == ("community" if area.kind == "community" else "village")
        ],
    }


def _picker(session, principal, area, who: str) -> tuple[dict, list[str]]:
    """The seat form's person picker: the register's persons whose name contains `who` (masked)."""
    if not who.strip():
        return {"who": who}, []
    with attempt(session) as tried:
        picked = bodies.candidates(session, principal, area.code, who)
    if tried.refused:
        return {"who": who}, tried.errors
    return {"who": who, "picked": picked.persons, "picked_total": picked.total}, []


def _page(request, session, principal, area, *, errors=(), form=None, status=200, f=None, args=None):
    f = f or repo.MatterFilter()
    items, total = repo.list_matters(
        session, principal, repo.MatterFilter(area.code, f.status, f.step, f.failed_quorum), limit=PAGE
    )
    prefetch(request, [codes.unpad(m.area_code) for m in items])
    village = area.level == "village"
    ctx = {
        "area": area,
        "village": village,
        "items": items,
        "total": total,
        "args": args or {},
        "failed": repo.failed_meetings(session, principal, area.code) if not village else [],
        "supervising": principal.can(Permission.selfgov_supervise, area.code),
        "errors": list(errors),
        "form": form or {},
        "picker": {},
        "today": date.today().isoformat(),
        "breadcrumb": crumbs(session, principal, area, "selfgov"),
        **helpers(),
    }
    if village:
        ctx.update(_village_context(session, principal, area))
        if ctx["can_write"]:
            picker, refused = _picker(session, principal, area, ctx["form"].get("who", ""))
            ctx["picker"], ctx["errors"] = picker, ctx["errors"] + refused
            prefetch(request, [p.area_code for p in picker.get("picked", [])])
            status = 422 if refused and status == 200 else status
    prefetch(request, [codes.unpad(m.area_code) for m in ctx["failed"]])
    return render(request, "selfgov/place.html", ctx, status_code=status)


@router.get("/areas/{code}/selfgov", response_class=HTMLResponse)
def place_page(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    status: str = "",
    step: str = "",
    failed: str = "",
    who: str = "",
):
    """`who`: part of a name, for the seat form's person picker (the register's persons, masked)."""
    area = repo.place_or_above(session, principal, code)
    if area.level == "grid":  # a resident's grant is their grid: their village's page
        return RedirectResponse(f"/areas/{codes.unpad(codes.pad(code))[:12]}/selfgov", status_code=303)
    args = {"status": status, "step": step, "failed": failed}
    form = {"who": who[:200]} if who else None
    return _page(request, session, principal, area, f=_filters(status, step, failed), args=args, form=form)


def place_page_after(request, session, principal, code: str, *, errors, form) -> HTMLResponse:
    """A village's page again after a refused form of another module (422, what was typed kept)."""
    area = repo.place(session, principal, code)
    return _page(request, session, principal, area, errors=errors, form=form, status=422)


@router.post("/areas/{code}/selfgov/matters", response_class=HTMLResponse)
def propose(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    title: str = Form(""),
    description: str = Form(""),
    proposed_on: str = Form(""),
):
    area = repo.place(session, principal, code)
    form = {"title": title, "description": description, "proposed_on": proposed_on}
    with attempt(session) as tried:
        m = matters.propose(
            session,
            principal,
            MatterIn(
                area_code=area.code,
                title=title,
                description=description,
                proposed_on=required_day(proposed_on, "proposed on"),
            ),
        )
    if tried.refused:
        return _page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/selfgov/matters/{m.id}", status_code=303)


def meeting_form(kind, base, title, place, notice_on, held_on, materials_on, official, group) -> dict:
    return {
        "kind": kind,
        "base": base,
        "title": title,
        "place": place,
        "notice_on": notice_on,
        "held_on": held_on,
        "materials_on": materials_on,
        "official": official,
        "group": group,
    }


def meeting_in(code: str, form: dict, matter_id: int | None = None) -> MeetingIn:
    return MeetingIn(
        area_code=form["group"] or code,
        kind=form["kind"],
        base=form["base"] or None,
        title=form["title"],
        place=form["place"],
        notice_on=required_day(form["notice_on"], "notice"),
        held_on=required_day(form["held_on"], "held on"),
        materials_on=day(form["materials_on"], "materials"),
        official=form["official"],
        matter_id=matter_id,
    )


@router.post("/areas/{code}/selfgov/meetings", response_class=HTMLResponse)
def call_meeting(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    kind: str = Form(""),
    base: str = Form(""),
    title: str = Form(""),
    place: str = Form(""),
    notice_on: str = Form(""),
    held_on: str = Form(""),
    materials_on: str = Form(""),
    official: str = Form(""),
    group: str = Form(""),
):
    area = repo.place(session, principal, code)
    form = meeting_form(kind, base, title, place, notice_on, held_on, materials_on, official, group)
    with attempt(session) as tried:
        m = meetings.call(session, principal, meeting_in(area.code, form))
    if tried.refused:
        return _page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/selfgov/meetings/{m.id}", status_code=303)


@router.post("/areas/{code}/selfgov/members", response_class=HTMLResponse)
def seat_member(
    code: str,
    request: Request,
    principal: Writer,
    session: DbSession,
    body: str = Form(""),
    person_id: str = Form(""),
    person_number: str = Form(""),
    who: str = Form(""),
    post: str = Form(""),
    term_from: str = Form(""),
    households: str = Form(""),
):
    """The person is picked from the name search's list (`person_id`) or given by their number in the
    register (`person_number`); `who` keeps the search so a refused form shows the same list."""
    area = repo.place(session, principal, code)
    form = {"body": body, "person_id": person_id, "person_number": person_number, "who": who[:200], "post": post,
            "term_from": term_from, "households": households}  # fmt: skip
    chosen = (person_id or person_number).strip()
    with attempt(session) as tried:
        bodies.seat(
            session,
            principal,
            MemberIn(
                area_code=area.code,
                body=body,
                person_id=_person(chosen),
                post=post,
                term_from=required_day(term_from, "term from"),
                households=int(households) if households.isdigit() else None,
            ),
        )
    if tried.refused:
        return _page(request, session, principal, area, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/areas/{area.code}/selfgov#bodies", status_code=303)


def _person(chosen: str) -> int:
    if not chosen:
        raise InvalidInput(t("choose the person from the search, or give their number in the register"))
    if not chosen.isdigit() or len(chosen) > 10:
        raise InvalidInput(t("{value!r} is not a number in the register", value=chosen[:20]))
    return int(chosen)


@router.post("/selfgov/members/{member_id}/end", response_class=HTMLResponse)
def end_term(member_id: Id, request: Request, principal: Writer, session: DbSession, on: str = Form("")):
    member = repo.member_readable(session, principal, member_id)
    area = repo.area_of(session, member.area_code)
    with attempt(session) as tried:
        bodies.end_term(session, principal, member_id, required_day(on, "term to"))
    if tried.refused:
        return _page(request, session, principal, area, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{area.code}/selfgov#bodies", status_code=303)


@router.get("/selfgov/rules", response_class=HTMLResponse)
def rules_page(request: Request, principal: SignedIn):
    rows = [(law, rs, key, rule, rs.name in rules.UNVERIFIED) for law, rs, key, rule in rules.all_rows()]
    return render(request, "selfgov/rules.html", {"rows": rows, "cite": rules.cite})
