"""The message centre (消息中心, `/inbox`): the signed-in user's inbox — warnings, notices, the steps of
their events — newest first, unread marked, each opening the warning, notice or event it is about;
and the unread count beside the menu link on every page."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from linli.authz.deps import DbSession, SignedIn
from linli.kit.errors import InvalidInput
from linli.kit.i18n import N_, gettext, t
from linli.kit.types import Id, PageNumber
from linli.notify import repository, service
from linli.notify.schemas import SubscriptionIn
from linli.web.forms import attempt
from linli.web.nav import NavLink, always
from linli.web.pages import is_local_path
from linli.web.templating import render

router = APIRouter(include_in_schema=False)

NAV = [NavLink(15, N_("Messages"), always("/inbox"), badge=lambda s, p: repository.unread_count(s, p.user_id))]
PAGE = 30
# What a message is about, by the first part of its kind (warning.issue, notice.publish, event.register…).
KINDS = {
    "warning": N_("Warning"),
    "notice": N_("Notice"),
    "event": N_("Event"),
    "residents": N_("Residents register"),
}


def kind_label(kind: str) -> str:
    return gettext(KINDS.get(kind.split(".", 1)[0], N_("Message")))


def safe_link(link: str | None) -> str | None:
    """A message's link, only if it is a path on this site (never another site, whatever is stored)."""
    return link if is_local_path(link) else None


# The inbox's filters, kept in the URL (?kind=warning&read=unread): by what a message is about, read or not.
KIND_FILTERS = {"warning": N_("Warnings"), "notice": N_("Notices"), "event": N_("Events")}
READ_FILTERS = {"unread": N_("Unread"), "read": N_("Read")}


def inbox_query(kind: str, read: str, page: int = 1) -> str:
    """The inbox's URL with these filters (the empty ones left out)."""
    query = urlencode([(k, v) for k, v in (("kind", kind), ("read", read), ("page", page if page > 1 else "")) if v])
    return "/inbox" + (f"?{query}" if query else "")


def _filters(kind: str, read: str) -> list[str]:
    errors = []
    if kind and kind not in KIND_FILTERS:
        errors.append(t("Unknown kind of message {value!r}; choose from the list.", value=kind))
    if read and read not in READ_FILTERS:
        errors.append(t("Unknown choice {value!r}; choose read, unread or all.", value=read))
    return errors


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    principal: SignedIn,
    session: DbSession,
    kind: str = Query("", max_length=20),
    read: str = Query("", max_length=10),
    page: PageNumber = Query(1),
):
    errors = _filters(kind, read)
    if errors:  # a hand-made URL: say so, and list every message
        kind = read = ""
    rows, total, unread_count = repository.inbox_page(
        session,
        principal.user_id,
        unread_only=read == "unread",
        read_only=read == "read",
        kind=kind or None,
        offset=(page - 1) * PAGE,
        limit=PAGE,
    )
    return render(
        request,
        "notify/inbox.html",
        {
            "messages": [(m, kind_label(m.kind), safe_link(m.link)) for m in rows],
            "total": total,
            "unread_count": unread_count,
            "kind": kind,
            "read": read,
            "kinds": [(k, gettext(v)) for k, v in KIND_FILTERS.items()],
            "reads": [(k, gettext(v)) for k, v in READ_FILTERS.items()],
            "here": inbox_query(kind, read, page),
            "url": lambda p: inbox_query(kind, read, p),
            "errors": errors,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
        },
        status_code=422 if errors else 200,
    )


def _back(back: str) -> str:
    """Where a form on the inbox returns: the inbox with the filters it was shown with."""
    return back if back == "/inbox" or (back.startswith("/inbox?") and is_local_path(back)) else "/inbox"


@router.post("/inbox/{message_id}/open")
def open_message(message_id: Id, principal: SignedIn, session: DbSession):
    """Mark the message read and go to what it is about (or back to the inbox if it links nowhere)."""
    message = service.mark_read(session, principal, message_id)
    return RedirectResponse(safe_link(message.link) or "/inbox", status_code=303)


@router.post("/inbox/{message_id}/read")
def read_message(message_id: Id, principal: SignedIn, session: DbSession, back: str = Form("", max_length=200)):
    service.mark_read(session, principal, message_id)
    return RedirectResponse(_back(back), status_code=303)


@router.post("/inbox/read-all")
def read_all(principal: SignedIn, session: DbSession, back: str = Form("", max_length=200)):
    service.mark_all_read(session, principal)
    return RedirectResponse(_back(back), status_code=303)


# --- my notification settings (consent to be told, by channel) -----------------------------------

TOPIC_LABELS = {"warnings": N_("Warnings (预警)"), "notices": N_("Notices (通知公告)")}
CHANNEL_LABELS = {"inbox": N_("Messages on this site"), "email": N_("E-mail"), "webhook": N_("SMS")}


def _settings_page(request, session, principal, *, errors=(), form=None, done="", status=200):
    subs = [s for s in repository.subscriptions_of(session, user_id=principal.user_id) if s.withdrawn_at is None]
    return render(
        request,
        "notify/settings.html",
        {
            "subs": [(s, service.subscription_out(s)) for s in subs],
            "topics": [(k, gettext(v)) for k, v in TOPIC_LABELS.items()],
            "channels": [(k, gettext(v)) for k, v in CHANNEL_LABELS.items()],
            "topic_label": lambda k: gettext(TOPIC_LABELS.get(k, k)),
            "channel_label": lambda k: gettext(CHANNEL_LABELS.get(k, k)),
            "errors": list(errors),
            "form": form or {"topic": "warnings", "channel": "inbox"},
            "flash": done,
        },
        status_code=status,
    )


@router.get("/account/notifications", response_class=HTMLResponse)
def settings_page(request: Request, principal: SignedIn, session: DbSession, done: str = Query("")):
    flash = {"on": gettext(N_("Subscribed.")), "off": gettext(N_("Stopped."))}.get(done, "")
    return _settings_page(request, session, principal, done=flash)


@router.post("/account/notifications", response_class=HTMLResponse)
def subscribe(
    request: Request,
    principal: SignedIn,
    session: DbSession,
    topic: str = Form(""),
    channel: str = Form(""),
    address: str = Form("", max_length=200),
):
    form = {"topic": topic, "channel": channel, "address": address}
    with attempt(session) as tried:
        if channel not in CHANNEL_LABELS:
            raise InvalidInput(t("Choose from the list."))
        service.opt_in(session, principal, SubscriptionIn(channel=channel, topic=topic, address=address or None))
    if tried.errors:
        return _settings_page(request, session, principal, errors=tried.errors, form=form, status=422)
    return RedirectResponse("/account/notifications?done=on", status_code=303)


@router.post("/account/notifications/{subscription_id}/withdraw")
def unsubscribe(subscription_id: Id, principal: SignedIn, session: DbSession):
    service.withdraw_own(session, principal, subscription_id)
    return RedirectResponse("/account/notifications?done=off", status_code=303)
