import json

import pytest
from sqlalchemy import func, select

from linli.areas.importer import import_boundaries, import_divisions
from linli.areas.models import Area
from linli.audit.models import AuditEntry
from linli.kit.errors import ImportRejected, InvalidInput
from tests.factories import DATA, SYSTEM, county_feature, slice_divisions


def count(session):
    return session.scalar(select(func.count()).select_from(Area))


def test_whole_jilin_imports_then_reimport_changes_nothing(session):
    raw = (DATA / "divisions-22.json").read_bytes()
    report = import_divisions(session, SYSTEM, raw)
    assert report.inserted == 13014 and report.updated == 0
    assert count(session) == 13014
    changchun = session.get(Area, "2201")
    assert changchun.name == "长春市" and changchun.area_code == "220100000000000"
    audit_before = session.scalar(select(func.count()).select_from(AuditEntry))
    again = import_divisions(session, SYSTEM, raw)
    assert not again.changed and again.unchanged == 13014
    assert "nothing changed" in again.summary()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


def test_boundaries_import_and_reimport(session):
    import_divisions(session, SYSTEM, (DATA / "divisions-22.json").read_bytes())
    raw = (DATA / "counties-22.geojson").read_bytes()
    report = import_boundaries(session, SYSTEM, raw)
    assert report.updated == 60
    nanguan = session.get(Area, "220102")
    assert nanguan.has_boundary and nanguan.min_lon < nanguan.rep_lon < nanguan.max_lon
    assert not import_boundaries(session, SYSTEM, raw).changed


def bad_file_rows():
    rows = slice_divisions()
    rows.append({"code": "220102009001", "name": "孤儿村", "parent_code": "220102009"})  # unknown parent
    rows.append({"code": "22010200100", "name": "十一位", "parent_code": "220102001"})  # bad length
    rows.append(dict(rows[5]))  # duplicate code
    rows.append({"code": "220103001777", "name": "跨区村", "parent_code": "220102001"})  # not under its parent
    rows.append({"code": "220102001888", "name": "", "parent_code": "220102001"})  # no name
    return rows


def test_bad_rows_are_all_listed_and_nothing_written(session):
    rows = bad_file_rows()
    with pytest.raises(ImportRejected) as exc:
        import_divisions(session, SYSTEM, json.dumps({"divisions": rows}))
    reasons = {r["row"]: r["reason"] for r in exc.value.rows}
    n = len(rows)
    assert "unknown parent 220102009" in reasons[n - 4]
    assert "has 11 digits" in reasons[n - 3]
    assert "duplicate code" in reasons[n - 2]
    assert "not under its parent" in reasons[n - 1]
    assert "name is missing" in reasons[n]
    assert len(reasons) == 5
    assert count(session) == 0


def test_skip_bad_rows_imports_the_rest(session):
    rows = bad_file_rows()
    report = import_divisions(session, SYSTEM, json.dumps({"divisions": rows}), skip_bad_rows=True)
    assert len(report.skipped) == 5
    assert report.inserted == len(rows) - 5
    assert count(session) == report.inserted


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b'{"divisions": 3}', b"[1, 2"])
def test_malformed_divisions_file(session, raw):
    with pytest.raises(InvalidInput):
        import_divisions(session, SYSTEM, raw)
    assert count(session) == 0


def test_bad_boundaries_listed(session):
    import_divisions(session, SYSTEM, json.dumps({"divisions": slice_divisions()}))
    good = county_feature("220102")
    open_ring = {
        "type": "Feature",
        "properties": {"code": "220103"},
        "geometry": {"type": "Polygon", "coordinates": [[[125, 43], [125.1, 43], [125.1, 43.1]]]},
    }
    bowtie = {
        "type": "Feature",
        "properties": {"code": "220103"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[125, 43], [125.1, 43.1], [125.1, 43], [125, 43.1], [125, 43]]],
        },
    }
    unknown = {"type": "Feature", "properties": {"adcode": "229999"}, "geometry": good["geometry"]}
    swapped = {
        "type": "Feature",
        "properties": {"code": "2201"},
        "geometry": {"type": "Polygon", "coordinates": [[[43, 125], [43.1, 125], [43.1, 125.1], [43, 125]]]},
    }
    fc = {"type": "FeatureCollection", "features": [good, open_ring, bowtie, unknown, swapped]}
    with pytest.raises(ImportRejected) as exc:
        import_boundaries(session, SYSTEM, json.dumps(fc))
    reasons = {r["row"]: r["reason"] for r in exc.value.rows}
    assert set(reasons) == {2, 3, 4, 5}
    assert "at least 4 positions" in reasons[2] or "not closed" in reasons[2]
    assert "not valid" in reasons[3] and "Self-intersection" in reasons[3]
    assert "unknown area code 229999" in reasons[4]
    assert "latitude 125" in reasons[5]
    assert not session.get(Area, "220102").has_boundary


def test_not_a_feature_collection(session):
    with pytest.raises(InvalidInput, match="FeatureCollection"):
        import_boundaries(session, SYSTEM, json.dumps({"type": "Feature"}))
