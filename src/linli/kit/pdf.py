"""Printable PDF documents with Chinese text: minutes, notices of what is missing, receipts, boards.

fpdf2 writes the PDF; the Chinese font is embedded as a subset of the characters used (a page of
minutes is about 15 KB), so the file prints the same on any machine. The font is the file named by
`LINLI_PDF_FONT` (a .ttf, .otf or .ttc), else the first of FONT_CANDIDATES found (Debian's
`fonts-wqy-zenhei`, `fonts-wqy-microhei`, `fonts-noto-cjk`). Without one, `Document()` raises
`PdfUnavailable` (503) saying what to install: a page offers the PDF only as an extra, the same
content is always on the HTML page.

    doc = Document(_("Minutes"), subtitle=area_name)
    doc.heading(_("Attendance"))
    doc.facts([(_("Date"), "2026-03-01"), (_("Present"), "212 / 300 (70.7%)")])
    doc.paragraph(text)
    doc.table([_("Name"), _("Vote")], rows, widths=(2, 1))
    return Response(doc.output(), media_type=PDF_MEDIA_TYPE)

Text is whatever the caller passes (already translated); the kit translates nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from linli.kit.errors import DomainError

PDF_MEDIA_TYPE = "application/pdf"

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
_FAMILY = "cjk"


class PdfUnavailable(DomainError):
    status = 503
    code = "pdf_unavailable"


@lru_cache(maxsize=4)
def font_path(configured: str | None = None) -> Path:
    """The font file to embed: the configured one (which must exist), else the first candidate found."""
    configured = configured if configured is not None else os.environ.get("LINLI_PDF_FONT", "")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise PdfUnavailable(f"LINLI_PDF_FONT names {configured}, which is not a file")
        return path
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise PdfUnavailable(
        "No Chinese font for PDF documents: install fonts-wqy-zenhei (Debian) or set LINLI_PDF_FONT "
        "to a .ttf/.otf/.ttc file"
    )


class Document:
    """An A4 document in portrait: a title, then headings, paragraphs, label–value facts and tables."""

    def __init__(self, title: str, *, subtitle: str = "", author: str = "Linli"):
        from fpdf import FPDF  # imported here: only a request for a PDF pays for it

        # fontTools reports every bitmap table it does not subset (wqy-zenhei has some): not our news.
        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
        path = font_path()
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_margins(18, 18, 18)
        # One face (reading a CJK font costs about 0.5–1.4 s): table headings are shaded, not bold.
        pdf.add_font(_FAMILY, "", fname=str(path), collection_font_number=0)
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_lang("zh-CN")
        pdf.add_page()
        pdf.set_font(_FAMILY, size=18)
        pdf.multi_cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
        if subtitle:
            pdf.set_font(_FAMILY, size=11)
            pdf.multi_cell(0, 7, subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font(_FAMILY, size=11)
        self._pdf = pdf

    def heading(self, text: str) -> Document:
        pdf = self._pdf
        pdf.ln(2)
        pdf.set_font(_FAMILY, size=13)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_FAMILY, size=11)
        return self

    def paragraph(self, text: str) -> Document:
        for line in (text or "").splitlines() or [""]:
            self._pdf.multi_cell(0, 6.5, line, new_x="LMARGIN", new_y="NEXT")
        self._pdf.ln(1)
        return self

    def facts(self, pairs: Iterable[tuple[str, object]]) -> Document:
        """Label–value lines ("Date: 2026-03-01"), the label in its own column."""
        pdf = self._pdf
        width = pdf.epw
        for label, value in pairs:
            pdf.multi_cell(width * 0.3, 6.5, str(label), new_x="RIGHT", new_y="TOP", max_line_height=6.5, border=0)
            pdf.multi_cell(width * 0.7, 6.5, "" if value is None else str(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        return self

    def table(
        self, headers: Sequence[str], rows: Iterable[Sequence[object]], *, widths: Sequence[float] | None = None
    ) -> Document:
        """A table with a heading row repeated on every page; `widths` are relative (2, 1, 1)."""
        from fpdf.fonts import FontFace

        pdf = self._pdf
        pdf.set_font(_FAMILY, size=10)
        headings = FontFace(emphasis="NONE", fill_color=(230, 230, 230))
        with pdf.table(
            col_widths=tuple(widths) if widths else None, line_height=6, repeat_headings=1, headings_style=headings
        ) as table:
            heading = table.row()
            for h in headers:
                heading.cell(str(h))
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell("" if v is None else str(v))
        pdf.set_font(_FAMILY, size=11)
        pdf.ln(2)
        return self

    def signature_lines(self, labels: Iterable[str]) -> Document:
        """Blank lines to sign by hand ("Recorder: ________  Date: ________")."""
        self._pdf.ln(4)
        for label in labels:
            self._pdf.multi_cell(0, 9, f"{label}：________________", new_x="LMARGIN", new_y="NEXT")
        return self

    def output(self) -> bytes:
        return bytes(self._pdf.output())
