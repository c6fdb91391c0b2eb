"""CAP <area> shapes (polygons "lat,lon …", circles "lat,lon radius_km", geocodes) → Linli areas.

A shape covers the deepest areas it overlaps: grids first, then the bounded areas of each level
from the deepest up, each level taking only the part of the shape the deeper ones left over (so a
polygon over a gridded village's corner covers those grids, and the ungridded rest covers the
village or the township). A point on an edge or a touching border covers nothing.

Areas outside what the issuer may see (`within`) are treated as if they did not exist: a shape over
them covers nothing there, and a geocode naming one is "area … does not exist", so no answer tells
an out-of-scope area from a missing one, nor names it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import shapely
from shapely import affinity
from shapely.geometry import Point, Polygon
from sqlalchemy.orm import Session

from linli.alerts import repository
from linli.areas.locate import LOCATOR, deepest_code
from linli.authz.scope import AreaScope
from linli.kit import codes
from linli.kit.i18n import t

# China's extent, generously: points outside it are either a mistake or another country's warning.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)
KM_PER_DEG = 111.32
# Geocode valueNames carrying national division codes (GB/T 2260), compared without spaces, in upper case.
AREA_CODE_NAMES = {"GB/T2260", "GBT2260", "GB2260", "ADMINCODE", "AREACODE", "LINLI_AREA"}
SLIVER = 1e-10  # square degrees (about 1 m²): overlaps smaller than this are edge noise


@dataclass
class Coverage:
    codes: dict[str, str] = field(default_factory=dict)  # unpadded code → via (polygon, circle, geocode)
    shapes: list[shapely.Geometry] = field(default_factory=list)  # lon/lat

    def add(self, code: str, via: str) -> None:
        self.codes.setdefault(code, via)


def _in_china(lon: float, lat: float) -> bool:
    return CHINA_LON[0] <= lon <= CHINA_LON[1] and CHINA_LAT[0] <= lat <= CHINA_LAT[1]


def _pair(text: str, where: str, problems: list[str]) -> tuple[float, float] | None:
    lat_s, sep, lon_s = text.partition(",")
    try:
        if not sep:
            raise ValueError
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        problems.append(t("{where}: {text!r} is not a 'latitude,longitude' pair", where=where, text=text))
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        problems.append(t("{where}: {text!r} is not a 'latitude,longitude' pair", where=where, text=text))
        return None
    return lat, lon


def _check_plausible(points: list[tuple[float, float]], where: str, problems: list[str]) -> bool:
    """True when every point lies in China; otherwise one problem naming the likely cause."""
    outside = [(lat, lon) for lat, lon in points if not _in_china(lon, lat)]
    if not outside:
        return True
    lat, lon = outside[0]
    if all(_in_china(lo, la) for la, lo in ((lon, lat) for lat, lon in outside)):
        problems.append(
            t(
                "{where}: the point {lat},{lon} lies outside China; latitude and longitude look swapped "
                "(CAP writes 'latitude,longitude', e.g. 44.43,125.17)",
                where=where,
                lat=lat,
                lon=lon,
            )
        )
    else:
        problems.append(t("{where}: the point {lat},{lon} lies outside China", where=where, lat=lat, lon=lon))
    return False


def parse_polygon(text: str, where: str, problems: list[str]) -> shapely.Geometry | None:
    """A lon/lat polygon from a CAP polygon string, or None with the problems appended."""
    pairs = [_pair(p, where, problems) for p in text.split()]
    if any(p is None for p in pairs):
        return None
    points = [p for p in pairs if p is not None]
    if len(points) < 4:
        problems.append(t("{where}: a polygon needs at least 4 points (the first repeated at the end)", where=where))
        return None
    if points[0] != points[-1]:
        problems.append(
            t(
                "{where}: the polygon is not closed (its last point must equal its first, {first})",
                where=where,
                first=f"{points[0][0]},{points[0][1]}",
            )
        )
        return None
    if not _check_plausible(points, where, problems):
        return None
    poly = Polygon([(lon, lat) for lat, lon in points])
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    if poly.is_empty or poly.area == 0:
        problems.append(t("{where}: the polygon has no area", where=where))
        return None
    return poly


def parse_circle(text: str, where: str, problems: list[str]) -> shapely.Geometry | None:
    centre, _, radius_s = text.strip().partition(" ")
    pair = _pair(centre, where, problems)
    if pair is None:
        return None
    try:
        radius = float(radius_s)
        if not math.isfinite(radius) or radius < 0:
            raise ValueError
    except ValueError:
        problems.append(t("{where}: {text!r} is not 'latitude,longitude radius_km'", where=where, text=text))
        return None
    if not _check_plausible([pair], where, problems):
        return None
    lat, lon = pair
    r = max(radius, 0.001) / KM_PER_DEG
    return affinity.scale(Point(lon, lat).buffer(r, 32), xfact=1 / math.cos(math.radians(lat)), yfact=1.0)


def areas_of_shape(session: Session, shape: shapely.Geometry, within: AreaScope | None = None) -> list[str]:
    """The deepest areas (unpadded codes) a lon/lat shape overlaps, among those `within` (all when None)."""
    ix = LOCATOR.for_session(session)

    def seen(code: str) -> bool:
        return within is None or within.contains(code)

    if shape.area < SLIVER:  # a point-like circle: the area containing its centre
        c = shape.centroid
        code, _ = deepest_code(ix, c.x, c.y)
        # An unseen area's ancestors are unseen too (a scope is whole subtrees): nothing is covered.
        return [code] if code and seen(code) else []
    found: list[str] = []
    rest = shape
    for index in (ix.grids, *ix.boundaries.values()):
        if rest.is_empty or rest.area < SLIVER or len(index) == 0:
            continue
        hits = index.tree.query(rest, predicate="intersects")
        taken = []
        for i in sorted(hits):
            if not seen(str(index.codes[i])):
                continue  # as if it were not there; its part of the shape falls to no seen area either
            overlap = shapely.intersection(index.polygons[i], rest)
            if overlap.area > SLIVER:
                found.append(str(index.codes[i]))
                taken.append(index.polygons[i])
        if taken:
            rest = shapely.difference(rest, shapely.union_all(taken))
    return found


def swapped_would_match(session: Session, shape: shapely.Geometry, within: AreaScope | None = None) -> bool:
    flipped = shapely.transform(shape, lambda xy: xy[:, ::-1])
    return bool(areas_of_shape(session, flipped, within))


def geocode_area(
    session: Session, name: str, value: str, where: str, problems: list[str], within: AreaScope | None = None
) -> str | None:
    """The Linli area code of a geocode carrying a division code; None (no problem) for other kinds.
    A code outside `within` gets the same problem as one that does not exist."""
    if name.replace(" ", "").upper() not in AREA_CODE_NAMES and name.strip().lower() != "area code":
        return None
    raw = value.strip()
    code = codes.unpad(codes.pad(raw)) if raw.isdigit() and len(raw) <= codes.WIDTH else raw
    if not codes.is_valid(code):
        problems.append(t("{where}: {value!r} is not an area code", where=where, value=value))
        return None
    found = repository.live_area(session, code)
    if found is None or (within is not None and not within.contains(code)):
        problems.append(t("{where}: area {code} does not exist", where=where, code=code))
        return None
    return code


def common_area(area_codes: list[str]) -> str:
    """The deepest area containing all the codes (unpadded); the province of the first when none."""
    if not area_codes:
        return ""
    prefix = area_codes[0]
    for c in area_codes[1:]:
        n = 0
        while n < min(len(prefix), len(c)) and prefix[n] == c[n]:
            n += 1
        prefix = prefix[:n]
    for n in (15, 12, 9, 6, 4, 2):
        if len(prefix) >= n:
            return prefix[:n]
    return area_codes[0][:2]


def cap_polygon(shape: Polygon) -> str:
    """A CAP polygon string ("lat,lon" pairs, closed) of a lon/lat polygon's exterior."""
    return " ".join(f"{y:.6f},{x:.6f}".replace(".000000", ".0") for x, y in shape.exterior.coords)
