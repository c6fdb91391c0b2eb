"""All SQL about consultations: an area's topics, a village's public ones, a topic's participants and
opinions, and the workbench's counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, subtree_clause
from linli.consultation.models import ConsultationOpinion, ConsultationParticipant, ConsultationTopic
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING

READ = Permission.consultation_read
WRITE = Permission.consultation_write
RAISE = Permission.consultation_raise
PUBLIC = ("scheduled", "held", "reported")


def today() -> date:
    return datetime.now(BEIJING).date()


def missing(topic_id: int) -> NotFound:
    return NotFound(t("consultation {id} does not exist", id=topic_id))


def village(session: Session, code: str) -> Area:
    area = area_repo.find_area(session, code) if codes.is_valid(code) else None
    if area is None or area.level != "village":
        raise NotFound(t("village or community {code} does not exist", code=code))
    return area


def topic(session: Session, topic_id: int) -> ConsultationTopic | None:
    return session.get(ConsultationTopic, topic_id)


def topic_for_update(session: Session, topic_id: int) -> ConsultationTopic | None:
    return session.get(ConsultationTopic, topic_id, with_for_update=True)


def topic_for_staff(session: Session, principal: Principal, topic_id: int) -> ConsultationTopic:
    found = session.get(ConsultationTopic, topic_id)
    if found is None or not principal.can(READ, found.area_code):
        raise missing(topic_id)
    return found


def public_topic(session: Session, topic_id: int) -> ConsultationTopic:
    """A topic whose content has been published (anyone may read it)."""
    found = session.get(ConsultationTopic, topic_id)
    if found is None or found.status not in PUBLIC:
        raise missing(topic_id)
    return found


def in_area(
    session: Session, principal: Principal, code: str, *, status: str = "", limit: int = 100
) -> list[ConsultationTopic]:
    conds = [
        principal.scope(READ).clause(ConsultationTopic.area_code),
        subtree_clause(ConsultationTopic.area_code, code),
    ]
    if status:
        conds.append(ConsultationTopic.status == status)
    q = (
        select(ConsultationTopic)
        .where(*conds)
        .order_by(ConsultationTopic.updated_at.desc(), ConsultationTopic.id.desc())
    )
    return list(session.scalars(q.limit(limit)))


def of_village(session: Session, code: str, *, limit: int = 100) -> list[ConsultationTopic]:
    """A village's published consultations (public), the newest first."""
    q = select(ConsultationTopic).where(
        ConsultationTopic.area_code == codes.pad(code), ConsultationTopic.status.in_(PUBLIC)
    )
    return list(
        session.scalars(q.order_by(ConsultationTopic.published_on.desc(), ConsultationTopic.id.desc()).limit(limit))
    )


def participants_of(session: Session, topic_id: int) -> list[ConsultationParticipant]:
    q = select(ConsultationParticipant).where(ConsultationParticipant.topic_id == topic_id)
    return list(session.scalars(q.order_by(ConsultationParticipant.id)))


def opinions_of(session: Session, topic_id: int) -> list[ConsultationOpinion]:
    q = select(ConsultationOpinion).where(ConsultationOpinion.topic_id == topic_id)
    return list(session.scalars(q.order_by(ConsultationOpinion.given_at, ConsultationOpinion.id)))


def count_status(session: Session, scope: AreaScope, status: str) -> int:
    q = select(func.count()).where(ConsultationTopic.status == status, scope.clause(ConsultationTopic.area_code))
    return session.scalar(q) or 0


def generated_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(ConsultationTopic.generated.is_(True))) or 0


def linked_to_matter(session: Session, area_code: str, matter_ref: str) -> list[ConsultationTopic]:
    """The consultations of a village whose outcome is linked to this matter (`selfgov-matter:<id>`)."""
    q = select(ConsultationTopic).where(
        ConsultationTopic.area_code == area_code, ConsultationTopic.matter_ref == matter_ref
    )
    return list(session.scalars(q.order_by(ConsultationTopic.id)))
