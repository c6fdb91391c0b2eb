"""The `linli` command: set up, import and export, users, audit, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from linli.cli import common
from linli.cli.common import actor, db, errors, fail, migrate_quietly, progress, read
from linli.cli.keys import keys_app
from linli.cli.residents import residents_app
from linli.cli.warnings import warning_app

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


@app.command()
def init() -> None:
    """Create or upgrade the database (runs the migrations)."""
    from linli.config import get_settings
    from linli.db.engine import get_engine
    from linli.db.migrate import current_revision

    migrate_quietly()
    settings = get_settings()
    settings.resolved_secret_key()
    common.out.print(f"database ready at revision {current_revision(get_engine())}: {settings.resolved_database_url()}")


def _run_import(path: Path, kind: str, skip_bad_rows: bool) -> None:
    from linli.areas import grids, importer
    from linli.db.session import unit_of_work

    fn = {
        "areas": importer.import_divisions,
        "boundaries": importer.import_boundaries,
        "grids": grids.import_geojson,
    }[kind]
    raw = read(path)
    migrate_quietly()
    with errors(), progress() as bar, unit_of_work() as session:
        task = bar.add_task(f"importing {kind}", total=None)
        report = fn(
            session,
            actor(),
            raw,
            skip_bad_rows=skip_bad_rows,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for row in report.skipped:
        common.err.print(escape(f"  skipped row {row['row']}: {row['reason']}"))
    common.out.print(escape(f"{path.name}: {report.summary()}"))


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

    with db() as session:
        data = grids.export_geojson(session, actor(), area_code)
    text = json.dumps(data, ensure_ascii=False)
    if output:
        output.write_text(text, encoding="utf-8")
        common.err.print(f"{len(data['features'])} grids written to {output}")
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

    with db() as session:
        user, password = create_user(session, actor(), username, name, area)
        if role:
            grant_role(session, actor(), user.id, role, area)
    common.out.print(f"user {escape(username)} created; password: [bold]{password}[/] (shown once)")


@user_app.command("grant")
def user_grant(username: str, role: str, area_code: str) -> None:
    """Grant ROLE at AREA_CODE to USERNAME."""
    from linli.accounts.repository import find_user
    from linli.accounts.service import grant_role

    with db() as session:
        grant_role(session, actor(), find_user(session, username).id, role, area_code)
    common.out.print(escape(f"{username} now holds {role} at {area_code}"))


@user_app.command("revoke")
def user_revoke(username: str, role: str, area_code: str) -> None:
    """Revoke ROLE at AREA_CODE from USERNAME."""
    from linli.accounts.repository import find_grant, find_user
    from linli.accounts.service import revoke_grant

    with db() as session:
        grant = find_grant(session, find_user(session, username).id, role, area_code)
        revoke_grant(session, actor(), grant.id)
    common.out.print(escape(f"{username} no longer holds {role} at {area_code}"))


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
            raise fail(f"--anchor takes SEQ:HASH as printed by 'linli audit verify', not {a!r}")
        anchors[int(seq)] = digest
    with db() as session:
        result = verify_chain(session, anchors)
    if result.problems:
        for p in result.problems:
            common.err.print(f"[bold red]{p.kind}:[/] {escape(p.message)}")
        raise fail(f"the audit log is NOT intact: {len(result.problems)} problem(s) in {result.count} entries", 3)
    common.out.print(f"audit log intact: {result.count} entries verified")
    if result.count:
        common.out.print(f"head {result.head_seq}:{result.head_hash}  (note it elsewhere; --anchor checks it later)")


@grids_app.command("generate")
def grids_generate(county_codes: list[str]) -> None:
    """Generate demo grids (marked as generated) for counties that have a boundary and no grids."""
    from linli.areas.demo import generate_county_grids

    migrate_quietly()
    for code in county_codes:
        with db() as session:
            n = generate_county_grids(session, actor(), code)
        common.out.print(f"{code}: {n} grids generated")


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
            raise fail("--reset only deletes the default SQLite file; unset LINLI_DATABASE_URL or drop it yourself")
        for suffix in ("", "-wal", "-shm"):
            (settings.data_dir / f"linli.db{suffix}").unlink(missing_ok=True)
        from linli.db.engine import get_engine

        get_engine.cache_clear()
        common.out.print("demo database deleted; starting over")
    migrate_quietly()
    settings.resolved_secret_key()
    with db() as session:
        demo_data.load_data(session, actor(), lambda msg: common.out.print(escape(msg)))
        accounts = demo_data.ensure_accounts(session, actor())
    common.out.print(f"\n[bold]Linli demo[/] — database {url}")
    common.out.print("Generated grids, villages' and townships' boundaries are demo data, marked as generated.\n")
    for acc, password in accounts:
        common.out.print(escape(f"  {acc.username:12s} {password}   {acc.role} @ {acc.area_code} ({acc.display_name})"))
    common.out.print("\nPasswords are new on every start of the demo.")
    # What the demo sent (its warnings and notices) reaches the inboxes now, not when a worker runs. The
    # demo's e-mail and webhook subscribers wait for LINLI_SMTP_HOST / LINLI_WEBHOOK_URL: said once here,
    # not once per message.
    import logging

    from linli.notify.worker import run_worker

    logging.getLogger("linli.worker").setLevel(logging.ERROR)
    sent = run_worker(jobs=_worker_jobs(), once=True, batch=get_settings().worker_batch)
    common.out.print(
        f"notifications delivered: {sent.delivered}"
        + (f"; {sent.retried} e-mail/webhook deliveries wait for their channel's settings" if sent.retried else "")
    )
    if not no_serve:
        _serve_with_worker(host, port)


def _worker_jobs(escalate_every: float = 60.0, remind_every: float = 60.0) -> list:
    """The periodic jobs the outbox worker runs: overdue escalation, warning reminders, ID checks."""
    from linli.alerts.delivery import job as reminder_job
    from linli.events.escalation import job as escalation_job
    from linli.residents.id_checks import job as id_checks_job

    return [escalation_job(escalate_every), reminder_job(remind_every), id_checks_job()]


def _serve_with_worker(host: str, port: int) -> None:
    """Serve, with the outbox worker in a thread of this process (the demo's one command): what is
    published or escalated while the demo runs reaches the inboxes within a second or two. The worker
    stops with the server."""
    import threading

    from linli.config import get_settings
    from linli.notify.worker import run_worker

    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker,
        kwargs={"jobs": _worker_jobs(), "batch": get_settings().worker_batch, "should_stop": stop.is_set},
        name="linli-demo-worker",
        daemon=True,
    )
    thread.start()
    try:
        serve(host=host, port=port, workers=1)
    finally:
        stop.set()
        thread.join(timeout=10)


@events_app.command("seed")
def events_seed(county_codes: list[str] = typer.Argument(None, help="also create demo units and routing here")) -> None:
    """Create the event categories (and demo handling units for counties); running it again adds nothing."""
    from linli.events.seed import seed_categories, seed_units

    with db() as session:
        common.out.print(f"event categories: {seed_categories(session)} added")
        for code in county_codes or []:
            try:
                units, rules = seed_units(session, code)
            except ValueError as exc:
                raise fail(str(exc)) from None
            common.out.print(f"{code}: {units} handling units and {rules} routing rules added")


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

    from linli.config import get_settings
    from linli.notify import repository as deliveries
    from linli.notify import service as delivery_service
    from linli.notify.worker import run_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    migrate_quietly()
    if failed or retry_failed:
        with db() as session:
            if retry_failed:
                common.out.print(
                    f"failed deliveries due again: {delivery_service.retry_all_failed(session, actor(), ref=ref)}"
                )
                return
            rows, total = deliveries.failed(session, ref=ref, limit=200)
            for r in rows:
                common.out.print(
                    escape(f"{r.id:>9} {r.channel:8} {r.recipient:16} {r.attempts:>2} {r.key}  {r.last_error}")
                )
            common.out.print(
                f"{total} failed deliveries" + (f" (the newest {len(rows)} shown)" if total > len(rows) else "")
            )
        return
    with errors():
        try:
            total = run_worker(
                jobs=_worker_jobs(escalate_every, remind_every),
                once=once,
                batch=batch or get_settings().worker_batch,
                external_batch=external_batch,
            )
        except KeyboardInterrupt:
            raise typer.Exit(0) from None
    common.out.print(f"delivered {total.delivered}, to retry {total.retried}, given up {total.dead}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve the web console and API."""
    import uvicorn

    migrate_quietly()
    from linli.config import get_settings

    get_settings().resolved_secret_key()
    common.out.print(f"Linli serving at http://{host}:{port}/")
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
