"""The public board (no sign-in): a village's or community's published items with the questions asked
and answered (askers masked), an item's own page, the board as printed (print CSS) and as a PDF, and a
signed-in resident's question form."""

from __future__ import annotations

from collections import OrderedDict

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from linli.authz.deps import DbSession, SignedIn, public
from linli.disclosure import repository, service
from linli.disclosure.kinds import kind_label, mask_name
from linli.disclosure.models import DisclosureItem
from linli.kit import refs
from linli.kit.i18n import current_locale, gettext, t
from linli.kit.pdf import PDF_MEDIA_TYPE, Document
from linli.kit.types import Id, PageNumber
from linli.web.forms import attempt
from linli.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 30


def period_label(item: DisclosureItem) -> str:
    if item.period_from and item.period_to:
        return f"{item.period_from.isoformat()} — {item.period_to.isoformat()}"
    if item.occurred_on:
        return item.occurred_on.isoformat()
    return ""


def matter_id_of(item) -> int | None:
    """The self-government matter an item discloses, when named in the stable form (else free text)."""
    return refs.parse(item.matter_ref, refs.MATTER)


def helpers() -> dict:
    return {
        "kind_label": kind_label,
        "period_label": period_label,
        "mask_name": mask_name,
        "matter_id_of": matter_id_of,
    }


def _public_questions(session, items):
    asked = repository.questions_of(session, [i.id for i in items])
    return {i: [(a.question, mask_name(a.asker)) for a in rows] for i, rows in asked.items()}


@router.get("/public/disclosure/{code}", response_class=HTMLResponse, dependencies=[Depends(public)])
def board_page(code: str, request: Request, session: DbSession, page: PageNumber = 1):
    area = repository.village(session, code)
    items, total = repository.board(session, code, offset=(page - 1) * PAGE, limit=PAGE)
    today = repository.today()
    return render(
        request,
        "disclosure/board.html",
        {
            "area": area,
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
            "today": today,
            "questions": _public_questions(session, items),
            **helpers(),
        },
    )


def _current(session, code):
    """What hangs on the board today: items still within their period."""
    items, _ = repository.board(session, code, limit=200)
    today = repository.today()
    return [i for i in items if i.shown_until and i.shown_until >= today] or items[:10], today


@router.get("/public/disclosure/{code}/print", response_class=HTMLResponse, dependencies=[Depends(public)])
def board_print(code: str, request: Request, session: DbSession):
    area = repository.village(session, code)
    items, today = _current(session, code)
    ctx = {"area": area, "items": items, "today": today, "questions": _public_questions(session, items), **helpers()}
    return render(request, "disclosure/print.html", ctx)


# Printed boards by what they show (linli.disclosure.repository.board_fingerprint, the day, the language):
# embedding the font subset costs a second or more, and a board is printed again and again unchanged.
_PDFS: OrderedDict[tuple, bytes] = OrderedDict()
_PDFS_KEPT = 32


@router.get("/public/disclosure/{code}/board.pdf", dependencies=[Depends(public)])
def board_pdf(code: str, session: DbSession):
    area = repository.village(session, code)
    key = (area.code, repository.today(), current_locale(), *repository.board_fingerprint(session, area.code))
    if key not in _PDFS:
        _PDFS[key] = _board_document(session, area)
        while len(_PDFS) > _PDFS_KEPT:
            _PDFS.popitem(last=False)
    headers = {"Content-Disposition": f'inline; filename="disclosure-{area.code}.pdf"'}
    return Response(_PDFS[key], media_type=PDF_MEDIA_TYPE, headers=headers)


def _board_document(session, area) -> bytes:
    code = area.code
    items, today = _current(session, code)
    doc = Document(t("{name} disclosure board", name=area.name), subtitle=t("As of {day}", day=today.isoformat()))
    questions = _public_questions(session, items)
    for item in items:
        doc.heading(f"{kind_label(item.kind)} · {item.title}")
        facts = [
            (gettext("Period or date"), period_label(item)),
            (gettext("Published"), item.published_on.isoformat() if item.published_on else ""),
            (gettext("On the board until"), item.shown_until.isoformat() if item.shown_until else ""),
            (gettext("Questions until"), item.objection_until.isoformat() if item.objection_until else ""),
        ]
        if item.late:
            facts.append((gettext("Published late"), t("{n} day(s) after its due date", n=item.days_late)))
        doc.facts(facts).paragraph(item.body)
        rows = [(who, q.question, q.answer or gettext("Not answered yet")) for q, who in questions[item.id]]
        if rows:
            doc.table([gettext("Asked by"), gettext("Question"), gettext("Answer")], rows, widths=(1, 3, 3))
    if not items:
        doc.paragraph(gettext("Nothing is on the board."))
    return doc.output()


@router.get("/public/disclosure/items/{item_id}", response_class=HTMLResponse, dependencies=[Depends(public)])
def item_page(item_id: Id, request: Request, session: DbSession):
    item = repository.public_item(session, item_id)
    area = repository.village(session, item.area_code[:12])
    return render(
        request,
        "disclosure/public_item.html",
        {
            "area": area,
            "item": item,
            "today": repository.today(),
            "questions": _public_questions(session, [item])[item.id],
            **helpers(),
        },
    )


# --- a resident's question ---------------------------------------------------------------------------


def _ask_page(request, session, item, *, errors=(), form=None, status=200):
    area = repository.village(session, item.area_code[:12])
    ctx = {"area": area, "item": item, "errors": list(errors), "form": form or {}, "today": repository.today()}
    return render(request, "disclosure/ask.html", {**ctx, **helpers()}, status_code=status)


@router.get("/disclosure/items/{item_id}/ask", response_class=HTMLResponse)
def ask_form(item_id: Id, request: Request, principal: SignedIn, session: DbSession):
    return _ask_page(request, session, repository.public_item(session, item_id))


@router.post("/disclosure/items/{item_id}/ask", response_class=HTMLResponse)
def ask_post(item_id: Id, request: Request, principal: SignedIn, session: DbSession, question: str = Form("")):
    item = repository.public_item(session, item_id)
    with attempt(session) as tried:
        service.ask(session, principal, item_id, question)
    if tried.refused:
        status = getattr(tried.error, "status", 422)
        return _ask_page(request, session, item, errors=tried.errors, form={"question": question}, status=status)
    return RedirectResponse(f"/public/disclosure/items/{item_id}?done=asked#questions", status_code=303)
