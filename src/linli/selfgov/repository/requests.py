"""Requests to convene a meeting (村委会组织法第二十一条, 居委会组织法第十条) and their supporters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.errors import NotFound
from linli.kit.i18n import t
from linli.selfgov.models import ConveneRequest, ConveneSupporter
from linli.selfgov.repository.places import WRITE, reaches


def request_readable(session: Session, principal: Principal, request_id: int) -> ConveneRequest:
    r = session.get(ConveneRequest, request_id)
    if r is None or not reaches(principal, r.area_code):
        raise NotFound(t("request {id} does not exist", id=request_id))
    return r


def request_for_update(session: Session, request_id: int) -> ConveneRequest | None:
    return session.get(ConveneRequest, request_id, with_for_update=True)


def requests_of(session: Session, code: str, *, limit: int = 30) -> list[ConveneRequest]:
    """The village's requests, the open ones first, then the latest."""
    q = select(ConveneRequest).where(ConveneRequest.area_code == codes.pad(code))
    q = q.order_by((ConveneRequest.status == "convened").asc(), ConveneRequest.id.desc()).limit(limit)
    return list(session.scalars(q))


def supporting(session: Session, request_id: int, person_ids: Sequence[int]) -> set[int]:
    """Which of these persons support the request already."""
    found: set[int] = set()
    ids = list(person_ids)
    for start in range(0, len(ids), 900):
        q = select(ConveneSupporter.person_id).where(
            ConveneSupporter.request_id == request_id, ConveneSupporter.person_id.in_(ids[start : start + 900])
        )
        found |= set(session.scalars(q))
    return found


def supporters_of(session: Session, request_id: int, *, offset: int = 0, limit: int = 100) -> list[ConveneSupporter]:
    q = select(ConveneSupporter).where(ConveneSupporter.request_id == request_id).order_by(ConveneSupporter.id)
    return list(session.scalars(q.offset(offset).limit(limit)))


def count_supporters(session: Session, request_id: int) -> int:
    q = select(func.count()).where(ConveneSupporter.request_id == request_id)
    return session.scalar(q) or 0


def count_reached_requests(session: Session, principal: Principal) -> int:
    """Requests in the principal's places with enough supporters and no meeting convened yet."""
    conds = [principal.scope(WRITE).clause(ConveneRequest.area_code), ConveneRequest.status == "reached"]
    return session.scalar(select(func.count()).where(*conds)) or 0
