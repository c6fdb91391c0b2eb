"""Demo grids for real counties: generated township, village and grid polygons, marked as generated."""

from __future__ import annotations

from importlib import resources

import shapely
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from linli.areas import geometry, locate
from linli.areas import repository as repo
from linli.areas.generate import TownshipSpec, VillageSpec, generate_county
from linli.areas.models import Area
from linli.audit.service import record
from linli.authz.permissions import Permission
from linli.authz.principal import Principal
from linli.kit import codes
from linli.kit.codes import Level
from linli.kit.errors import Conflict, InvalidInput, NotFound
from linli.kit.i18n import t
from linli.kit.time import utcnow


def generate_county_grids(session: Session, actor: Principal, county_code: str) -> int:
    """Split a county (which must have a boundary and no grids yet) into generated village cells and grids.

    The generator guarantees valid, non-overlapping cells inside the county (tests/areas/test_generate.py),
    so rows are written in bulk rather than one validated grid at a time. Returns the number of grids.
    """
    if codes.level_of(county_code) is not Level.county:
        raise InvalidInput(t("{county_code} is not a county code (6 digits)", county_code=county_code))
    actor.check(Permission.grids_write, county_code, what=t("county {county_code}", county_code=county_code))
    county = repo.find_area(session, county_code)
    if county is None:
        raise NotFound(t("county {county_code} does not exist", county_code=county_code))
    boundary = repo.boundary_of(session, county_code)
    if not boundary:
        raise InvalidInput(t("{name} has no boundary; import boundaries first", name=county.name))
    if repo.has_grids_under(session, county_code):
        raise Conflict(
            t("{name} already has grids; demo grids are only generated for counties without any", name=county.name)
        )
    rows = repo.townships_and_villages(session, county_code)
    villages: dict[str, list[VillageSpec]] = {}
    for r in rows:
        if r.level == "village":
            villages.setdefault(r.parent_code, []).append(VillageSpec(r.code, r.name, r.kind))
    towns = [TownshipSpec(r.code, r.name, tuple(villages.get(r.code, ()))) for r in rows if r.level == "township"]
    result = generate_county(shapely.from_geojson(boundary), towns)
    now = utcnow()
    area_updates = [
        {
            "code": code,
            "boundary": geometry.to_geojson(geom),
            "boundary_generated": True,
            "updated_at": now,
            **geometry.describe(geom),
        }
        for code, geom in [*result.townships.items(), *result.villages.items()]
        if not geom.is_empty
    ]
    for i in range(0, len(area_updates), 500):
        session.execute(update(Area), area_updates[i : i + 500])
    grid_rows = [
        {
            "code": g.code,
            "area_code": g.code,
            "parent_code": g.village_code,
            "name": g.name,
            "level": "grid",
            "kind": g.kind.value,
            "boundary": geometry.to_geojson(g.polygon),
            "generated": True,
            "boundary_generated": True,
            "created_at": now,
            "updated_at": now,
            **geometry.describe(g.polygon),
        }
        for g in result.grids
    ]
    for i in range(0, len(grid_rows), 1000):
        session.execute(insert(Area), grid_rows[i : i + 1000])
    locate.mark_changed(session)
    record(
        session,
        actor,
        "grids.generate",
        "county",
        county_code,
        county_code,
        after={"grids": len(grid_rows), "villages": len(result.villages), "generated": True},
    )
    return len(grid_rows)


# An urban district of Changchun and a rural county, as the demo of the first issue asked.
DEMO_COUNTIES = ("220102", "220122")
# The grid of the demo grid worker, resident and community: where the demo's busy work is.
DEMO_GRID = "220102001001001"


def data_file(name: str) -> bytes:
    return resources.files("linli").joinpath("data", name).read_bytes()


def step(session: Session, actor: Principal, say) -> None:
    """Jilin's divisions and county boundaries (once), and generated grids in the demo counties."""
    from linli.areas.importer import import_boundaries, import_divisions

    if repo.area_count(session) == 0:
        report = import_divisions(session, actor, data_file("divisions-22.json"))
        say(f"areas: {report.summary()}")
        report = import_boundaries(session, actor, data_file("counties-22.geojson"))
        say(f"county boundaries: {report.summary()}")
    for code in DEMO_COUNTIES:
        if not repo.grid_count_with_prefix(session, code):
            n = generate_county_grids(session, actor, code)
            say(f"generated {n} demo grids in {repo.find_area(session, code).name} ({code})")
