"""All SQL about notices: who sees which (the rule in `linli.notices.service`'s docstring), lists for
an area and for oneself, attachments and delivery counts, and the rows the service changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.authn.models import User
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import subtree_clause
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow
from linli.notices.models import Notice, NoticeAttachment
from linli.notify.outbox import DeliveryCounts, delivery_counts, subscribed_persons
from linli.residents.models import PersonTag

READ = Permission.notices_read
PUBLISH = Permission.notices_publish


def missing(notice_id: int) -> NotFound:
    return NotFound(t("notice {id} does not exist", id=notice_id))


def check_area(session: Session, principal: Principal, area_code: str, permission: Permission) -> str:
    if not codes.is_valid(area_code):
        raise NotFound(t("area {code} does not exist", code=area_code))
    principal.check(permission, area_code, what=t("area {code}", code=area_code))
    if area_repo.find_area(session, area_code) is None:
        raise NotFound(t("area {code} does not exist", code=area_code))
    return area_code


def _home_codes(session: Session, principal: Principal) -> set[str]:
    """Where the principal belongs: their account's home area and the areas of their grants."""
    found = set(principal.grant_areas)
    if principal.user_id is not None:
        home = session.scalar(select(User.area_code).where(User.id == principal.user_id))
        if home:
            found.add(codes.unpad(home))
    return found


def _tags_of(session: Session, principal: Principal) -> set[str]:
    """Tags held today by the persons the account is linked to (by a subscription naming both)."""
    if principal.user_id is None:
        return set()
    today = date.today()
    q = select(PersonTag.tag).where(
        PersonTag.person_id.in_(subscribed_persons(principal.user_id)),
        PersonTag.start_on <= today,
        or_(PersonTag.end_on.is_(None), PersonTag.end_on >= today),
    )
    return set(session.scalars(q))


def _addressed(session: Session, principal: Principal):
    """SQL: published, unexpired notices addressed to the principal's places, for their audience."""
    places = {codes.pad(a) for c in _home_codes(session, principal) for a in [*codes.ancestors(c), c]}
    if not places:
        return false()
    conds = [
        Notice.status == "published",
        Notice.area_code.in_(sorted(places)),
        or_(Notice.expires_at.is_(None), Notice.expires_at > utcnow()),
    ]
    if not principal.holds_anywhere(READ):  # staff see every audience; residents theirs
        tags = _tags_of(session, principal)
        audience = Notice.audience == "all_residents"
        if tags:
            audience = or_(audience, and_(Notice.audience == "tag", Notice.tag.in_(sorted(tags))))
        conds.append(audience)
    return and_(*conds)


def get_readable(session: Session, principal: Principal, notice_id: int) -> Notice:
    n = session.get(Notice, notice_id)
    if n is None:
        raise missing(notice_id)
    if principal.can(READ, n.area_code):
        return n
    if session.scalar(select(func.count()).where(Notice.id == n.id, _addressed(session, principal))):
        return n
    raise missing(notice_id)


def list_for_area(
    session: Session,
    principal: Principal,
    *,
    area_code: str | None = None,
    status: str | None = None,
    audience: str | None = None,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Notice], int]:
    """Notices inside an area (or all the principal's areas), newest first, for staff."""
    conds = [principal.scope(READ).clause(Notice.area_code)]
    if area_code:
        check_area(session, principal, area_code, READ)
        conds.append(subtree_clause(Notice.area_code, area_code))
    if status:
        conds.append(Notice.status == status)
    if audience:
        conds.append(Notice.audience == audience)
    if q and q.strip():
        conds.append(Notice.title.contains(q.strip(), autoescape=True))
    query = select(Notice).where(*conds)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Notice.updated_at.desc(), Notice.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def list_for_me(
    session: Session, principal: Principal, *, offset: int = 0, limit: int = 50
) -> tuple[list[Notice], int]:
    """Published notices addressed to the principal (their home area and its ancestors), newest first."""
    query = select(Notice).where(_addressed(session, principal))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Notice.published_at.desc(), Notice.id.desc()).offset(offset).limit(limit))
    return list(rows), total


def attachments_of(session: Session, notice_ids: list[int]) -> dict[int, list[NoticeAttachment]]:
    out: dict[int, list[NoticeAttachment]] = {i: [] for i in notice_ids}
    if notice_ids:
        rows = session.scalars(
            select(NoticeAttachment).where(NoticeAttachment.notice_id.in_(notice_ids)).order_by(NoticeAttachment.id)
        )
        for a in rows:
            out[a.notice_id].append(a)
    return out


def attachment(session: Session, principal: Principal, notice_id: int, attachment_id: int) -> NoticeAttachment:
    """An attachment of a notice the principal may read."""
    return attachment_of(session, get_readable(session, principal, notice_id), attachment_id)


@dataclass(frozen=True)
class Deliveries:
    rows: list[DeliveryCounts]

    @property
    def total(self) -> DeliveryCounts:
        return DeliveryCounts(
            "",
            sum(r.total for r in self.rows),
            sum(r.delivered for r in self.rows),
            sum(r.failed for r in self.rows),
            sum(r.pending for r in self.rows),
        )


def deliveries(session: Session, principal: Principal, n: Notice) -> Deliveries | None:
    """How far the notice got, by child area: for staff who may read the area's notices, once published."""
    if n.status == "draft" or not principal.can(READ, n.area_code):
        return None
    counts = delivery_counts(session, n.ref, codes.unpad(n.area_code))
    return Deliveries(list(counts.values()))


# --- the rows the service changes -----------------------------------------------------------------


def notice_for_update(session: Session, notice_id: int) -> Notice | None:
    """The notice, its row locked until the transaction ends (unscoped: the service checks the principal)."""
    return session.get(Notice, notice_id, with_for_update=True)


def attachment_of(session: Session, notice: Notice, attachment_id: int) -> NoticeAttachment:
    """An attachment of this notice; 404 for another notice's or an unknown one."""
    att = session.get(NoticeAttachment, attachment_id)
    if att is None or att.notice_id != notice.id:
        raise NotFound(t("attachment {id} does not exist", id=attachment_id))
    return att


def attachment_names(session: Session, notice_id: int) -> list[str]:
    return list(session.scalars(select(NoticeAttachment.file_name).where(NoticeAttachment.notice_id == notice_id)))


def attachment_count(session: Session, notice_id: int) -> int:
    return session.scalar(select(func.count()).where(NoticeAttachment.notice_id == notice_id)) or 0


def file_shared(session: Session, att: NoticeAttachment) -> bool:
    """Whether another attachment (of any notice) holds the same stored file."""
    return bool(
        session.scalar(select(func.count()).where(NoticeAttachment.sha256 == att.sha256, NoticeAttachment.id != att.id))
    )


def generated_count(session: Session) -> int:
    """How many notices the demo generated."""
    return session.scalar(select(func.count()).where(Notice.generated.is_(True))) or 0


def refreshed(session: Session, notice: Notice) -> Notice:
    """The notice as the database has it now (after a refused change, to show the form again)."""
    session.refresh(notice)
    return notice
