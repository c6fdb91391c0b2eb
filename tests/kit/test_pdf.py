"""PDF documents embed a Chinese font and carry the text a reader (and a search) finds in them."""

import io

import pytest

from linli.kit import pdf

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(autouse=True)
def _fresh_font_lookup():
    pdf.font_path.cache_clear()
    yield
    pdf.font_path.cache_clear()


def _have_font() -> bool:
    try:
        pdf.font_path()
    except pdf.PdfUnavailable:
        return False
    return True


@pytest.mark.skipif(not _have_font(), reason="no Chinese font installed (fonts-wqy-zenhei)")
def test_chinese_text_tables_and_facts_come_out_readable():
    doc = pdf.Document("村民会议记录", subtitle="农安县 合隆镇")
    doc.heading("出席").facts([("应到", "300"), ("实到", "212（70.7%）")])
    doc.paragraph("关于村内道路硬化工程的决议。\n第二行")
    doc.table(["姓名", "表决"], [("张三", "同意"), ("李四", "弃权")] * 40, widths=(2, 1))
    doc.signature_lines(["记录人"])
    data = doc.output()
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2  # the table runs over a page
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("村民会议记录", "农安县", "实到", "212（70.7%）", "道路硬化", "李四", "弃权", "记录人"):
        assert words in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptor = next(iter(fonts.values())).get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert "/FontFile2" in descriptor  # embedded, not left to the reader's machine


def test_a_configured_font_that_is_not_a_file_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("LINLI_PDF_FONT", str(tmp_path / "none.ttc"))
    with pytest.raises(pdf.PdfUnavailable, match="none.ttc"):
        pdf.Document("x")


def test_without_any_font_the_error_says_what_to_install(monkeypatch):
    monkeypatch.delenv("LINLI_PDF_FONT", raising=False)
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ("/nonexistent/a.ttc",))
    with pytest.raises(pdf.PdfUnavailable, match="fonts-wqy-zenhei") as e:
        pdf.Document("x")
    assert e.value.status == 503
