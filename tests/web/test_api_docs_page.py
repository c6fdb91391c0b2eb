"""/docs (Swagger UI) is served from the vendored Swagger UI 5 and nothing else: every file it names
exists under static/, and the page holds nothing the Content-Security-Policy refuses.
tests/browser/test_api_docs.py opens it in Chromium."""

from __future__ import annotations

import re

from tests import ROOT

STATIC = ROOT / "src" / "linli" / "web" / "static"
VENDOR = "/static/vendor/swagger-ui/"
INIT = "/static/swagger-init.js"  # the project's own script that starts Swagger UI


def references(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)


def test_docs_names_only_vendored_swagger_ui_files_that_exist(client):
    r = client.get("/docs")
    assert r.status_code == 200
    refs = [ref for ref in references(r.text) if not ref.startswith("data:")]
    assert {VENDOR + "swagger-ui-bundle.js", VENDOR + "swagger-ui.css", INIT} <= set(refs), refs
    for ref in refs:
        assert ref.startswith(VENDOR) or ref == INIT, f"/docs names {ref}, not a vendored Swagger UI file"
        assert (STATIC / ref.removeprefix("/static/")).is_file(), f"/docs names {ref}, which static/ lacks"
        served = client.get(ref)
        assert served.status_code == 200 and served.content, ref


def test_vendored_swagger_ui_reads_openapi_3_1(client):
    # Swagger UI 4 shows nothing for FastAPI's OpenAPI 3.1; 5 reads it.
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = (STATIC / "vendor" / "swagger-ui" / "swagger-ui-bundle.js").read_text(encoding="utf-8")
    version = re.search(r'PACKAGE_VERSION:"(\d+)\.\d+\.\d+"', bundle)
    assert version and int(version.group(1)) >= 5, "the vendored Swagger UI is not 5.x"
    for name in ("LICENSE", "NOTICE"):
        assert (STATIC / "vendor" / "swagger-ui" / name).is_file(), name


def test_docs_holds_nothing_the_csp_refuses(client):
    html = client.get("/docs").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
