"""The outlines every map draws around a place: its own, its children's, its neighbours' — and nothing
of an area outside the reader's reach beyond a neighbour's outline and name."""

from __future__ import annotations

import json

import pytest
import shapely

from linli.areas import grids
from linli.areas.kinds import GridKind
from tests.factories import SYSTEM, VILLAGE_A, auth, county_feature, inside_point, make_user, square, token_for

G1, G2 = VILLAGE_A + "001", VILLAGE_A + "002"


@pytest.fixture
def world(areas):
    lon, lat = inside_point("220102")
    grids.create_grid(areas, SYSTEM, G1, "第一网格", GridKind.residential, square(lon, lat))
    grids.create_grid(areas, SYSTEM, G2, "第二网格", GridKind.residential, square(lon + 0.003, lat))
    people = {
        "gridworker": make_user(areas, "gw_outline", "grid_worker", G1),
        "community": make_user(areas, "cw_outline", "community_worker", VILLAGE_A),
        "county": make_user(areas, "county_outline", "official", "220102"),
        "city": make_user(areas, "city_outline", "official", "2201"),
    }
    tokens = {k: token_for(areas, u) for k, u in people.items()}
    areas.commit()
    return tokens


def outlines(client, token, code):
    return client.get(f"/api/v1/areas/{code}/outlines", headers=auth(token))


def by_role(fc: dict, role: str) -> list[dict]:
    return [f for f in fc["features"] if f["properties"]["role"] == role]


def test_a_grid_worker_gets_their_grid_and_the_neighbours_outlines_without_their_codes(client, world):
    r = outlines(client, world["gridworker"], G1)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    [own] = by_role(fc, "own")
    assert own["properties"]["code"] == G1 and own["properties"]["name"] == "第一网格" and own["id"] == G1
    [neighbour] = by_role(fc, "neighbour")
    # Outside the worker's reach: an outline and a name to orient by, no code, nothing to open.
    assert neighbour["properties"] == {"role": "neighbour", "name": "第二网格", "level": "grid"}
    assert "id" not in neighbour and G2 not in r.text
    assert fc["bbox"] == pytest.approx(list(shapely.from_geojson(json.dumps(own["geometry"])).bounds))


@pytest.mark.parametrize("code", [G2, VILLAGE_A, "220103", "229999"])
def test_outlines_of_a_place_out_of_reach_are_404(client, world, code):
    r = outlines(client, world["gridworker"], code)
    assert r.status_code == 404
    assert "does not exist" in r.json()["error"]["message"]


def test_a_village_map_gets_its_grids_as_children(client, world):
    fc = outlines(client, world["community"], VILLAGE_A).json()
    assert by_role(fc, "own") == []  # the test villages have no outline of their own
    assert [f["properties"]["code"] for f in by_role(fc, "child")] == [G1, G2]
    # A page that draws the children itself (the area page) asks without them.
    r = client.get(f"/api/v1/areas/{VILLAGE_A}/outlines?children=false", headers=auth(world["community"]))
    assert by_role(r.json(), "child") == []
    # The community worker sees both grids: the neighbours of G1 come with their codes.
    [neighbour] = by_role(outlines(client, world["community"], G1).json(), "neighbour")
    assert neighbour["properties"]["code"] == G2


def test_a_county_is_drawn_simplified_with_its_neighbour_named_only_when_out_of_reach(client, world):
    fc = outlines(client, world["county"], "220102").json()
    [own] = by_role(fc, "own")
    raw = shapely.geometry.shape(county_feature("220102")["geometry"])
    drawn = shapely.geometry.shape(own["geometry"])
    assert drawn.symmetric_difference(raw).area < 0.01 * raw.area  # a county's map shows the county as it is
    # A city's map (the city has no outline: a map of its counties) draws them coarser: ~1 px of its scale.
    [child] = [f for f in by_role(outlines(client, world["city"], "2201").json(), "child") if f["id"] == "220102"]
    coarse = shapely.geometry.shape(child["geometry"])
    assert shapely.get_num_coordinates(coarse) < shapely.get_num_coordinates(raw) / 2
    assert coarse.symmetric_difference(raw).area < 0.2 * raw.area
    [neighbour] = by_role(fc, "neighbour")
    assert "code" not in neighbour["properties"] and neighbour["properties"]["name"]
    # The city official reaches both counties: the neighbour comes with its code.
    [neighbour] = by_role(outlines(client, world["city"], "220102").json(), "neighbour")
    assert neighbour["properties"]["code"] == "220103"


def test_a_place_without_an_outline_starts_at_its_nearest_outlined_ancestor(client, world):
    # The test villages have no outline: the community worker's map starts at the county around it,
    # which they may not open (outline and name only).
    fc = outlines(client, world["community"], VILLAGE_A).json()
    [context] = by_role(fc, "context")
    assert context["properties"] == {"role": "context", "name": "南关区", "level": "county"} and "id" not in context
    county = shapely.geometry.shape(county_feature("220102")["geometry"])
    assert fc["bbox"] == pytest.approx(list(county.bounds))
    # A place with its own outline has no context.
    assert by_role(outlines(client, world["gridworker"], G1).json(), "context") == []
    [context] = by_role(outlines(client, world["county"], "220102001").json(), "context")
    assert context["properties"]["code"] == "220102"  # the county official may open their county
