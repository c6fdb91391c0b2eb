"""The consultation pages: public list of a village's consultations, a topic (public once published),
raising a topic, an online opinion, the staff's list and the steps of a topic."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require, SignedIn, public
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.consultation import kinds, repository, service
from linli.consultation.models import PARTICIPANT_KINDS
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import gettext, t
from linli.kit.types import Id
from linli.web.display import prefetch
from linli.web.forms import attempt, date_field
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Require(Permission.consultation_read))]
Writer = Annotated[Principal, Depends(Require(Permission.consultation_write))]


def _helpers() -> dict:
    return {
        "status_label": lambda s: kinds.label(kinds.STATUS_LABELS, s),
        "form_label": lambda f: kinds.label(kinds.FORM_LABELS, f),
        "party_label": lambda k: kinds.label(kinds.PARTICIPANT_LABELS, k),
        "party_kinds": [(k, gettext(v)) for k, v in kinds.PARTICIPANT_LABELS.items()],
        "code_of": codes.unpad,
        "advance_days": service.ADVANCE_DAYS,
    }


def _day(value: str, label: str) -> date:
    return date_field(value, label, required=True)


@router.get("/public/consultations/{code}", response_class=HTMLResponse, dependencies=[Depends(public)])
def public_list(code: str, request: Request, session: DbSession):
    area = repository.village(session, code)
    topics = repository.of_village(session, code)
    parties = {x.id: repository.participants_of(session, x.id) for x in topics}
    ctx = {"area": area, "topics": topics, "parties": parties, **_helpers()}
    return render(request, "consultation/public.html", ctx)


def _raise_page(request, session, area, *, errors=(), form=None, status=200):
    ctx = {"area": area, "errors": list(errors), "form": form or {}}
    return render(request, "consultation/raise.html", ctx, status_code=status)


@router.get("/areas/{code}/consultations/raise", response_class=HTMLResponse)
def raise_form(code: str, request: Request, principal: SignedIn, session: DbSession):
    return _raise_page(request, session, repository.village(session, code))


@router.post("/areas/{code}/consultations/raise", response_class=HTMLResponse)
def raise_post(
    code: str, request: Request, principal: SignedIn, session: DbSession,
    title: str = Form(""), description: str = Form(""), event_ref: str = Form(""), matter_ref: str = Form(""),
):  # fmt: skip
    area = repository.village(session, code)
    form = {"title": title, "description": description, "event_ref": event_ref, "matter_ref": matter_ref}
    with attempt(session) as tried:
        topic = service.raise_topic(
            session, principal, code, title, description, event_ref=event_ref, matter_ref=matter_ref
        )
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _raise_page(request, session, area, errors=tried.errors, form=form, status=status)
    if principal.can(Permission.consultation_read, area.code):
        return RedirectResponse(f"/consultations/{topic.id}?done=raised", status_code=303)
    return RedirectResponse(f"/public/consultations/{code}?done=raised", status_code=303)


def _opinion_page(request, session, topic, *, errors=(), form=None, status=200):
    area = repository.village(session, topic.area_code[:12])
    ctx = {"area": area, "x": topic, "errors": list(errors), "form": form or {}, **_helpers()}
    return render(request, "consultation/opinion.html", ctx, status_code=status)


@router.get("/consultations/{topic_id}/opinion", response_class=HTMLResponse)
def opinion_form(topic_id: Id, request: Request, principal: SignedIn, session: DbSession):
    return _opinion_page(request, session, repository.public_topic(session, topic_id))


@router.post("/consultations/{topic_id}/opinion", response_class=HTMLResponse)
def opinion_post(topic_id: Id, request: Request, principal: SignedIn, session: DbSession, text: str = Form("")):
    topic = repository.public_topic(session, topic_id)
    with attempt(session) as tried:
        service.give_opinion(session, principal, topic_id, text)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _opinion_page(request, session, topic, errors=tried.errors, form={"text": text}, status=status)
    return RedirectResponse(f"/public/consultations/{topic.area_code[:12]}?done=opinion", status_code=303)


@router.get("/areas/{code}/consultations", response_class=HTMLResponse)
def staff_list(code: str, request: Request, principal: Reader, session: DbSession, status: str = ""):
    area = area_in_reach(session, principal, code, Permission.consultation_read)
    topics = repository.in_area(session, principal, code, status=status if status in kinds.STATUS_LABELS else "")
    prefetch(request, [codes.unpad(x.area_code) for x in topics])
    ctx = {
        "area": area,
        "topics": topics,
        "status": status,
        "statuses": [(k, gettext(v)) for k, v in kinds.STATUS_LABELS.items()],
        "can_write": area.level == "village" and principal.can(Permission.consultation_write, code),
        "breadcrumb": crumbs(session, principal, area, "consultations"),
    }
    return render(request, "consultation/list.html", {**ctx, **_helpers()})


def _topic_page(request, session, principal, topic, *, errors=(), form=None, status=200):
    area = area_in_reach(session, principal, codes.unpad(topic.area_code), Permission.consultation_read)
    parties = repository.participants_of(session, topic.id)
    people, orgs = service.participant_links(session, parties)
    ctx = {
        "area": area,
        "x": topic,
        "parties": parties,
        "party_people": people,
        "party_orgs": orgs,
        "opinions": repository.opinions_of(session, topic.id),
        "can_write": principal.can(Permission.consultation_write, topic.area_code),
        "matter": service.linked_matter(session, topic),
        "matters": service.matters_to_link(session, principal, topic) if topic.status in ("held", "reported") else [],
        "today": repository.today(),
        "errors": list(errors),
        "form": form or {},
        "breadcrumb": crumbs(session, principal, area, "consultations"),
    }
    return render(request, "consultation/topic.html", {**ctx, **_helpers()}, status_code=status)


@router.get("/consultations/{topic_id}", response_class=HTMLResponse)
def topic_page(topic_id: Id, request: Request, principal: Reader, session: DbSession):
    return _topic_page(request, session, principal, repository.topic_for_staff(session, principal, topic_id))


def _step(request, session, principal, topic_id, done, form, call):
    topic = repository.topic_for_staff(session, principal, topic_id)
    with attempt(session) as tried:
        call()
    if tried.refused:
        session.refresh(topic)
        status = getattr(tried.error, "status", 422)
        return _topic_page(request, session, principal, topic, errors=tried.errors, form=form, status=status)
    return RedirectResponse(f"/consultations/{topic_id}?done={done}", status_code=303)


@router.post("/consultations/{topic_id}/schedule", response_class=HTMLResponse)
async def schedule_post(topic_id: Id, request: Request, principal: Writer, session: DbSession):
    data = await request.form()
    form = {k: str(v) for k, v in data.items() if k != "csrf_token"}
    pairs = list(zip(data.getlist("party_kind"), data.getlist("party_name"), strict=False))
    people, orgs = data.getlist("party_person"), data.getlist("party_org")  # optional links, one a participant
    parties = [(k, n, people[i] if i < len(people) else "", orgs[i] if i < len(orgs) else "")
               for i, (k, n) in enumerate(pairs)]  # fmt: skip
    form["parties"] = parties

    def call():
        held_on = _day(form.get("held_on", ""), gettext("Date"))
        kinds_ok = [(k if k in PARTICIPANT_KINDS else "", str(n), _number(p), _number(o)) for k, n, p, o in parties]
        return service.schedule(
            session, principal, topic_id, form=form.get("form", ""), held_on=held_on, place=form.get("place", ""),
            content=form.get("content", ""), participants=kinds_ok,
        )  # fmt: skip

    return _step(request, session, principal, topic_id, "scheduled", form, call)


def _number(value) -> int | None:
    """A register or registry number typed beside a participant (empty: no link)."""
    value = str(value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise InvalidInput(t("{value!r} is not a number in the register or the registry", value=value[:20]))
    return int(value)


@router.post("/consultations/{topic_id}/decline", response_class=HTMLResponse)
def decline_post(topic_id: Id, request: Request, principal: Writer, session: DbSession, reason: str = Form("")):
    return _step(request, session, principal, topic_id, "declined", {"reason": reason},
                 lambda: service.decline(session, principal, topic_id, reason))  # fmt: skip


@router.post("/consultations/{topic_id}/outcome", response_class=HTMLResponse)
def outcome_post(
    topic_id: Id, request: Request, principal: Writer, session: DbSession,
    held_on: str = Form(""), present: str = Form(""), opinion: str = Form(""),
):  # fmt: skip
    form = {"held_on": held_on, "present": present, "opinion": opinion}

    def call():
        try:
            count = int(present.strip())
        except ValueError:
            raise InvalidInput(t("give how many took part")) from None
        day = _day(held_on, gettext("Date"))
        return service.record_outcome(session, principal, topic_id, held_on=day, present=count, opinion=opinion)

    return _step(request, session, principal, topic_id, "held", form, call)


@router.post("/consultations/{topic_id}/report", response_class=HTMLResponse)
def report_post(topic_id: Id, request: Request, principal: Writer, session: DbSession, feedback: str = Form("")):
    return _step(request, session, principal, topic_id, "reported", {"feedback": feedback},
                 lambda: service.report_back(session, principal, topic_id, feedback))  # fmt: skip


@router.post("/consultations/{topic_id}/matter", response_class=HTMLResponse)
def matter_post(topic_id: Id, request: Request, principal: Writer, session: DbSession, matter_id: str = Form("")):
    def call():
        if not matter_id.strip():
            return service.link_matter(session, principal, topic_id, None)
        try:
            number = int(matter_id.strip())
        except ValueError:
            raise InvalidInput(t("give the number of the matter")) from None
        return service.link_matter(session, principal, topic_id, number)

    return _step(request, session, principal, topic_id, "linked", {"matter_id": matter_id}, call)
