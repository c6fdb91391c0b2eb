"""Notices: write a draft, attach files, publish it through the fan-out, withdraw it; who sees what.

Staff holding notices.read see every notice inside their areas, drafts and withdrawn ones too. Anyone
signed in sees the published notices addressed to them: a notice to an area reaches every place in
its subtree, so a person sees those addressed to their home area (or the areas of their grants) and
to its ancestors. Residents do not see notices to workers only, and see a tag notice only when their
account is linked to a person holding the tag today (the same rule the fan-out applies).
Out of reach answers 404, like a notice that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session

from linli.areas import repository as areas_repo
from linli.audit.service import record
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import Conflict, InvalidInput
from linli.kit.i18n import t
from linli.kit.time import as_utc, utcnow
from linli.notices import files
from linli.notices import repository as repo
from linli.notices.models import AUDIENCES, Notice, NoticeAttachment
from linli.notices.repository import PUBLISH, check_area, missing
from linli.notices.schemas import NoticeIn, NoticeUpdate
from linli.notify import outbox
from linli.notify.outbox import FanOutResult
from linli.residents import repository as residents_repo
from linli.residents.kinds import Tag

TOPIC = "notices"
MAX_ATTACHMENTS = 20


# --- validation ------------------------------------------------------------------------------------


def _check_fields(title: str, body: str, audience: str, tag: str | None, expires_at: datetime | None) -> None:
    problems = []
    if not title.strip():
        problems.append(t("give the notice a title"))
    if not body.strip():
        problems.append(t("write the text of the notice"))
    if audience not in AUDIENCES:
        problems.append(t("unknown audience {value!r}", value=audience))
    if audience == "tag" and tag not in {x.value for x in Tag}:
        problems.append(t("choose a tag for the audience; tags are: {tags}", tags=", ".join(x.value for x in Tag)))
    if expires_at is not None and expires_at.tzinfo is None:
        problems.append(t("give the expiry time with its time zone"))
    if problems:
        raise InvalidInput(problems[0], details=problems)


def _snapshot(n: Notice) -> dict:
    return {
        "title": n.title,
        "audience": n.audience,
        "tag": n.tag,
        "status": n.status,
        "expires_at": n.expires_at.isoformat() if n.expires_at else None,
    }


# --- writing ---------------------------------------------------------------------------------------


def create(session: Session, principal: Principal, data: NoticeIn, *, generated: bool = False) -> Notice:
    """A draft notice for an area where the principal holds notices.publish."""
    check_area(session, principal, data.area_code, PUBLISH)
    tag = data.tag if data.audience == "tag" else None
    _check_fields(data.title, data.body, data.audience, tag, data.expires_at)
    n = Notice(
        area_code=codes.pad(data.area_code),
        title=data.title.strip(),
        body=data.body.strip(),
        audience=data.audience,
        tag=tag,
        expires_at=data.expires_at,
        status="draft",
        created_by=principal.audit_name,
        generated=generated,
    )
    session.add(n)
    session.flush()
    record(session, principal, "notice.create", "notice", n.id, n.area_code, after=_snapshot(n))
    return n


def _for_publisher(session: Session, principal: Principal, notice_id: int) -> Notice:
    """The notice, locked, for one who holds notices.publish at its area (404 when out of reach)."""
    n = repo.notice_for_update(session, notice_id)
    if n is None or not principal.visible.contains(n.area_code):
        raise missing(notice_id)
    principal.check(PUBLISH, n.area_code, what=t("notice {id}", id=notice_id))
    return n


def _draft(n: Notice) -> None:
    if n.status != "draft":
        raise Conflict(t("notice {id} is published already; only a draft can be changed", id=n.id))


def update(session: Session, principal: Principal, notice_id: int, changes: NoticeUpdate) -> Notice:
    n = _for_publisher(session, principal, notice_id)
    _draft(n)
    before = _snapshot(n)
    given = changes.model_dump(exclude_unset=True)
    title = given.get("title", n.title) or ""
    body = given.get("body", n.body) or ""
    audience = given.get("audience") or n.audience
    tag = given.get("tag", n.tag) if audience == "tag" else None
    expires_at = given.get("expires_at", n.expires_at)
    _check_fields(title, body, audience, tag, expires_at)
    n.title, n.body, n.audience, n.tag, n.expires_at = title.strip(), body.strip(), audience, tag, expires_at
    session.flush()
    record(session, principal, "notice.update", "notice", n.id, n.area_code, before=before, after=_snapshot(n))
    return n


def subscribers_of(n: Notice) -> outbox.Subscribers | None:
    """Beyond the staff, whom a notice reaches: nobody, the subscribers holding its tag today, or every
    subscriber of the notices topic."""
    if n.audience == "workers_only":
        return None
    if n.audience == "tag" and n.tag:
        return outbox.Subscribers(TOPIC, residents_repo.tagged_persons(n.tag, date.today()))
    return outbox.Subscribers(TOPIC)


@dataclass(frozen=True)
class AudiencePreview:
    """Whom publishing the notice would reach now: `reach` (staff on their inbox, subscribers by channel)
    and, for a notice to residents, how many residents of the register it is meant for (`residents`:
    everyone present in the area, or those holding its tag) and how many of them no channel reaches."""

    reach: outbox.Reach
    residents: int | None  # None: a notice to workers only

    @property
    def without_channel(self) -> int:
        """Residents of the register it is meant for whom no subscription reaches."""
        return 0 if self.residents is None else max(0, self.residents - self.reach.entries)


def preview(session: Session, principal: Principal, notice_id: int) -> AudiencePreview:
    """The audience of a draft, counted by the rule publish follows (the same selectables), nothing sent."""
    n = _for_publisher(session, principal, notice_id)
    area = codes.unpad(n.area_code)
    found = outbox.reach(
        session,
        area_code=area,
        users=areas_repo.staff_of(area),
        subscribers=subscribers_of(n),
        accounts=residents_repo.linked_accounts(),
    )
    if n.audience == "workers_only":
        return AudiencePreview(found, None)
    tag = n.tag if n.audience == "tag" else None
    residents = residents_repo.persons_in_audience(session, area, principal.scope(PUBLISH), date.today(), tag)
    return AudiencePreview(found, residents)


def publish(session: Session, principal: Principal, notice_id: int) -> tuple[Notice, FanOutResult]:
    """Publish a draft: its status, an audit entry and the fan-out to its audience, all in the caller's
    transaction (the outbox rows are written with the change, or not at all)."""
    n = _for_publisher(session, principal, notice_id)
    _draft(n)
    _check_fields(n.title, n.body, n.audience, n.tag, n.expires_at)
    now = utcnow()
    if n.expires_at is not None and as_utc(n.expires_at) <= now:
        raise InvalidInput(t("the notice expires before it would be published; change its expiry time"))
    n.status, n.published_at, n.published_by = "published", now, principal.audit_name
    session.flush()
    names = repo.attachment_names(session, n.id)
    area = codes.unpad(n.area_code)
    result = outbox.fan_out(
        session,
        ref=n.ref,
        kind="notice.publish",
        area_code=area,
        content={
            "title": n.title,
            "body": n.body,
            "link": f"/notices/{n.id}",
            "audience": n.audience,
            "tag": n.tag,
            "attachments": names,
        },
        users=areas_repo.staff_of(area),
        subscribers=subscribers_of(n),
    )
    record(
        session,
        principal,
        "notice.publish",
        "notice",
        n.id,
        n.area_code,
        before={"status": "draft"},
        after={**_snapshot(n), "enqueued": result.enqueued},
    )
    return n, result


def withdraw(session: Session, principal: Principal, notice_id: int) -> Notice:
    """Withdraw a published notice: residents no longer see it; nothing is sent again."""
    n = _for_publisher(session, principal, notice_id)
    if n.status != "published":
        raise Conflict(t("only a published notice can be withdrawn"))
    n.status, n.withdrawn_at, n.withdrawn_by = "withdrawn", utcnow(), principal.audit_name
    session.flush()
    record(
        session,
        principal,
        "notice.withdraw",
        "notice",
        n.id,
        n.area_code,
        before={"status": "published"},
        after={"status": "withdrawn"},
    )
    return n


def add_attachment(session: Session, principal: Principal, notice_id: int, fh: BinaryIO, name: str) -> NoticeAttachment:
    """Attach a file to a draft: checked by its first bytes and size before anything is stored."""
    n = _for_publisher(session, principal, notice_id)
    _draft(n)
    if repo.attachment_count(session, n.id) >= MAX_ATTACHMENTS:
        raise InvalidInput(t("a notice may have at most {n} attachments", n=MAX_ATTACHMENTS))
    file_name = files.clean_name(name)
    content_type = files.sniff(fh)
    sha, size = files.store(fh)
    att = NoticeAttachment(
        notice_id=n.id,
        file_name=file_name,
        content_type=content_type,
        size=size,
        sha256=sha,
        uploaded_by=principal.audit_name,
    )
    session.add(att)
    session.flush()
    record(
        session,
        principal,
        "notice.attach",
        "notice",
        n.id,
        n.area_code,
        after={"attachment_id": att.id, "file_name": file_name, "size": size, "sha256": sha},
    )
    return att


def remove_attachment(session: Session, principal: Principal, notice_id: int, attachment_id: int) -> None:
    n = _for_publisher(session, principal, notice_id)
    _draft(n)
    att = repo.attachment_of(session, n, attachment_id)
    shared = repo.file_shared(session, att)
    sha, name = att.sha256, att.file_name
    session.delete(att)
    session.flush()
    record(
        session,
        principal,
        "notice.detach",
        "notice",
        n.id,
        n.area_code,
        before={"attachment_id": attachment_id, "file_name": name, "sha256": sha},
    )
    if not shared:
        # The file goes only once the removal is committed: a rollback keeps the attachment whole.
        event.listen(session, "after_commit", lambda _s: files.forget(sha), once=True)
