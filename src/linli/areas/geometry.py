"""GeoJSON geometry in and out: strict validation with messages a person can act on."""

from __future__ import annotations

import json
import math
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from linli.kit.errors import InvalidInput
from linli.kit.i18n import t

POLYGONAL = {"Polygon", "MultiPolygon"}
M_PER_DEG = 111_320.0


class GeometryError(ValueError):
    pass


def check_lon_lat(lon: float, lat: float) -> None:
    if not (isinstance(lon, int | float) and isinstance(lat, int | float)) or math.isnan(lon) or math.isnan(lat):
        raise GeometryError(t("coordinates must be numbers"))
    if not -180.0 <= lon <= 180.0:
        raise GeometryError(t("longitude {lon} is outside -180…180", lon=lon))
    if not -90.0 <= lat <= 90.0:
        raise GeometryError(t("latitude {lat} is outside -90…90", lat=lat))


def _check_ring(ring: Any, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(t("{where}: a ring needs at least 4 positions (first and last equal)", where=where))
    for pos in ring:
        if not isinstance(pos, list | tuple) or len(pos) < 2:
            raise GeometryError(t("{where}: a position must be [longitude, latitude]", where=where))
        check_lon_lat(pos[0], pos[1])
    if list(ring[0][:2]) != list(ring[-1][:2]):
        raise GeometryError(t("{where}: the ring is not closed (its last position must equal its first)", where=where))


def parse_polygonal(obj: Any) -> shapely.Geometry:
    """A valid Polygon or MultiPolygon from a GeoJSON geometry object (or Feature), or GeometryError."""
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as exc:
            raise GeometryError(
                t(
                    "not valid JSON: {msg} at line {lineno} column {colno}",
                    msg=exc.msg,
                    lineno=exc.lineno,
                    colno=exc.colno,
                )
            ) from None
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = obj.get("geometry")
    if not isinstance(obj, dict) or obj.get("type") not in POLYGONAL:
        kind = obj.get("type") if isinstance(obj, dict) else type(obj).__name__
        raise GeometryError(t("expected a GeoJSON Polygon or MultiPolygon, got {kind}", kind=kind))
    coords = obj.get("coordinates")
    polygons = [coords] if obj["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError(t("the geometry has no coordinates"))
    for p, rings in enumerate(polygons, 1):
        if not isinstance(rings, list) or not rings:
            raise GeometryError(t("polygon {p} has no rings", p=p))
        for r, ring in enumerate(rings, 1):
            _check_ring(ring, t("polygon {p}, ring {r}", p=p, r=r) if len(polygons) > 1 else t("ring {r}", r=r))
    geom = shape(obj)
    if not geom.is_valid:
        raise GeometryError(t("the polygon is not valid: {reason}", reason=explain_validity(geom)))
    if geom.is_empty or geom.area == 0:
        raise GeometryError(t("the polygon has no area"))
    return geom


def parse_or_422(obj: Any) -> shapely.Geometry:
    try:
        return parse_polygonal(obj)
    except GeometryError as exc:
        raise InvalidInput(str(exc), code="invalid_geometry") from None


def to_geojson(geom: shapely.Geometry, precision: int = 0) -> str:
    return shapely.to_geojson(shapely.set_precision(geom, 10**-precision) if precision else geom)


def area_m2(geom: shapely.Geometry) -> float:
    """Approximate area in square metres (equirectangular at the geometry's latitude; fine for grids)."""
    if geom.is_empty:
        return 0.0
    lat = geom.centroid.y
    return geom.area * M_PER_DEG * M_PER_DEG * math.cos(math.radians(lat))


def describe(geom: shapely.Geometry) -> dict[str, float]:
    """bbox and a representative point (inside the shape) for storage."""
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    rep = geom.representative_point()
    return {
        "min_lon": min_lon,
        "min_lat": min_lat,
        "max_lon": max_lon,
        "max_lat": max_lat,
        "rep_lon": round(rep.x, 6),
        "rep_lat": round(rep.y, 6),
    }
