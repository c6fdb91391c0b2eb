"""`linli residents ...` and `linli keys ...` against a fresh SQLite database in a temporary data directory."""

from __future__ import annotations

from openpyxl import load_workbook
from sqlalchemy import select

from linli.audit.models import AuditEntry
from linli.kit import crypto
from linli.residents.models import Person
from tests import ROOT
from tests.factories import VILLAGE_A, inside_point, square
from tests.residents.test_import import HEADER, good_rows

GRID = VILLAGE_A + "001"


def _world(cli):
    from linli.areas import grids
    from linli.areas.kinds import GridKind
    from tests.factories import SYSTEM, load_world

    assert cli("init").exit_code == 0
    with cli.db() as s:
        load_world(s)
        for i, code in enumerate((GRID, "220102001002001")):
            lon, lat = inside_point("220102")
            grids.create_grid(s, SYSTEM, code, f"网格{i}", GridKind.residential, square(lon + 0.004 * i, lat))
        s.commit()


def test_template_import_export_cycle(cli):
    _world(cli)
    r = cli("residents", "template", cli.data_dir / "t.xlsx")
    assert r.exit_code == 0, r.output
    assert [c.value for c in load_workbook(cli.data_dir / "t.xlsx").active[1]] == HEADER
    assert cli("residents", "template", cli.data_dir / "t.csv").exit_code == 0
    assert cli("residents", "template", cli.data_dir / "t.txt").exit_code == 1
    rows = good_rows()
    bad = rows + [["Z", GRID, "", "", "户主", "坏", "123", "", "", "", "", "", "", ""]]
    path = cli.write("r.csv", "\n".join(",".join(r) for r in [HEADER, *bad]) + "\n")
    r = cli("residents", "import", path, "--dry-run")
    assert r.exit_code == 2 and "row 6" in r.output and "18 characters" in r.output
    assert cli.count(Person) == 0
    r = cli("residents", "import", path, "--skip-bad-rows")
    assert r.exit_code == 0 and "added 4 persons in 2 new households" in r.output, r.output
    r = cli("residents", "import", path, "--skip-bad-rows")
    assert "4 already registered unchanged" in r.output and cli.count(Person) == 4
    out = cli.data_dir / "e.xlsx"
    r = cli("residents", "export", "220102", "-o", out)
    assert r.exit_code == 0 and "4 persons" in r.output
    assert rows[0][6] not in str([[c.value for c in x] for x in load_workbook(out).active.iter_rows()])
    r = cli("residents", "export", "220102", "-o", out, "--reveal")
    assert rows[0][6] in str([[c.value for c in x] for x in load_workbook(out).active.iter_rows()])
    with cli.db() as s:
        assert s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "residents.export_revealed"))


def test_keys_rotate_reencrypts_everything(cli):
    _world(cli)
    path = cli.write("r.csv", "\n".join(",".join(r) for r in [HEADER, *good_rows()]) + "\n")
    assert cli("residents", "import", path).exit_code == 0
    old = crypto.keyring().current_id
    r = cli("keys", "status")
    assert r.exit_code == 0 and f"persons.id_number_enc: {old}=4" in r.output, r.output
    r = cli("keys", "rotate")
    assert r.exit_code == 0 and "5 values re-encrypted" in r.output, r.output  # 4 ID numbers and 1 phone
    new = crypto.keyring().current_id
    assert new != old
    r = cli("keys", "status")
    assert f"persons.id_number_enc: {new}=4" in r.output and f"persons.phone_enc: {new}=1" in r.output
    with cli.db() as s:
        p = s.scalar(select(Person).where(Person.name == "刘备"))
        assert p.id_number_enc.startswith(f"v1:{new}:")
        from linli.residents import pii

        assert pii.open_id(p.id_number_enc, reveal=True) == good_rows()[0][6]
        assert s.scalar(select(AuditEntry.entity_id).where(AuditEntry.action == "keys.rotate")) == new


def test_encrypted_columns_are_known_without_the_residents_services():
    """`linli keys` in a fresh process finds the encrypted columns through the model registry alone."""
    import subprocess
    import sys

    code = "from linli.cli import rekey; print(sorted(f'{c.table}.{c.column}' for c, *_ in rekey._columns()))"
    src = str(ROOT / "src")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": src})
    # Subscribers' addresses (linli.notify), reporters' contacts (linli.events) and the personal phones of
    # police, judges and legal advisers (linli.safety) are personal data too: rotated with the rest.
    expected = str(
        sorted(
            [
                "events.contact_email_enc",
                "events.contact_phone_enc",
                "notify_subscriptions.address_enc",
                "persons.id_number_enc",
                "persons.phone_enc",
                "safety_appointments.phone_enc",
            ]
        )
    )
    assert out.stdout.strip() == expected, out.stderr
