"""Mapping Linli to GeoReport v2: categories ↔ services, events ↔ service requests, api_key ↔ API token.

The api_key is a Linli API token (created at /api/v1/tokens) of a user holding events.report: the
spec asks only for a key that identifies the client, and a token already has a holder, a scope,
expiry and revocation, so a second kind of key would add nothing but a second thing to manage.
Its routes, and the bodies in JSON or XML, are in linli.events.api.open311.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.authz.deps import token_principal
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.config import get_settings
from linli.events import repository as repo
from linli.events.contacts import public_text
from linli.events.models import Event, EventCategory
from linli.events.reporting import Contact, report
from linli.events.schemas import ReportIn
from linli.events.service import category_names, sees_personal, unit_names
from linli.events.workflow import OPEN_STATES, STATES
from linli.kit.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from linli.kit.time import as_utc, utcnow

SEVERITY = [("1", "一般 minor"), ("2", "较重 serious"), ("3", "紧急 urgent")]
MAX_RANGE = timedelta(days=90)
MAX_RESULTS = 1000


def services(session: Session) -> list[dict[str, Any]]:
    cats = repo.categories(session)
    groups = {c.code: c for c in cats if c.parent_code is None}
    return [
        {
            "service_code": c.code,
            "service_name": f"{c.name} {c.name_en}",
            "description": f"{groups[c.parent_code].name_en}: {c.name_en}",
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join([c.name, c.name_en]),
            "group": f"{groups[c.parent_code].name} {groups[c.parent_code].name_en}",
        }
        for c in cats
        if c.parent_code is not None and c.active
    ]


def leaf(session: Session, code: str | None) -> EventCategory:
    cat = repo.category(session, code) if code else None
    if cat is None or cat.parent_code is None or not cat.active:
        raise NotFound(f"service_code {code!r} is not a service; see services.json")
    return cat


def definition(session: Session, code: str) -> dict[str, Any]:
    cat = leaf(session, code)
    return {
        "service_code": cat.code,
        "attributes": [
            {
                "variable": True,
                "code": "severity",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "1, 2 or 3",
                "order": 1,
                "description": "严重程度 How serious is it?",
                "values": [{"key": k, "name": n} for k, n in SEVERITY],
            }
        ],
    }


def api_principal(session: Session, api_key: str | None) -> Principal:
    if not api_key:
        raise Forbidden("api_key is required to create a service request")
    try:
        _, principal = token_principal(session, api_key)
    except Unauthenticated as exc:
        raise Forbidden(f"api_key is not valid: {exc.message}") from None
    if not principal.holds_anywhere(Permission.events_report):
        raise Forbidden("the holder of this api_key may not report events")
    return principal


def _float(form: dict[str, str], name: str) -> float | None:
    raw = (form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(f"{name} must be a number, not {raw!r}") from None


def _place_address(session: Session, principal: Principal, address: str) -> tuple[float, float]:
    """No street geocoder: the deepest area the holder may report in whose name the address contains."""
    found = repo.areas_named_in(session, address)
    usable = [a for a in found if a.name and a.name in address and principal.can(Permission.events_report, a.code)]
    best = max(usable, key=lambda a: len(a.code), default=None)
    if best is None:
        raise InvalidInput("address_string names no area served here; send lat and long")
    return best.rep_lon, best.rep_lat


def create(session: Session, form: dict[str, str]) -> dict[str, Any]:
    principal = api_principal(session, form.get("api_key"))
    if not form.get("service_code"):
        raise InvalidInput("service_code was not provided")
    cat = leaf(session, form.get("service_code"))
    given = {k[len("attribute[") : -1]: v for k, v in form.items() if k.startswith("attribute[") and k.endswith("]")}
    for key, value in given.items():
        if key != "severity":
            raise InvalidInput(f"attribute[{key}] is not an attribute of service {cat.code}")
        if value not in {k for k, _ in SEVERITY}:
            raise InvalidInput(f"attribute[severity] must be one of 1, 2, 3, not {value!r}")
    lat, lon = _float(form, "lat"), _float(form, "long")
    address = (form.get("address_string") or "").strip()
    if lat is None or lon is None:
        if (lat is None) != (lon is None):
            raise InvalidInput("send both lat and long")
        if not address:
            raise InvalidInput("a location is required: lat and long, or address_string")
        lon, lat = _place_address(session, principal, address)
    description = (form.get("description") or "").strip()
    if len(description) > 4000:
        raise InvalidInput("description is longer than 4000 characters")
    name = " ".join(x for x in (form.get("first_name"), form.get("last_name")) if x) or None
    title = (description.splitlines()[0][:60] if description else "") or cat.name
    if form.get("media_url"):
        description = f"{description}\n{form['media_url']}".strip()
    if given.get("severity"):
        description = f"{description}\n[severity {given['severity']}]".strip()
    body = ReportIn(category_code=cat.code, title=title, description=description, lon=lon, lat=lat, address=address)
    done = report(
        session,
        principal,
        body,
        source="open311",
        contact=Contact(name=name, email=form.get("email") or None, phone=form.get("phone") or None),
    )
    return {
        "service_request_id": str(done.event.id),
        "service_notice": "已受理 Received; it will be registered within the category's time limit",
        "account_id": None,
    }


def _iso(dt: datetime | None) -> str | None:
    return as_utc(dt).isoformat(timespec="seconds") if dt else None


def _parse_date(name: str, raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        dt = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{name} must be a W3C date-time such as 2026-01-01T00:00:00Z, not {raw!r}") from None
    return as_utc(dt)


# What the anonymous public may see: accepted requests (registered or later; not rejected, cancelled or
# merged away), of categories open to the public.
PUBLIC_STATES = tuple(s for s in STATES if s not in ("reported", "rejected", "cancelled", "merged"))


def reader(session: Session, api_key: str | None) -> Principal | None:
    """The principal of an api_key (a Linli API token) reading requests, or None for the anonymous public."""
    if not api_key:
        return None
    try:
        _, principal = token_principal(session, api_key)
    except Unauthenticated as exc:
        raise Forbidden(f"api_key is not valid: {exc.message}") from None
    if not principal.holds_anywhere(Permission.events_read):
        raise Forbidden("the holder of this api_key may not read service requests")
    return principal


def snap(value: float, places: int) -> float:
    """A coordinate snapped to `places` decimal places (the same point always gives the same answer)."""
    return round(round(value, places), 10)


def request_out(
    session: Session, e: Event, units: dict[int, str], principal: Principal | None = None
) -> dict[str, Any]:
    """A service request: never the reporter or their contact details. For the anonymous public (no
    principal) only the public part of the text and a coarsened location; with an api_key, what GET
    /api/v1/events shows its holder (full text for staff over the place and the reporter)."""
    names = category_names(session)
    full = principal is not None and sees_personal(principal, e)
    if principal is None:
        places = get_settings().open311_public_precision
        lat, lon, address = snap(e.lat, places), snap(e.lon, places), None
    else:
        lat, lon, address = e.lat, e.lon, e.address or None
    text = e.description or e.title
    return {
        "service_request_id": str(e.id),
        "status": "open" if e.state in OPEN_STATES else "closed",
        "status_notes": e.state,
        "service_name": names.get(e.category_code, e.category_code),
        "service_code": e.category_code,
        "description": text if full else public_text(text),
        "agency_responsible": units.get(e.unit_id),
        "service_notice": None,
        "requested_datetime": _iso(e.reported_at),
        "updated_datetime": _iso(e.updated_at),
        "expected_datetime": _iso(e.stage_deadline) if e.state in OPEN_STATES else None,
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": lon,
        "media_url": None,
    }


def find(session: Session, params: dict[str, str], principal: Principal | None = None) -> list[dict[str, Any]]:
    scope = principal.scope(Permission.events_read) if principal is not None else None
    ids = [x.strip() for x in (params.get("service_request_id") or "").split(",") if x.strip()]
    if ids:  # overrides every other filter, as the spec says
        if not all(x.isdigit() and len(x) <= 18 for x in ids):
            raise InvalidInput("service_request_id takes comma-separated numbers")
        rows = repo.service_requests(session, scope, PUBLIC_STATES, ids=[int(x) for x in ids], limit=MAX_RESULTS)
    else:
        start, end = _date_range(params)
        service_codes = [x.strip() for x in (params.get("service_code") or "").split(",") if x.strip()]
        statuses = {x.strip() for x in (params.get("status") or "").split(",") if x.strip()}
        if statuses - {"open", "closed"}:
            raise InvalidInput("status is open, closed, or both comma-separated")
        rows = repo.service_requests(
            session,
            scope,
            PUBLIC_STATES,
            since=start,
            until=end,
            categories=service_codes,
            is_open=True if statuses == {"open"} else False if statuses == {"closed"} else None,
            limit=MAX_RESULTS,
        )
    units = unit_names(session, {e.unit_id for e in rows})
    return [request_out(session, e, units, principal) for e in rows]


def _date_range(params: dict[str, str]) -> tuple[datetime, datetime | None]:
    """The spec's start_date and end_date: at most 90 days apart; without both, the 90 days up to now
    (or from the one given)."""
    start = _parse_date("start_date", params.get("start_date"))
    end = _parse_date("end_date", params.get("end_date"))
    if start and end and end < start:
        raise InvalidInput("end_date is before start_date")
    if start and end and end - start > MAX_RANGE:
        raise InvalidInput("start_date and end_date may not span more than 90 days")
    if start is None and end is None:
        start = utcnow() - MAX_RANGE
    elif start is None:
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    return start, end


def one(session: Session, rid: str, principal: Principal | None = None) -> dict[str, Any]:
    """One request, if the reader may see it; otherwise exactly like one that does not exist."""
    scope = principal.scope(Permission.events_read) if principal is not None else None
    e = repo.service_request(session, scope, PUBLIC_STATES, int(rid)) if rid.isdigit() and len(rid) <= 18 else None
    if e is None:
        raise NotFound(f"service request {rid} does not exist")
    return request_out(session, e, unit_names(session, {e.unit_id}), principal)


def token(session: Session, tok: str, principal: Principal | None = None) -> dict[str, Any]:
    """Requests are created at once, so the token of a request is its id."""
    one(session, tok, principal)
    return {"service_request_id": tok, "token": tok}


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": "2026-11-29T00:00:00Z",
        "contact": "Linli (邻里) — ask your township's grid-management centre",
        "key_service": "API keys are Linli API tokens: sign in and create one at /api/v1/tokens",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base_url,
                "changeset": "2026-11-29T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
