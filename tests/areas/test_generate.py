"""Tests for linli.areas.generate: nested demo townships, villages and grids inside a county boundary."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import shapely

from linli.areas import generate as gen
from linli.areas.generate import GeneratedCounty, TownshipSpec, VillageSpec, generate_county
from linli.areas.kinds import GridKind
from tests import ROOT

OVERLAP_TOL = 1e-12  # deg², between sibling pieces
COVER_TOL = 1e-10  # deg², gap between a parent and the union of its children
KINDS = ("community", "village", "village", "virtual_living_area", "other")


def blob(cx: float, cy: float, rx: float, ry: float, seed: int, n: int = 48) -> shapely.Polygon:
    """An irregular, somewhat concave star-shaped polygon."""
    rng = np.random.default_rng(seed)
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = 1 + 0.3 * np.sin(3 * ang + seed) + 0.15 * rng.random(n)
    return shapely.Polygon(np.column_stack([cx + rx * r * np.cos(ang), cy + ry * r * np.sin(ang)]))


COUNTY = blob(125.3, 43.8, 0.25, 0.2, seed=1)
WEST, EAST = blob(125.2, 43.8, 0.12, 0.1, seed=2), blob(125.55, 43.75, 0.08, 0.07, seed=3)
TWO_PARTS = shapely.MultiPolygon([WEST, EAST])
# a comb: deep concavities make Voronoi cells fall apart into pieces that must be merged
TEETH = [shapely.box(125.0 + i * 0.1, 43.6, 125.05 + i * 0.1, 43.9) for i in range(5)]
COMB = shapely.union_all([shapely.box(125.0, 43.6, 125.5, 43.65), *TEETH])


def specs(county: str, n_towns: int, n_villages: int, *, empty: tuple[int, ...] = ()) -> list[TownshipSpec]:
    towns = []
    for t in range(1, n_towns + 1):
        tcode = f"{county}{t:03d}"
        villages = [
            VillageSpec(f"{tcode}{v:03d}", f"王家{v}村委会", KINDS[(t + v) % len(KINDS)])
            for v in range(1, n_villages + 1)
        ]
        towns.append(TownshipSpec(tcode, f"第{t}镇", [] if t in empty else villages))
    return towns


def assert_partition(
    parent: shapely.Geometry, children: list[shapely.Geometry], what: str, cover_tol: float = COVER_TOL
) -> None:
    """children do not overlap each other and their union covers parent."""
    for a, b in itertools.combinations(children, 2):
        if a.bounds[0] <= b.bounds[2] and b.bounds[0] <= a.bounds[2]:
            assert shapely.intersection(a, b).area < OVERLAP_TOL, f"{what}: siblings overlap"
    union = shapely.union_all(children)
    assert shapely.difference(parent, union).area < cover_tol, f"{what}: children leave a gap"
    assert shapely.difference(union, parent).area < cover_tol, f"{what}: children stick out"


def check(county: shapely.Geometry, towns: list[TownshipSpec], out: GeneratedCounty) -> None:
    """All the invariants the generator promises."""
    assert list(out.townships) == [t.code for t in towns]
    assert list(out.villages) == [v.code for t in towns for v in t.villages]
    everything = [*out.townships.values(), *out.villages.values(), *(g.polygon for g in out.grids)]
    arr = np.array(everything, dtype=object)
    assert shapely.is_valid(arr).all()
    assert not shapely.is_empty(arr).any()
    assert (shapely.area(arr) > 0).all()
    assert set(shapely.get_type_id(arr)) <= {3, 6}  # Polygon, MultiPolygon
    # townships fill the county, up to rounding its outline to 1e-6 degree (at most ~1e-6 * perimeter)
    assert shapely.difference(shapely.union_all(arr), county).area < 1e-6 * county.length
    assert_partition(county, list(out.townships.values()), "county", cover_tol=1e-6 * county.length)
    by_village: dict[str, list] = {}
    for grid in out.grids:
        by_village.setdefault(grid.village_code, []).append(grid)
    assert set(by_village) == set(out.villages)
    for town in towns:
        if town.villages:
            children = [out.villages[v.code] for v in town.villages]
            assert_partition(out.townships[town.code], children, town.code)
        for village in town.villages:
            grids = by_village[village.code]
            assert gen.MIN_GRIDS <= len(grids) <= gen.MAX_GRIDS
            assert [g.code for g in grids] == [f"{village.code}{n:03d}" for n in range(1, len(grids) + 1)]
            for g in grids:
                assert len(g.code) == 15 and g.code.isdigit() and g.code.startswith(village.code)
                assert g.code[-3:] != "000"
                assert isinstance(g.kind, GridKind)
                assert g.polygon.geom_type == "Polygon"
            assert len({g.name for g in grids}) == len(grids), "grid names repeat inside a village"
            kinds = [g.kind for g in grids]
            if village.kind == "community":
                assert all(k == GridKind.residential or k.family == "exclusive" for k in kinds)
                assert sum(k.family == "exclusive" for k in kinds) <= 1
            elif village.kind == "village":
                assert all(k.family == "rural" for k in kinds)
            else:
                assert all(k == GridKind.residential for k in kinds)
            assert_partition(out.villages[village.code], [g.polygon for g in grids], village.code)


def snapshot(out: GeneratedCounty) -> tuple:
    return (
        {k: v.wkb for k, v in out.townships.items()},
        {k: v.wkb for k, v in out.villages.items()},
        [(g.code, g.name, g.kind, g.village_code, g.polygon.wkb) for g in out.grids],
    )


def test_synthetic_county_invariants():
    towns = specs("220102", 6, 8)
    out = generate_county(COUNTY, towns)
    check(COUNTY, towns, out)
    assert len(out.grids) == sum(gen.grid_count(v.code) for t in towns for v in t.villages)


def test_deterministic_and_seed_dependent():
    towns = specs("220102", 4, 5)
    a = generate_county(COUNTY, towns)
    b = generate_county(COUNTY, towns)
    assert snapshot(a) == snapshot(b)
    c = generate_county(COUNTY, towns, seed=12345)
    assert snapshot(c) == snapshot(generate_county(COUNTY, towns, seed=12345))
    assert snapshot(c)[0] != snapshot(a)[0]
    # the number of grids, their codes, kinds and names depend on the village code only
    assert [(g.code, g.kind, g.name) for g in c.grids] == [(g.code, g.kind, g.name) for g in a.grids]


def test_coordinates_rounded_to_six_decimals():
    out = generate_county(COUNTY, specs("220102", 3, 4))
    xy = shapely.get_coordinates([g.polygon for g in out.grids]) * 1e6
    assert np.abs(xy - np.round(xy)).max() < 1e-3


def test_falls_back_to_unrounded_when_rounding_breaks_pieces(monkeypatch):
    monkeypatch.setattr(gen, "GRID_SIZE", 0.02)  # coarser than a grid: rounding would collapse pieces
    towns = specs("220102", 3, 4)
    out = generate_county(COUNTY, towns)
    check(COUNTY, towns, out)
    xy = shapely.get_coordinates([g.polygon for g in out.grids]) / 0.02
    assert np.abs(xy - np.round(xy)).max() > 1e-3


def test_multipolygon_county():
    towns = specs("220202", 5, 6)
    out = generate_county(TWO_PARTS, towns)
    check(TWO_PARTS, towns, out)
    for part in TWO_PARTS.geoms:  # both parts are used
        assert any(shapely.intersection(g.polygon, part).area > 0 for g in out.grids)


def test_village_spanning_two_parts_gets_polygon_grids_in_each():
    towns = [TownshipSpec("220202001", "镇", [VillageSpec("220202001001", "李家村", "village")])]
    out = generate_county(TWO_PARTS, towns)
    check(TWO_PARTS, towns, out)
    assert out.villages["220202001001"].geom_type == "MultiPolygon"
    for part in TWO_PARTS.geoms:
        assert any(g.polygon.within(part.buffer(1e-5)) for g in out.grids)


def test_small_island_gets_its_own_grid():
    # seeds rarely land on a 1% island, so without care one grid would span the water as a MultiPolygon
    island = shapely.box(125.6, 43.8, 125.61, 43.81)
    county = shapely.MultiPolygon([blob(125.3, 43.8, 0.1, 0.08, seed=4), island])
    towns = [TownshipSpec("220202001", "镇", [VillageSpec("220202001001", "李家村", "village")])]
    out = generate_county(county, towns)
    check(county, towns, out)
    assert sum(g.polygon.intersects(county.geoms[1]) for g in out.grids) == 1


def test_concave_county_keeps_grids_single_polygons():
    towns = specs("220103", 5, 5)
    out = generate_county(COMB, towns)
    check(COMB, towns, out)
    one_village = [TownshipSpec("220103001", "镇", [VillageSpec("220103001001", "梳子村", "village")])]
    check(COMB, one_village, generate_county(COMB, one_village))


@pytest.mark.parametrize("n", [5, 12])
def test_split_merges_pieces_cut_off_by_concave_outline(n):
    # plain Voronoi cells of the comb often fall apart into pieces; _split must hand them to neighbours
    for seed in range(8):
        cells = gen._split(COMB, n, np.random.default_rng(seed))
        assert len(cells) == n
        assert all(c.geom_type == "Polygon" and c.is_valid and c.area > 0 for c in cells)
        assert_partition(COMB, cells, f"comb seed {seed}")


def test_sampling_works_in_thin_slivers():
    # a 2 m wide diagonal strip fills 1/20000 of its bounds: rejection sampling alone would give up
    strip = shapely.Polygon([(125.0, 43.5), (125.5, 43.9), (125.5, 43.90002), (125.0, 43.50002)])
    pts = gen._sample(strip, 50, np.random.default_rng(0))
    assert pts.shape == (50, 2) and shapely.contains_xy(strip, pts[:, 0], pts[:, 1]).all()
    cells = gen._split(strip, 4, np.random.default_rng(0))
    assert len(cells) == 4 and all(c.geom_type == "Polygon" and c.area > 0 for c in cells)


def test_invalid_county_rejected():
    bowtie = shapely.Polygon([(125, 43), (126, 44), (126, 43), (125, 44)])
    with pytest.raises(ValueError):
        generate_county(bowtie, specs("220102", 1, 1))


def test_empty_townships_and_no_townships():
    towns = specs("220104", 4, 3, empty=(2, 4))
    out = generate_county(COUNTY, towns)
    check(COUNTY, towns, out)
    assert out.townships["220104002"].area > 0
    assert not any(v.startswith("220104002") for v in out.villages)
    only_empty = specs("220104", 3, 0)
    check(COUNTY, only_empty, generate_county(COUNTY, only_empty))
    none = generate_county(COUNTY, [])
    assert (none.townships, none.villages, none.grids) == ({}, {}, [])


def test_grid_names():
    towns = [
        TownshipSpec(
            "220105001",
            "镇",
            [VillageSpec(f"220105001{v:03d}", "张家屯村委会（省级）", "village") for v in range(1, 30)]
            + [VillageSpec(f"220105001{v:03d}", "光明社区", "community") for v in range(30, 70)],
        )
    ]
    grids = generate_county(COUNTY, towns).grids
    rural = [g for g in grids if g.kind == GridKind.rural_natural_village]
    assert rural and all(g.name.startswith("张家") and g.name.endswith("屯") for g in rural)
    assert not any("村" in g.name for g in rural)
    groups = [g for g in grids if g.kind == GridKind.rural_villagers_group]
    assert groups and all(g.name.startswith("第") and g.name.endswith("村民小组") for g in groups)
    assert any(g.name == "第一村民小组" for g in groups)
    exclusive = [g for g in grids if g.kind.family == "exclusive"]
    assert 0 < len(exclusive) < 40 and all(g.name.endswith("专属网格") for g in exclusive)
    assert {g.name for g in grids if g.kind == GridKind.residential} >= {"第一网格", "第二网格", "第三网格"}
    numerals = [gen.cn_numeral(n) for n in (1, 9, 10, 11, 12, 20, 23)]
    assert numerals == ["一", "九", "十", "十一", "十二", "二十", "二十三"]


def _real_file(name: str) -> Path | None:
    for path in (ROOT / "src/linli/data" / name, Path("/work/shared/data/jilin") / name):
        if path.exists():
            return path
    return None


def test_real_county_nanguan():
    counties, divisions = _real_file("counties-22.geojson"), _real_file("divisions-22.json")
    if counties is None or divisions is None:
        pytest.skip("Jilin demo data not available")
    features = json.loads(counties.read_text())["features"]
    feature = next(f for f in features if f["properties"]["adcode"] == "220102")
    county = shapely.geometry.shape(feature["geometry"])
    rows = json.loads(divisions.read_text())["divisions"]
    towns = [
        TownshipSpec(
            t["code"],
            t["name"],
            [VillageSpec(v["code"], v["name"], v["kind"]) for v in rows if v["parent_code"] == t["code"]],
        )
        for t in rows
        if t["parent_code"] == "220102"
    ]
    assert len(towns) > 5 and sum(len(t.villages) for t in towns) > 30
    out = generate_county(county, towns)
    check(county, towns, out)
