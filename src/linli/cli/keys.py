"""`linli keys`: the data keys that encrypt personal data, their use, and rotation."""

from __future__ import annotations

import typer
from rich.markup import escape

keys_app = typer.Typer(help="Data keys of the encrypted personal data.", no_args_is_help=True)


@keys_app.command("status")
def status() -> None:
    """How many encrypted values use each data key."""
    from linli.cli import common, rekey
    from linli.kit import crypto

    with common.db() as session:
        ring = crypto.keyring()
        usage = rekey.key_usage(session, ring)
    source = "LINLI_DATA_KEYS" if ring.from_environment else crypto.KEYS_FILE
    common.out.print(f"current key: {ring.current_id} (keys from {source}: {', '.join(k for k, _ in ring.keys)})")
    for column, counts in usage.items():
        parts = [f"{kid}={n}" for kid, n in counts.items() if n or kid == ring.current_id]
        common.out.print(escape(f"  {column}: {', '.join(parts)}"))


@keys_app.command("rotate")
def rotate() -> None:
    """Make a new current key (key file) and re-encrypt every value under it, in batches."""
    from linli.audit.service import record
    from linli.cli import common, rekey
    from linli.db.session import get_session_factory, unit_of_work
    from linli.kit import crypto

    with common.errors():
        common.migrate_quietly()
        ring = crypto.keyring()
        if ring.from_environment:
            common.err.print(
                "The data keys come from LINLI_DATA_KEYS. To rotate: put a new key first in it, keep the old ones"
                f" after it, restart, and run this again. A new key: {crypto.generate_key_spec()}"
            )
            with get_session_factory()() as s:
                pending = sum(c.get("(unknown)", 0) for c in rekey.key_usage(s, ring).values())
            kid = ring.current_id
        else:
            kid = crypto.add_file_key()
            ring = crypto.keyring()
            common.out.print(f"new current key {kid} added to {crypto.KEYS_FILE} (old keys kept to read old values)")
            pending = 0
        if pending:
            raise common.fail(f"{pending} values use keys missing from LINLI_DATA_KEYS; add those keys back first")
        with common.progress() as bar:
            task = bar.add_task("re-encrypting", total=None)
            n = rekey.reencrypt(
                get_session_factory(), ring, progress=lambda d, t: bar.update(task, completed=d, total=t)
            )
        with unit_of_work() as session:
            record(session, common.actor(), "keys.rotate", "data_key", kid, "", after={"values": n})
    common.out.print(f"{n} values re-encrypted with key {kid}")
