"""The OpenAPI document, made true: real media types, and the error answers every operation can give.

FastAPI documents each route's success answer as JSON and its 422 as its own validation body. Here
the document FastAPI builds is corrected in one place: every error answer has the body the error
handlers write, `{"error": {"code", "message", "details"?}}`; the statuses each class of route gives
are added (401/403/404 for anything behind a sign-in, 400/413 for a body, 422 for parameters), plus
the route-specific ones listed below. tests/web/test_openapi_contract.py checks the result with
schemathesis, so a route whose answers drift from here fails a test.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from linli.alerts.api import CAP_TYPE
from linli.authz.deps import access_of, iter_routes
from linli.events.photos import EXT as PHOTO_TYPES
from linli.notices.files import KINDS as ATTACHMENT_TYPES
from linli.residents.api.files import XLSX

ERROR = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "stable, for programs (e.g. not_found, invalid_input)"},
                "message": {"type": "string", "description": "for people, in the caller's language"},
                "details": {"description": "more about the error: e.g. the fields or rows at fault"},
            },
        }
    },
}
# GeoReport v2 answers its errors in its own format, a list of {code, description}.
OPEN311_ERROR = {
    "title": "Open311Errors",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    400: "The request body cannot be parsed.",
    401: "Not signed in: no token, or a token that is invalid, expired or revoked.",
    403: "The object is within reach but the role lacks the permission (or a browser session's write lacks "
    "its CSRF token).",
    404: "It does not exist, or it is outside the caller's areas: the two answer alike.",
    409: "The object's state does not allow this (already taken, retired, published, decided, ...).",
    413: "The request body is larger than this route allows.",
    422: "Invalid input; `details` lists the fields at fault.",
    429: "Too many attempts; `details.retry_after` says how many seconds to wait.",
}
BINARY = {"schema": {"type": "string", "format": "binary"}}
TEXT = {"schema": {"type": "string"}}
GEOJSON = {"application/geo+json": {"schema": {"type": "object", "description": "a GeoJSON FeatureCollection"}}}

# Routes that answer something other than JSON: their success answer's media types.
MEDIA: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/v1/event-photos/{photo_id}"): {media: BINARY for media in PHOTO_TYPES},
    ("GET", "/api/v1/notices/{notice_id}/attachments/{attachment_id}"): {media: BINARY for media in ATTACHMENT_TYPES},
    ("GET", "/api/v1/residents/template.xlsx"): {XLSX: BINARY},
    ("GET", "/api/v1/areas/{code}/residents.xlsx"): {XLSX: BINARY},
    ("GET", "/api/v1/areas/{code}/boundaries"): GEOJSON,
    ("GET", "/api/v1/areas/{code}/outlines"): GEOJSON,
    ("GET", "/api/v1/areas/{code}/grids"): GEOJSON,
    ("GET", "/cap/alerts/{identifier}.xml"): {CAP_TYPE: TEXT},
    ("GET", "/cap/{area_code}.atom"): {"application/atom+xml": TEXT},
    ("GET", "/api/v1/services/catalogue/{code}/catalogue.xlsx"): {XLSX: BINARY},
    ("GET", "/api/v1/services/applications/{application_id}/notice.pdf"): {"application/pdf": BINARY},
    ("GET", "/api/v1/services/applications/{application_id}/receipt.pdf"): {"application/pdf": BINARY},
    ("GET", "/api/v1/workforce/pay-runs/{run_id}/table.xlsx"): {XLSX: BINARY},
    ("GET", "/api/v1/workforce/pay-runs/{run_id}/table.pdf"): {"application/pdf": BINARY},
    ("GET", "/api/v1/certificates/{certificate_id}/certificate.pdf"): {"application/pdf": BINARY},
    ("GET", "/api/v1/facility-photos/{photo_id}"): {"image/jpeg": BINARY, "image/png": BINARY},
    ("GET", "/api/v1/funding/report.xlsx"): {XLSX: BINARY},
    ("GET", "/api/v1/funding/report.pdf"): {"application/pdf": BINARY},
    ("GET", "/api/v1/org-agreements/{agreement_id}/file"): {
        m: BINARY for m in ("application/pdf", "image/jpeg", "image/png")
    },
}
# Routes that read their body themselves (streamed, with a size limit): what they accept.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/residents/import"): {
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        XLSX: BINARY,
        "text/csv": TEXT,
    },
    ("POST", "/api/v1/notices/{notice_id}/attachments"): {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}
# Statuses beyond those of the route's class (see _statuses), by route.
EXTRA: dict[tuple[str, str], set[int]] = {}


def _extra(statuses: set[int], *routes: tuple[str, str]) -> None:
    for route in routes:
        EXTRA.setdefault(route, set()).update(statuses)


# 409: the services these routes call raise Conflict (state or uniqueness).
_extra(
    {409},
    ("POST", "/api/v1/warnings"),
    ("POST", "/api/v1/warnings/{identifier}/updates"),
    ("POST", "/api/v1/warnings/{identifier}/lift"),
    ("POST", "/api/v1/warnings/{identifier}/confirmations"),
    ("POST", "/cap/push"),
    ("POST", "/api/v1/grids"),
    ("POST", "/api/v1/grids/import"),
    ("PATCH", "/api/v1/grids/{code}"),
    ("POST", "/api/v1/grids/{code}/retire"),
    ("POST", "/api/v1/grids/{code}/workers"),
    ("POST", "/api/v1/users"),
    ("POST", "/api/v1/users/{user_id}/grants"),
    ("POST", "/api/v1/events/{event_id}/transitions"),
    ("POST", "/api/v1/events/{event_id}/supervision"),
    ("POST", "/api/v1/events/{event_id}/me-too"),
    ("POST", "/api/v1/handling-units"),
    ("POST", "/api/v1/handling-units/{unit_id}/members"),
    ("POST", "/api/v1/routing-rules"),
    ("POST", "/api/v1/deliveries/{delivery_id}/retry"),
    ("PUT", "/api/v1/persons/{person_id}/account"),
    ("POST", "/api/v1/households"),
    ("PATCH", "/api/v1/households/{household_id}"),
    ("POST", "/api/v1/households/{household_id}/members"),
    ("POST", "/api/v1/households/{household_id}/move"),
    ("POST", "/api/v1/households/{household_id}/split"),
    ("POST", "/api/v1/households/{household_id}/merge"),
    ("POST", "/api/v1/persons"),
    ("PATCH", "/api/v1/persons/{person_id}"),
    ("POST", "/api/v1/persons/{person_id}/move"),
    ("POST", "/api/v1/persons/{person_id}/death"),
    ("POST", "/api/v1/persons/{person_id}/tags"),
    ("POST", "/api/v1/transfers"),
    ("POST", "/api/v1/transfers/{transfer_id}/accept"),
    ("POST", "/api/v1/transfers/{transfer_id}/reject"),
    ("POST", "/api/v1/transfers/{transfer_id}/cancel"),
    ("PATCH", "/api/v1/notices/{notice_id}"),
    ("POST", "/api/v1/notices/{notice_id}/publish"),
    ("POST", "/api/v1/notices/{notice_id}/withdraw"),
    ("POST", "/api/v1/notices/{notice_id}/attachments"),
    ("DELETE", "/api/v1/notices/{notice_id}/attachments/{attachment_id}"),
    ("POST", "/api/v1/services/applications/{application_id}/transitions"),
    ("POST", "/api/v1/services/applications/{application_id}/materials/{position}"),
    ("POST", "/api/v1/services/applications/{application_id}/seen"),
    ("GET", "/api/v1/services/applications/{application_id}/notice.pdf"),
    ("GET", "/api/v1/services/applications/{application_id}/receipt.pdf"),
)
# 409 of the organizations domain: uniqueness (credit code, member, contact, report) and states of the lists.
_extra(
    {409},
    ("POST", "/api/v1/organizations"),
    ("PATCH", "/api/v1/organizations/{org_id}"),
    ("POST", "/api/v1/organizations/{org_id}/contacts"),
    ("POST", "/api/v1/organizations/{org_id}/reports"),
    ("POST", "/api/v1/alliances/{alliance_id}/members"),
    ("POST", "/api/v1/org-needs"),
    ("POST", "/api/v1/org-needs/{need_id}/close"),
    ("POST", "/api/v1/org-needs/{need_id}/claim"),
    ("POST", "/api/v1/org-resources/{resource_id}/withdraw"),
    ("POST", "/api/v1/org-projects/{project_id}/result"),
    ("POST", "/api/v1/org-projects/{project_id}/drop"),
    ("POST", "/api/v1/org-projects/{project_id}/rating"),
    ("POST", "/api/v1/member-reports"),
    ("POST", "/api/v1/pairings"),
    ("POST", "/api/v1/pairings/{pairing_id}/end"),
    ("POST", "/api/v1/pairings/{pairing_id}/activities"),
)
# 409 of the workforce domain: a post already changing that day, a worker already gone, an assessment
# already used for a promotion, a month's pay already run.
_extra(
    {409},
    ("POST", "/api/v1/workforce/workers/{worker_id}/posts"),
    ("POST", "/api/v1/workforce/workers/{worker_id}/exit"),
    ("POST", "/api/v1/workforce/workers/{worker_id}/promotions"),
    ("POST", "/api/v1/workforce/pay-runs"),
)
# 409 of workforce recruitment: a round already published, an applicant already registered as a worker.
_extra(
    {409},
    ("POST", "/api/v1/workforce/rounds/{round_id}/applicants"),
    ("POST", "/api/v1/workforce/applicants/{applicant_id}/scores"),
    ("POST", "/api/v1/workforce/rounds/{round_id}/publish"),
    ("POST", "/api/v1/workforce/applicants/{applicant_id}/hire"),
)
# 409 of the socialwork domain: a second open centre or station of an area, a staff account or a service
# already there, a closed case.
_extra(
    {409},
    ("POST", "/api/v1/socialwork/stations"),
    ("POST", "/api/v1/socialwork/stations/{station_id}/staff"),
    ("POST", "/api/v1/socialwork/stations/{station_id}/services"),
    ("POST", "/api/v1/socialwork/cases/{case_id}/entries"),
)
# 409 of the responsibility lists: a list already there, a duplicate duty code, a request already waiting or
# reviewed, a link already made.
_extra(
    {409},
    ("POST", "/api/v1/duties/lists"),
    ("POST", "/api/v1/duties/lists/{code}/changes"),
    ("POST", "/api/v1/duties/changes/{change_id}/review"),
    ("POST", "/api/v1/duties/lists/{code}/links"),
)
# 404: the public list of certificates of an area names the area in its query.
_extra({404}, ("GET", "/api/v1/certificates/kinds"))
# 409 of the safety domain: an appointment ended already, a mediation case closed already.
_extra(
    {409},
    ("POST", "/api/v1/safety/appointments/{appointment_id}/end"),
    ("POST", "/api/v1/safety/cases/{case_id}/close"),
)
# 409 of the facilities domain: a community designated already, a review of the year recorded already,
# a class full or the person enrolled already.
_extra(
    {409},
    ("POST", "/api/v1/happy-sites"),
    ("POST", "/api/v1/happy-sites/{site_id}/reviews"),
    ("POST", "/api/v1/elder-classes/{class_id}/enrolments"),
    ("POST", "/api/v1/elder-classes/{class_id}/enrol"),
)
# 409 of the funding domain: a second line for the same place, year, kind and payer; a voucher twice.
_extra({409}, ("POST", "/api/v1/funding/lines"), ("POST", "/api/v1/funding/lines/{line_id}/payments"))
# 409 of road chiefs (a road's name in its place, an ended appointment) and of an alliance's records (a year
# reviewed or a unit evaluated already).
_extra(
    {409},
    ("POST", "/api/v1/chief-roads"),
    ("POST", "/api/v1/chiefs/{appointment_id}/end"),
    ("POST", "/api/v1/chief-patrols"),
    ("POST", "/api/v1/alliances/{alliance_id}/reviews"),
    ("POST", "/api/v1/organizations/{org_id}/evaluations"),
)
# 200 beside 201: these answer 200 when nothing new was created (a repeated report or message).
_extra(
    {200},
    ("POST", "/api/v1/events"),
    ("POST", "/api/v1/warnings/{identifier}/confirmations"),
    ("POST", "/cap/push"),
)


def _statuses(key: tuple[str, str], access: str, operation: dict) -> set[int]:
    out = set(EXTRA.get(key, ()))
    if access != "public":
        out |= {401, 403, 404}
    if "{" in key[1]:
        out.add(404)
    if key[1].startswith("/open311/"):
        out |= {400, 403, 404}  # GeoReport's answers to bad input, a refused api_key, an unknown format
    if operation.get("parameters") or "requestBody" in operation or key in BODIES:
        out.add(422)
    if "requestBody" in operation or key in BODIES:
        out |= {400, 413}
    return out


def _error_content(path: str) -> dict:
    if path.startswith("/open311/"):
        return {
            "application/json": {"schema": {"anyOf": [ERROR_REF, {"$ref": "#/components/schemas/Open311Errors"}]}},
            "text/xml": TEXT,
        }
    return {"application/json": {"schema": ERROR_REF}}


BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "An API token (`lnl_…`): create one at /account/tokens or with POST /api/v1/tokens.",
}


def correct(doc: dict, app: FastAPI) -> dict:
    """`doc` (FastAPI's document of `app`) with the media types and error answers of the routes."""
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Error"] = ERROR
    schemas["Open311Errors"] = OPEN311_ERROR
    # How a client signs in: an API token as a bearer token (what /docs's Authorize button asks for).
    doc["components"]["securitySchemes"] = {"token": BEARER}
    for route in iter_routes(app.routes):
        if not route.include_in_schema:
            continue
        access = access_of(route)
        for method in route.methods - {"HEAD"}:
            key = (method, route.path_format)
            operation = doc["paths"][route.path_format][method.lower()]
            if access != "public":
                operation["security"] = [{"token": []}]
            if key in BODIES:
                operation["requestBody"] = {"required": True, "content": BODIES[key]}
            responses = operation["responses"]
            success = next(code for code in responses if code.startswith("2"))
            if key in MEDIA:
                responses[success]["content"] = MEDIA[key]
            elif route.path_format.startswith("/open311/"):
                json_content = responses[success].get("content", {}).get("application/json", {"schema": {}})
                responses[success]["content"] = {"application/json": json_content, "text/xml": TEXT}
            for status in sorted(_statuses(key, access, operation)):
                if 200 <= status < 300:
                    responses.setdefault(str(status), responses[success])
                    continue
                responses[str(status)] = {"description": DESCRIPTIONS[status], "content": _error_content(key[1])}
            operation["responses"] = dict(sorted(responses.items()))
    return doc


def install(app: FastAPI) -> None:
    """Make `app.openapi()` return the corrected document (built once, on first use)."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                openapi_version=app.openapi_version,
            )
            app.openapi_schema = correct(doc, app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
