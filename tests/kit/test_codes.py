import pytest

from linli.authz.scope import AreaScope, build_scope
from linli.kit import codes


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("22", "province"),
        ("2201", "city"),
        ("220102", "county"),
        ("220102001", "township"),
        ("220102001001", "village"),
        ("220102001001003", "grid"),
    ],
)
def test_levels(code, level):
    assert codes.level_of(code) == level


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "2",
        "220",
        "22010",
        "2201020011",
        "22a1",
        "２２",
        "2200",
        "220100",
        "220102000",
        "220102001000",
        "220102001001000",
    ],
)
def test_bad_codes(bad):
    with pytest.raises(codes.CodeError):
        codes.level_of(bad)


def test_subtree_range_is_half_open_and_padded():
    assert codes.subtree_range("22") == ("220000000000000", "230000000000000")
    assert codes.subtree_range("2299") == ("229900000000000", "230000000000000")
    assert codes.subtree_range("220102") == ("220102000000000", "220103000000000")
    low, high = codes.subtree_range("220102001001")
    assert low <= codes.pad("220102001001999") < high
    assert not low <= codes.pad("220102001002") < high


def test_unpad_and_ancestors():
    for c in ("22", "2201", "220102", "220102001", "220102001001", "220102001001003"):
        assert codes.unpad(codes.pad(c)) == c
    assert codes.ancestors("220102001001003") == ["22", "2201", "220102", "220102001", "220102001001"]


def test_township_of_a_real_or_padded_code():
    assert codes.township_of("220102001001001") == "220102001"
    assert codes.township_of("220102001001") == "220102001"
    assert codes.township_of("220102001") == "220102001"
    assert codes.township_of(codes.pad("220102001")) == "220102001"
    assert codes.township_of("220102") is None
    assert codes.township_of(codes.pad("220102")) is None


def test_scope_only_built_by_auth():
    with pytest.raises(RuntimeError):
        AreaScope(["22"], everything=False)


def test_scope_contains_and_collapses_codes():
    scope = build_scope(["220102", "2201", "220203"])
    assert scope.area_codes == ("2201", "220203")
    assert scope.contains("220102001001003")
    assert scope.contains(codes.pad("2201"))
    assert not scope.contains("2202")
    assert not scope.contains("220202")
    assert scope.contains("220203001")
    assert build_scope([]).empty
    assert not build_scope([]).contains("22")


def test_child_length_is_the_next_level_and_a_grid_has_none_below():
    from linli.kit.codes import child_length

    codes_by_level = ["22", "2201", "220102", "220102001", "220102001001", "220102001001001"]
    assert [child_length(c) for c in codes_by_level] == [4, 6, 9, 12, 15, 15]
