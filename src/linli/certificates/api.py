"""JSON API of community certificates (/api/v1/certificates): the national negative list and the list that
applies at a place (both public), keeping the list, issuing a certificate, and reading and printing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.authz.deps import DbSession, Require, public
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.certificates import documents, kinds, repository, service
from linli.certificates.models import Certificate, CertificateKind
from linli.certificates.schemas import (
    CertificateIn,
    CertificateOut,
    KindIn,
    KindOut,
    NegativeListOut,
    RefusedOut,
)
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.kit.pagination import Page, PageParams, page_params
from linli.kit.pdf import PDF_MEDIA_TYPE
from linli.kit.types import Id

router = APIRouter(prefix="/api/v1/certificates", tags=["certificates"])
Reader = Annotated[Principal, Depends(Require(Permission.certificates_read))]
Issuer = Annotated[Principal, Depends(Require(Permission.certificates_issue))]
Manager = Annotated[Principal, Depends(Require(Permission.certificates_manage))]


def negative_list() -> NegativeListOut:
    items = [
        RefusedOut(code=r.code, number=r.number, name=r.name, channel=r.channel, channel_verified=r.channel_verified)
        for r in kinds.NEGATIVE_LIST
    ]
    return NegativeListOut(source=kinds.SOURCE, items=items)


def kind_out(k: CertificateKind) -> KindOut:
    return KindOut(
        id=k.id, area_code=codes.unpad(k.area_code), code=k.code, name=k.name, legal_basis=k.legal_basis,
        purpose=k.purpose, sample_text=k.sample_text, handling_time=k.handling_time, example=k.example,
        active=k.active, generated=k.generated,
    )  # fmt: skip


def certificate_out(c: Certificate, kind_name: str) -> CertificateOut:
    return CertificateOut(
        id=c.id, number=c.number, area_code=codes.unpad(c.area_code), kind_id=c.kind_id, kind_name=kind_name,
        person_id=c.person_id, person_name=c.person_name, purpose=c.purpose, body=c.body, issued_by=c.issued_by,
        issued_at=c.issued_at, generated=c.generated,
    )  # fmt: skip


def outs(session: Session, rows: list[Certificate]) -> list[CertificateOut]:
    names = repository.kind_names(session, [c.kind_id for c in rows])
    return [certificate_out(c, names.get(c.kind_id, "")) for c in rows]


@router.get(
    "/negative-list", response_model=NegativeListOut, dependencies=[Depends(public)],
    summary="Certificates communities must not issue, and where to go instead (public)",
)  # fmt: skip
def get_negative_list():
    return negative_list()


@router.get(
    "/kinds", response_model=list[KindOut], dependencies=[Depends(public)],
    summary="The certificates communities at a place may issue (public)",
)  # fmt: skip
def list_kinds(session: DbSession, area: str = Query(..., max_length=15, description="area code")):
    if not repository.area_exists(session, area):
        raise NotFound(t("area {code} does not exist", code=area))
    return [kind_out(k) for k in repository.kinds_at(session, area)]


@router.post("/kinds", response_model=KindOut, status_code=201, summary="Put a certificate on the list (by code)")
def save_kind(body: KindIn, principal: Manager, session: DbSession):
    return kind_out(service.save_kind(session, principal, body))


@router.get("", response_model=Page[CertificateOut], summary="Certificates issued inside an area")
def list_certificates(
    principal: Reader,
    session: DbSession,
    area: str = Query(..., max_length=15, description="area code"),
    pp: PageParams = Depends(page_params),
):
    if not codes.is_valid(area) or not principal.can(Permission.certificates_read, area):
        raise NotFound(t("area {code} does not exist", code=area))
    scope = principal.scope(Permission.certificates_read)
    rows, total = repository.issued_in(session, scope, area, offset=pp.offset, limit=pp.size)
    return Page(items=outs(session, rows), total=total, page=pp.page, size=pp.size)


@router.post("", response_model=CertificateOut, status_code=201, summary="Issue a certificate on the list")
def issue(body: CertificateIn, principal: Issuer, session: DbSession):
    return outs(session, [service.issue(session, principal, body)])[0]


@router.get("/{certificate_id}", response_model=CertificateOut, summary="A certificate")
def get_certificate(certificate_id: Id, principal: Reader, session: DbSession):
    return outs(session, [repository.readable(session, principal, certificate_id)])[0]


@router.get("/{certificate_id}/certificate.pdf", summary="The certificate, printed")
def certificate_pdf(certificate_id: Id, principal: Reader, session: DbSession):
    pdf = documents.certificate_pdf(session, repository.readable(session, principal, certificate_id))
    return Response(pdf, media_type=PDF_MEDIA_TYPE)
