"""The message centre (消息中心, `/inbox`): the signed-in user's inbox — warnings, notices, the steps of
their events — newest first, unread marked, each opening the warning, notice or event it is about;
and the unread count beside the menu link on every page."""

from __future__ import annotations

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


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request, principal: SignedIn, session: DbSession, unread: str = Query(""), page: PageNumber = Query(1)
):
    only_unread = unread == "1"
    rows, total, unread_count = repository.inbox_page(
        session, principal.user_id, unread_only=only_unread, offset=(page - 1) * PAGE, limit=PAGE
    )
    return render(
        request,
        "notify/inbox.html",
        {
            "messages": [(m, kind_label(m.kind), safe_link(m.link)) for m in rows],
            "total": total,
            "unread_count": unread_count,
            "only_unread": only_unread,
            "page": page,
            "pages": max(1, -(-total // PAGE)),
        },
    )


@router.post("/inbox/{message_id}/open")
def open_message(message_id: Id, principal: SignedIn, session: DbSession):
    """Mark the message read and go to what it is about (or back to the inbox if it links nowhere)."""
    message = service.mark_read(session, principal, message_id)
    return RedirectResponse(safe_link(message.link) or "/inbox", status_code=303)


@router.post("/inbox/{message_id}/read")
def read_message(message_id: Id, principal: SignedIn, session: DbSession, unread: str = Form("")):
    service.mark_read(session, principal, message_id)
    return RedirectResponse("/inbox?unread=1" if unread == "1" else "/inbox", status_code=303)


@router.post("/inbox/read-all")
def read_all(principal: SignedIn, session: DbSession):
    service.mark_all_read(session, principal)
    return RedirectResponse("/inbox", status_code=303)


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
