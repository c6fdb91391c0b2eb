"""`linli warning`: import a CAP 1.2 file, export a message as CAP, list warnings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

warning_app = typer.Typer(help="Warnings (预警): CAP 1.2 import and export.", no_args_is_help=True)


def _principal(session, username: str | None):
    from linli.accounts.repository import by_username
    from linli.authz.deps import load_principal
    from linli.cli import common

    if username is None:
        return common.actor()
    user = by_username(session, username)
    if user is None:
        raise common.fail(f"no user {username!r}")
    return load_principal(session, user, "cli")


@warning_app.command("import")
def import_(
    file: Path,
    as_user: Annotated[
        str | None, typer.Option("--as", help="act as this user (their warnings.issue scope applies)")
    ] = None,
) -> None:
    """Import a CAP 1.2 document (Alert, Update or Cancel); the same identifier again changes nothing."""
    from linli.alerts import cap, service
    from linli.cli import common

    data = common.read(file)
    with common.errors():
        try:
            parsed = cap.parse(data)
        except cap.CapInvalid as exc:
            # A document that is not CAP 1.2 is rejected like a file with bad rows: exit status 2.
            raise common.fail(exc.message, code=2) from None
    with common.db() as session:
        message, created = service.receive(session, _principal(session, as_user), parsed, source="imported")
        ident, kind = message.identifier, message.msg_type
    common.out.print(escape(f"{ident}: {kind} {'imported' if created else 'already known, nothing changed'}"))


@warning_app.command("export")
def export(
    identifier: str,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write here instead of stdout")] = None,
) -> None:
    """Write the message IDENTIFIER as a CAP 1.2 document."""
    from linli.alerts import cap, repository
    from linli.cli import common
    from linli.kit.errors import NotFound

    with common.db() as session:
        message = repository.by_identifier(session, identifier)
        if message is None:
            raise NotFound(f"warning {identifier} does not exist")
        xml = cap.to_cap_xml(session, message)
    if output is None:
        typer.echo(xml.decode(), nl=False)
    else:
        output.write_bytes(xml)
        common.err.print(escape(f"written to {output}"))


@warning_app.command("list")
def list_(
    area: Annotated[str | None, typer.Option("--area", help="area code")] = None,
    current: Annotated[bool, typer.Option("--current", help="only warnings in force")] = False,
) -> None:
    """Warning messages, newest first."""
    from linli.alerts import repository
    from linli.alerts.kinds import COLOURS
    from linli.cli import common

    with common.db() as session:
        items, total = repository.list_messages(
            session, common.actor(), area_code=area, current=True if current else None, limit=200
        )
        for w in items:
            state = "lifted" if w.lifted else ("current" if w.is_current else "superseded")
            common.out.print(
                escape(
                    f"{w.identifier}  {w.msg_type:6s} {w.event_type}/{w.colour} {COLOURS[w.colour].level:3s} "
                    f"{state:10s} {w.sent:%Y-%m-%d %H:%M}Z  {w.headline}"
                )
            )
    common.err.print(f"{total} messages")
