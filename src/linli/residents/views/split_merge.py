"""Splitting a household (分户: chosen members form a new one) and merging it into another (合户)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
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
from linli.residents.kinds import RegisterType
from linli.residents.models import Household
from linli.residents.schemas import MergeIn, SplitIn
from linli.residents.service import history, households
from linli.residents.views.common import REGISTER_TYPES, Writer, area_crumbs, grid_of, helpers, label, refusal
from linli.residents.views.households import date_or_none
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
CHOICES = 100  # households listed on the merge page; a search narrows a larger grid


def _trail(session: Session, principal: Principal, h: Household, last: str) -> list[dict[str, str]]:
    grid = grid_of(session, principal, codes.unpad(h.area_code))
    return [
        *area_crumbs(session, principal, grid),
        {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
        {"name": h.address or t("Household {id}", id=h.id), "href": f"/households/{h.id}"},
        {"name": last, "href": ""},
    ]


def _ids(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values]
    except ValueError:
        raise InvalidInput(t("Choose from the list.")) from None


# --- split --------------------------------------------------------------------------------------


def _split_page(request, session, principal, household_id: Id, form: dict | None = None, errors=None, status_code=200):
    h = service.load_household(session, principal, household_id, Permission.residents_write)
    out = households.household_out(session, h, with_members=True)
    form = form or {
        "person_ids": [],
        "head": "",
        "address": h.address,
        "unit": h.unit,
        "room": h.room,
        "register_type": h.register_type,
        "on": date.today().isoformat(),
    }
    return render(
        request,
        "residents/household_split.html",
        {
            "h": out,
            "members": out.members or [],
            "form": form,
            "errors": errors or [],
            "register_types": [(r.value, label(REGISTER_TYPES, r.value)) for r in RegisterType],
            "breadcrumb": _trail(session, principal, h, t("Split the household")),
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/households/{household_id}/split", response_class=HTMLResponse)
def split_form(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    return _split_page(request, session, principal, household_id)


@router.post("/households/{household_id}/split", response_class=HTMLResponse)
def split(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    person_ids: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies defaults)
    head: str = Form(""),
    address: str = Form(""),
    unit: str = Form(""),
    room: str = Form(""),
    register_type: str = Form(""),
    on: str = Form(""),
):
    form = {"person_ids": person_ids, "head": head, "address": address, "unit": unit, "room": room,
            "register_type": register_type, "on": on}  # fmt: skip
    with attempt(session) as tried:
        service.load_household(session, principal, household_id, Permission.residents_write)
        new = history.split_household(session, principal, household_id, _split_in(form))
    if tried.refused:
        errors, status = refusal(tried)
        return _split_page(request, session, principal, household_id, form, errors, status_code=status)
    return RedirectResponse(f"/households/{new.id}?split_from={household_id}", status_code=303)


def _split_in(form: dict) -> SplitIn:
    """The split the form asks for: who leaves, who heads the new household, where it lives."""
    leaving = _ids(form["person_ids"])
    if not leaving:
        raise InvalidInput(t("Choose at least one member for the new household."))
    if not form["head"].strip():
        raise InvalidInput(t("Choose the head of the new household."))
    try:
        kind = RegisterType(form["register_type"])
    except ValueError:
        raise InvalidInput(t("Choose from the list.")) from None
    return SplitIn(
        person_ids=leaving,
        head_person_id=_ids([form["head"]])[0],
        address=form["address"].strip()[:300],
        unit=form["unit"].strip()[:20],
        room=form["room"].strip()[:20],
        register_type=kind,
        on=date_or_none(form["on"], t("Date")),
    )


# --- merge --------------------------------------------------------------------------------------


def _merge_page(request, session, principal, household_id: Id, form: dict | None = None, errors=None, status_code=200):
    h = service.load_household(session, principal, household_id, Permission.residents_write)
    form = form or {"into": "", "into_id": "", "on": date.today().isoformat(), "q": ""}
    choices, total = ([], 0)
    if h.status == "active":
        choices, total = households.merge_choices(session, principal, h.id, form["q"], CHOICES)
    return render(
        request,
        "residents/household_merge.html",
        {
            "h": households.household_out(session, h),
            "form": form,
            "choices": choices,
            "total": total,
            "errors": errors or [],
            "breadcrumb": _trail(session, principal, h, t("Merge into another household")),
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/households/{household_id}/merge", response_class=HTMLResponse)
def merge_form(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    q: str = Query("", max_length=100),
):
    form = {"into": "", "into_id": "", "on": date.today().isoformat(), "q": q}
    return _merge_page(request, session, principal, household_id, form)


def _target(into: str, into_id: str) -> int:
    """The household chosen from the list or given by its number (not two different ones)."""
    picked, typed = into.strip(), into_id.strip()
    if picked and typed and picked != typed:
        raise InvalidInput(t("Choose a household from the list or give its number, not both."))
    chosen = typed or picked
    if not chosen:
        raise InvalidInput(t("Choose the household to merge into."))
    if not chosen.isdigit():
        raise InvalidInput(t("Give the household's number in digits."))
    return int(chosen)


@router.post("/households/{household_id}/merge", response_class=HTMLResponse)
def merge(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    into: str = Form(""),
    into_id: str = Form(""),
    on: str = Form(""),
    q: str = Form(""),
    confirm: str = Form(""),
):
    """Without `confirm`, the confirmation page (nothing changes); with confirm=yes, the merge."""
    form = {"into": into, "into_id": into_id, "on": on, "q": q[:100]}
    with attempt(session) as tried:
        target = _target(into, into_id)
        day = date_or_none(on, t("Date"))
        if confirm != "yes":
            src, dst = history.merge_parties(session, principal, household_id, target)
            return render(
                request,
                "residents/household_merge_confirm.html",
                {
                    "src": households.household_out(session, src, with_members=True),
                    "dst": households.household_out(session, dst, with_members=True),
                    "on": day.isoformat() if day else "",
                    "breadcrumb": _trail(session, principal, src, t("Merge into another household")),
                    **helpers(),
                },
            )
        into_household = history.merge_households(
            session, principal, household_id, MergeIn(into_household_id=target, on=day)
        )
    if tried.refused:
        errors, status = refusal(tried)
        return _merge_page(request, session, principal, household_id, form, errors, status_code=status)
    return RedirectResponse(f"/households/{into_household.id}?merged_from={household_id}", status_code=303)
