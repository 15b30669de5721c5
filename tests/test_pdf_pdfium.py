"""Tests of the pypdfium2 text-layer engine against the pdfplumber engine.

The engines must read a page alike: the same words (text and box), the same
ruled-table grids and the same horizontal rules, and so the same blocks out of
``read_pdf``.  A synthetic page is drawn here with pypdfium2 (Times text, a
heading drawn twice for fake bold, a raised footnote mark, a ruled table, a
thin filled bar, a white box, a vertical label, a footnote rule), so most tests
need neither LibreOffice nor the shared corpus; the others skip without them.
"""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from extractor.readers import pdf as pdf_mod
from extractor.readers.base import SourceDoc
from extractor.readers.pdf import read_pdf
from extractor.readers.pdf_fonts import document_facts
from extractor.readers.pdf_layout import Word
from extractor.readers.pdf_pdfium import PageContent, read_page
from extractor.readers.pdf_words import clean_chars, dedupe_chars, words_from_chars

ROOT = Path(__file__).resolve().parents[1]
SIGNED = ROOT / "corpus" / "documents" / "lamdong_gm85_hop_cchc_2026_signed.pdf"
BULK = ROOT.parent / "shared" / "corpus" / "bulk" / "pdf"
BULK_TABLES = ("a8db80d08a05.pdf", "0f65d5f04d5d.pdf", "d7bcc93b8be8.pdf", "4eb7d286df18.pdf")
HEIGHT = 842.0
BODY = [
    "This synthetic page has plain lines of text set in Times at twelve points",
    "so that both engines read the same words, with a footnote mark here",
    "and a ruled table below it, a white box nobody sees, and a vertical label.",
]
TABLE = [
    ["No.", "Unit", "Deadline"],
    ["1", "Office of the Board", "June 2026"],
    ["2", "Finance department", "Quarterly"],
]


# --- the synthetic page ----------------------------------------------------------------


def _text(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, font: object, size: float, text: str,
          x: float, y: float, matrix: tuple[float, float, float, float] = (1, 0, 0, 1)) -> float:  # fmt: skip
    """Put ``text`` at (x, y) (PDF space); the right edge of its ink."""
    obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, size)
    buf = ctypes.create_string_buffer((text + "\x00").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    pdfium_c.FPDFPageObj_Transform(obj, *matrix, x, y)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    return float(right.value)


def _rect(
    page: pdfium.PdfPage, x: float, y: float, w: float, h: float, fill: tuple[int, int, int] | None = None
) -> None:
    """A rectangle: stroked black when ``fill`` is None, else filled and not stroked."""
    obj = pdfium_c.FPDFPageObj_CreateNewRect(x, y, w, h)
    pdfium_c.FPDFPageObj_SetStrokeColor(obj, 0, 0, 0, 255)
    pdfium_c.FPDFPageObj_SetStrokeWidth(obj, 0.5)
    if fill is not None:
        pdfium_c.FPDFPageObj_SetFillColor(obj, *fill, 255)
    pdfium_c.FPDFPath_SetDrawMode(obj, 0 if fill is None else 1, fill is None)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)


def build_synthetic(path: Path) -> Path:
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, HEIGHT)
    roman = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Times-Roman")
    bold = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Times-Bold")
    for dx in (0.0, 0.3):  # fake bold: the heading drawn twice, 0.3 pt apart
        _text(pdf, page, bold, 14, "REPORT ON THE SYNTHETIC DOCUMENT", 150 + dx, HEIGHT - 80)
    _rect(page, 150, HEIGHT - 86, 260, 0.5, fill=(0, 0, 0))  # a thin filled bar: a rule
    ends = [_text(pdf, page, roman, 12, line, 72, HEIGHT - 120 - 16 * k) for k, line in enumerate(BODY)]
    _text(pdf, page, roman, 7, "1", ends[1] + 0.5, HEIGHT - 136 + 5)  # a footnote mark after "here"
    xs = [72, 172, 372, 522]
    top = HEIGHT - 200
    for r, row in enumerate(TABLE):
        for c, cell in enumerate(row):
            _rect(page, xs[c], top - 24 * (r + 1), xs[c + 1] - xs[c], 24)
            _text(pdf, page, roman, 11, cell, xs[c] + 4, top - 24 * (r + 1) + 8)
    _rect(page, 300, 400, 100, 50, fill=(255, 255, 255))  # white: not seen, not a table
    _text(pdf, page, roman, 10, "VERTICAL LABEL", 40, 300, matrix=(0, 1, -1, 0))
    line = pdfium_c.FPDFPageObj_CreateNewPath(72, 120)  # the footnote rule
    pdfium_c.FPDFPath_LineTo(line, 200, 120)
    pdfium_c.FPDFPageObj_SetStrokeColor(line, 0, 0, 0, 255)
    pdfium_c.FPDFPath_SetDrawMode(line, 0, True)
    pdfium_c.FPDFPage_InsertObject(page.raw, line)
    _text(pdf, page, roman, 10, "1 The footnote text sits under a short rule.", 72, 105)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    pdf.save(path)
    pdf.close()
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_synthetic(tmp_path_factory.mktemp("pdfium") / "synthetic.pdf")


# --- helpers -----------------------------------------------------------------------------


def _pdfium_pages(path: Path) -> list[PageContent]:
    facts = document_facts(path)
    pdf = pdfium.PdfDocument(path)
    try:
        return [read_page(pdf, i, facts) for i in range(len(pdf))]
    finally:
        pdf.close()


def _plumber(path: Path) -> list[PageContent]:
    n = len(pdfium.PdfDocument(path))
    pages = pdf_mod.plumber_pages(path, range(n))
    return [pages[i] for i in range(n)]


def _unmatched(a: list[tuple[object, ...]], b: list[tuple[object, ...]], tol: float = 0.01) -> list[object]:
    """Items of ``a`` and of ``b`` without a partner: equal text (first field), numbers within ``tol``."""
    left = list(b)
    lone: list[object] = []
    for item in a:
        for k, other in enumerate(left):
            if other[0] == item[0] and all(
                abs(float(x) - float(y)) <= tol for x, y in zip(item[1:], other[1:], strict=True)
            ):  # type: ignore[arg-type]
                del left[k]
                break
        else:
            lone.append(("engine", item))
    return lone + [("plumber", item) for item in left]


def _words(words: list[Word]) -> list[tuple[object, ...]]:
    return [(unicodedata.normalize("NFC", w.text), w.x0, w.top, w.x1, w.bottom, w.size) for w in words]


def _cells(content: PageContent) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for g, grid in enumerate(content.grids):
        out.append((f"table {g}: {len(grid.cells)} x {len(grid.columns)}", *grid.bbox))
        for r, row in enumerate(grid.cells):
            out.extend((f"{g} {r} {c} {box is None}", *(box or ())) for c, box in enumerate(row))
        out.extend((f"{g} column {c}", *col) for c, col in enumerate(grid.columns))
    return out


def assert_same_pages(path: Path, tol: float = 0.01) -> None:
    """Words, grids, rules and page size of every page equal between the engines (words within ``tol``)."""
    ours, theirs = _pdfium_pages(path), _plumber(path)
    assert len(ours) == len(theirs)
    for k, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert _unmatched(_words(a.words), _words(b.words), tol) == [], f"page {k + 1}: words differ"
        assert _unmatched(_cells(a), _cells(b)) == [], f"page {k + 1}: tables differ"
        rules_a = [("rule", *r) for r in a.rules]
        rules_b = [("rule", *r) for r in b.rules]
        assert _unmatched(rules_a, rules_b) == [], f"page {k + 1}: rules differ"
        assert a.size == pytest.approx(b.size, abs=1e-3)


def _blocks(doc: SourceDoc) -> list[tuple[object, ...]]:
    return [
        (b.kind, b.page, unicodedata.normalize("NFC", b.text), tuple(tuple(c.text for c in row) for row in b.rows))
        for b in doc.blocks
    ]


def assert_same_read(path: Path) -> None:
    pdfium_doc = read_pdf(path, ocr="never", engine="pdfium")
    plumber_doc = read_pdf(path, ocr="never", engine="plumber")
    assert _blocks(pdfium_doc) == _blocks(plumber_doc)
    assert (pdfium_doc.format, pdfium_doc.pages, pdfium_doc.warnings) == (
        plumber_doc.format,
        plumber_doc.pages,
        plumber_doc.warnings,
    )


# --- the synthetic page ----------------------------------------------------------------


def test_synthetic_page_reads_alike(synthetic: Path) -> None:
    assert_same_pages(synthetic)
    assert_same_read(synthetic)


def test_fake_bold_heading_and_footnote_mark(synthetic: Path) -> None:
    words = _pdfium_pages(synthetic)[0].words
    texts = [w.text for w in words]
    assert texts.count("REPORT") == 1 and "REPORTREPORT" not in texts  # glyphs drawn twice, read once
    here = next(w for w in words if w.text == "here")
    same_line = [w.text for w in words if abs(w.top - here.top) < 6]
    assert same_line[-1] == "here" and "1" not in same_line  # the raised mark after it is gone


def test_ruled_table_thin_bar_and_white_box(synthetic: Path) -> None:
    content = _pdfium_pages(synthetic)[0]
    assert len(content.grids) == 1
    grid = content.grids[0]
    assert len(grid.cells) == 3 and len(grid.columns) == 3
    assert [round(x0) for x0, _ in grid.columns] == [72, 172, 372]
    rules = {(round(t), round(x0), round(x1)) for t, x0, x1 in content.rules}
    assert (86, 150, 410) in rules  # the filled bar, 0.5 pt high, counts as a rule
    assert (722, 72, 200) in rules  # the footnote rule
    assert not any(x0 == 300 and x1 == 400 for _, x0, x1 in rules)  # the white box is not there
    doc = read_pdf(synthetic, ocr="never")
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert [[c.text for c in row] for row in tables[0].rows] == TABLE
    assert doc.blocks[-1].text == "1 The footnote text sits under a short rule."  # the footnote goes last


@pytest.mark.parametrize("change", ["rotate90", "rotate180", "rotate270", "mediabox"])
def test_rotated_and_shifted_pages(synthetic: Path, tmp_path: Path, change: str) -> None:
    pdf = pdfium.PdfDocument(synthetic)
    page = pdf[0]
    if change == "mediabox":
        left, bottom, right, top = page.get_mediabox()
        page.set_mediabox(left - 20, bottom - 30, right + 10, top + 5)
    else:
        page.set_rotation(int(change[-3:].lstrip("e")))
    target = tmp_path / f"{change}.pdf"
    pdf.save(target)
    pdf.close()
    # Of the heading drawn twice 0.3 pt apart, pdfium keeps the copy drawn first and
    # pdfplumber the top-left one: the same copy unless the page is turned.
    assert_same_pages(target, tol=0.31)


# --- words from characters ---------------------------------------------------------------


def test_words_from_chars_breaks_like_pdfplumber() -> None:
    def ch(text: str, x0: float, x1: float, top: float = 100.0, size: float = 12.0) -> tuple[object, ...]:
        return (text, x0, top, x1, top + size, size, True, "F")

    chars = [ch("a", 10, 16), ch("b", 16, 22), ch(" ", 22, 25), ch("c", 25, 31), ch("d", 34.5, 40), ch("e", 38, 44)]
    words = words_from_chars(chars)  # type: ignore[arg-type]
    # a blank ends a word, so does a gap over 3 pt (c → d: 3.5); an overlap does not (d → e)
    assert [w.text for w in words] == ["ab", "c", "de"]
    back = words_from_chars([ch("x", 50, 56), ch("y", 40, 46)])  # type: ignore[list-item]
    assert [w.text for w in back] == ["y", "x"]  # sorted along the line first


def test_dedupe_and_clean_chars() -> None:
    base = [("A", 10.0, 100.0, 18.0, 112.0, 12.0, True, "F"), ("B", 18.0, 100.0, 26.0, 112.0, 12.0, True, "F")]
    doubled = base + [(t, x0 + 0.3, top, x1 + 0.3, b, s, u, f) for t, x0, top, x1, b, s, u, f in base]
    assert dedupe_chars(doubled) == base
    assert clean_chars(doubled) == base  # 50 % drawn twice: fake bold
    mark = ("2", 26.2, 97.0, 29.0, 104.0, 7.0, True, "F")  # small, raised, set against "B"
    assert clean_chars([*base, mark]) == base


# --- real documents ----------------------------------------------------------------------


@pytest.mark.skipif(not SIGNED.exists(), reason="corpus PDF missing")
def test_signed_corpus_pdf_reads_alike() -> None:
    assert_same_pages(SIGNED)
    assert_same_read(SIGNED)


@pytest.mark.skipif(not BULK.is_dir(), reason="../shared corpus not present")
@pytest.mark.parametrize("name", BULK_TABLES)
def test_bulk_pdfs_with_tables_read_alike(name: str) -> None:
    path = BULK / name
    if not path.exists():
        pytest.skip(f"{name} missing")
    assert_same_pages(path)
    assert_same_read(path)


def test_libreoffice_letter_reads_alike(tmp_path_factory: pytest.TempPathFactory) -> None:
    from tests.test_readers_pdf import HAS_SOFFICE, _letter_docx, _soffice_pdf

    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pdfium-letter")
    source = folder / "letter.docx"
    _letter_docx(source)
    path = _soffice_pdf(source, folder)
    assert_same_pages(path)
    assert_same_read(path)
    tables = [b for b in read_pdf(path, ocr="never").blocks if b.kind == "table" and len(b.rows[0]) > 2]
    assert tables, "the ruled table of the letter is read as a table"


# --- engine choice and fallback ----------------------------------------------------------


def test_pdfplumber_reads_a_page_pdfium_fails_on(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _blocks(read_pdf(synthetic, ocr="never", engine="plumber"))
    calls: list[list[int]] = []
    plumber_pages = pdf_mod.plumber_pages

    def broken(*args: object, **kwargs: object) -> PageContent:
        raise RuntimeError("pdfium trips")

    def spy(path: Path, indexes: list[int]) -> dict[int, PageContent]:
        calls.append(list(indexes))
        return plumber_pages(path, indexes)

    monkeypatch.setattr(pdf_mod, "read_loaded", broken)
    monkeypatch.setattr(pdf_mod, "plumber_pages", spy)
    doc = read_pdf(synthetic, ocr="never")
    assert calls == [[0]]
    assert _blocks(doc) == expected


def test_engine_from_environment(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[int]] = []
    plumber_pages = pdf_mod.plumber_pages

    def spy(path: Path, indexes: list[int]) -> dict[int, PageContent]:
        calls.append(list(indexes))
        return plumber_pages(path, indexes)

    monkeypatch.setattr(pdf_mod, "plumber_pages", spy)
    read_pdf(synthetic, ocr="never")
    assert calls == []  # pdfium by default
    monkeypatch.setenv("EXTRACTOR_PDF_ENGINE", "plumber")
    read_pdf(synthetic, ocr="never")
    assert calls == [[0]]
    monkeypatch.setenv("EXTRACTOR_PDF_ENGINE", "pdfminer")
    with pytest.raises(ValueError, match="engine"):
        read_pdf(synthetic, ocr="never")
