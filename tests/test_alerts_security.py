"""Warnings under attack (issue 12): DOCTYPE/XXE documents, scope-blind answers to out-of-scope areas
and warnings, who may read restricted and exercise warnings, the push's token-first size-limited
body, and JSON nulls in bodies."""

from __future__ import annotations

import http.server
import re
import threading

import pytest

from linli.alerts import cap
from tests.factories import auth, make_user, token_for
from tests.factories_alerts import ALERT_ID, CAP_DIR, NONGAN, SIBLING, cap_file, load_alert_world
from tests.test_cli import cli  # noqa: F401  (the fixture)


@pytest.fixture
def world(session):
    load_alert_world(session)
    session.flush()


def _issuer_token(session, username="sec_qx", area=NONGAN) -> str:
    tok = token_for(session, make_user(session, username, "warning_issuer", area))
    session.commit()
    return tok


# --- DOCTYPE, external entities, entity expansion -------------------------------------------------


class _Hits(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (the handler's name is http.server's)
        _Hits.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY x "fetched">')

    def log_message(self, *args):
        pass


@pytest.fixture
def dtd_server():
    """A local HTTP server counting requests: a parser that fetches a DTD or entity shows up here."""
    _Hits.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hits)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _with_doctype(doctype: str, entity: str = "") -> bytes:
    head, rest = cap_file("lightning-yellow-alert.xml").decode().split("?>", 1)
    return (head + "?>\n" + doctype + rest.replace("<description>", "<description>" + entity, 1)).encode()


def doctype_documents(base: str, secret) -> dict[str, bytes]:
    return {
        "external entity (file)": _with_doctype(f'<!DOCTYPE alert [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;"),
        "external entity (http)": _with_doctype(f'<!DOCTYPE alert [<!ENTITY x SYSTEM "{base}/e">]>', "&x;"),
        "external DTD": _with_doctype(f'<!DOCTYPE alert SYSTEM "{base}/cap.dtd">'),
        "parameter entity": _with_doctype(f'<!DOCTYPE alert [<!ENTITY % p SYSTEM "{base}/p.dtd"> %p;]>'),
        "billion laughs": _with_doctype(
            '<!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True))
            + "]>",
            "&i;",
        ),
        "internal entity": _with_doctype('<!DOCTYPE alert [<!ENTITY x "hello">]>', "&x;"),
        "bare DOCTYPE": _with_doctype("<!DOCTYPE alert>"),
    }


def test_a_doctype_is_refused_with_422_and_nothing_is_fetched(dtd_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    for name, doc in doctype_documents(dtd_server, secret).items():
        with pytest.raises(cap.CapInvalid) as exc:
            cap.parse(doc)
        assert exc.value.status == 422, name
        assert exc.value.message == "DOCTYPE is not allowed in CAP documents", name
    assert _Hits.hits == []


def test_push_of_a_doctype_answers_422(client, session, world, dtd_server, tmp_path):
    headers = {**auth(_issuer_token(session)), "Content-Type": "application/cap+xml"}
    for name, doc in doctype_documents(dtd_server, tmp_path / "none").items():
        r = client.post("/cap/push", content=doc, headers=headers)
        assert r.status_code == 422, (name, r.text)
        assert r.json()["error"]["message"] == "DOCTYPE is not allowed in CAP documents"
    assert client.get(f"/cap/alerts/{ALERT_ID}.xml").status_code == 404
    assert _Hits.hits == []


def test_cli_import_of_a_doctype_exits_2_with_the_message(cli, tmp_path, dtd_server):  # noqa: F811
    from linli.alerts.models import WarningMessage
    from tests.factories import DATA

    assert cli("import", "areas", DATA / "divisions-22.json").exit_code == 0
    assert cli("import", "boundaries", DATA / "counties-22.geojson").exit_code == 0
    for n, doc in enumerate(doctype_documents(dtd_server, tmp_path / "none").values()):
        path = tmp_path / f"d{n}.xml"
        path.write_bytes(doc)
        r = cli("warning", "import", path)
        assert r.exit_code == 2 and "DOCTYPE is not allowed in CAP documents" in r.output, r.output
    assert cli.count(WarningMessage) == 0
    assert cli("warning", "import", CAP_DIR / "lightning-yellow-alert.xml").exit_code == 0


# --- out of scope answers like nonexistent, and names nothing (finding 10) ------------------------


@pytest.fixture
def sibling_grid(session, world):
    """A grid in the sibling county (220103): a circle or polygon over it is out of a 农安县 issuer's scope."""
    from sqlalchemy import select

    from linli.areas import grids
    from linli.areas.kinds import GridKind
    from linli.areas.models import Area
    from tests.factories import SYSTEM, inside_point, square

    village = session.scalar(
        select(Area.code).where(Area.code.like(SIBLING + "%"), Area.level == "village").order_by(Area.code).limit(1)
    )
    lon, lat = inside_point(SIBLING)
    code = village + "001"
    grids.create_grid(session, SYSTEM, code, "邻县网格", GridKind.residential, square(lon, lat, 0.01))
    session.commit()
    return {"code": code, "village": village, "lon": lon + 0.005, "lat": lat + 0.005}


def _body(area: dict) -> dict:
    return {
        "sender_name": "农安县气象台",
        "agency_code": "QX",
        "event_type": "lightning",
        "colour": "yellow",
        "description": "雷电",
        "areas": [{"area_desc": "某地", **area}],
    }


def _answer(r, *names: str) -> tuple:
    """Status, code and message of an error with the given names blanked, for comparing two answers."""
    err = r.json()["error"]
    text = repr((err["message"], err.get("details")))
    for n in names:
        text = text.replace(n, "<code>")
    return r.status_code, err["code"], text


def _names_of(session, code: str) -> list[str]:
    """The code, its padded form and its ancestors' and its name: none may appear in an answer."""
    from linli.areas.models import Area
    from linli.kit import codes

    area = session.get(Area, code)
    return [code, codes.pad(code), *(a for a in codes.ancestors(code) if len(a) >= 6), area.name]


def test_an_out_of_scope_geocode_answers_like_a_missing_one(client, session, world, sibling_grid):
    headers = auth(_issuer_token(session))
    missing = client.post("/api/v1/warnings", json=_body({"area_codes": ["229999"]}), headers=headers)
    assert missing.status_code == 422 and "area 229999 does not exist" in missing.text
    for code in (SIBLING, sibling_grid["village"], sibling_grid["code"], "2201", "22"):
        r = client.post("/api/v1/warnings", json=_body({"area_codes": [code]}), headers=headers)
        assert _answer(r, code) == _answer(missing, "229999"), code
        r = client.post("/api/v1/warnings", json=_body({"geocodes": [["ADMINCODE", code]]}), headers=headers)
        assert _answer(r, code) == _answer(missing, "229999"), code


def test_an_out_of_scope_circle_or_polygon_answers_like_one_over_no_area(client, session, world, sibling_grid):
    headers = auth(_issuer_token(session))
    lon, lat = sibling_grid["lon"], sibling_grid["lat"]
    nowhere_lon, nowhere_lat = 80.0, 40.0  # in China, but no area of the test world is there
    leaks = _names_of(session, sibling_grid["code"])
    for shape in (
        lambda x, y: {"circles": [f"{y},{x} 0.2"]},
        lambda x, y: {"circles": [f"{y},{x} 0"]},  # a point: the area containing it
        lambda x, y: {"polygons": [f"{y},{x} {y},{x + 0.001} {y + 0.001},{x + 0.001} {y},{x}"]},
    ):
        nowhere = client.post("/api/v1/warnings", json=_body(shape(nowhere_lon, nowhere_lat)), headers=headers)
        assert nowhere.status_code == 422 and "covers no known area" in nowhere.text
        r = client.post("/api/v1/warnings", json=_body(shape(lon, lat)), headers=headers)
        assert _answer(r) == _answer(nowhere), shape(lon, lat)
        assert not [n for n in leaks if n in r.text], r.text


def test_a_shape_across_the_border_covers_only_the_issuers_side(client, session, world, sibling_grid):
    """The part over the neighbour covers nothing, as over a place with no known area."""
    from shapely.geometry import shape

    from tests.factories import county_feature, inside_point

    lon, lat = inside_point(NONGAN)
    both = f"{lat},{lon} {lat},{sibling_grid['lon']} {sibling_grid['lat']},{sibling_grid['lon']} {lat},{lon}"
    assert shape(county_feature(SIBLING)["geometry"]).contains(
        shape({"type": "Point", "coordinates": [sibling_grid["lon"], sibling_grid["lat"]]})
    )
    r = client.post("/api/v1/warnings", json=_body({"polygons": [both]}), headers=auth(_issuer_token(session)))
    assert r.status_code == 201, r.text
    assert r.json()["area_codes"] and all(c.startswith(NONGAN) for c in r.json()["area_codes"])


def _update_of(identifier: str) -> bytes:
    doc = cap_file("lightning-orange-update.xml").decode()
    return doc.replace("220122QX2026070115020001", identifier).encode()


def test_an_update_of_an_out_of_scope_warning_answers_like_one_of_an_unknown_warning(client, session, world):
    from linli.alerts import service
    from tests.factories import SYSTEM

    tok = _issuer_token(session)
    headers = {**auth(tok), "Content-Type": "application/cap+xml"}
    sib_id = "220103QX2026070115020001"
    unknown = client.post("/cap/push", content=_update_of(sib_id), headers=headers)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_reference"
    api_unknown = client.post(f"/api/v1/warnings/{sib_id}/updates", json={"colour": "red"}, headers=auth(tok))
    lift_unknown = client.post(f"/api/v1/warnings/{sib_id}/lift", json={}, headers=auth(tok))
    sibling_alert = cap_file("lightning-yellow-alert.xml").replace(b"220122QX2026070115020001", sib_id.encode())
    sibling_alert = sibling_alert.replace(b"<value>220122</value>", f"<value>{SIBLING}</value>".encode())
    sibling_alert = re.sub(
        rb"<area>\s*<areaDesc>[^<]*</areaDesc>\s*<polygon>.*?</area>", b"", sibling_alert, flags=re.S
    )
    service.receive(session, SYSTEM, cap.parse(sibling_alert), source="imported")
    session.commit()
    r = client.post("/cap/push", content=_update_of(sib_id), headers=headers)
    assert _answer(r) == _answer(unknown), r.text
    r = client.post(f"/api/v1/warnings/{sib_id}/updates", json={"colour": "red"}, headers=auth(tok))
    assert _answer(r) == _answer(api_unknown) and r.status_code == 404
    r = client.post(f"/api/v1/warnings/{sib_id}/lift", json={}, headers=auth(tok))
    assert _answer(r) == _answer(lift_unknown) and r.status_code == 404


def test_updating_a_warning_that_reaches_beyond_ones_areas_is_403(client, session, world):
    """A village's issuer sees the county's warning, but may not update it: 403, not "does not exist"."""
    from sqlalchemy import select

    from linli.areas.models import Area

    village = session.scalar(
        select(Area.code).where(Area.code.like(NONGAN + "%"), Area.level == "village").order_by(Area.code).limit(1)
    )
    county = client.post("/api/v1/warnings", json=_body({"area_codes": [NONGAN]}), headers=auth(_issuer_token(session)))
    ident = county.json()["identifier"]
    tok = _issuer_token(session, "village_qx", village)
    assert client.get(f"/api/v1/warnings/{ident}", headers=auth(tok)).status_code == 200
    r = client.post(f"/api/v1/warnings/{ident}/updates", json={"colour": "red"}, headers=auth(tok))
    assert r.status_code == 403 and "does not exist" not in r.text, r.text
    r = client.post(f"/api/v1/warnings/{ident}/lift", json={}, headers=auth(tok))
    assert r.status_code == 403, r.text
