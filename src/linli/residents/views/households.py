"""The household page: members, add and edit a person, move out, reveal (a grid's list: household_list)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.types import Id
from linli.residents import accounts as account_links
from linli.residents import id_reviews, service
from linli.residents import repository as repo
from linli.residents.kinds import Relation, Tag
from linli.residents.models import Household, Person
from linli.residents.schemas import PersonIn, PersonPatch, TagIn
from linli.residents.service import households
from linli.residents.views.common import (
    RELATIONS,
    TAGS,
    Reader,
    Writer,
    area_crumbs,
    grid_of,
    helpers,
    label,
    refusal,
)
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)


# --- a household --------------------------------------------------------------------------------


def _household_page(
    request: Request,
    session: Session,
    principal: Principal,
    household_id: Id,
    *,
    revealed: dict | None = None,
    status_code: int = 200,
):
    h = service.load_household(session, principal, household_id)
    out = households.household_out(session, h, with_members=True)
    members = out.members or []
    names = {m.id: m.name for m in members}
    events = repo.household_timeline(session, h.id)
    names.update(repo.names_of(session, [e.person_id for e in events if e.person_id not in names]))
    grid = grid_of(session, principal, codes.unpad(h.area_code))
    return render(
        request,
        "residents/household.html",
        {
            "h": out,
            "grid": grid,
            "members": members,
            "events": events,
            "names": names,
            "revealed": revealed or {},
            "can_write": h.status == "active" and principal.can(Permission.residents_write, h.area_code),
            "can_reveal": principal.can(Permission.residents_reveal, h.area_code),
            "accounts": account_links.linked_usernames(session, principal, [m.id for m in members]),
            "breadcrumb": [
                *area_crumbs(session, principal, grid),
                {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
                {"name": out.address or t("Household {id}", id=out.id), "href": ""},
            ],
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/households/{household_id}", response_class=HTMLResponse)
def household_page(
    household_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
):
    return _household_page(request, session, principal, household_id)


@router.post("/persons/{person_id}/reveal", response_class=HTMLResponse)
def reveal_person(
    person_id: Id,
    request: Request,
    principal: Reader,
    session: DbSession,
):
    """The household page with one person's ID and phone numbers in clear, this once (audited)."""
    person = service.read_person(session, principal, person_id, reveal=True)
    if person.household_id is None:
        return render(request, "residents/revealed.html", {"person": person, **helpers()})
    return _household_page(request, session, principal, person.household_id, revealed={person.id: person})


# --- add and edit a person ----------------------------------------------------------------------


def _person_form_page(request, session, principal, h: Household, form: dict, errors=None, status_code=200):
    grid = grid_of(session, principal, codes.unpad(h.area_code))
    return render(
        request,
        "residents/person_new.html",
        {
            "h": h,
            "form": form,
            "errors": errors or [],
            "relations": [(r.value, label(RELATIONS, r.value)) for r in Relation],
            "tag_choices": [(tg.value, label(TAGS, tg.value)) for tg in Tag],
            "breadcrumb": [
                *area_crumbs(session, principal, grid),
                {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
                {"name": h.address or t("Household {id}", id=h.id), "href": f"/households/{h.id}"},
                {"name": t("Add a person"), "href": ""},
            ],
        },
        status_code=status_code,
    )


@router.get("/households/{household_id}/persons/new", response_class=HTMLResponse)
def new_person_form(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    h = service.load_household(session, principal, household_id, Permission.residents_write)
    form = {"relation": "other" if h.head_person_id else "head", "tags": []}
    return _person_form_page(request, session, principal, h, form)


def date_or_none(value: str, what: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(t("{what}: give a date as YYYY-MM-DD.", what=what)) from None


@router.post("/households/{household_id}/persons/new", response_class=HTMLResponse)
async def create_person(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    raw = await request.form()
    form = {k: str(raw.get(k, "")) for k in ("name", "id_number", "relation", "phone", "ethnicity", "birth_date")}
    form["moved_in_on"] = str(raw.get("moved_in_on", ""))
    form["party_member"] = bool(raw.get("party_member"))
    form["tags"] = [str(v) for v in raw.getlist("tags")]
    h = service.load_household(session, principal, household_id, Permission.residents_write)
    with attempt(session) as tried:
        p = await run_in_threadpool(service.register_person, session, principal, _person_in(h, form))
    if tried.refused:
        id_reviews.record_lost_lookups(session)  # "already registered" answered a lookup: it stays audited
        h = service.load_household(session, principal, household_id, Permission.residents_write)
        errors, status = refusal(tried)
        return _person_form_page(request, session, principal, h, form, errors, status_code=status)
    return RedirectResponse(f"/households/{h.id}?added={p.id}#person-{p.id}", status_code=303)


def _person_in(h: Household, form: dict) -> PersonIn:
    """The new member of `h` as typed on the form."""
    if not form["name"].strip():
        raise InvalidInput(t("Give the person's name."))
    if not form["id_number"].strip():
        raise InvalidInput(t("Give the person's ID number."))
    try:
        relation = Relation(form["relation"])
        tags = [TagIn(tag=Tag(v)) for v in form["tags"]]
    except ValueError:
        raise InvalidInput(t("Choose from the list.")) from None
    return PersonIn(
        household_id=h.id,
        relation=relation,
        name=form["name"].strip()[:100],
        id_number=form["id_number"].strip()[:40],
        birth_date=date_or_none(form["birth_date"], t("Birth date")),
        ethnicity=form["ethnicity"].strip()[:20],
        phone=form["phone"].strip()[:40] or None,
        moved_in_on=date_or_none(form["moved_in_on"], t("Moved in on")),
        party_member=form["party_member"],
        tags=tags,
    )


def _person_defaults(out) -> dict[str, Any]:
    return {
        "name": out.name,
        "ethnicity": out.ethnicity,
        "relation": out.relation or "",
        "party_member": out.party_member,
    }


def person_page_parts(session, principal, person_id: Id):
    """The person (writable here), its view, its grid and the breadcrumb down to its household."""
    p = service.load_person(session, principal, person_id, Permission.residents_write)
    out = service.persons_out(session, [p])[0]
    grid = grid_of(session, principal, codes.unpad(p.area_code))
    trail = [
        *area_crumbs(session, principal, grid),
        {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
    ]
    if p.household_id:
        trail.append({"name": t("Household {id}", id=p.household_id), "href": f"/households/{p.household_id}"})
    return out, grid, trail


def _edit_page(request, session, principal, person_id: Id, form: dict | None = None, errors=None, status_code=200):
    out, grid, trail = person_page_parts(session, principal, person_id)
    return render(
        request,
        "residents/person_edit.html",
        {
            "p": out,
            "form": form or _person_defaults(out),
            "errors": errors or [],
            "relations": [(r.value, label(RELATIONS, r.value)) for r in Relation if r != Relation.head],
            "grid": grid,
            "breadcrumb": [*trail, {"name": t("Edit {name}", name=out.name), "href": ""}],
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/persons/{person_id}/edit", response_class=HTMLResponse)
def edit_person_form(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    return _edit_page(request, session, principal, person_id)


@router.post("/persons/{person_id}/edit", response_class=HTMLResponse)
def edit_person(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    name: str = Form(""),
    id_number: str = Form(""),
    phone: str = Form(""),
    remove_phone: str = Form(""),
    ethnicity: str = Form(""),
    relation: str = Form(""),
    party_member: str = Form(""),
):
    form = {"name": name, "id_number": id_number, "phone": phone, "remove_phone": bool(remove_phone),
            "ethnicity": ethnicity, "relation": relation, "party_member": bool(party_member)}  # fmt: skip
    with attempt(session) as tried:
        p = service.load_person(session, principal, person_id, Permission.residents_write)
        service.update_person(session, principal, person_id, PersonPatch(**_person_changes(p, form)))
    if tried.refused:
        id_reviews.record_lost_lookups(session)
        errors, status = refusal(tried)
        return _edit_page(request, session, principal, person_id, form, errors, status_code=status)
    household_id = p.household_id
    target = f"/households/{household_id}?saved=1#person-{person_id}" if household_id else f"/persons/{person_id}/edit"
    return RedirectResponse(target, status_code=303)


def _person_changes(p: Person, form: dict) -> dict[str, Any]:
    """The edit form's values as a PersonPatch's fields (the ID number and phone only when given)."""
    if not form["name"].strip():
        raise InvalidInput(t("Give the person's name."))
    data: dict[str, Any] = {"name": form["name"].strip()[:100], "ethnicity": form["ethnicity"].strip()[:20]}
    data["party_member"] = form["party_member"]
    if form["id_number"].strip():
        data["id_number"] = form["id_number"].strip()[:40]
    if form["remove_phone"]:
        data["phone"] = ""
    elif form["phone"].strip():
        data["phone"] = form["phone"].strip()[:40]
    relation = form["relation"]
    if relation and p.household_id is not None and p.relation != Relation.head.value and relation != p.relation:
        try:
            data["relation"] = Relation(relation)
        except ValueError:
            raise InvalidInput(t("Choose from the list.")) from None
    return data
