"""`linli warning import/export/list` against a fresh SQLite database with the areas of Jilin."""

from __future__ import annotations

from lxml import etree

from linli.alerts import cap
from linli.alerts.models import WarningMessage
from tests.factories_alerts import ALERT_ID, CAP_DIR, UPDATE_ID


def test_import_export_list(jilin, tmp_path):
    cli = jilin
    r = cli("warning", "import", CAP_DIR / "lightning-yellow-alert.xml")
    assert r.exit_code == 0, r.output
    assert f"{ALERT_ID}: Alert imported" in r.output
    r = cli("warning", "import", CAP_DIR / "lightning-yellow-alert.xml")
    assert r.exit_code == 0 and "already known" in r.output
    assert cli("warning", "import", CAP_DIR / "lightning-orange-update.xml").exit_code == 0
    assert cli.count(WarningMessage) == 2

    r = cli("warning", "import", CAP_DIR / "invalid-schema.xml")
    assert r.exit_code == 2 and "line 5" in r.output  # a document that is not CAP is rejected like bad rows
    r = cli("warning", "import", CAP_DIR / "invalid-update-unknown.xml")
    assert r.exit_code == 1 and "no known warning" in r.output

    out = tmp_path / "u.xml"
    r = cli("warning", "export", UPDATE_ID, "-o", out)
    assert r.exit_code == 0, r.output
    assert cap.schema().validate(etree.fromstring(out.read_bytes()))
    r = cli("warning", "export", UPDATE_ID)
    assert r.exit_code == 0 and "<msgType>Update</msgType>" in r.output
    assert cli("warning", "export", "nope").exit_code == 1

    r = cli("warning", "list", "--area", "220122")
    assert r.exit_code == 0 and UPDATE_ID in r.output and "orange" in r.output


def test_import_as_a_user_outside_their_scope_is_refused(jilin):
    cli = jilin
    assert cli("user", "create", "qx.chaoyang", "--area", "220104").exit_code == 0
    assert cli("user", "grant", "qx.chaoyang", "warning_issuer", "220104").exit_code == 0
    r = cli("warning", "import", CAP_DIR / "lightning-yellow-alert.xml", "--as", "qx.chaoyang")
    assert r.exit_code == 1 and "does not exist" in r.output
    assert cli.count(WarningMessage) == 0
