"""The `linli` command: set up, import and export, users, audit, serve."""

from __future__ import annotations

import getpass
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from linli.cli.keys import keys_app
from linli.cli.residents import residents_app
from linli.cli.warnings import warning_app
from linli.kit.errors import DomainError, ImportRejected

app = typer.Typer(
    help="Linli (邻里): community governance platform.", no_args_is_help=True, pretty_exceptions_enable=False
)
import_app = typer.Typer(help="Import data files.", no_args_is_help=True)
export_app = typer.Typer(help="Export data.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts and role grants.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
grids_app = typer.Typer(help="Grids.", no_args_is_help=True)
events_app = typer.Typer(help="Grid events.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
app.add_typer(grids_app, name="grids")
app.add_typer(residents_app, name="residents")
app.add_typer(keys_app, name="keys")
app.add_typer(events_app, name="events")
app.add_typer(warning_app, name="warning")

out = Console()
err = Console(stderr=True)


def _actor():
    from linli.authz.principal import system_principal

    return system_principal(f"cli:{getpass.getuser()}")


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


@contextmanager
def _errors():
    """Domain errors become a clear message and a non-zero exit; bad rows are listed one per line."""
    try:
        yield
    except ImportRejected as exc:
        err.print(f"[bold red]rejected:[/] {escape(exc.message)}")
        for row in exc.rows:
            key = f" [{row['key']}]" if row.get("key") else ""
            err.print(escape(f"  row {row['row']}{key}: {row['reason']}"))
        raise typer.Exit(2) from None
    except DomainError as exc:
        raise _fail(exc.message) from None


def _migrate_quietly() -> None:
    from linli.db.engine import get_engine
    from linli.db.migrate import upgrade

    upgrade(get_engine())


@contextmanager
def _db():
    """A unit of work on a migrated database, with domain errors turned into messages."""
    from linli.db.session import unit_of_work

    with _errors():
        _migrate_quietly()
        with unit_of_work() as session:
            yield session


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not sys.stderr.isatty(),
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read {path}: {exc.strerror}") from None


@app.command()
def init() -> None:
    """Create or upgrade the database (runs the migrations)."""
    from linli.config import get_settings
    from linli.db.engine import get_engine
    from linli.db.migrate import current_revision

    _migrate_quietly()
    settings = get_settings()
    settings.resolved_secret_key()
    out.print(f"database ready at revision {current_revision(get_engine())}: {settings.resolved_database_url()}")


def _run_import(path: Path, kind: str, skip_bad_rows: bool) -> None:
    from linli.areas import grids, importer
    from linli.db.session import unit_of_work

    fn = {
        "areas": importer.import_divisions,
        "boundaries": importer.import_boundaries,
        "grids": grids.import_geojson,
    }[kind]
    raw = _read(path)
    _migrate_quietly()
    with _errors(), _progress() as bar, unit_of_work() as session:
        task = bar.add_task(f"importing {kind}", total=None)
        report = fn(
            session,
            _actor(),
            raw,
            skip_bad_rows=skip_bad_rows,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for row in report.skipped:
        err.print(escape(f"  skipped row {row['row']}: {row['reason']}"))
    out.print(escape(f"{path.name}: {report.summary()}"))


SkipOpt = Annotated[bool, typer.Option("--skip-bad-rows", help="import the good rows and list the bad ones")]


@import_app.command("areas")
def import_areas(file: Path, skip_bad_rows: SkipOpt = False) -> None:
    """Import divisions (JSON: {divisions: [{code, name, level, kind, parent_code}]})."""
    _run_import(file, "areas", skip_bad_rows)


@import_app.command("boundaries")
def import_boundaries(file: Path, skip_bad_rows: SkipOpt = False) -> None:
    """Import area boundaries (GeoJSON FeatureCollection with properties.code or adcode)."""
    _run_import(file, "boundaries", skip_bad_rows)


@import_app.command("grids")
def import_grids(file: Path, skip_bad_rows: SkipOpt = False) -> None:
    """Create or update grids (GeoJSON FeatureCollection with properties code, name, kind)."""
    _run_import(file, "grids", skip_bad_rows)


@export_app.command("grids")
def export_grids(area_code: str, output: Annotated[Path | None, typer.Option("-o", "--output")] = None) -> None:
    """Export the live grids under AREA_CODE as GeoJSON (to a file or standard output)."""
    from linli.areas import grids

    with _db() as session:
        data = grids.export_geojson(session, _actor(), area_code)
    text = json.dumps(data, ensure_ascii=False)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"{len(data['features'])} grids written to {output}")
    else:
        sys.stdout.write(text + "\n")


@user_app.command("create")
def user_create(
    username: str,
    area: Annotated[str, typer.Option(help="home area code of the user")],
    role: Annotated[str | None, typer.Option(help="also grant this role at the home area")] = None,
    name: Annotated[str, typer.Option(help="display name")] = "",
) -> None:
    """Create a user; the generated password is printed once."""
    from linli.accounts.service import create_user, grant_role

    with _db() as session:
        user, password = create_user(session, _actor(), username, name, area)
        if role:
            grant_role(session, _actor(), user.id, role, area)
    out.print(f"user {escape(username)} created; password: [bold]{password}[/] (shown once)")


@user_app.command("grant")
def user_grant(username: str, role: str, area_code: str) -> None:
    """Grant ROLE at AREA_CODE to USERNAME."""
    from linli.accounts.repository import find_user
    from linli.accounts.service import grant_role

    with _db() as session:
        grant_role(session, _actor(), find_user(session, username).id, role, area_code)
    out.print(escape(f"{username} now holds {role} at {area_code}"))


@user_app.command("revoke")
def user_revoke(username: str, role: str, area_code: str) -> None:
    """Revoke ROLE at AREA_CODE from USERNAME."""
    from linli.accounts.repository import find_grant, find_user
    from linli.accounts.service import revoke_grant

    with _db() as session:
        grant = find_grant(session, find_user(session, username).id, role, area_code)
        revoke_grant(session, _actor(), grant.id)
    out.print(escape(f"{username} no longer holds {role} at {area_code}"))


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option(help="SEQ:HASH printed by an earlier run; checks that entry still has that hash"),
    ] = None,
) -> None:
    """Check the hash chain of the audit log; name every edited or deleted entry."""
    from linli.audit.service import verify_chain

    anchors: dict[int, str] = {}
    for a in anchor or []:
        seq, _, digest = a.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise _fail(f"--anchor takes SEQ:HASH as printed by 'linli audit verify', not {a!r}")
        anchors[int(seq)] = digest
    with _db() as session:
        result = verify_chain(session, anchors)
    if result.problems:
        for p in result.problems:
            err.print(f"[bold red]{p.kind}:[/] {escape(p.message)}")
        raise _fail(f"the audit log is NOT intact: {len(result.problems)} problem(s) in {result.count} entries", 3)
    out.print(f"audit log intact: {result.count} entries verified")
    if result.count:
        out.print(f"head {result.head_seq}:{result.head_hash}  (note it elsewhere; --anchor checks it later)")


@grids_app.command("generate")
def grids_generate(county_codes: list[str]) -> None:
    """Generate demo grids (marked as generated) for counties that have a boundary and no grids."""
    from linli.areas.demo import generate_county_grids

    _migrate_quietly()
    for code in county_codes:
        with _db() as session:
            n = generate_county_grids(session, _actor(), code)
        out.print(f"{code}: {n} grids generated")


@app.command()
def demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    reset: Annotated[bool, typer.Option("--reset", help="delete the demo database and start over")] = False,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="prepare the data and accounts, do not serve")] = False,
) -> None:
    """Jilin Province demo: areas, boundaries, generated grids, one account per role; then serve."""
    from linli.cli import demo as demo_data
    from linli.config import get_settings

    settings = get_settings()
    url = settings.resolved_database_url()
    if reset:
        if settings.database_url:
            raise _fail("--reset only deletes the default SQLite file; unset LINLI_DATABASE_URL or drop it yourself")
        for suffix in ("", "-wal", "-shm"):
            (settings.data_dir / f"linli.db{suffix}").unlink(missing_ok=True)
        from linli.db.engine import get_engine

        get_engine.cache_clear()
        out.print("demo database deleted; starting over")
    _migrate_quietly()
    settings.resolved_secret_key()
    with _db() as session:
        demo_data.load_data(session, _actor(), lambda msg: out.print(escape(msg)))
        accounts = demo_data.ensure_accounts(session, _actor())
    out.print(f"\n[bold]Linli demo[/] — database {url}")
    out.print("Generated grids, villages' and townships' boundaries are demo data, marked as generated.\n")
    for acc, password in accounts:
        out.print(escape(f"  {acc.username:12s} {password}   {acc.role} @ {acc.area_code} ({acc.display_name})"))
    out.print("\nPasswords are new on every start of the demo.")
    if not no_serve:
        serve(host=host, port=port, workers=1)


@events_app.command("seed")
def events_seed(county_codes: list[str] = typer.Argument(None, help="also create demo units and routing here")) -> None:
    """Create the event categories (and demo handling units for counties); running it again adds nothing."""
    from linli.events.seed import seed_categories, seed_units

    with _db() as session:
        out.print(f"event categories: {seed_categories(session)} added")
        for code in county_codes or []:
            try:
                units, rules = seed_units(session, code)
            except ValueError as exc:
                raise _fail(str(exc)) from None
            out.print(f"{code}: {units} handling units and {rules} routing rules added")


@app.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="deliver what is due and run the jobs once, then stop")] = False,
    escalate_every: Annotated[float, typer.Option(help="seconds between overdue-escalation runs")] = 60.0,
    remind_every: Annotated[
        float, typer.Option(help="seconds between runs of the warning-confirmation reminder")
    ] = 60.0,
    batch: Annotated[int, typer.Option(help="inbox deliveries per transaction (default LINLI_WORKER_BATCH)")] = 0,
    external_batch: Annotated[int, typer.Option(help="e-mail/webhook deliveries claimed at a time")] = 50,
    failed: Annotated[bool, typer.Option("--failed", help="list failed (given-up) deliveries and stop")] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="make every failed delivery due again and stop")
    ] = False,
    ref: Annotated[str | None, typer.Option(help="with --failed/--retry-failed: only this message ref")] = None,
) -> None:
    """Deliver the outbox (notifications) and run periodic jobs (overdue escalation, warning reminders,
    checks of ID numbers just registered). Several may run on PostgreSQL."""
    import logging

    from linli.alerts.delivery import job as reminder_job
    from linli.config import get_settings
    from linli.events.escalation import job as escalation_job
    from linli.notify import deliveries
    from linli.notify.worker import run_worker
    from linli.residents.id_checks import job as id_checks_job

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _migrate_quietly()
    if failed or retry_failed:
        with _db() as session:
            if retry_failed:
                out.print(f"failed deliveries due again: {deliveries.retry_all_failed(session, _actor(), ref=ref)}")
                return
            rows, total = deliveries.failed_all(session, ref=ref, limit=200)
            for r in rows:
                out.print(escape(f"{r.id:>9} {r.channel:8} {r.recipient:16} {r.attempts:>2} {r.key}  {r.last_error}"))
            out.print(f"{total} failed deliveries" + (f" (the newest {len(rows)} shown)" if total > len(rows) else ""))
        return
    with _errors():
        try:
            total = run_worker(
                jobs=[escalation_job(escalate_every), reminder_job(remind_every), id_checks_job()],
                once=once,
                batch=batch or get_settings().worker_batch,
                external_batch=external_batch,
            )
        except KeyboardInterrupt:
            raise typer.Exit(0) from None
    out.print(f"delivered {total.delivered}, to retry {total.retried}, given up {total.dead}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the web console and API."""
    import uvicorn

    _migrate_quietly()
    from linli.config import get_settings

    get_settings().resolved_secret_key()
    out.print(f"Linli serving at http://{host}:{port}/")
    uvicorn.run(
        "linli.app:create_app", factory=True, host=host, port=port, workers=workers, **proxy_options(get_settings())
    )


def proxy_options(settings) -> dict:
    """uvicorn's proxy settings: forwarded headers are believed only from LINLI_TRUSTED_PROXIES.

    uvicorn's default trusts 127.0.0.1, so anyone on the host (or a proxy that passes the header on)
    could name any address and slip past the per-address sign-in limit.
    """
    trusted = settings.trusted_proxy_list()
    if not trusted:
        return {"proxy_headers": False, "forwarded_allow_ips": []}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


if __name__ == "__main__":  # pragma: no cover
    app()
