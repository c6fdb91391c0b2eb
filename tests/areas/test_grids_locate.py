import json

import pytest
from sqlalchemy import select

from linli.areas import grids
from linli.areas.kinds import GridKind
from linli.areas.models import Area
from linli.kit.errors import Conflict, ImportRejected, InvalidInput, NotFound
from tests.factories import SYSTEM, VILLAGE_A, auth, inside_point, make_user, square, token_for


@pytest.fixture
def admin(areas):
    user = make_user(areas, "admin_a", "admin", "220102")
    return token_for(areas, user)


def make_grid(session, code=VILLAGE_A + "001", lon=None, lat=None, size=0.002, kind=GridKind.residential):
    if lon is None:
        lon, lat = inside_point("220102")
    return grids.create_grid(session, SYSTEM, code, "第一网格", kind, square(lon, lat, size))


def test_create_grid_and_locate_it(client, areas, admin):
    lon, lat = inside_point("220102")
    body = {"code": VILLAGE_A + "001", "name": "第一网格", "kind": "residential", "polygon": square(lon, lat)}
    r = client.post("/api/v1/grids", json=body, headers=auth(admin))
    assert r.status_code == 201, r.text
    assert r.json()["level"] == "grid" and r.json()["parent_code"] == VILLAGE_A
    r = client.get("/api/v1/areas/locate", params={"lon": lon + 0.001, "lat": lat + 0.001}, headers=auth(admin))
    assert r.status_code == 200
    out = r.json()
    assert out["matched"] == "grid" and out["grid"]["code"] == VILLAGE_A + "001"
    assert [a["code"] for a in out["ancestors"]] == ["220102", "220102001", VILLAGE_A]
    # Outside the grid but inside the county: the county, and it says so.
    r = client.get("/api/v1/areas/locate", params={"lon": lon + 0.01, "lat": lat + 0.01}, headers=auth(admin))
    assert r.json()["matched"] == "boundary" and r.json()["area"]["code"] == "220102"
    assert "no grid" in r.json()["message"]


def test_index_follows_retire_and_edit(session, areas):
    lon, lat = inside_point("220102")
    from linli.areas.locate import locate

    make_grid(session)
    assert locate(session, SYSTEM, lon + 0.001, lat + 0.001).matched == "grid"
    grids.update_grid(session, SYSTEM, VILLAGE_A + "001", polygon=square(lon + 0.005, lat, 0.002))
    assert locate(session, SYSTEM, lon + 0.001, lat + 0.001).matched == "boundary"
    assert locate(session, SYSTEM, lon + 0.006, lat + 0.001).grid.code == VILLAGE_A + "001"
    grids.retire_grid(session, SYSTEM, VILLAGE_A + "001")
    assert locate(session, SYSTEM, lon + 0.006, lat + 0.001).matched == "boundary"


@pytest.mark.parametrize(
    ("lon", "lat", "word"),
    [(181, 43, "longitude"), (-200, 43, "longitude"), (125, 91, "latitude"), (125, -90.5, "latitude")],
)
def test_locate_rejects_out_of_range(client, admin, lon, lat, word):
    r = client.get("/api/v1/areas/locate", params={"lon": lon, "lat": lat}, headers=auth(admin))
    assert r.status_code == 422
    assert word in r.json()["error"]["message"]


def test_locate_batch(client, areas, admin):
    lon, lat = inside_point("220102")
    make_grid(areas)
    pts = [[lon + 0.001, lat + 0.001], [lon + 0.01, lat + 0.01], [0.0, 0.0]]
    r = client.post("/api/v1/areas/locate", json={"points": pts}, headers=auth(admin))
    assert r.status_code == 200, r.text
    res = r.json()["results"]
    assert res[0] == {"code": VILLAGE_A + "001", "matched": "grid"}
    assert res[1] == {"code": "220102", "matched": "boundary"}
    assert res[2] == {"code": None, "matched": "none"}
    r = client.post("/api/v1/areas/locate", json={"points": [[1, 2], [500, 2]]}, headers=auth(admin))
    assert r.status_code == 422 and "point 2" in r.json()["error"]["message"]


def test_bad_polygons_are_rejected_with_reasons(session, areas):
    lon, lat = inside_point("220102")
    open_ring = {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01]]],
    }
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + 0.01, lat + 0.01], [lon + 0.01, lat], [lon, lat + 0.01], [lon, lat]]],
    }
    for poly, msg in [
        (open_ring, "not closed"),
        (bowtie, "Self-intersection"),
        ({"type": "Point", "coordinates": [lon, lat]}, "Polygon or MultiPolygon"),
        (square(lon, 95), "latitude"),
    ]:
        with pytest.raises(InvalidInput, match=msg):
            grids.create_grid(session, SYSTEM, VILLAGE_A + "001", "x", GridKind.residential, poly)
    assert session.get(Area, VILLAGE_A + "001") is None


def test_overlap_and_outside_county_rejected(session, areas):
    make_grid(session)
    lon, lat = inside_point("220102")
    with pytest.raises(InvalidInput, match=f"overlaps grid {VILLAGE_A}001"):
        grids.create_grid(
            session, SYSTEM, VILLAGE_A + "002", "二", GridKind.residential, square(lon + 0.001, lat + 0.001)
        )
    # Touching along an edge is fine.
    grids.create_grid(session, SYSTEM, VILLAGE_A + "002", "二", GridKind.residential, square(lon + 0.002, lat))
    with pytest.raises(InvalidInput, match="outside the boundary of 南关区"):
        grids.create_grid(session, SYSTEM, VILLAGE_A + "003", "三", GridKind.residential, square(100, 30, 0.01))


def test_bad_codes_and_duplicates(session, areas):
    make_grid(session)
    with pytest.raises(Conflict):
        make_grid(session)
    with pytest.raises(InvalidInput, match="15 digits"):
        make_grid(session, code=VILLAGE_A + "01")
    with pytest.raises(InvalidInput):
        make_grid(session, code=VILLAGE_A + "000")
    with pytest.raises(NotFound):
        make_grid(session, code="220102001099001")  # no such village


def test_geojson_round_trip_and_bad_file(session, areas):
    lon, lat = inside_point("220102")
    make_grid(session, kind=GridKind.exclusive_hospital)
    data = grids.export_geojson(session, SYSTEM, "220102")
    assert [f["properties"]["kind"] for f in data["features"]] == ["exclusive_hospital"]
    again = grids.import_geojson(session, SYSTEM, json.dumps(data))
    assert again.unchanged == 1 and not again.changed
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": VILLAGE_A + "002", "name": "二", "kind": "residential"},
            "geometry": square(lon + 0.001, lat + 0.001),
        }
    )
    data["features"].append(
        {
            "type": "Feature",
            "properties": {"code": VILLAGE_A + "003", "name": "三", "kind": "castle"},
            "geometry": square(lon, lat),
        }
    )
    with pytest.raises(ImportRejected) as exc:
        grids.import_geojson(session, SYSTEM, json.dumps(data))
    assert [r["row"] for r in exc.value.rows] == [2, 3]
    assert session.get(Area, VILLAGE_A + "002") is None
    with pytest.raises(InvalidInput):
        grids.import_geojson(session, SYSTEM, b"not json at all")


def test_assign_workers_and_chief(client, areas, admin):
    make_grid(areas)
    areas.commit()
    worker = make_user(areas, "worker1", None, VILLAGE_A)
    chief = make_user(areas, "chief1", None, VILLAGE_A)
    areas.commit()
    code = VILLAGE_A + "001"
    r = client.post(f"/api/v1/grids/{code}/workers", json={"user_id": worker.id}, headers=auth(admin))
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/grids/{code}/workers", json={"user_id": chief.id, "duty": "chief"}, headers=auth(admin))
    assert {(w["username"], w["duty"]) for w in r.json()["workers"]} == {("worker1", "worker"), ("chief1", "chief")}
    r = client.post(f"/api/v1/grids/{code}/workers", json={"user_id": worker.id, "duty": "chief"}, headers=auth(admin))
    assert r.status_code == 409
    # The worker can now see their grid (a grid_worker grant came with the assignment).
    tok = token_for(areas, worker)
    areas.commit()
    assert client.get(f"/api/v1/grids/{code}", headers=auth(tok)).status_code == 200
    assert client.get("/api/v1/areas/220102", headers=auth(tok)).status_code == 404
    r = client.delete(f"/api/v1/grids/{code}/workers/{worker.id}", headers=auth(admin))
    assert r.status_code == 204


def test_areas_api_children_search_boundaries(client, areas, admin):
    r = client.get("/api/v1/areas/220102", headers=auth(admin))
    assert r.status_code == 200 and r.json()["name"] == "南关区" and r.json()["child_count"] == 2
    # The breadcrumb stops at what the official may see.
    assert r.json()["ancestors"] == []
    r = client.get("/api/v1/areas/220102/children", params={"size": 1, "page": 2}, headers=auth(admin))
    assert r.json()["total"] == 2 and len(r.json()["items"]) == 1
    village_name = areas.scalar(select(Area.name).where(Area.code == VILLAGE_A))
    r = client.get("/api/v1/areas/220102/search", params={"q": village_name[1:3]}, headers=auth(admin))
    assert VILLAGE_A in [a["code"] for a in r.json()]
    r = client.get("/api/v1/areas/2201/boundaries", headers=auth(admin))
    assert r.status_code == 404  # the city is above this official
    r = client.get("/api/v1/areas/220102/boundaries", params={"level": "county"}, headers=auth(admin))
    assert r.headers["content-type"].startswith("application/geo+json")
    assert [f["id"] for f in r.json()["features"]] == ["220102"]
    r = client.get("/api/v1/areas/220102/boundaries", params={"level": "bogus"}, headers=auth(admin))
    assert r.status_code == 422


@pytest.mark.parametrize("code", ["999999", "abc", "2201020010010011", "220103"])
def test_unknown_or_out_of_scope_codes_are_404(client, areas, admin, code):
    r = client.get(f"/api/v1/areas/{code}", headers=auth(admin))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
