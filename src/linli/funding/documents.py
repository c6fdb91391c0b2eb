"""The funding report as a workbook (XLSX, cells written as text: linli.kit.sheets) and as a printable
PDF (linli.kit.pdf), in the reader's language, areas by name."""

from __future__ import annotations

import io

from sqlalchemy.orm import Session

from linli.areas import repository as area_repo
from linli.funding.kinds import KINDS, PAYERS
from linli.funding.schemas import ReportOut
from linli.kit.i18n import gettext, t


def _kind(k: str) -> str:
    return gettext(KINDS[k]) if k in KINDS else k


def _payer(p: str) -> str:
    return gettext(PAYERS[p]) if p in PAYERS else p


def _place_kind(k: str) -> str:
    return {"community": t("communities"), "village": t("villages")}.get(k, t("other places"))


def title(session: Session, out: ReportOut) -> tuple[str, str]:
    name = area_repo.names_of(session, [out.area_code]).get(out.area_code, out.area_code)
    return t("Funding of villages and communities"), f"{name} {out.year}"


def sections(session: Session, out: ReportOut) -> list[tuple[str, list[str], list[list]]]:
    """(heading, headers, rows) of each table of the report: the same tables in both files."""
    names = area_repo.names_of(session, [c.area_code for c in out.children])
    budget, paid = t("Budgeted (yuan)"), t("Paid (yuan)")
    return [
        (t("Total"), [t("Places"), budget, paid, t("Average per place (yuan)")],
         [[out.places, out.budgeted, out.paid, out.average]]),
        (t("By kind"), [t("Kind"), budget, paid], [[_kind(k), s.budgeted, s.paid] for k, s in out.by_kind.items()]),
        (t("By payer"), [t("Payer"), budget, paid],
         [[_payer(p), s.budgeted, s.paid] for p, s in out.by_payer.items()]),
        (t("By kind and payer (budgeted, yuan)"), [t("Kind"), *(_payer(p) for p in PAYERS)],
         [[_kind(k), *(row[p].budgeted for p in PAYERS)] for k, row in out.by_kind_payer.items()]),
        (t("Average per village or community"), [t("Places"), t("Number"), budget, t("Average (yuan)")],
         [[_place_kind(a.place_kind), a.places, a.budgeted, a.average] for a in out.by_place_kind]),
        (t("By area"), [t("Area"), t("Places"), budget, paid],
         [[names.get(c.area_code, c.area_code), c.places, c.budgeted, c.paid] for c in out.children]),
    ]  # fmt: skip


def report_xlsx(session: Session, out: ReportOut) -> bytes:
    from openpyxl import Workbook

    from linli.kit.sheets import text_cell

    heading, subtitle = title(session, out)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(out.year))
    ws.append([text_cell(ws, heading), text_cell(ws, subtitle)])
    for name, headers, rows in sections(session, out):
        ws.append([])
        ws.append([text_cell(ws, name)])
        ws.append([text_cell(ws, h) for h in headers])
        for row in rows:
            ws.append([text_cell(ws, v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_pdf(session: Session, out: ReportOut) -> bytes:
    from linli.kit.pdf import Document

    heading, subtitle = title(session, out)
    doc = Document(heading, subtitle=subtitle)
    for name, headers, rows in sections(session, out):
        doc.heading(name)
        doc.table(headers, rows)
    if out.workforce is not None:
        doc.heading(t("Beside the pay runs"))
        doc.facts([
            (t("Budgeted for two-committee members' pay"), f"{out.workforce.budgeted_member_pay} " + t("yuan")),
            (t("Paid to two-committee posts by the confirmed pay runs"),
             f"{out.workforce.two_committee_paid} " + t("yuan")),
            (t("Months run"), ", ".join(out.workforce.months)),
        ])  # fmt: skip
    return doc.output()
