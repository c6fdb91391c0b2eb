"""All SQL of the certificates: the kinds on the list that applies at an area, certificates issued inside
an area, and the residents a counter may issue to."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope, subtree_clause
from linli.certificates.models import Certificate, CertificateKind
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.residents import repository as residents_repo
from linli.residents.models import Person

READ = Permission.certificates_read
ISSUE = Permission.certificates_issue
MANAGE = Permission.certificates_manage


def community(session: Session, code: str) -> Area:
    """The community or village `code`; 404 for anything else. Callers check the principal first."""
    area = area_repo.find_area(session, code) if codes.is_valid(code) else None
    if area is None or area.level != "village":
        raise NotFound(t("village or community {code} does not exist", code=code))
    return area


def area_exists(session: Session, code: str) -> bool:
    return codes.is_valid(code) and area_repo.find_area(session, code) is not None


def name_of(session: Session, code: str) -> str:
    return area_repo.names_of(session, [code]).get(code, "")


# --- the list --------------------------------------------------------------------------------------


def kinds_at(session: Session, code: str, *, active_only: bool = True) -> list[CertificateKind]:
    """The kinds on the list that applies at an area: defined at it or at its ancestors, by code."""
    wanted = [codes.pad(c) for c in [*codes.ancestors(code), code]]
    q = select(CertificateKind).where(CertificateKind.area_code.in_(wanted))
    if active_only:
        q = q.where(CertificateKind.active.is_(True))
    return list(session.scalars(q.order_by(CertificateKind.code, CertificateKind.area_code)))


def kind_defined(session: Session, area_code: str, code: str) -> CertificateKind | None:
    return session.scalar(
        select(CertificateKind).where(CertificateKind.area_code == codes.pad(area_code), CertificateKind.code == code)
    )


def kind(session: Session, kind_id: int) -> CertificateKind | None:
    return session.get(CertificateKind, kind_id)


def kind_names(session: Session, kind_ids: list[int]) -> dict[int, str]:
    if not kind_ids:
        return {}
    q = select(CertificateKind.id, CertificateKind.name).where(CertificateKind.id.in_(sorted(set(kind_ids))))
    return {kind_id: name for kind_id, name in session.execute(q)}


def generated_kinds(session: Session) -> int:
    return session.scalar(select(func.count()).where(CertificateKind.generated.is_(True))) or 0


# --- issued certificates ---------------------------------------------------------------------------


def issued_in(
    session: Session, scope: AreaScope, code: str, *, offset: int = 0, limit: int = 50
) -> tuple[list[Certificate], int]:
    """Certificates issued inside an area, newest first."""
    conds = [scope.clause(Certificate.area_code), subtree_clause(Certificate.area_code, code)]
    total = session.scalar(select(func.count()).where(*conds)) or 0
    q = select(Certificate).where(*conds).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    return list(session.scalars(q.offset(offset).limit(limit))), total


def readable(session: Session, principal: Principal, certificate_id: int) -> Certificate:
    """A certificate inside the principal's reach for certificates.read; 404 otherwise."""
    c = session.get(Certificate, certificate_id)
    if c is None or not principal.can(READ, c.area_code):
        raise NotFound(t("certificate {id} does not exist", id=certificate_id))
    return c


def generated_certificates(session: Session, code: str) -> int:
    q = select(func.count()).where(Certificate.generated.is_(True), subtree_clause(Certificate.area_code, code))
    return session.scalar(q) or 0


# --- residents -------------------------------------------------------------------------------------


def person(session: Session, person_id: int) -> Person | None:
    return residents_repo.person_by_id(session, person_id)


def residents_named(session: Session, code: str, scope: AreaScope, name: str, limit: int = 20) -> list[Person]:
    """People present in a community whose name contains `name`: the counter's picker."""
    rows, _ = residents_repo.search_persons(
        session, code, scope, name=name, id_bidx=None, phone_bidx=None, tag=None, born_after=None,
        born_before=None, status="present", offset=0, limit=limit, today=date.today(),
    )  # fmt: skip
    return rows
