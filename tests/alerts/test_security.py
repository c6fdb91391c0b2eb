"""Warnings under attack (issue 12): DOCTYPE/XXE documents, scope-blind answers to out-of-scope areas
and warnings, who may read restricted and exercise warnings, the push's token-first size-limited
body, and JSON nulls in bodies."""

from __future__ import annotations

import http.server
import re
import threading

import pytest

from linli.alerts import cap
from tests.factories import auth, make_user, run_apart, token_for
from tests.factories_alerts import ALERT_ID, CAP_DIR, NONGAN, SIBLING, cap_file


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


def test_push_of_a_doctype_answers_422(client, session, warning_areas, dtd_server, tmp_path):
    headers = {**auth(_issuer_token(session)), "Content-Type": "application/cap+xml"}
    for name, doc in doctype_documents(dtd_server, tmp_path / "none").items():
        r = client.post("/cap/push", content=doc, headers=headers)
        assert r.status_code == 422, (name, r.text)
        assert r.json()["error"]["message"] == "DOCTYPE is not allowed in CAP documents"
    assert client.get(f"/cap/alerts/{ALERT_ID}.xml").status_code == 404
    assert _Hits.hits == []


def test_cli_import_of_a_doctype_exits_2_with_the_message(cli, tmp_path, dtd_server):
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
def sibling_grid(session, warning_areas):
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


def test_an_out_of_scope_geocode_answers_like_a_missing_one(client, session, warning_areas, sibling_grid):
    headers = auth(_issuer_token(session))
    missing = client.post("/api/v1/warnings", json=_body({"area_codes": ["229999"]}), headers=headers)
    assert missing.status_code == 422 and "area 229999 does not exist" in missing.text
    for code in (SIBLING, sibling_grid["village"], sibling_grid["code"], "2201", "22"):
        r = client.post("/api/v1/warnings", json=_body({"area_codes": [code]}), headers=headers)
        assert _answer(r, code) == _answer(missing, "229999"), code
        r = client.post("/api/v1/warnings", json=_body({"geocodes": [["ADMINCODE", code]]}), headers=headers)
        assert _answer(r, code) == _answer(missing, "229999"), code


def test_an_out_of_scope_circle_or_polygon_answers_like_one_over_no_area(client, session, warning_areas, sibling_grid):
    headers = auth(_issuer_token(session))
    lon, lat = sibling_grid["lon"], sibling_grid["lat"]
    nowhere_lon, nowhere_lat = 80.0, 40.0  # in China, but no area of the test warning_areas is there
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


def test_a_shape_across_the_border_covers_only_the_issuers_side(client, session, warning_areas, sibling_grid):
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


def test_an_update_of_an_out_of_scope_warning_answers_like_one_of_an_unknown_warning(client, session, warning_areas):
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


def test_updating_a_warning_that_reaches_beyond_ones_areas_is_403(client, session, warning_areas):
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


# --- who reads restricted, exercise and draft warnings (finding 11) --------------------------------

KINDS = {  # headline → (status, scope): one warning of each
    "SecPublicActual": ("Actual", "Public"),
    "SecRestricted": ("Actual", "Restricted"),
    "SecPrivate": ("Actual", "Private"),
    "SecExercise": ("Exercise", "Public"),
    "SecTest": ("Test", "Public"),
    "SecDraft": ("Draft", "Public"),
    "SecSystem": ("System", "Public"),
}
STAFF_ONLY = {"SecRestricted", "SecPrivate", "SecExercise", "SecTest"}
ISSUERS_ONLY = {"SecDraft", "SecSystem"}


@pytest.fixture
def kinds(session, warning_areas):
    """One warning per status/scope over 农安县, and a resident, a community worker and an issuer of a
    village there (with API tokens)."""
    from sqlalchemy import select

    from linli.alerts import service
    from linli.alerts.schemas import AreaIn, WarningIn
    from linli.areas.models import Area
    from tests.factories import SYSTEM

    village = session.scalar(
        select(Area.code).where(Area.code.like(NONGAN + "%"), Area.level == "village").order_by(Area.code).limit(1)
    )
    people = {
        "resident": make_user(session, "sec_res", "resident", village),
        "worker": make_user(session, "sec_cw", "community_worker", village),
        "issuer": make_user(session, "sec_iss", "warning_issuer", village),
    }
    out = {"village": village, "users": people, "tokens": {k: token_for(session, u) for k, u in people.items()}}
    for headline, (status, scope) in KINDS.items():
        data = WarningIn(
            sender_name="农安县气象台", agency_code="QX", event_type="gale", colour="blue", headline=headline,
            description="大风", status=status, scope=scope, restriction="值班人员" if scope == "Restricted" else None,
            areas=[AreaIn(area_desc="农安县", area_codes=[NONGAN])],
        )  # fmt: skip
        out[headline] = service.issue(session, SYSTEM, data).identifier
    session.commit()
    return out


def _sees(who: str, headline: str) -> bool:
    if headline in ISSUERS_ONLY:
        return who == "issuer"
    return who != "resident" or headline not in STAFF_ONLY


def test_the_api_and_pages_show_each_warning_only_to_those_it_is_for(client, session, kinds):
    for who, tok in kinds["tokens"].items():
        listed = client.get("/api/v1/warnings", params={"size": 100}, headers=auth(tok)).json()["items"]
        area_list = client.get("/api/v1/warnings", params={"area": kinds["village"]}, headers=auth(tok)).text
        page = client.get(f"/areas/{kinds['village']}/warnings", headers=auth(tok)).text
        for headline in KINDS:
            ident = kinds[headline]
            expect = _sees(who, headline)
            assert (headline in {m["headline"] for m in listed}) is expect, (who, headline)
            assert (headline in area_list) is expect, (who, headline)
            assert (headline in page) is expect, (who, headline)
            for url in (f"/api/v1/warnings/{ident}", f"/warnings/{ident}", f"/api/v1/warnings/{ident}/confirmations"):
                r = client.get(url, headers=auth(tok))
                assert r.status_code == (200 if expect else 404), (who, headline, url)
            if not expect:  # exactly like a warning that does not exist
                r = client.get(f"/api/v1/warnings/{ident}", headers=auth(tok))
                missing = client.get(f"/api/v1/warnings/{ident[:-2]}99", headers=auth(tok))
                assert _answer(r, ident) == _answer(missing, ident[:-2] + "99")


def test_public_feeds_and_cap_documents_carry_only_public_actual_warnings(client, session, kinds):
    feed = client.get(f"/cap/{NONGAN}.atom").text
    for headline in KINDS:
        public = headline == "SecPublicActual"
        assert (headline in feed) is public, headline
        r = client.get(f"/cap/alerts/{kinds[headline]}.xml")
        assert r.status_code == (200 if public else 404), headline


def test_a_restricted_update_stays_out_of_a_residents_chain(client, session, kinds):
    from linli.alerts import cap, repository, service
    from tests.factories import SYSTEM

    public = repository.by_identifier(session, kinds["SecPublicActual"])
    doc = cap.to_cap_xml(session, public).decode()
    doc = doc.replace(f"<identifier>{public.identifier}</identifier>", "<identifier>SECUPD1</identifier>")
    doc = doc.replace("<msgType>Alert</msgType><scope>Public</scope>", "")
    doc = doc.replace("<msgType>Alert</msgType>", "<msgType>Update</msgType>")
    doc = doc.replace("<scope>Public</scope>", "<scope>Restricted</scope><restriction>值班人员</restriction>")
    doc = doc.replace("<info>", f"<references>{service.references_of(public)}</references><info>", 1)
    doc = doc.replace("<headline>SecPublicActual</headline>", "<headline>SecRestrictedUpdate</headline>")
    service.receive(session, SYSTEM, cap.parse(doc.encode()), source="imported")
    session.commit()
    for who, tok in kinds["tokens"].items():
        r = client.get(f"/api/v1/warnings/{public.identifier}", headers=auth(tok))
        assert r.status_code == 200
        assert ("SECUPD1" in r.text) is (who != "resident"), who
        page = client.get(f"/warnings/{public.identifier}", headers=auth(tok)).text
        assert ("SecRestrictedUpdate" in page) is (who != "resident"), who


def test_who_may_read_a_warning_agrees_with_who_is_told(session, kinds):
    """The fan-out told residents exactly the warnings residents may read, and staff those staff may."""
    from sqlalchemy import select

    from linli.alerts import repository
    from linli.authz.deps import load_principal
    from linli.notify.models import OutboxMessage

    for headline in KINDS:
        m = repository.by_identifier(session, kinds[headline])
        told = set(
            session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.ref.like(f"warning:{m.thread}%")))
        )
        for who in ("resident", "worker"):
            user = kinds["users"][who]
            reads = repository.visible(session, load_principal(session, user, "session"), m)
            if who == "worker":  # a community worker is told every warning that reaches anyone
                assert (f"user:{user.id}" in told) is reads, (who, headline)
            else:  # residents who subscribed are told: only the warnings residents may read
                assert reads is (headline not in STAFF_ONLY | ISSUERS_ONLY), (who, headline)


# --- /cap/push: the token before the body, and a size limit while it streams (finding 4) ----------


def _asgi_push(app, headers: list[tuple[bytes, bytes]], chunks: int, chunk: bytes = b"x" * 65536):
    """POST /cap/push straight to the ASGI app with a body of `chunks` chunks; (status, chunks read)."""

    read = 0
    sent: list[dict] = []

    async def receive():
        nonlocal read
        if read >= chunks:
            return {"type": "http.disconnect"}
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": read < chunks}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/cap/push", "raw_path": b"/cap/push", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"application/cap+xml"), *headers],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    run_apart(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], read


def test_an_unauthenticated_push_is_refused_before_its_body_is_read(app, session, warning_areas):
    status, read = _asgi_push(app, [], chunks=200)  # 12.5 MB, never read
    assert (status, read) == (401, 0)
    status, read = _asgi_push(app, [(b"authorization", b"Bearer not-a-token")], chunks=200)
    assert (status, read) == (401, 0)


def test_a_push_over_the_limit_is_refused_with_413_while_it_streams(
    session_factory, session, warning_areas, monkeypatch
):
    from fastapi.testclient import TestClient

    from linli.app import create_app
    from linli.config import get_settings

    tok = _issuer_token(session)
    monkeypatch.setenv("LINLI_CAP_PUSH_MAX_KB", "256")
    get_settings.cache_clear()
    app = create_app(session_factory=session_factory)  # the limits are read as the app is built
    client = TestClient(app)
    # Without a Content-Length (chunked): refused once 256 KB have arrived, the rest is never read.
    status, read = _asgi_push(app, [(b"authorization", f"Bearer {tok}".encode())], chunks=200)
    assert status == 413 and read <= 5
    # With a Content-Length over the limit: refused before reading.
    headers = [(b"authorization", f"Bearer {tok}".encode()), (b"content-length", str(200 * 65536).encode())]
    assert _asgi_push(app, headers, chunks=200) == (413, 0)
    r = client.post(
        "/cap/push",
        content=b" " * (257 * 1024),
        headers={**auth(tok), "Content-Type": "application/cap+xml"},
    )
    assert r.status_code == 413 and "256 KB" in r.json()["error"]["message"]
    # Under the limit, the push works as before.
    doc = cap_file("lightning-yellow-alert.xml")
    r = client.post("/cap/push", content=doc, headers={**auth(tok), "Content-Type": "application/cap+xml"})
    assert r.status_code == 201, r.text


# --- bodies that gave a server error (finding 9) ---------------------------------------------------


def test_explicit_nulls_and_edge_values_in_warning_bodies_are_422_not_500(app, session, warning_areas):
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    h = auth(_issuer_token(session))
    body = _body({"area_codes": [NONGAN]})
    for field in ("sender_name", "agency_code", "event_type", "colour", "description", "msg_type", "status", "areas"):
        r = client.post("/api/v1/warnings", json={**body, field: None}, headers=h)
        assert r.status_code == 422, (field, r.text)
    for when in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "1900-01-01T00:00:00+08:00"):
        for field in ("sent", "effective", "onset", "expires"):
            r = client.post("/api/v1/warnings", json={**body, field: when}, headers=h)
            assert r.status_code == 422 and "between the years" in r.text, (field, when, r.text)
    ident = client.post("/api/v1/warnings", json=body, headers=h).json()["identifier"]
    for change in (
        {"headline": "x" * 501},
        {"description": ""},
        {"sent": "9999-12-31T23:59:59-14:00"},
        {"expires": "0001-01-01T00:00:00+14:00"},
        {"areas": [None]},
    ):
        r = client.post(f"/api/v1/warnings/{ident}/updates", json=change, headers=h)
        assert r.status_code == 422, (change, r.text)
    r = client.post(f"/api/v1/warnings/{ident}/updates", json={"colour": None, "description": None}, headers=h)
    assert r.status_code == 201 and r.json()["colour"] == "yellow"  # null: not given, stays as it was
    for change in ({"headline": "x" * 501}, {"description": ""}, {"sent": "0001-01-01T00:00:00+14:00"}):
        r = client.post(f"/api/v1/warnings/{ident}/lift", json=change, headers=h)
        assert r.status_code == 422, (change, r.text)


def test_cap_fields_longer_than_linli_keeps_are_422_not_500(app, session, warning_areas):
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    headers = {**auth(_issuer_token(session)), "Content-Type": "application/cap+xml"}
    doc = cap_file("lightning-yellow-alert.xml").decode()
    for bad in (
        re.sub(r"<headline>[^<]*</headline>", "<headline>" + "x" * 600 + "</headline>", doc),
        re.sub(r"<senderName>[^<]*</senderName>", "<senderName>" + "x" * 300 + "</senderName>", doc),
        re.sub(r"<identifier>[^<]*</identifier>", "<identifier>" + "A" * 300 + "</identifier>", doc),
        doc.replace("<areaDesc>农安县</areaDesc>", "<areaDesc>" + "x" * 600 + "</areaDesc>"),
        doc.replace("2026-07-01T15:02:00+08:00", "9999-12-31T23:59:59-14:00"),
    ):
        r = client.post("/cap/push", content=bad.encode(), headers=headers)
        assert r.status_code == 422, r.text
    assert client.get(f"/cap/alerts/{ALERT_ID}.xml").status_code == 404
