"""Plain functions that build the events world: categories, a grid, units, people, events, photos."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy.orm import Session

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.authz.principal import Principal
from linli.events import reporting, service
from linli.events.catalog import create_unit
from linli.events.schemas import ReportIn, TransitionIn, UnitIn
from linli.events.seed import seed_categories
from tests.factories import SYSTEM, VILLAGE_A, inside_point, load_world, make_user, principal, square

GRID = VILLAGE_A + "001"
SIBLING_VILLAGE = "220103002001"
SIBLING_GRID = SIBLING_VILLAGE + "001"


def events_world(session: Session) -> dict:
    """Two grids (one in 220102, one in the sibling county 220103), the categories, and one person per role."""
    load_world(session)
    seed_categories(session)
    lon, lat = inside_point("220102")
    grids.create_grid(session, SYSTEM, GRID, "第一网格", GridKind.residential, square(lon, lat))
    slon, slat = inside_point("220103")
    grids.create_grid(session, SYSTEM, SIBLING_GRID, "邻县网格", GridKind.residential, square(slon, slat))
    people = {
        "resident": make_user(session, "resident1", "resident", VILLAGE_A),
        "neighbour": make_user(session, "resident2", "resident", VILLAGE_A),
        "gridworker": make_user(session, "gw1", "grid_worker", GRID),
        "community": make_user(session, "cw1", "community_worker", VILLAGE_A),
        "street": make_user(session, "street1", "official", "220102001"),
        "county": make_user(session, "county1", "official", "220102"),
        "city": make_user(session, "city1", "official", "2201"),
        "handler": make_user(session, "handler1", "department_handler", "220102"),
        "other_handler": make_user(session, "handler2", "department_handler", "220102"),
        "sibling": make_user(session, "sib1", "official", "220103"),
        "auditor": make_user(session, "aud1", "auditor", "220102"),
    }
    grids.assign_worker(session, SYSTEM, GRID, people["gridworker"].id, "worker")
    unit = create_unit(session, SYSTEM, UnitIn(name="南关区城市管理局", kind="county_department", area_code="220102"))
    from linli.events.catalog import add_member

    add_member(session, SYSTEM, unit.id, people["handler"].id)
    session.flush()
    return {
        "point": (lon + 0.001, lat + 0.001),
        "sibling_point": (slon + 0.001, slat + 0.001),
        "people": people,
        "unit": unit,
    }


def as_principal(session: Session, user) -> Principal:
    from sqlalchemy import select

    from linli.authz.models import Grant
    from linli.kit.codes import unpad

    grants = session.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user.id)).all()
    return principal(user, *[(r, unpad(a)) for r, a in grants])


def report(session: Session, who: Principal, point, *, category: str = "0301", title: str = "垃圾堆积", **kw):
    body = ReportIn(category_code=category, title=title, lon=point[0], lat=point[1], **kw)
    return reporting.report(session, who, body).event


def step(session: Session, who: Principal, event_id: int, action: str, **fields):
    return service.transition(session, who, event_id, TransitionIn(action=action, **fields))


def image_bytes(fmt: str = "JPEG", size=(64, 48), gps: tuple[float, float] | None = None) -> bytes:
    """A small real image, optionally with an EXIF GPS position (lon, lat)."""
    img = Image.new("RGB", size, (200, 30, 30))
    buf = io.BytesIO()
    kwargs = {}
    if gps is not None:
        exif = Image.Exif()
        lon, lat = gps

        def dms(v: float):
            v = abs(v)
            d = int(v)
            m = int((v - d) * 60)
            s = round(((v - d) * 60 - m) * 60, 4)
            return (float(d), float(m), float(s))

        exif[0x010F] = "TestCam"  # Make: proves other EXIF goes too
        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)}
        )
        kwargs["exif"] = exif
    img.save(buf, fmt, **kwargs)
    return buf.getvalue()
