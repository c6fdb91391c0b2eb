"""The `linli` command against a fresh SQLite database in a temporary data directory."""

from __future__ import annotations

import json
import sqlite3
import stat

import pytest
from sqlalchemy import func, select

from linli.areas.models import Area
from linli.audit.models import AuditEntry
from linli.authn.models import User
from linli.authn.passwords import verify_password
from linli.authz.models import Grant
from tests.factories import VILLAGE_A, inside_point, slice_divisions, square
from tests.factories_cli import COUNTIES, DIVISIONS


def clean_exit(result) -> bool:
    """The command ended by itself (exit code), not with an uncaught exception."""
    return result.exception is None or isinstance(result.exception, SystemExit)


# --- init -------------------------------------------------------------------------------------


def test_init_creates_the_database(cli):
    assert not cli.db_path.exists()
    r = cli("init")
    assert r.exit_code == 0, r.output
    assert "database ready" in r.stdout and str(cli.db_path) in r.stdout
    assert cli.db_path.exists()
    with sqlite3.connect(cli.db_path) as con:
        names = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
        (revision,) = con.execute("SELECT version_num FROM alembic_version").fetchone()
    assert {"areas", "users", "grants", "api_tokens", "web_sessions", "audit_log", "meta"} <= names
    assert {"audit_log_no_update", "audit_log_no_delete"} <= names
    assert revision and revision in r.stdout
    secret = cli.data_dir / ".linli-secret"
    assert secret.exists() and stat.S_IMODE(secret.stat().st_mode) == 0o600
    # Running it again is harmless and keeps the secret key.
    key = secret.read_text()
    assert cli("init").exit_code == 0
    assert secret.read_text() == key


# --- import areas -----------------------------------------------------------------------------


def test_import_all_of_jilin_then_again_changes_nothing(cli):
    r = cli("import", "areas", DIVISIONS)
    assert r.exit_code == 0, r.output
    assert "13014 added" in r.stdout
    assert cli.count(Area) == 13014
    entries = cli.count(AuditEntry)
    assert entries == 1
    r = cli("import", "areas", DIVISIONS)
    assert r.exit_code == 0, r.output
    assert "nothing changed" in r.stdout and "13014" in r.stdout
    assert "added" not in r.stdout
    assert cli.count(Area) == 13014
    assert cli.count(AuditEntry) == entries
    with cli.db() as s:
        assert s.get(Area, "220102").name == "南关区"


def test_import_of_malformed_json_fails_clearly_and_writes_nothing(cli):
    assert cli("init").exit_code == 0
    path = cli.write("broken.json", '{"divisions": [{"code": "22", "name": "吉林省"},')
    r = cli("import", "areas", path)
    assert r.exit_code != 0
    assert clean_exit(r), r.exception
    assert "not valid JSON" in r.stderr and "line 1" in r.stderr
    assert "Traceback" not in r.output
    assert cli.count(Area) == 0 and cli.count(AuditEntry) == 0


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\xd8garbage", b"", b"{}", b'"just a string"', b'{"divisions": 42}'],
)
def test_import_of_a_file_that_is_not_a_divisions_file_fails_clearly(cli, content):
    path = cli.write("odd.json", content)
    r = cli("import", "areas", path)
    assert r.exit_code != 0
    assert clean_exit(r), r.exception
    assert r.stderr.strip().startswith("error:")
    assert cli.count(Area) == 0


def test_import_of_a_missing_file_fails_clearly(cli):
    r = cli("import", "areas", cli.data_dir / "no-such-file.json")
    assert r.exit_code != 0 and clean_exit(r)
    assert "cannot read" in r.stderr and "no-such-file.json" in r.stderr


def bad_rows_file():
    rows = slice_divisions()
    good = len(rows)
    bad = {
        good + 1: {"code": "220102009001", "name": "孤儿村", "parent_code": "220102009"},  # unknown parent
        good + 2: {"code": "22010200100", "name": "十一位", "parent_code": "220102001"},  # 11 digits
        good + 3: dict(rows[5]),  # duplicate
        good + 4: {"code": "220103001777", "name": "跨区村", "parent_code": "220102001"},  # not under parent
        good + 5: {"code": "220102001888", "name": " ", "parent_code": "220102001"},  # no name
    }
    rows += list(bad.values())
    return {"divisions": rows}, good, bad


def test_bad_rows_are_all_listed_with_row_numbers_and_nothing_is_written(cli):
    data, good, bad = bad_rows_file()
    path = cli.write("bad.json", data)
    r = cli("import", "areas", path)
    assert r.exit_code != 0 and clean_exit(r)
    assert "5 bad row(s)" in r.stderr and "nothing was imported" in r.stderr
    listed = [line.strip() for line in r.stderr.splitlines() if line.strip().startswith("row ")]
    assert [int(line.split()[1].rstrip(":")) for line in listed] == sorted(bad)
    text_ = "\n".join(listed)
    for word in ("unknown parent 220102009", "11 digits", "duplicate code", "not under its parent", "name is missing"):
        assert word in text_
    assert cli.count(Area) == 0 and cli.count(AuditEntry) == 0


def test_skip_bad_rows_imports_the_good_ones(cli):
    data, good, bad = bad_rows_file()
    path = cli.write("bad.json", data)
    r = cli("import", "areas", path, "--skip-bad-rows")
    assert r.exit_code == 0, r.output
    assert f"{good} added" in r.stdout and "5 bad rows skipped" in r.stdout
    for n in bad:
        assert f"skipped row {n}:" in r.stderr
    assert cli.count(Area) == good
    assert cli.count(Area, Area.code == "220102009001") == 0
    assert cli.count(Area, Area.code == "220102001888") == 0


def test_bad_rows_with_bracketed_text_are_listed_literally(cli):
    rows = [{"code": "22", "name": "吉林省"}, {"code": "[/x]", "name": "bad", "parent_code": "22"}]
    r = cli("import", "areas", cli.write("markup.json", {"divisions": rows}))
    assert clean_exit(r), repr(r.exception)
    assert r.exit_code != 0
    assert "row 2" in r.stderr and "[/x]" in r.stderr


# --- boundaries -------------------------------------------------------------------------------


def test_import_boundaries_of_the_counties(cli):
    assert cli("import", "areas", DIVISIONS).exit_code == 0
    r = cli("import", "boundaries", COUNTIES)
    assert r.exit_code == 0, r.output
    assert "60 updated" in r.stdout
    with cli.db() as s:
        nanguan = s.get(Area, "220102")
        assert nanguan.boundary and nanguan.min_lon < nanguan.rep_lon < nanguan.max_lon
        assert s.scalar(select(func.count()).select_from(Area).where(Area.boundary.is_not(None))) == 60
    r = cli("import", "boundaries", COUNTIES)
    assert r.exit_code == 0 and "nothing changed" in r.stdout


def test_boundaries_for_unknown_areas_are_rejected(cli):
    assert cli("init").exit_code == 0
    r = cli("import", "boundaries", COUNTIES)
    assert r.exit_code != 0 and clean_exit(r)
    assert "nothing was imported" in r.stderr
    assert "row 1" in r.stderr and "row 60" in r.stderr and "unknown area code" in r.stderr
    assert cli.count(AuditEntry) == 0


# --- users ------------------------------------------------------------------------------------


def test_user_create_prints_a_working_generated_password(jilin):
    r = jilin("user", "create", "zhang.wei", "--area", "220102", "--role", "admin", "--name", "张伟")
    assert r.exit_code == 0, r.output
    assert "zhang.wei" in r.stdout and "shown once" in r.stdout
    password = r.stdout.split("password:", 1)[1].split()[0]
    assert len(password) >= 10
    with jilin.db() as s:
        user = s.scalar(select(User).where(User.username == "zhang.wei"))
        assert user.display_name == "张伟" and user.area_code == "220102000000000"
        assert verify_password(user.password_hash, password)
        assert password not in user.password_hash
        grants = s.execute(select(Grant.role, Grant.area_code).where(Grant.user_id == user.id)).all()
        assert grants == [("admin", "220102000000000")]


def test_user_grant_and_revoke(jilin):
    assert jilin("user", "create", "li.na", "--area", "220102001").exit_code == 0
    r = jilin("user", "grant", "li.na", "grid_worker", "220102001001")
    assert r.exit_code == 0, r.output
    assert "li.na now holds grid_worker at 220102001001" in r.stdout
    assert jilin.count(Grant, Grant.role == "grid_worker") == 1
    r = jilin("user", "grant", "li.na", "grid_worker", "220102001001")
    assert r.exit_code != 0 and "already holds" in r.stderr
    r = jilin("user", "revoke", "li.na", "grid_worker", "220102001001")
    assert r.exit_code == 0, r.output
    assert "no longer holds" in r.stdout
    assert jilin.count(Grant) == 0
    r = jilin("user", "revoke", "li.na", "grid_worker", "220102001001")
    assert r.exit_code != 0 and clean_exit(r) and "no grant" in r.stderr
    with jilin.db() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions[-3:] == ["user.create", "grant.create", "grant.revoke"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("grant", "nobody", "admin", "220102"), "user nobody does not exist"),
        (("revoke", "nobody", "admin", "220102"), "user nobody does not exist"),
        (("grant", "li.na", "wizard", "220102"), "unknown role 'wizard'"),
        (("revoke", "li.na", "wizard", "220102"), "unknown role 'wizard'"),
        (("grant", "li.na", "admin", "229999"), "area 229999 does not exist"),
        (("grant", "li.na", "admin", "22x"), "not an area code"),
    ],
)
def test_user_grant_and_revoke_errors_are_clear(jilin, args, message):
    assert jilin("user", "create", "li.na", "--area", "220102").exit_code == 0
    grants = jilin.count(Grant)
    r = jilin("user", *args)
    assert r.exit_code != 0 and clean_exit(r), r.exception
    assert message in r.stderr
    assert jilin.count(Grant) == grants


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("wang", "--area", "229999"), "area 229999 does not exist"),
        (("wang", "--area", "abc"), "not an area code"),
        (("wang", "--area", "220102", "--role", "wizard"), "unknown role"),
        (("x", "--area", "220102"), "user name"),
    ],
)
def test_user_create_errors_are_clear_and_create_nothing(jilin, args, message):
    r = jilin("user", "create", *args)
    assert r.exit_code != 0 and clean_exit(r), r.exception
    assert message in r.stderr
    assert "password" not in r.stdout
    assert jilin.count(User) == 0


def test_user_create_refuses_a_taken_name(jilin):
    assert jilin("user", "create", "wang", "--area", "220102").exit_code == 0
    r = jilin("user", "create", "WANG", "--area", "220103")
    assert r.exit_code != 0 and "taken" in r.stderr
    assert jilin.count(User) == 1


# --- grids export / import --------------------------------------------------------------------


def grid_collection(code=VILLAGE_A + "001", name="第一网格", offset=(0.0, 0.0)):
    lon, lat = inside_point("220102")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "name": name, "kind": "residential"},
                "geometry": square(lon + offset[0], lat + offset[1]),
            }
        ],
    }


def test_export_grids_before_any_grid_is_an_empty_collection(jilin):
    r = jilin("export", "grids", "220102")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == {"type": "FeatureCollection", "features": []}


def test_export_grids_of_an_unknown_area_fails_clearly(jilin):
    r = jilin("export", "grids", "229999")
    assert r.exit_code != 0 and clean_exit(r)
    assert "229999 does not exist" in r.stderr


def test_import_a_grid_and_export_it_back(jilin):
    fc = grid_collection()
    path = jilin.write("grids.json", fc)
    r = jilin("import", "grids", path)
    assert r.exit_code == 0, r.output
    assert "1 added" in r.stdout
    r = jilin("import", "grids", path)
    assert r.exit_code == 0 and "nothing changed" in r.stdout

    r = jilin("export", "grids", "220102")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["type"] == "FeatureCollection"
    [feat] = out["features"]
    assert feat["properties"]["code"] == VILLAGE_A + "001"
    assert feat["properties"]["name"] == "第一网格" and feat["properties"]["village_code"] == VILLAGE_A
    assert feat["geometry"] == fc["features"][0]["geometry"]
    # The sibling district has no grids; the village has the one.
    assert json.loads(jilin("export", "grids", "220103").stdout)["features"] == []
    assert len(json.loads(jilin("export", "grids", VILLAGE_A).stdout)["features"]) == 1
    # To a file.
    target = jilin.data_dir / "out.geojson"
    r = jilin("export", "grids", "220102", "-o", target)
    assert r.exit_code == 0 and "1 grids written" in r.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == out
    # And the export imports again without a change.
    r = jilin("import", "grids", target)
    assert r.exit_code == 0 and "nothing changed" in r.stdout


def test_grid_outside_its_county_is_rejected(jilin):
    path = jilin.write("far.json", grid_collection(offset=(3.0, 3.0)))
    r = jilin("import", "grids", path)
    assert r.exit_code != 0 and clean_exit(r)
    assert "row 1" in r.stderr and "outside the boundary" in r.stderr
    assert jilin.count(Area, Area.level == "grid") == 0


# --- audit verify -----------------------------------------------------------------------------


def tamper(db_path, *statements):
    """An attacker with the database file: drops the append-only triggers and edits the log."""
    con = sqlite3.connect(db_path)
    try:
        con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        for s in statements:
            con.execute(s)
        con.commit()
    finally:
        con.close()


@pytest.fixture
def audited(jilin):
    """A database whose log has several entries (imports, a user, grants)."""
    assert jilin("user", "create", "li.na", "--area", "220102", "--role", "auditor").exit_code == 0
    assert jilin("user", "grant", "li.na", "grid_worker", "220102001").exit_code == 0
    assert jilin.count(AuditEntry) == 5
    return jilin


def test_audit_verify_on_an_intact_log(audited):
    r = audited("audit", "verify")
    assert r.exit_code == 0, r.output
    assert "intact" in r.stdout and "5 entries" in r.stdout


def test_audit_verify_on_an_empty_log(cli):
    assert cli("init").exit_code == 0
    r = cli("audit", "verify")
    assert r.exit_code == 0 and "0 entries" in r.stdout


def test_audit_verify_names_an_edited_entry(audited):
    tamper(audited.db_path, 'UPDATE audit_log SET after = \'{"role": "admin"}\' WHERE seq = 4')
    r = audited("audit", "verify")
    assert r.exit_code != 0 and clean_exit(r)
    assert "entry 4" in r.stderr and "edited" in r.stderr
    assert "NOT intact" in r.stderr
    assert "intact:" not in r.stdout


def test_audit_verify_names_a_deleted_entry(audited):
    tamper(audited.db_path, "DELETE FROM audit_log WHERE seq = 3")
    r = audited("audit", "verify")
    assert r.exit_code != 0
    assert "deleted" in r.stderr and "entry 3" in r.stderr


def test_audit_verify_notices_deleted_newest_entries(audited):
    tamper(audited.db_path, "DELETE FROM audit_log WHERE seq >= 4")
    r = audited("audit", "verify")
    assert r.exit_code != 0
    assert "deleted" in r.stderr and "4" in r.stderr and "5" in r.stderr


def test_the_database_file_refuses_edits_of_the_log(audited):
    con = sqlite3.connect(audited.db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM audit_log WHERE seq = 1")
    finally:
        con.rollback()
        con.close()
    assert audited("audit", "verify").exit_code == 0


# --- commands before `init` -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [("audit", "verify"), ("user", "create", "wang", "--area", "220102")], ids=["audit", "user"]
)
def test_commands_before_init_fail_clearly(cli, args):
    r = cli(*args)
    assert clean_exit(r), repr(r.exception)
    if r.exit_code != 0:
        assert r.stderr.strip().startswith("error:")


# --- the demo's worker ------------------------------------------------------------------------


def test_the_demo_serves_with_the_outbox_worker_running_and_stops_it_with_the_server(jilin, monkeypatch):
    """`linli demo` serves with the worker in a thread: a message queued while the server runs reaches
    the inbox without a separate `linli worker`, and the thread ends when the server does."""
    import threading
    import time

    from linli.cli import main
    from linli.notify.models import InboxMessage
    from linli.notify.outbox import enqueue

    assert jilin("user", "create", "demo.gw", "--area", "220102", "--role", "official").exit_code == 0
    with jilin.db() as s:
        user_id = s.scalar(select(User.id).where(User.username == "demo.gw"))
    seen = {}

    def serving(**_kw):  # the server "runs" until the message has been delivered (or 15 s pass)
        with jilin.db() as s:
            enqueue(
                s, kind="notice.publish", key="demo-test:1", recipient=f"user:{user_id}", payload={"title": "停水通知"}
            )
            s.commit()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with jilin.db() as s:
                seen["titles"] = list(s.scalars(select(InboxMessage.title).where(InboxMessage.user_id == user_id)))
            if seen["titles"]:
                break
            time.sleep(0.1)
        seen["worker"] = [t for t in threading.enumerate() if t.name == "linli-demo-worker"]

    monkeypatch.setattr(main, "serve", serving)
    main._serve_with_worker("127.0.0.1", 0)
    assert seen["titles"] == ["停水通知"]
    assert len(seen["worker"]) == 1 and not seen["worker"][0].is_alive()  # stopped with the server
