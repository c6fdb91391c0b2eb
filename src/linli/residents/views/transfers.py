"""Transfer requests on the web: ask another area to take a person or household in, and the list where
the receiving side accepts or rejects and the requesting side cancels. The service checks every rule;
these pages show only the actions it would allow."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, gettext, t
from linli.kit.types import Id, PageNumber
from linli.residents import pii, service, transfers
from linli.residents import repository as repo
from linli.residents.kinds import Relation, TransferStatus
from linli.residents.schemas import DecisionIn, TransferIn, TransferOut
from linli.residents.service import households
from linli.residents.views.common import (
    PAGE,
    RELATIONS,
    Reader,
    Writer,
    area_crumbs,
    grid_of,
    helpers,
    label,
    refusal,
)
from linli.residents.views.households import person_page_parts
from linli.web import display
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

W = Permission.residents_write
NOTE_MAX = 300  # the length the service stores for a reason or a decision note
# Own wording: the plain "Pending", "Accepted", "Rejected" are translated for warnings and events.
TRANSFER_STATUSES = {
    "pending": N_("Waiting for a decision"),
    "accepted": N_("Accepted: moved"),
    "rejected": N_("Rejected by the receiving side"),
    "cancelled": N_("Cancelled by the requesting side"),
}
FILTERS = {"pending": TRANSFER_STATUSES["pending"], "all": N_("All transfers")} | {
    k: v for k, v in TRANSFER_STATUSES.items() if k != "pending"
}
DONE = {
    "requested": N_("The request was sent. It waits for the receiving side to accept or reject it."),
    "accepted": N_("The transfer was accepted and the move recorded."),
    "rejected": N_("The transfer was rejected; nothing moved."),
    "cancelled": N_("The request was cancelled; nothing moved."),
}


# --- the list -----------------------------------------------------------------------------------


def _subjects(session: Session, principal: Principal, items: list[TransferOut]) -> dict[int, dict]:
    """Who each transfer moves, with what the service shows both sides (name, gender, birth year, masked ID;
    a household's head and size) and a link when the reader may open the household. The rows are in the
    session already (the service read them); head names and member counts come in one query each."""
    hh_rows = {tr.household_id: repo.household_by_id(session, tr.household_id) for tr in items if tr.household_id}
    heads = repo.names_of(session, [h.head_person_id for h in hh_rows.values()])
    counts = repo.member_counts(session, list(hh_rows))
    out: dict[int, dict] = {}
    for tr in items:
        if tr.person_id is not None:
            p = repo.person_by_id(session, tr.person_id)
            readable = p.household_id is not None and principal.can(Permission.residents_read, p.area_code)
            out[tr.id] = {
                "kind": "person",
                "name": p.name,
                "gender": p.gender,
                "born": p.birth_date.year,
                "id_number": pii.open_id(p.id_number_enc, reveal=False),
                "href": f"/households/{p.household_id}#person-{p.id}" if readable else "",
            }
        else:
            h = hh_rows[tr.household_id]
            readable = principal.can(Permission.residents_read, h.area_code)
            out[tr.id] = {
                "kind": "household",
                "name": heads.get(h.head_person_id, ""),
                "household_id": h.id,
                "members": counts.get(h.id, 0),
                "href": f"/households/{h.id}" if readable else "",
            }
    return out


def _household_choices(session: Session, principal: Principal, grid_codes: set[str]) -> dict[str, list[dict]]:
    """The active households of the grids where the reader may take a person in, for the accept form."""
    if not grid_codes:
        return {}
    rows = repo.active_households_in_grids(session, [codes.pad(c) for c in grid_codes], principal.scope(W))
    out: dict[str, list[dict]] = {}
    for hid, area, address, unit, room, head in rows:
        out.setdefault(codes.unpad(area), []).append(
            {"id": hid, "address": " ".join(x for x in (address, unit, room) if x), "head": head or ""}
        )
    return out


def _list_url(status: str, page: int, done: str = "", anchor: str = "") -> str:
    params = {"status": status} if status != "pending" else {}
    if page > 1:
        params["page"] = str(page)
    if done:
        params["done"] = done
    query = urlencode(params)
    return "/transfers" + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def _list_page(
    request: Request,
    session: Session,
    principal: Principal,
    status: str,
    page: int,
    *,
    done: str = "",
    failed: dict | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
):
    items, total = transfers.list_transfers(
        session, principal, None if status == "all" else status, (page - 1) * PAGE, PAGE
    )
    actions = {}
    for tr in items:
        pending = tr.status == TransferStatus.pending
        actions[tr.id] = {
            "decide": pending and principal.can(W, tr.to_area),
            "cancel": pending and principal.can(W, tr.from_area),
        }
    take_in = {tr.to_area for tr in items if tr.person_id is not None and actions[tr.id]["decide"]}
    display.prefetch(request, (c for tr in items for c in (tr.from_area, tr.to_area)))
    return render(
        request,
        "residents/transfers.html",
        {
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "status": status,
            "filters": [(k, gettext(v)) for k, v in FILTERS.items()],
            "subjects": _subjects(session, principal, items),
            "actions": actions,
            "household_choices": _household_choices(session, principal, take_in),
            "relations": [(r.value, label(RELATIONS, r.value)) for r in Relation],
            "transfer_status_label": lambda v: label(TRANSFER_STATUSES, v),
            "flash": gettext(DONE[done]) if done in DONE else "",
            "failed": failed or {},
            "errors": errors or [],
            "breadcrumb": [{"name": t("Transfers"), "href": ""}],
            **helpers(),
        },
        status_code=status_code,
    )


@router.get("/transfers", response_class=HTMLResponse)
def transfers_page(
    request: Request,
    principal: Reader,
    session: DbSession,
    status: str = Query("pending", max_length=20),
    page: PageNumber = Query(1),
    done: str = Query("", max_length=20),
):
    if status not in FILTERS:
        raise InvalidInput(t("Choose from the list."))
    return _list_page(request, session, principal, status, page, done=done)


# --- decisions ----------------------------------------------------------------------------------


def _back(list_status: str, list_page: str) -> tuple[str, int]:
    """The list the decision was made on (hidden fields of the form), or the default one."""
    status = list_status if list_status in FILTERS else "pending"
    page = int(list_page) if list_page.isdigit() and int(list_page) >= 1 else 1
    return status, page


def _note(value: str, what: str) -> str:
    value = value.strip()
    if len(value) > NOTE_MAX:
        raise InvalidInput(t("{what}: at most {n} characters.", what=what, n=NOTE_MAX))
    return value


def _decided(request, session, principal, transfer_id: Id, action: str, form: dict, list_status, list_page, decide):
    """Run one decision; back to the list with a message, or the list again with the error and the form as typed."""
    status, page = _back(list_status, list_page)
    with attempt(session) as tried:
        decide()
    if tried.refused:
        failed = {"id": transfer_id, "action": action, **form}
        errors, status_code = refusal(tried)
        return _list_page(
            request, session, principal, status, page, failed=failed, errors=errors, status_code=status_code
        )
    return RedirectResponse(_list_url(status, page, done=action), status_code=303)


@router.post("/transfers/{transfer_id}/accept", response_class=HTMLResponse)
def accept(
    transfer_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    note: str = Form(""),
    household_id: str = Form(""),
    relation: str = Form(""),
    list_status: str = Form("pending"),
    list_page: str = Form("1"),
):
    form = {"note": note, "household_id": household_id, "relation": relation}

    def decide():
        hid = household_id.strip()
        if hid and not hid.isdigit():
            raise InvalidInput(t("Choose from the list."))
        try:
            rel = Relation(relation) if relation else None
        except ValueError:
            raise InvalidInput(t("Choose from the list.")) from None
        if rel is not None and not hid:
            raise InvalidInput(t("A relation is given only together with the household the person joins."))
        body = DecisionIn(note=_note(note, t("Note")), household_id=int(hid) if hid else None, relation=rel)
        transfers.accept_transfer(session, principal, transfer_id, body)

    return _decided(request, session, principal, transfer_id, "accepted", form, list_status, list_page, decide)


@router.post("/transfers/{transfer_id}/reject", response_class=HTMLResponse)
def reject(
    transfer_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    note: str = Form(""),
    list_status: str = Form("pending"),
    list_page: str = Form("1"),
):
    def decide():
        body = DecisionIn(note=_note(note, t("Reason for rejecting")))
        transfers.reject_transfer(session, principal, transfer_id, body)

    return _decided(
        request, session, principal, transfer_id, "rejected", {"note": note}, list_status, list_page, decide
    )


@router.post("/transfers/{transfer_id}/cancel", response_class=HTMLResponse)
def cancel(
    transfer_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    list_status: str = Form("pending"),
    list_page: str = Form("1"),
):
    def decide():
        transfers.cancel_transfer(session, principal, transfer_id)

    return _decided(request, session, principal, transfer_id, "cancelled", {}, list_status, list_page, decide)


# --- the request form ---------------------------------------------------------------------------


def _request_page(
    request: Request,
    session: Session,
    principal: Principal,
    *,
    person_id: Id | None = None,
    household_id: Id | None = None,
    form: dict | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
):
    if person_id is not None:
        out, grid, trail = person_page_parts(session, principal, person_id)
        subject = {"kind": "person", "name": out.name, "action": f"/persons/{out.id}/transfer"}
        back = f"/households/{out.household_id}#person-{out.id}" if out.household_id else ""
        move = f"/persons/{out.id}/move"
    else:
        h = service.load_household(session, principal, household_id, W)
        out = households.household_out(session, h)
        grid = grid_of(session, principal, codes.unpad(h.area_code))
        trail = [
            *area_crumbs(session, principal, grid),
            {"name": t("Households"), "href": f"/grids/{grid.code}/households"},
            {"name": out.address or t("Household {id}", id=out.id), "href": f"/households/{out.id}"},
        ]
        subject = {
            "kind": "household",
            "name": out.head_name or out.address or t("Household {id}", id=out.id),
            "members": out.member_count,
            "action": f"/households/{out.id}/transfer",
        }
        back, move = f"/households/{out.id}", ""
    heading = t("Ask another area to take in {name}", name=subject["name"])
    return render(
        request,
        "residents/transfer_new.html",
        {
            "subject": subject,
            "heading": heading,
            "grid": grid,
            "back": back,
            "move": move,
            "form": form or {"to_area_code": "", "reason": ""},
            "errors": errors or [],
            "note_max": NOTE_MAX,
            "breadcrumb": [*trail, {"name": heading, "href": ""}],
        },
        status_code=status_code,
    )


def _requested(request, session, principal, form: dict, **subject):
    with attempt(session) as tried:
        code = form["to_area_code"].strip()
        if not code:
            raise InvalidInput(t("Give the code of the grid that is to take them in (15 digits)."))
        reason = _note(form["reason"], t("Reason"))
        tr = transfers.request_transfer(session, principal, TransferIn(to_area_code=code, reason=reason, **subject))
    if tried.refused:
        errors, status = refusal(tried)
        return _request_page(request, session, principal, form=form, errors=errors, status_code=status, **subject)
    return RedirectResponse(_list_url("pending", 1, done="requested", anchor=f"transfer-{tr.id}"), status_code=303)


@router.get("/persons/{person_id}/transfer", response_class=HTMLResponse)
def person_transfer_form(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    return _request_page(request, session, principal, person_id=person_id)


@router.post("/persons/{person_id}/transfer", response_class=HTMLResponse)
def person_transfer(
    person_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    to_area_code: str = Form(""),
    reason: str = Form(""),
):
    form = {"to_area_code": to_area_code, "reason": reason}
    return _requested(request, session, principal, form, person_id=person_id)


@router.get("/households/{household_id}/transfer", response_class=HTMLResponse)
def household_transfer_form(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
):
    return _request_page(request, session, principal, household_id=household_id)


@router.post("/households/{household_id}/transfer", response_class=HTMLResponse)
def household_transfer(
    household_id: Id,
    request: Request,
    principal: Writer,
    session: DbSession,
    to_area_code: str = Form(""),
    reason: str = Form(""),
):
    form = {"to_area_code": to_area_code, "reason": reason}
    return _requested(request, session, principal, form, household_id=household_id)
