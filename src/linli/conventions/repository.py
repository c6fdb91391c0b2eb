"""All SQL about conventions: an area's conventions and their working versions, a convention's versions
and opinions, what waits for the township's review or filing, an area's filing setting."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, subtree_clause
from linli.conventions.models import OPEN, Convention, ConventionOpinion, ConventionSettings, ConventionVersion
from linli.conventions.rules import FILING_DAYS_DEFAULT
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.time import BEIJING

READ = Permission.conventions_read
WRITE = Permission.conventions_write
REVIEW = Permission.conventions_review
COMMENT = Permission.conventions_comment


def today() -> date:
    return datetime.now(BEIJING).date()


def missing(convention_id: int) -> NotFound:
    return NotFound(t("convention {id} does not exist", id=convention_id))


def version_missing(version_id: int) -> NotFound:
    return NotFound(t("version {id} does not exist", id=version_id))


def village(session: Session, code: str) -> Area:
    area = area_repo.find_area(session, code) if codes.is_valid(code) else None
    if area is None or area.level != "village":
        raise NotFound(t("village or community {code} does not exist", code=code))
    return area


def filing_days(session: Session, code: str) -> int:
    """The filing setting in force at an area: its own, else its nearest ancestor's, else the default."""
    wanted = [codes.pad(c) for c in [*codes.ancestors(code), code]]
    rows = {codes.unpad(r.area_code): r for r in session.scalars(select(ConventionSettings).where(
        ConventionSettings.area_code.in_(wanted)))}  # fmt: skip
    for c in [code, *reversed(codes.ancestors(code))]:
        if c in rows:
            return rows[c].filing_days
    return FILING_DAYS_DEFAULT


def settings_row(session: Session, code: str) -> ConventionSettings | None:
    return session.scalar(select(ConventionSettings).where(ConventionSettings.area_code == codes.pad(code)))


def convention_for_staff(session: Session, principal: Principal, convention_id: int) -> Convention:
    c = session.get(Convention, convention_id)
    if c is None or not principal.can(READ, c.area_code):
        raise missing(convention_id)
    return c


def version_for_update(session: Session, version_id: int) -> ConventionVersion | None:
    return session.get(ConventionVersion, version_id, with_for_update=True)


def version(session: Session, version_id: int) -> ConventionVersion | None:
    return session.get(ConventionVersion, version_id)


def convention(session: Session, convention_id: int) -> Convention | None:
    return session.get(Convention, convention_id)


def versions_of(session: Session, convention_id: int) -> list[ConventionVersion]:
    q = select(ConventionVersion).where(ConventionVersion.convention_id == convention_id)
    return list(session.scalars(q.order_by(ConventionVersion.number.desc())))


def open_version(session: Session, convention_id: int) -> ConventionVersion | None:
    q = select(ConventionVersion).where(
        ConventionVersion.convention_id == convention_id, ConventionVersion.status.in_(OPEN)
    )
    return session.scalar(q)


def last_number(session: Session, convention_id: int) -> int:
    q = select(func.max(ConventionVersion.number)).where(ConventionVersion.convention_id == convention_id)
    return session.scalar(q) or 0


def opinions_of(session: Session, version_id: int) -> list[ConventionOpinion]:
    q = select(ConventionOpinion).where(ConventionOpinion.version_id == version_id)
    return list(session.scalars(q.order_by(ConventionOpinion.recorded_at, ConventionOpinion.id)))


def opinion_counts(session: Session, version_ids: list[int]) -> dict[int, int]:
    if not version_ids:
        return {}
    q = (
        select(ConventionOpinion.version_id, func.count())
        .where(ConventionOpinion.version_id.in_(version_ids))
        .group_by(ConventionOpinion.version_id)
    )
    return dict(session.execute(q).all())


def in_area(session: Session, principal: Principal, code: str) -> list[tuple[Convention, ConventionVersion | None]]:
    """The conventions inside an area, each with its working (open) version if any."""
    conds = [principal.scope(READ).clause(Convention.area_code), subtree_clause(Convention.area_code, code)]
    found = list(
        session.scalars(select(Convention).where(*conds).order_by(Convention.area_code, Convention.id).limit(200))
    )
    ids = [c.id for c in found]
    working = {}
    if ids:
        q = select(ConventionVersion).where(
            ConventionVersion.convention_id.in_(ids), ConventionVersion.status.in_(OPEN)
        )
        working = {v.convention_id: v for v in session.scalars(q)}
    return [(c, working.get(c.id)) for c in found]


def in_force(session: Session, code: str) -> list[tuple[Convention, ConventionVersion]]:
    """The conventions of a village in force, with their text (public)."""
    q = (
        select(Convention, ConventionVersion)
        .join(ConventionVersion, ConventionVersion.id == Convention.in_force_version_id)
        .where(Convention.area_code == codes.pad(code))
        .order_by(Convention.id)
    )
    return [(c, v) for c, v in session.execute(q)]


def collecting(session: Session, code: str) -> list[tuple[Convention, ConventionVersion]]:
    """A village's versions open for residents' opinions (public)."""
    q = (
        select(Convention, ConventionVersion)
        .join(ConventionVersion, ConventionVersion.convention_id == Convention.id)
        .where(Convention.area_code == codes.pad(code), ConventionVersion.status == "opinions")
    )
    return [(c, v) for c, v in session.execute(q)]


def count_status(session: Session, scope: AreaScope, statuses: tuple[str, ...]) -> int:
    q = select(func.count()).where(ConventionVersion.status.in_(statuses), scope.clause(ConventionVersion.area_code))
    return session.scalar(q) or 0


def filing_overdue_count(session: Session, scope: AreaScope, on: date) -> int:
    q = select(func.count()).where(
        ConventionVersion.status == "adopted",
        ConventionVersion.filing_due_on < on,
        scope.clause(ConventionVersion.area_code),
    )
    return session.scalar(q) or 0


def generated_count(session: Session) -> int:
    return session.scalar(select(func.count()).where(Convention.generated.is_(True))) or 0
