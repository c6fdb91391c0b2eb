"""Before reporting, the form asks whether a point is in the reporter's areas (and in which grid); the
clustered map reads the open events compactly. Both answer only within the reader's reach."""

from __future__ import annotations

import gzip

import pytest

from linli.events.models import Event
from linli.events.workflow import STATES
from tests.factories import auth, token_for
from tests.factories_events import GRID, as_principal, events_world, report


@pytest.fixture
def ew(session):
    w = events_world(session)
    w["tokens"] = {k: token_for(session, u) for k, u in w["people"].items()}
    session.commit()
    return w


def place(client, ew, who, point):
    return client.get(
        "/api/v1/events/report-place", params={"lon": point[0], "lat": point[1]}, headers=auth(ew["tokens"][who])
    )


def test_a_point_in_the_reporters_grid_is_inside_with_the_grids_name(client, ew):
    r = place(client, ew, "resident", ew["point"])
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["inside"] is True and out["code"] == GRID and out["name"] == "第一网格"
    assert out["village"] and out["village"] in out["message"] and "第一网格" in out["message"]


@pytest.mark.parametrize("who", ["resident", "gridworker", "county"])
def test_a_point_in_another_county_is_outside_naming_nothing_there(client, ew, who):
    r = place(client, ew, who, ew["sibling_point"])
    assert r.status_code == 200
    out = r.json()
    assert out["inside"] is False and out["code"] is None and out["name"] is None
    assert "邻县网格" not in r.text and "220103" not in r.text
    # The same words as the refusal on submitting.
    sent = client.post(
        "/api/v1/events",
        json={"category_code": "0301", "title": "t", "lon": ew["sibling_point"][0], "lat": ew["sibling_point"][1]},
        headers=auth(ew["tokens"][who]),
    )
    assert sent.status_code == 422 and sent.json()["error"]["message"] == out["message"]


def test_a_point_in_the_county_but_outside_the_grid_workers_grid_is_outside_for_them(client, ew):
    lon, lat = ew["point"]
    away = (lon + 0.01, lat + 0.01)  # in 220102, in no grid
    assert place(client, ew, "gridworker", away).json()["inside"] is False
    county = place(client, ew, "county", away).json()
    assert county["inside"] is True and county["code"] == "220102"


@pytest.mark.parametrize("point", [(200, 43), (125, -91)])
def test_impossible_coordinates_are_refused(client, ew, point):
    r = place(client, ew, "resident", point)
    assert r.status_code == 422


def decode(data: dict) -> list[tuple]:
    out, acc = [], {"i": 0, "x": 0, "y": 0, "g": 0}
    for n in range(len(data["i"])):
        for key in acc:
            acc[key] += data[key][n]
        k, grid = data["k"][n], data["grids"][acc["g"]]
        out.append((acc["i"], acc["x"] / 1e5, acc["y"] / 1e5, data["states"][k >> 1], bool(k & 1), grid))
    return out


def test_map_points_are_the_open_events_in_compact_columns(client, session, ew):
    who = as_principal(session, ew["people"]["resident"])
    lon, lat = ew["point"]
    made = [report(session, who, (lon + d, lat + d / 2)) for d in (0.0001, 0.0003, 0.0005)]
    closed = report(session, who, (lon, lat))
    session.get(Event, closed.id).state = "closed"
    late = session.get(Event, made[1].id)
    late.stage_deadline = late.reported_at.replace(year=2020)
    session.commit()
    r = client.get("/api/v1/events/map-points", params={"area": "220102"}, headers=auth(ew["tokens"]["county"]))
    assert r.status_code == 200
    points = decode(r.json())
    assert r.json()["total"] == 3
    reported = STATES.index("reported")
    assert r.json()["states"][reported]  # a label, not a code
    assert [p[0] for p in points] == [e.id for e in made]
    for p, e in zip(points, made, strict=True):
        assert p[1] == pytest.approx(e.lon, abs=1e-5) and p[2] == pytest.approx(e.lat, abs=1e-5)
        assert p[5] == "第一网格"
    assert [p[4] for p in points] == [False, True, False]
    # The sibling county's official gets the same 404 as for a missing area.
    r = client.get("/api/v1/events/map-points", params={"area": "220102"}, headers=auth(ew["tokens"]["sibling"]))
    assert r.status_code == 404


def test_map_points_are_compressed_for_a_client_that_accepts_gzip(client, session, ew):
    who = as_principal(session, ew["people"]["resident"])
    lon, lat = ew["point"]
    for n in range(200):
        report(session, who, (lon + n * 0.000004, lat), title=f"t{n}")
    session.commit()
    headers = {**auth(ew["tokens"]["county"]), "Accept-Encoding": "gzip"}
    r = client.get("/api/v1/events/map-points", params={"area": "220102"}, headers=headers)
    assert r.headers.get("content-encoding") == "gzip"
    assert r.json()["total"] == 200  # the client undoes the compression
    raw = client.get(
        "/api/v1/events/map-points", params={"area": "220102"}, headers={**headers, "Accept-Encoding": "identity"}
    )
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)


def test_past_the_limit_the_points_come_grouped_by_grid(client, session, ew, monkeypatch):
    from linli.events.repository import reads

    who = as_principal(session, ew["people"]["resident"])
    lon, lat = ew["point"]
    made = [report(session, who, (lon + d, lat)) for d in (0.0001, 0.0002, 0.0003)]
    late = session.get(Event, made[0].id)
    late.stage_deadline = late.reported_at.replace(year=2020)
    session.commit()
    monkeypatch.setattr(reads, "MAP_POINTS_MAX", 2)
    data = client.get("/api/v1/events/map-points", params={"area": "220102"}, headers=auth(ew["tokens"]["county"]))
    data = data.json()
    assert data["mode"] == "groups" and data["total"] == 3
    assert data["codes"] == [GRID] and data["grids"] == ["第一网格"]
    assert data["n"] == [3] and data["o"] == [1] and "i" not in data
    assert data["x"][0] / 1e5 == pytest.approx(lon + 0.0002, abs=1e-5) and data["y"][0] / 1e5 == pytest.approx(lat)
    # The grid's own points, when the map opens the group (a grid has fewer than the limit).
    monkeypatch.undo()
    one = client.get("/api/v1/events/map-points", params={"area": GRID}, headers=auth(ew["tokens"]["county"])).json()
    assert one["mode"] == "points" and len(one["i"]) == 3
