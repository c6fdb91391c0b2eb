"""A person's tags (care and management labels): the current and ended ones, add one, end one."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.residents import service
from linli.residents.kinds import Tag
from linli.residents.schemas import TagIn
from linli.residents.views.common import TAGS, Reader, Writer, area_crumbs, grid_of, helpers, label, refusal
from linli.residents.views.households import date_or_none
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


def _tags_page(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: Id,
    *,
    add_form: dict | None = None,
    end_form: dict | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
):
    # Readable by anyone who may read the person; the forms only for those who may write here.
    p = service.load_person(session, principal, person_id)
    out = service.persons_out(session, [p])[0]
    grid = grid_of(session, principal, codes.unpad(p.area_code))
    trail = [
        *area_crumbs(session, principal, grid),
        {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
    ]
    if p.household_id:
        trail.append({"name": t("Household {id}", id=p.household_id), "href": f"/households/{p.household_id}"})
    today = date.today()
    # A tag ended today (its last day) is listed as ended: that is what the worker just did.
    current = sorted((tg for tg in out.tags if tg.end_on is None or tg.end_on > today), key=lambda tg: tg.start_on)
    ended = sorted((tg for tg in out.tags if tg.end_on is not None and tg.end_on <= today), key=lambda tg: tg.end_on)
    added, ended_now, done = request.query_params.get("added"), request.query_params.get("ended"), None
    if added in TAGS:
        done = t("Tag added: {tag}", tag=label(TAGS, added))
    elif ended_now in TAGS:
        done = t("Tag ended: {tag}", tag=label(TAGS, ended_now))
    return render(
        request,
        "residents/person_tags.html",
        {
            "p": out,
            "current": current,
            "ended": list(reversed(ended)),
            "can_write": p.status == "present" and principal.can(Permission.residents_write, p.area_code),
            "tag_choices": [(tg.value, label(TAGS, tg.value)) for tg in Tag],
            "add_form": add_form or {"tag": "", "start_on": today.isoformat(), "end_on": "", "note": ""},
            "end_form": end_form or {},
            "errors": errors or [],
            "done": done,
            "today": today.isoformat(),
            "breadcrumb": [*trail, {"name": t("Tags of {name}", name=out.name), "href": ""}],
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/persons/{person_id}/tags", response_class=HTMLResponse)
def person_tags(
    person_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
):
    return _tags_page(request, session, principal, person_id)


@router.post("/persons/{person_id}/tags", response_class=HTMLResponse)
def add_tag(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    tag: str = Form(""),
    start_on: str = Form(""),
    end_on: str = Form(""),
    note: str = Form(""),
):
    form = {"tag": tag, "start_on": start_on, "end_on": end_on, "note": note}
    with attempt(session) as tried:
        name = service.load_person(session, principal, person_id, Permission.residents_write).name
        body = _tag_in(form)
        service.add_tag(session, principal, person_id, body)
    if tried.refused:
        errors, status = refusal(tried)
        exc = tried.error
        if getattr(exc, "code", None) == "tag_current":  # the service names the tag by its code; the page by its label
            errors = [
                t(
                    "{name} already has the tag {tag} since {date}; it can be added again after it has ended",
                    name=name,
                    tag=label(TAGS, exc.details["tag"]),
                    date=exc.details["start_on"],
                )
            ]
        return _tags_page(request, session, principal, person_id, add_form=form, errors=errors, status_code=status)
    return RedirectResponse(f"/persons/{person_id}/tags?added={body.tag.value}", status_code=303)


def _tag_in(form: dict) -> TagIn:
    """The tag to add, as the form gives it."""
    try:
        chosen = Tag(form["tag"])
    except ValueError:
        raise InvalidInput(t("Choose a tag from the list.")) from None
    start = date_or_none(form["start_on"], t("Start date"))
    end = date_or_none(form["end_on"], t("Until"))
    if end is not None and end < (start or date.today()):
        raise InvalidInput(t("The tag cannot end before it starts: give an end date on or after the start date."))
    return TagIn(tag=chosen, start_on=start, end_on=end, note=form["note"].strip()[:200])


@router.post("/persons/{person_id}/tags/{tag_id}/end", response_class=HTMLResponse)
def end_tag(
    person_id: Id,
    tag_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    on: str = Form(""),
):
    form = {"tag_id": tag_id, "on": on}
    with attempt(session) as tried:
        service.load_person(session, principal, person_id, Permission.residents_write)
        tag = service.end_tag(session, principal, person_id, tag_id, date_or_none(on, t("Last day")))
        ended = tag.tag
    if tried.refused:
        errors, status = refusal(tried)
        return _tags_page(request, session, principal, person_id, end_form=form, errors=errors, status_code=status)
    return RedirectResponse(f"/persons/{person_id}/tags?ended={ended}", status_code=303)
