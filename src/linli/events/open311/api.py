"""The GeoReport v2 routes. All are public at the HTTP level and check their api_key themselves: POST needs
one; a GET without one sees only the public requests (see service.reader)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.authz.deps import get_db, public
from linli.events.open311 import service
from linli.events.open311.render import error, respond
from linli.kit.errors import DomainError, Forbidden, NotFound, Unauthenticated

router = APIRouter(prefix="/open311/v2", tags=["open311"], dependencies=[Depends(public)])
FORMATS = ("json", "xml")


def _status(exc: DomainError) -> int:
    if isinstance(exc, Forbidden | Unauthenticated):
        return 403
    if isinstance(exc, NotFound):
        return 404
    return 400  # the spec's answer to bad input


def _answer(fmt: str, root: str, produce: Callable[[], Any], status: int = 200) -> Response:
    if fmt not in FORMATS:
        return error("json", 404, f"format {fmt!r} is not served; use .json or .xml")
    try:
        return respond(fmt, root, produce(), status)
    except DomainError as exc:
        return error(fmt, _status(exc), exc.message)


@router.get("/discovery.{fmt}", summary="GeoReport v2 service discovery")
def discovery(fmt: str, request: Request):
    return _answer(
        fmt, "discovery", lambda: service.discovery(str(request.url_for("discovery", fmt=fmt)).rsplit("/", 1)[0])
    )


@router.get("/services.{fmt}", summary="Services (event sub-categories)")
def services(fmt: str, session: Session = Depends(get_db, scope="function")):
    return _answer(fmt, "services", lambda: service.services(session))


@router.get("/services/{code}.{fmt}", summary="Service definition (attributes)")
def definition(code: str, fmt: str, session: Session = Depends(get_db, scope="function")):
    return _answer(fmt, "service_definition", lambda: service.definition(session, code))


def api_key(request: Request, form: dict[str, str] | None = None) -> str | None:
    """The spec's api_key parameter (query or form), or a Linli API token as `Authorization: Bearer`."""
    key = (form or {}).get("api_key") or request.query_params.get("api_key")
    if key:
        return key
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


@router.get(
    "/requests.{fmt}",
    summary="Service requests with the spec's filters: without api_key the public ones (accepted, public "
    "categories, public text, coarse location); with one, those of its holder's scope",
)
def find(fmt: str, request: Request, session: Session = Depends(get_db, scope="function")):
    return _answer(
        fmt,
        "service_requests",
        lambda: service.find(session, dict(request.query_params), service.reader(session, api_key(request))),
    )


@router.post("/requests.{fmt}", summary="Create a service request (form-encoded, api_key required)")
async def create(fmt: str, request: Request, session: Session = Depends(get_db, scope="function")):
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    form["api_key"] = api_key(request, form) or ""
    result = _answer(fmt, "service_requests", lambda: [service.create(session, form)], 201)
    if result.status_code >= 400:
        session.rollback()  # bad input changes nothing
    return result


@router.get("/tokens/{token}.{fmt}", summary="The service request id of a token")
def token(token: str, fmt: str, request: Request, session: Session = Depends(get_db, scope="function")):
    return _answer(
        fmt, "service_requests", lambda: [service.token(session, token, service.reader(session, api_key(request)))]
    )


@router.get("/requests/{rid}.{fmt}", summary="One service request (as the list shows it to the same reader)")
def one(rid: str, fmt: str, request: Request, session: Session = Depends(get_db, scope="function")):
    return _answer(
        fmt, "service_requests", lambda: [service.one(session, rid, service.reader(session, api_key(request)))]
    )
