"""Pages of services: the public catalogue of a place and a service's page (what to bring, where, how
long); applying online or at the counter; an application's page (materials, steps, the printed
documents); the counter's list and queue; the figures; the catalogue's administration and XLSX."""

from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.areas.pages import area_in_reach, crumbs
from linli.authz.deps import DbSession, Require, SignedIn, public
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.duties import repository as duties
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import N_, gettext, t
from linli.kit.time import utcnow
from linli.kit.types import Id
from linli.services import kinds, reads, repository, seed, service, sheet, workflow
from linli.services.repository import Filters
from linli.services.schemas import ApplicationIn, OfferIn, TransitionIn
from linli.web.display import prefetch
from linli.web.forms import Attempt, attempt
from linli.web.nav import NavLink, at_first_area
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
READ, HANDLE, MANAGE = Permission.services_read, Permission.services_handle, Permission.services_manage
Reader = Annotated[Principal, Depends(Require(READ))]
Handler = Annotated[Principal, Depends(Require(HANDLE))]
Manager = Annotated[Principal, Depends(Require(MANAGE))]
PAGE = 50
Position = Annotated[int, Path(ge=0, le=39, description="the item's material, by its place in the list")]


def _my_services(p: Principal) -> str | None:
    code = p.first_area_with(Permission.services_apply)
    return "/services/mine" if code and not p.holds_anywhere(HANDLE) else None


NAV = [
    NavLink(55, N_("Applications"), at_first_area(READ, "/areas/{code}/services")),
    NavLink(57, N_("My applications"), _my_services),
]


def _helpers() -> dict[str, Any]:
    return {
        "state_label": lambda s: kinds.label(kinds.STATES, s),
        "type_label": lambda s: kinds.label(kinds.ITEM_TYPES, s),
        "depth_label": lambda s: kinds.label(kinds.ONLINE_DEPTHS, s),
        "role_label": lambda s: kinds.label(kinds.COMMUNITY_ROLES, s),
        "level_label": lambda s: kinds.label(kinds.LEVELS, s),
        "assist_label": lambda s: kinds.label(kinds.ASSISTS, s),
        "channel_label": lambda s: kinds.label(kinds.CHANNELS, s),
        "outcome_label": lambda s: kinds.label(kinds.OUTCOMES, s),
        "unpad": codes.unpad,
    }


# --- the public catalogue --------------------------------------------------------------------------


@router.get("/services/catalogue/{code}", response_class=HTMLResponse, dependencies=[Depends(public)])
def catalogue_page(code: str, request: Request, session: DbSession):
    if not codes.is_valid(code) or not repository.area_exists(session, code):
        raise NotFound(t("area {code} does not exist", code=code))
    offers = repository.offers_at(session, code)
    return render(request, "services/catalogue.html", {"code": code, "offers": offers, **_helpers()})


@router.get("/services/offers/{offer_id}", response_class=HTMLResponse, dependencies=[Depends(public)])
def offer_page(offer_id: Id, request: Request, session: DbSession):
    offer, item = repository.public_offer(session, offer_id)
    town = codes.township_of(offer.area_code)
    context = {
        # The duty of the street's or township's responsibility list that handling this item discharges.
        "duty": duties.duty_for_service_item(session, town, item.id) if town else None,
        "offer": offer,
        "item": item,
        "materials": kinds.materials_of(item.materials),
        "steps": kinds.steps_of(item.steps),
        **_helpers(),
    }
    return render(request, "services/offer.html", context)


# --- applying --------------------------------------------------------------------------------------


def _apply_page(request, session, principal, offer_id, *, errors=(), form=None, q="", status=200):
    offer, item = repository.public_offer(session, offer_id)
    counter = principal.can(HANDLE, offer.area_code)
    me = None if counter else repository.linked_person(session, principal.user_id)
    people = repository.household_of(session, me) if me else []
    found = (
        repository.applicants_named(session, codes.unpad(offer.area_code), principal.scope(HANDLE), q)
        if counter and q.strip()
        else []
    )
    context = {
        "offer": offer,
        "item": item,
        "counter": counter,
        "me": me,
        "address": repository.household_address(session, me) if me else "",
        "people": people,
        "found": found,
        "q": q,
        "errors": list(errors),
        "form": form or {},
        "assists": [(k, gettext(v)) for k, v in kinds.ASSISTS.items()],
        **_helpers(),
    }
    return render(request, "services/apply.html", context, status_code=status)


@router.get("/services/offers/{offer_id}/apply", response_class=HTMLResponse)
def apply_form(offer_id: Id, request: Request, principal: SignedIn, session: DbSession, q: str = ""):
    return _apply_page(request, session, principal, offer_id, q=q[:50])


@router.post("/services/offers/{offer_id}/apply", response_class=HTMLResponse)
def apply_post(
    offer_id: Id,
    request: Request,
    principal: SignedIn,
    session: DbSession,
    person_id: str = Form(""),
    assist: str = Form("none"),
    note: str = Form(""),
):
    form = {"person_id": person_id, "assist": assist, "note": note}
    with attempt(session) as tried:
        pid = int(person_id) if person_id.strip().isdigit() else None
        data = ApplicationIn(offer_id=offer_id, person_id=pid, assist=assist, note=note)
        app = workflow.submit(session, principal, data)
    if tried.refused and getattr(tried.error, "status", 422) == 404:
        raise tried.error  # a person out of reach reads like a missing one, not a form to correct
    if tried.refused:
        return _apply_page(request, session, principal, offer_id, errors=tried.errors, form=form, status=422)
    return RedirectResponse(f"/services/applications/{app.id}?done=submitted", status_code=303)


# --- an application --------------------------------------------------------------------------------


def _application_page(request, session, principal, app, *, errors=(), status=200):
    detail = reads.detail(session, principal, app)
    offer, item = repository.offer_with_item(session, app.offer_id)
    context = {
        "a": detail,
        "offer": offer,
        "item": item,
        "steps": kinds.steps_of(item.steps),
        "counter": principal.can(HANDLE, app.area_code),
        "own": workflow.is_own(session, principal, app),
        "errors": list(errors),
        **_helpers(),
    }
    return render(request, "services/application.html", context, status_code=status)


def _refused(request, session, principal, app, tried: Attempt):
    """The application's page again with what was refused (nothing changed), in the refusal's status."""
    status = getattr(tried.error, "status", 422)
    if status == 404:
        raise tried.error
    repository.refreshed(session, app)
    return _application_page(request, session, principal, app, errors=tried.errors, status=status)


@router.get("/services/applications/{application_id}", response_class=HTMLResponse)
def application_page(application_id: Id, request: Request, principal: SignedIn, session: DbSession):
    app = repository.get_readable(session, principal, application_id)
    return _application_page(request, session, principal, app)


@router.post("/services/applications/{application_id}/act", response_class=HTMLResponse)
def act(
    application_id: Id,
    request: Request,
    principal: SignedIn,
    session: DbSession,
    action: str = Form(""),
    note: str = Form(""),
    missing: list[str] = Form([]),
    other: str = Form(""),
    outcome: str = Form(""),
):
    app = repository.get_readable(session, principal, application_id)
    wanted = [*missing, *[x for x in other.splitlines() if x.strip()]]
    with attempt(session) as tried:
        data = TransitionIn(action=action, note=note, missing=wanted, outcome=outcome or None)
        workflow.transition(session, principal, application_id, data)
    if tried.refused:
        session.refresh(app)
        return _application_page(
            request,
            session,
            principal,
            app,
            errors=tried.errors,
            status=tried.error.status if hasattr(tried.error, "status") else 422,
        )
    return RedirectResponse(f"/services/applications/{application_id}?done={action}", status_code=303)


@router.post("/services/applications/{application_id}/materials/{position}", response_class=HTMLResponse)
def upload_material(
    application_id: Id,
    position: Position,
    request: Request,
    principal: SignedIn,
    session: DbSession,
    file: UploadFile | None = File(None),
):
    app = repository.get_readable(session, principal, application_id)
    with attempt(session) as tried:
        if file is None or not file.filename:
            raise InvalidInput(t("choose a file to hand in"))
        workflow.upload_material(session, principal, application_id, position, file.file, file.filename)
    if tried.refused:
        return _refused(request, session, principal, app, tried)
    return RedirectResponse(f"/services/applications/{application_id}?done=material#materials", status_code=303)


@router.post("/services/applications/{application_id}/seen/{position}", response_class=HTMLResponse)
def seen(application_id: Id, position: Position, request: Request, principal: Handler, session: DbSession):
    app = repository.get_readable(session, principal, application_id)
    with attempt(session) as tried:
        workflow.mark_seen(session, principal, application_id, position)
    if tried.refused:
        return _refused(request, session, principal, app, tried)
    return RedirectResponse(f"/services/applications/{application_id}?done=material#materials", status_code=303)


@router.get("/services/mine", response_class=HTMLResponse)
def mine(request: Request, principal: SignedIn, session: DbSession):
    rows, total = repository.list_mine(session, principal, limit=PAGE)
    return render(request, "services/mine.html", {"apps": reads.outs(session, rows), "total": total, **_helpers()})


# --- staff: the list and queue, the figures ---------------------------------------------------------


@router.get("/areas/{code}/services", response_class=HTMLResponse)
def applications_list(
    code: str,
    request: Request,
    principal: Reader,
    session: DbSession,
    state: str = "",
    overdue: str = "",
    level: str = "",
):
    area = area_in_reach(session, principal, code, READ)
    f = Filters(
        code,
        state if state in kinds.STATES else None,
        None,
        overdue == "1",
        level if level in kinds.LEVELS else None,
    )
    rows, total = repository.list_for_area(session, principal, f, utcnow(), limit=PAGE)
    apps = reads.outs(session, rows)
    prefetch(request, [a.area_code for a in apps])
    context = {
        "area": area,
        "apps": apps,
        "total": total,
        "state": state,
        "overdue": overdue,
        "level": level,
        "states": [(k, gettext(v)) for k, v in kinds.STATES.items()],
        "levels": [(k, gettext(v)) for k, v in kinds.LEVELS.items()],
        "breadcrumb": crumbs(session, principal, area, "services"),
        **_helpers(),
    }
    return render(request, "services/list.html", context)


@router.get("/areas/{code}/services/figures", response_class=HTMLResponse)
def figures_page(code: str, request: Request, principal: Reader, session: DbSession):
    area = area_in_reach(session, principal, code, READ)
    context = {
        "area": area,
        "by_item": reads.figures(session, principal, code, "item"),
        "by_area": reads.figures(session, principal, code, "area") if len(code) < 12 else [],
        "breadcrumb": crumbs(session, principal, area, "services"),
        "percent": lambda r: "—" if r is None else f"{r * 100:.1f}%",
        "num": lambda v: "—" if v is None else f"{v:.1f}",
    }
    return render(request, "services/figures.html", context)


# --- the catalogue's administration -----------------------------------------------------------------


def _admin_page(request, session, principal, area, *, errors=(), status=200):
    items = repository.items_for_area(session, area.code)
    offers = {o.item_id: o for o, _ in repository.offers_at(session, area.code, enabled_only=False)}
    context = {
        "area": area,
        "items": items,
        "offers": offers,
        "may_define": len(area.code) <= 6,
        "may_offer": len(area.code) in service.OFFER_LEVELS,
        "errors": list(errors),
        "breadcrumb": crumbs(session, principal, area, "services/catalogue"),
        **_helpers(),
    }
    return render(request, "services/admin.html", context, status_code=status)


@router.get("/areas/{code}/services/catalogue", response_class=HTMLResponse)
def admin_page(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, MANAGE)
    return _admin_page(request, session, principal, area)


@router.post("/areas/{code}/services/catalogue/{item_id}", response_class=HTMLResponse)
def offer_post(
    code: str,
    item_id: Id,
    request: Request,
    principal: Manager,
    session: DbSession,
    promised_days: str = Form(""),
    place: str = Form(""),
    hours: str = Form(""),
    consult_phone: str = Form(""),
    complaint_phone: str = Form(""),
    enabled: str = Form(""),
):
    area = area_in_reach(session, principal, code, MANAGE)
    with attempt(session) as tried:
        promised = int(promised_days) if promised_days.strip().isdigit() else None
        data = OfferIn(
            item_id=item_id, area_code=code, promised_days=promised, place=place, hours=hours,
            consult_phone=consult_phone, complaint_phone=complaint_phone, enabled=enabled == "yes",
        )  # fmt: skip
        service.save_offer(session, principal, data)
    if tried.refused:
        return _admin_page(request, session, principal, area, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/services/catalogue?done=saved#item-{item_id}", status_code=303)


@router.post("/areas/{code}/services/catalogue-examples", response_class=HTMLResponse)
def load_examples(code: str, request: Request, principal: Manager, session: DbSession):
    area = area_in_reach(session, principal, code, MANAGE)
    with attempt(session) as tried:
        seed.load_examples(session, principal, code)
    if tried.refused:
        return _admin_page(request, session, principal, area, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/services/catalogue?done=examples", status_code=303)


@router.post("/areas/{code}/services/catalogue-import", response_class=HTMLResponse)
def import_post(
    code: str, request: Request, principal: Manager, session: DbSession, file: UploadFile | None = File(None)
):
    area = area_in_reach(session, principal, code, MANAGE)
    with attempt(session) as tried:
        if file is None or not file.filename:
            raise InvalidInput(t("choose the catalogue's .xlsx file"))
        sheet.import_file(session, principal, io.BytesIO(file.file.read()))
    if tried.refused:
        return _admin_page(request, session, principal, area, errors=tried.errors, status=422)
    return RedirectResponse(f"/areas/{code}/services/catalogue?done=imported", status_code=303)
