"""`linli residents`: the register template, importing households and persons, exporting an area."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

residents_app = typer.Typer(help="Residents, households and buildings.", no_args_is_help=True)


@residents_app.command("template")
def template(file: Path) -> None:
    """Write the empty register template (FILE.xlsx with a notes sheet, or FILE.csv)."""
    from linli.cli import common
    from linli.residents.export import write_template

    fmt = file.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise common.fail("the template is written as .xlsx or .csv; name the file accordingly")
    write_template(file, fmt)
    common.out.print(escape(f"template written to {file}; the columns are explained in docs/residents-import.md"))


@residents_app.command("import")
def import_(
    file: Path,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check every row and report; write nothing")] = False,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="import the good rows, list the bad")] = False,
) -> None:
    """Import households and persons from FILE (.xlsx or .csv in the template's layout)."""
    from linli.cli import common
    from linli.db.session import unit_of_work
    from linli.kit.errors import ImportRejected
    from linli.residents.importer import audit_rejected, import_register

    try:
        fh = file.open("rb")
    except OSError as exc:
        raise common.fail(f"cannot read {file}: {exc.strerror}") from None
    common.migrate_quietly()
    actor = common.actor()
    with fh, common.errors(), common.progress() as bar:
        task = bar.add_task("checking", total=None)

        def progress(phase: str, done: int, total: int | None) -> None:
            bar.update(task, description=phase, completed=done, total=total)

        try:
            with unit_of_work() as session:
                report = import_register(
                    session, actor, fh, name=file.name, dry_run=dry_run, skip_bad_rows=skip_bad_rows, progress=progress
                )
        except ImportRejected as exc:
            with unit_of_work() as session:  # nothing was imported, but the numbers were looked up
                audit_rejected(session, actor, exc)
            raise
    for row in report.bad_rows:
        common.err.print(escape(f"  {'bad' if dry_run else 'skipped'} row {row['row']}: {row['reason']}"))
    common.out.print(escape(f"{file.name}: {report.summary()}" + (" (dry run: nothing written)" if dry_run else "")))


@residents_app.command("export")
def export(
    area_code: str,
    output: Annotated[Path, typer.Option("-o", "--output", help="the .xlsx file to write")],
    reveal: Annotated[bool, typer.Option("--reveal", help="ID and phone numbers in clear (audited)")] = False,
) -> None:
    """Export the present persons under AREA_CODE to XLSX, ID and phone numbers masked unless --reveal."""
    from linli.cli import common
    from linli.residents.export import export_register

    with common.db() as session:
        n = export_register(session, common.actor(), area_code, output, reveal=reveal)
    common.err.print(escape(f"{n} persons written to {output}" + (" (revealed; audited)" if reveal else " (masked)")))
