"""Warnings under attack (issue 12): DOCTYPE/XXE documents, scope-blind answers to out-of-scope areas
and warnings, who may read restricted and exercise warnings, the push's token-first size-limited
body, and JSON nulls in bodies."""

from __future__ import annotations

import http.server
import threading

import pytest

from linli.alerts import cap
from tests.factories import auth, make_user, token_for
from tests.factories_alerts import ALERT_ID, CAP_DIR, NONGAN, cap_file, load_alert_world
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
