"""The GeoReport v2 routes, and their bodies in JSON or XML. All are public at the HTTP level and check their
api_key themselves: POST needs one; a GET without one sees only the public requests (see open311.reader).
The mapping of Linli to GeoReport is linli.events.open311."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from linli.authz.deps import DbSession, public
from linli.events import open311
from linli.kit.errors import DomainError, Forbidden, NotFound, Unauthenticated

router = APIRouter(prefix="/open311/v2", tags=["open311"], dependencies=[Depends(public)])
FORMATS = ("json", "xml")

# A list under one of these keys becomes repeated child elements of the singular name.
SINGULAR = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _fill(parent: ET.Element, key: str, value: Any) -> None:
    if isinstance(value, list):
        holder = ET.SubElement(parent, key)
        for item in value:
            _fill(holder, SINGULAR.get(key, "item"), item)
    elif isinstance(value, dict):
        el = ET.SubElement(parent, key)
        for k, v in value.items():
            _fill(el, k, v)
    else:
        el = ET.SubElement(parent, key)
        if value is not None:
            el.text = str(value).lower() if isinstance(value, bool) else str(value)


def to_xml(root: str, body: Any) -> bytes:
    """`body` is a list (repeated children of `root`) or a dict (children of `root`)."""
    el = ET.Element(root)
    if isinstance(body, list):
        for item in body:
            _fill(el, SINGULAR.get(root, "item"), item)
    else:
        for k, v in body.items():
            _fill(el, k, v)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(el, encoding="utf-8")


def respond(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(to_xml(root, body), status_code=status, media_type="text/xml; charset=utf-8")
    return JSONResponse(body, status_code=status)


def error(fmt: str, status: int, description: str) -> Response:
    return respond(fmt, "errors", [{"code": status, "description": description}], status)


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
        fmt, "discovery", lambda: open311.discovery(str(request.url_for("discovery", fmt=fmt)).rsplit("/", 1)[0])
    )


@router.get("/services.{fmt}", summary="Services (event sub-categories)")
def services(fmt: str, session: DbSession):
    return _answer(fmt, "services", lambda: open311.services(session))


@router.get("/services/{code}.{fmt}", summary="Service definition (attributes)")
def definition(code: str, fmt: str, session: DbSession):
    return _answer(fmt, "service_definition", lambda: open311.definition(session, code))


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
def find(fmt: str, request: Request, session: DbSession):
    return _answer(
        fmt,
        "service_requests",
        lambda: open311.find(session, dict(request.query_params), open311.reader(session, api_key(request))),
    )


@router.post("/requests.{fmt}", summary="Create a service request (form-encoded, api_key required)")
async def create(fmt: str, request: Request, session: DbSession):
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    form["api_key"] = api_key(request, form) or ""
    result = _answer(fmt, "service_requests", lambda: [open311.create(session, form)], 201)
    if result.status_code >= 400:
        session.rollback()  # bad input changes nothing
    return result


@router.get("/tokens/{token}.{fmt}", summary="The service request id of a token")
def token(token: str, fmt: str, request: Request, session: DbSession):
    return _answer(
        fmt, "service_requests", lambda: [open311.token(session, token, open311.reader(session, api_key(request)))]
    )


@router.get("/requests/{rid}.{fmt}", summary="One service request (as the list shows it to the same reader)")
def one(rid: str, fmt: str, request: Request, session: DbSession):
    return _answer(
        fmt, "service_requests", lambda: [open311.one(session, rid, open311.reader(session, api_key(request)))]
    )
