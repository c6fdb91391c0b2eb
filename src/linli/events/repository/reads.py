"""What the API and the pages read, as the reader may see it: filtered lists, a unit's work queue, counts
by state rolled up the hierarchy, a map of open events, the units of an area.

Each read checks the requested area (or unit) against the reader and answers with the SQL of the topic
modules beside it; events are shown through `service.event_out` (what a principal may see of an event,
and the steps they may take), which is why this module is imported by name and not re-exported by the
package.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.areas.models import Area
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.events import catalog
from linli.events import repository as repo
from linli.events.contacts import public_text
from linli.events.kinds import state_label
from linli.events.models import Event, HandlingUnit, RoutingRule
from linli.events.repository import pickers as pickers_repo
from linli.events.schemas import CategoryOut, EventOut, StatsOut, StatsRow, UnitOut
from linli.events.service import event_out, sees_personal, staff_over, unit_names
from linli.events.workflow import OPEN_STATES, STATES
from linli.kit import codes
from linli.kit.errors import InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow


def check_area(session: Session, principal: Principal, code: str) -> Area:
    if not codes.is_valid(code):
        raise InvalidInput(t("{code!r} is not an area code", code=code))
    area = session.get(Area, code)
    if area is None or not principal.scope(Permission.events_read).contains(code):
        raise NotFound(t("area {code} does not exist", code=code))
    return area


def area(session: Session, code: str) -> Area | None:
    """The area of a code already checked (an event's or a unit's place), for a page's breadcrumb."""
    return session.get(Area, code)


def category_tree(session: Session, principal: Principal, area_code: str | None) -> list[CategoryOut]:
    """The active categories; with an area, each with the time limits that apply there."""
    if area_code:
        check_area(session, principal, area_code)
    out = []
    for cat in repo.categories(session):
        if not cat.active:
            continue
        item = CategoryOut.model_validate(cat)
        if area_code:
            limits = catalog.limits_for(session, cat, codes.pad(area_code))
            item = item.model_copy(update=limits.model_dump())
        out.append(item)
    return out


NEWEST = (Event.id.desc(),)


def outs(session: Session, principal: Principal, rows: list[Event]) -> list[EventOut]:
    """Events as the reader may see them (a page of a list: unit names read once)."""
    now = utcnow()
    units = unit_names(session, {e.unit_id for e in rows})
    return [event_out(session, principal, e, now=now, units=units) for e in rows]


def list_events(
    session: Session,
    principal: Principal,
    *,
    area_code: str | None,
    states: list[str],
    category: str | None,
    unit_id: int | None,
    overdue: bool | None,
    mine: bool,
    offset: int,
    limit: int,
    text: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[EventOut], int]:
    stmt = filtered_events(
        session,
        principal,
        area_code=area_code,
        states=states,
        category=category,
        unit_id=unit_id,
        overdue=overdue,
        mine=mine,
        text=text,
        since=since,
        until=until,
    )
    rows, total = repo.page(session, stmt, offset, limit, (Event.id.desc(),))
    return outs(session, principal, rows), total


def filtered_events(
    session: Session,
    principal: Principal,
    *,
    area_code: str | None,
    states: list[str],
    category: str | None = None,
    unit_id: int | None = None,
    overdue: bool | None = None,
    mine: bool = False,
    text: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select:
    """The query of the events the reader may see by a list's filters, the area checked. A reader who sees
    only the public part of the area's events finds text only in their own reports (searching the whole
    text would tell them the masked digits)."""
    bad = [s for s in states if s not in STATES]
    if bad:
        raise InvalidInput(t("unknown state {state!r}; states are: {states}", state=bad[0], states=", ".join(STATES)))
    if area_code:
        check_area(session, principal, area_code)
    public_only = text and not (area_code and staff_over(principal, codes.pad(area_code)))
    return repo.filtered(
        principal.scope(Permission.events_read),
        area_code=area_code,
        states=states,
        category=category,
        unit_id=unit_id,
        overdue=overdue,
        reporter_id=principal.user_id if mine else None,
        text=text,
        text_reporter_id=(principal.user_id or 0) if public_only else None,
        since=since,
        until=until,
        now=utcnow(),
    )


def verification_queue(
    session: Session, principal: Principal, area_code: str, offset: int, limit: int
) -> tuple[list[EventOut], int]:
    """Handled events waiting for the on-site check in the area, where the reader verifies: the oldest
    deadline first (404 for an area outside their events.verify scope)."""
    check_area(session, principal, area_code)
    scope = principal.scope(Permission.events_verify)
    if not scope.contains(area_code):
        raise NotFound(t("area {code} does not exist", code=area_code))
    stmt = repo.filtered(scope, area_code=area_code, states=["handled"], now=utcnow())
    rows, total = repo.page(session, stmt, offset, limit, (Event.stage_deadline, Event.handled_at, Event.id))
    return outs(session, principal, rows), total


def grid_options(session: Session, principal: Principal, area_code: str, limit: int) -> list[tuple[str, str]]:
    """(code, "village · grid") of the grids under an (already checked) area that the reader sees."""
    rows = pickers_repo.grid_options(session, principal.scope(Permission.events_read), area_code, limit)
    villages = {c: a.name for c, a in area_repo.get_areas(session, sorted({v for _, _, v in rows if v})).items()}
    return [(c, f"{villages[v]} · {n}" if v in villages else n) for c, n, v in rows]


def units_of_area(
    session: Session, principal: Principal, area_code: str, offset: int, limit: int
) -> tuple[list[HandlingUnit], int]:
    """Handling units sitting in an area's subtree."""
    check_area(session, principal, area_code)
    return repo.units(session, principal.scope(Permission.events_read), area_code, offset, limit)


def units_out_of_area(
    session: Session, principal: Principal, area_code: str, offset: int, limit: int
) -> tuple[list[UnitOut], int]:
    """Handling units sitting in an area's subtree, each with the further areas it serves."""
    rows, total = units_of_area(session, principal, area_code, offset, limit)
    served = repo.unit_served_areas(session, [u.id for u in rows])
    return [catalog.unit_out(u, served.get(u.id, [])) for u in rows], total


def rules_of_area(
    session: Session, principal: Principal, area_code: str, offset: int, limit: int
) -> tuple[list[RoutingRule], int]:
    """Routing rules set in an area's subtree."""
    check_area(session, principal, area_code)
    return repo.rules(session, principal.scope(Permission.events_read), area_code, offset, limit)


def my_units(session: Session, principal: Principal) -> list[HandlingUnit]:
    """The units the principal acts for, where they may read events."""
    return repo.units_of_member(session, principal.user_id, principal.scope(Permission.events_read))


def unit_queue(
    session: Session, principal: Principal, unit_id: int, offset: int, limit: int
) -> tuple[list[EventOut], int]:
    unit = catalog.get_unit(session, principal, unit_id)
    # The queue belongs to the unit's members and to those who handle or manage events where it sits.
    if not (
        repo.is_member(session, unit.id, principal.user_id)
        or principal.can(Permission.events_manage, unit.area_code)
        or principal.can(Permission.events_handle, unit.area_code)
    ):
        principal.check(Permission.events_handle, unit.area_code, what=t("handling unit {unit_id}", unit_id=unit_id))
    rows, total = repo.queue(session, unit.id, principal.scope(Permission.events_read), offset, limit)
    return outs(session, principal, rows), total


def stats(session: Session, principal: Principal, area_code: str) -> StatsOut:
    """Counts by state and the overdue rate (overdue / open) for an area and each of its children."""
    area = check_area(session, principal, area_code)
    child_len = codes.child_length(area_code)
    scope = principal.scope(Permission.events_read)
    now = utcnow()
    if child_len <= 12:
        # Down to villages: the per-village counts, plus the overdue open events from their index.
        rows = [(c, s, n, 0) for c, s, n in repo.counts_by_child_from_counts(session, scope, area_code, child_len)]
        rows += [(c, "", 0, n) for c, n in repo.overdue_by_child(session, scope, area_code, child_len, now)]
    else:  # a village's grids: few events, counted directly
        rows = repo.counts_by_child(session, scope, area_code, child_len, now)
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overdue: dict[str, int] = defaultdict(int)
    for child, state, n, od in rows:
        child = codes.unpad(child.ljust(15, "0"))  # events placed at the area itself count as its own
        counts = per[child]
        if state and n:
            counts[state] += n
        overdue[child] += od
    names = area_repo.names_of(session, list(per))

    def row(code: str, name: str, by_state: dict[str, int], od: int) -> StatsRow:
        open_ = sum(n for s, n in by_state.items() if s in OPEN_STATES)
        return StatsRow(
            code=code,
            name=name,
            total=sum(by_state.values()),
            open=open_,
            overdue=od,
            overdue_rate=round(od / open_, 4) if open_ else 0.0,
            by_state=dict(sorted(by_state.items())),
        )

    children = [row(c, names.get(c, c), per[c], overdue[c]) for c in sorted(per) if c != area_code]
    total: dict[str, int] = defaultdict(int)
    for by_state in per.values():
        for s, n in by_state.items():
            total[s] += n
    return StatsOut(area=row(area.code, area.name, total, sum(overdue.values())), children=children)


def open_events_geojson(session: Session, principal: Principal, area_code: str, limit: int) -> dict[str, Any]:
    check_area(session, principal, area_code)
    stmt = repo.filtered(
        principal.scope(Permission.events_read), area_code=area_code, states=list(OPEN_STATES), now=utcnow()
    )
    rows, total = repo.page(session, stmt, 0, limit, (Event.id.desc(),))
    now = utcnow()
    features = []
    for e in rows:
        overdue = e.stage_deadline is not None and e.stage_deadline < now
        features.append(
            {
                "type": "Feature",
                "id": e.id,
                "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                "properties": {
                    "id": e.id,
                    "title": e.title if sees_personal(principal, e) else public_text(e.title),
                    "category_code": e.category_code,
                    "state": e.state,
                    "overdue": overdue,
                    "area_code": codes.unpad(e.area_code),
                    "generated": e.generated,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "total": total, "truncated": total > len(rows)}


MAP_POINTS_MAX = 5000  # more open events than this are sent grouped by grid (a city's 100,000 are 3,500 groups)


def open_events_points(session: Session, principal: Principal, area_code: str) -> dict[str, Any]:
    """The open events under an area for the clustered map, compactly: columns of integers, each the
    difference from the previous value, positions in 1e-5 degrees (about 1 m), names looked up in lists.

    Up to MAP_POINTS_MAX events (`mode` "points"): per event `i` its id, `x`/`y` its position, `g` its
    grid's index in `grids`, `k` its state's index in `states` times two plus one if overdue. More
    (`mode` "groups"): per grid (in the order of `codes` and `grids`) `x`/`y` the mean position, `n` the
    open events, `o` the overdue ones; the map asks for a grid's points when it is opened. No titles:
    the popup fetches the event it shows (its title as the reader may see it)."""
    check_area(session, principal, area_code)
    scope = principal.scope(Permission.events_read)
    now = utcnow()
    groups = repo.open_by_place(session, scope, area_code, now)
    place_codes = [g[0] for g in groups]
    names = area_repo.get_areas(session, [codes.unpad(c) for c in place_codes])
    head = {
        "total": sum(g[1] for g in groups),
        "states": [state_label(s) for s in STATES],
        "grids": [names[codes.unpad(c)].name if codes.unpad(c) in names else codes.unpad(c) for c in place_codes],
    }
    if head["total"] > MAP_POINTS_MAX:
        cols = _columns(
            [{"x": round(g[3] * 1e5), "y": round(g[4] * 1e5), "n": g[1], "o": int(g[2] or 0)} for g in groups],
            delta=("x", "y"),
        )
        return {"mode": "groups", **head, "codes": [codes.unpad(c) for c in place_codes], **cols}
    place_index = {c: n for n, c in enumerate(place_codes)}
    state_index = {s: n for n, s in enumerate(STATES)}
    rows = sorted(repo.open_points(session, scope, area_code), key=lambda r: (place_index[r.area_code], r.id))
    cols = _columns(
        [
            {
                "i": r.id,
                "x": round(r.lon * 1e5),
                "y": round(r.lat * 1e5),
                "g": place_index[r.area_code],
                "k": state_index.get(r.state, 0) * 2 + (r.stage_deadline is not None and r.stage_deadline < now),
            }
            for r in rows
        ],
        delta=("i", "x", "y", "g"),
    )
    return {"mode": "points", **head, **cols}


def _columns(records: list[dict[str, int]], delta: tuple[str, ...]) -> dict[str, list[int]]:
    """Records as columns; the `delta` ones as differences from the previous value (small numbers)."""
    keys = list(records[0]) if records else [*delta]
    out: dict[str, list[int]] = {k: [] for k in keys}
    last = dict.fromkeys(delta, 0)
    for rec in records:
        for k in keys:
            value = int(rec[k])
            if k in last:
                value, last[k] = value - last[k], value
            out[k].append(value)
    return out
