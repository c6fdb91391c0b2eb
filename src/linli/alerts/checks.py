"""Checking a warning's content before it is stored: choices from CAP's lists, aware times, the areas
(polygons, circles and geocodes resolved to the divisions they cover), and the issuer's scope. Each
check adds its problems to a list, so one InvalidInput can name them all."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.alerts import geo
from linli.alerts.kinds import CERTAINTIES, COLOURS, MSG_TYPES, SCOPES, SEVERITIES, STATUSES, TYPES, URGENCIES
from linli.alerts.schemas import AreaIn, WarningIn
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.authz.scope import AreaScope
from linli.kit.errors import Forbidden, InvalidInput
from linli.kit.i18n import t

FORBIDDEN_ID_CHARS = set(" ,<&\t\r\n")


def not_accepted(exc: ValidationError) -> InvalidInput:
    """A 422 listing what a message built from carried or CAP fields cannot hold (too long, empty)."""
    problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    return InvalidInput(
        t("the warning was not accepted: {problems}", problems="; ".join(problems)),
        details=problems,
        code="invalid_warning",
    )


def check_choice(value: str | None, allowed, what: str, problems: list[str]) -> None:
    if value is not None and value not in allowed:
        problems.append(
            t("{what} {value!r} is not one of: {allowed}", what=what, value=value, allowed=", ".join(allowed))
        )


def check_fields(data: WarningIn, problems: list[str]) -> None:
    """The fields with a fixed set of values (CAP's lists, types, colours), the restriction of a
    Restricted warning and the identifier's characters."""
    check_choice(data.msg_type, MSG_TYPES, "msgType", problems)
    check_choice(data.status, STATUSES, "status", problems)
    check_choice(data.scope, SCOPES, "scope", problems)
    check_choice(data.urgency, URGENCIES, "urgency", problems)
    check_choice(data.certainty, CERTAINTIES, "certainty", problems)
    check_choice(data.severity, SEVERITIES, "severity", problems)
    if data.event_type not in TYPES:
        problems.append(
            t("unknown warning type {value!r}; types are: {types}", value=data.event_type, types=", ".join(TYPES))
        )
    if data.colour not in COLOURS:
        problems.append(t("unknown colour {value!r}; colours are: blue, yellow, orange, red", value=data.colour))
    if data.scope == "Restricted" and not data.restriction:
        problems.append(t("a Restricted warning needs a restriction text"))
    if data.identifier is not None and (not data.identifier or FORBIDDEN_ID_CHARS & set(data.identifier)):
        problems.append(t("the identifier must not be empty nor contain spaces, commas, '<' or '&'"))


# Times a warning may carry (UTC years): beyond them a time is a typo, and at the ends of Python's
# calendar converting it to UTC or Beijing time overflows.
YEARS = (1970, 2199)


def aware(value: datetime | None, what: str, problems: list[str]) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        problems.append(t("{what} needs a time zone (e.g. +08:00)", what=what))
        return None
    try:
        year = value.astimezone(UTC).year
    except OverflowError:
        year = None
    if year is None or not YEARS[0] <= year <= YEARS[1]:
        problems.append(
            t("{what} {value} is not a time between the years {first} and {last}", what=what,
              value=value.isoformat(), first=YEARS[0], last=YEARS[1])
        )  # fmt: skip
        return None
    return value.replace(microsecond=0)


def resolve_areas(session: Session, areas: list[AreaIn], problems: list[str], within: AreaScope | None = None):
    """(coverage, [(AreaIn, geojson or None)]) with every problem of every area appended; areas outside
    `within` (what the issuer may see) count as nonexistent, so the problems never name one."""
    cov = geo.Coverage()
    resolved = []
    if not areas:
        problems.append(t("a warning needs at least one affected area"))
    for n, area in enumerate(areas, 1):
        where = t("area {n}", n=n) + (f" ({area.area_desc})" if area.area_desc else "")
        before = len(problems)
        geocodes = list(area.geocodes) + [("GB/T 2260", c) for c in area.area_codes]
        found_any = False
        for name, value in geocodes:
            code = geo.geocode_area(session, name, value, where, problems, within)
            if code is not None:
                cov.add(code, "geocode")
                found_any = True
        shapes = []
        for i, text in enumerate(area.polygons, 1):
            poly = geo.parse_polygon(text, f"{where}, " + t("polygon {i}", i=i), problems)
            if poly is None:
                continue
            hit = geo.areas_of_shape(session, poly, within)
            if not hit:
                if geo.swapped_would_match(session, poly, within):
                    problems.append(
                        t(
                            "{where}: the polygon covers no known area; latitude and longitude look swapped "
                            "(CAP writes 'latitude,longitude')",
                            where=f"{where}, " + t("polygon {i}", i=i),
                        )
                    )
                else:
                    problems.append(
                        t("{where}: the polygon covers no known area", where=f"{where}, " + t("polygon {i}", i=i))
                    )
                continue
            shapes.append(poly)
            for c in hit:
                cov.add(c, "polygon")
            found_any = True
        for i, text in enumerate(area.circles, 1):
            circle = geo.parse_circle(text, f"{where}, " + t("circle {i}", i=i), problems)
            if circle is None:
                continue
            hit = geo.areas_of_shape(session, circle, within)
            if not hit:
                problems.append(
                    t("{where}: the circle covers no known area", where=f"{where}, " + t("circle {i}", i=i))
                )
                continue
            shapes.append(circle)
            for c in hit:
                cov.add(c, "circle")
            found_any = True
        if not found_any and len(problems) == before:
            problems.append(t("{where}: no area code, polygon or circle that names a place", where=where))
        merged = None
        if shapes:
            import shapely

            merged = shapely.to_geojson(shapely.union_all(shapes))
        resolved.append((area, merged))
    return cov, resolved


def check_scope(principal: Principal, area_codes: list[str]) -> None:
    """403 naming the covered areas (all visible: `resolve_areas` saw to it) where the principal may
    not issue warnings."""
    refused = [c for c in sorted(area_codes) if not principal.can(Permission.warnings_issue, c)]
    if refused:
        raise Forbidden(
            t(
                "you may not issue warnings for {areas} (permission {permission})",
                areas=", ".join(refused[:5]),
                permission=Permission.warnings_issue.value,
            )
        )


def check_previous(principal: Principal, identifier: str, area_codes: list[str]) -> None:
    """An update or lift needs warnings.issue wherever the previous message reached; 403 otherwise,
    naming none of those areas (some may lie beyond what the principal may see)."""
    if not all(principal.can(Permission.warnings_issue, c) for c in area_codes):
        raise Forbidden(
            t(
                "you may not update or lift warning {identifier}: it covers areas where you may not issue "
                "warnings (permission {permission})",
                identifier=identifier,
                permission=Permission.warnings_issue.value,
            )
        )


def may_issue_type(principal: Principal, event_type: str, area_codes: list[str]) -> bool:
    """Whether the principal may issue (update, lift) a warning of this type for all these areas: a
    meteorological warning signal needs warnings.issue_weather as well (the meteorological service)."""
    needed = [Permission.warnings_issue]
    kind = TYPES.get(event_type)
    if kind is not None and kind.weather:
        needed.append(Permission.warnings_issue_weather)
    return all(principal.can(p, c) for p in needed for c in area_codes)


def check_weather(principal: Principal, event_types: list[str], area_codes: list[str]) -> None:
    """403 with the reason when a warning of a meteorological type (its own, or that of the warning it
    updates or lifts) is issued by anyone but the meteorological service of its areas."""
    for event_type in event_types:
        kind = TYPES.get(event_type)
        if kind is None or not kind.weather:
            continue
        if not all(principal.can(Permission.warnings_issue_weather, c) for c in area_codes):
            raise Forbidden(
                t(
                    "meteorological warnings ({type}) are issued, updated and lifted by the meteorological "
                    "service only (role warning_issuer of the area); others relay and follow them "
                    "(permission {permission})",
                    type=kind.zh,
                    permission=Permission.warnings_issue_weather.value,
                )
            )
