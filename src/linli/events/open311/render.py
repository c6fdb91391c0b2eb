"""GeoReport v2 bodies in JSON or XML, and the spec's error format (a list of {code, description})."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from fastapi.responses import JSONResponse, Response

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
