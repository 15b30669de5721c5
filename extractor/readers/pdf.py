"""Reader for PDF files: text layer, legacy font encodings, OCR.

Each page takes one of two paths:

* **text layer** — pypdfium2's plain text decides whether the page has
  usable text; :mod:`.pdf_pdfium` gives its positioned words, ruled tables
  and rules, read while the page is loaded for that first look (pdfplumber
  does when ``engine="plumber"`` or ``EXTRACTOR_PDF_ENGINE=plumber``, and for
  a page the pdfium engine fails on), and :mod:`.pdf_layout` puts them in
  reading order (two-column letterheads and signature blocks as two-column
  tables, paragraphs from line gaps and indents, page furniture dropped).
  Text typed in a legacy font (TCVN3, VNI) is converted (:mod:`.legacy`).
* **OCR** — pages without text, or whose text layer is glyph soup, are
  rendered and read by Tesseract (:mod:`.pdf_ocr`).

Text that signing tools write into form fields and annotations (a document
number or a day stamped at signing time) is read from their appearance
streams; the signature stamp boxes themselves are page furniture.
"""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import regex

from .base import Block, Cell, ReaderError, SourceDoc
from .legacy import Encoding, convert_legacy, detect_encoding
from .pdf_blocks import grid_table, layout_page, words_in
from .pdf_fonts import DocumentFacts, document_facts
from .pdf_layout import (
    STAMP_LABEL,
    BBox,
    Line,
    PageGeometry,
    Word,
    build_lines,
    geometry,
    mark_page_numbers,
    mark_running_lines,
    mark_stamps,
)
from .pdf_ocr import LOW_CONFIDENCE, ocr_pages
from .pdf_pdfium import PageContent, TableGrid, annotations_have_text, read_loaded, text_page_chars
from .pdf_plumber import plumber_pages

OcrMode = Literal["auto", "always", "never"]
ENGINES = ("pdfium", "plumber")

__all__ = ["read_pdf"]

_MIN_LETTERS = 50  # fewer letters than this on a page with a picture: a scan
_MIN_IMAGE_AREA = 0.1  # share of the page an image must cover to count as a scan
_LETTER = regex.compile(r"\p{L}")
_SENTENCE_END = regex.compile(r"[.:;!?…]\W*$")
_LIST_MARKER = regex.compile(r"^(?:[-+•–]\s|\(?[a-zđ]\)\s|\d+[.)]\s)")


def read_pdf(
    path: Path, *, ocr: str = "auto", dpi: int = 300, ocr_workers: int = 1, engine: str | None = None
) -> SourceDoc:
    """Read a PDF into blocks in reading order.

    Args:
        path: The PDF file.
        ocr: ``"auto"`` OCRs pages without a usable text layer, ``"always"``
            OCRs every page, ``"never"`` keeps whatever text layer there is.
        dpi: Rendering resolution for OCR.
        ocr_workers: Pages OCR'd in parallel.
        engine: What reads the text layer: ``"pdfium"`` (the default) or
            ``"plumber"`` (pdfplumber, slower); None takes
            ``EXTRACTOR_PDF_ENGINE`` from the environment, else pdfium.

    Returns:
        The document; ``format`` is ``pdf``, ``pdf-tcvn3``, ``pdf-vni`` or
        ``pdf-ocr`` (some page was OCR'd).

    Raises:
        ReaderError: ``PDF_UNREADABLE`` (encrypted, damaged or not a PDF),
            ``PDF_NO_TEXT`` (nothing to read and OCR off),
            ``TESSERACT_MISSING`` or ``OCR_FAILED``.
    """
    if ocr not in ("auto", "always", "never"):
        raise ValueError(f"ocr must be 'auto', 'always' or 'never', not {ocr!r}")
    engine = engine or os.environ.get("EXTRACTOR_PDF_ENGINE") or "pdfium"
    if engine not in ENGINES:
        raise ValueError(f"engine must be 'pdfium' or 'plumber', not {engine!r}")
    pdf = _open(path)
    try:
        n_pages = len(pdf)
        facts = document_facts(path) if engine == "pdfium" else None
        looks = [_first_look(pdf, i, facts) for i in range(n_pages)]
        plain = [look.text for look in looks]
        sizes = [(float(w), float(h)) for w, h in (pdf.get_page_size(i) for i in range(n_pages))]
        annots = _annotation_words(path, {i: look.before for i, look in enumerate(looks) if look.before is not None})
        enc = detect_encoding("\n".join(plain))
        legacy: Encoding = enc if enc in ("tcvn3", "vni") else "unicode"
        ocr_set: list[int] = []
        warnings: list[tuple[str, str]] = []
        for i, text in enumerate(plain):
            body = "\n".join(ln for ln in text.splitlines() if not STAMP_LABEL.match(ln))
            letters = len(_LETTER.findall(body))
            garbled = letters >= _MIN_LETTERS and legacy == "unicode" and detect_encoding(body) == "garbage"
            scanned = letters < _MIN_LETTERS and _has_picture(pdf, i)
            if ocr == "always" or (ocr == "auto" and (garbled or scanned)):
                ocr_set.append(i)
            elif garbled:
                warnings.append(("PDF_TEXT_GARBLED", f"page {i + 1}: the text layer is unreadable and OCR is off"))
        ocr_results = ocr_pages(pdf, ocr_set, dpi=dpi, workers=ocr_workers) if ocr_set else {}
    finally:
        pdf.close()

    def fix(text: str) -> str:
        return convert_legacy(text, legacy)

    pages: dict[int, _Page] = {}
    text_pages = [i for i in range(n_pages) if i not in ocr_results]
    if text_pages:
        read = {i: look.content for i, look in enumerate(looks) if look.content is not None}
        pages.update(_text_pages(path, text_pages, annots, fix, read))
    for i, res in ocr_results.items():
        words = list(res.words) + [w for group in annots.get(i, []) for w in group]
        grids = res.rulings.grids
        tables = [grid_table(g.cells, g.columns, words, i + 1, g.bbox, fix) for g in grids]
        rules = [(r.pos, r.a, r.b) for r in res.rulings.h_rules]
        pages[i] = _assemble(words, [g.bbox for g in grids], sizes[i], tables, rules, res.rulings.boxes)
        if res.mean_conf is not None and res.mean_conf < LOW_CONFIDENCE:
            warnings.append(
                (
                    "OCR_LOW_CONFIDENCE",
                    f"page {i + 1}: mean confidence {res.mean_conf:.0f} (below {LOW_CONFIDENCE:.0f}); "
                    "check the text against the scan",
                )
            )
    mark_running_lines([(pages[i].lines + pages[i].notes, pages[i].geo) for i in sorted(pages)])
    blocks: list[Block] = []
    notes: list[Block] = []
    for i in sorted(pages):
        page = pages[i]
        blocks.extend(layout_page(page.lines, page.geo, i + 1, page.tables, fix))
        notes.extend(layout_page(page.notes, page.geo, i + 1, (), fix))
    # Footnotes go after the body, so that they do not cut a paragraph or a
    # list running on to the next page.
    blocks = _join_across_pages(blocks) + notes
    if not blocks:
        hint = "OCR is off (ocr='never')" if ocr == "never" else "the pages are blank"
        raise ReaderError("PDF_NO_TEXT", f"{path.name}: no text found ({hint})")
    fmt = "pdf-ocr" if ocr_results else ("pdf" if legacy == "unicode" else f"pdf-{legacy}")
    return SourceDoc(blocks=blocks, format=fmt, pages=n_pages, warnings=warnings)


@dataclass
class _Page:
    """One page ready for layout: body lines, footnote lines, measures, tables."""

    lines: list[Line]
    notes: list[Line]
    geo: PageGeometry
    tables: list[Block]


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        detail = str(exc)
        if "password" in detail.lower():
            reason = "the file is encrypted (password protected)"
        elif not path.exists():
            reason = "file not found"
        else:
            reason = f"damaged or not a PDF ({detail.rstrip('.')})"
        raise ReaderError("PDF_UNREADABLE", f"{path.name}: cannot open PDF: {reason}") from exc
    except OSError as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else (exc.strerror or str(exc))
        raise ReaderError("PDF_UNREADABLE", f"{path.name}: cannot read file ({reason})") from exc


@dataclass
class _Look:
    """A page's first reading: its plain text; with the pdfium engine its words, tables and
    rules (None when pdfium failed on it); when its annotations draw text, its characters
    (text, rounded left and bottom) to tell the annotations' apart."""

    text: str
    content: PageContent | None = None
    before: set[tuple[str, int, int]] | None = None


def _first_look(pdf: pdfium.PdfDocument, index: int, facts: DocumentFacts | None) -> _Look:
    """Everything read off the page while it is loaded (pdfium parses a page's content on loading)."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            look = _Look(str(textpage.get_text_range()))
            if facts is not None:
                try:
                    look.content = read_loaded(page, textpage, index, facts)
                except Exception:  # whatever pdfium trips on, pdfplumber reads that page
                    look.content = None
            if annotations_have_text(page):
                look.before = {(c, round(x0), round(y0)) for c, x0, y0, _, _ in text_page_chars(textpage)}
            return look
        finally:
            textpage.close()
    finally:
        page.close()


def _has_picture(pdf: pdfium.PdfDocument, index: int) -> bool:
    page = pdf[index]
    try:
        width, height = page.get_size()
        area = max(1.0, width * height)
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) * (top - bottom) >= _MIN_IMAGE_AREA * area:
                return True
        return False
    finally:
        page.close()


# --- annotations ---------------------------------------------------------------


def _annotation_words(path: Path, pages: dict[int, set[tuple[str, int, int]]]) -> dict[int, list[list[Word]]]:
    """Words that only annotation appearances draw, grouped per annotation.

    ``pages`` are the pages whose annotations draw text, with their characters.  The
    pages are flattened in a private copy of the document and their new characters
    grouped; stamp boxes (``Ký bởi: …``) are left out.
    """
    if not pages:
        return {}
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return {}
    out: dict[int, list[list[Word]]] = {}
    try:
        for index, before in pages.items():
            page = pdf[index]
            height = page.get_height()
            pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
            page.close()
            page = pdf[index]
            textpage = page.get_textpage()
            chars = text_page_chars(textpage)
            textpage.close()
            page.close()
            new = [ch for ch in chars if (ch[0], round(ch[1]), round(ch[2])) not in before]
            groups = [g for g in _group_chars(new, height) if not any(STAMP_LABEL.match(ln) for ln in _lines_of(g))]
            if groups:
                out[index] = groups
    finally:
        pdf.close()
    return out


def _group_chars(chars: Sequence[tuple[str, float, float, float, float]], height: float) -> list[list[Word]]:
    """Words from loose characters; words close together form one group."""
    words: list[Word] = []
    current: list[tuple[str, float, float, float, float]] = []

    def flush() -> None:
        if current:
            text = "".join(c[0] for c in current)
            x0 = min(c[1] for c in current)
            x1 = max(c[3] for c in current)
            top = height - max(c[4] for c in current)
            bottom = height - min(c[2] for c in current)
            words.append(Word(x0, top, x1, bottom, text, max(1.0, bottom - top)))
            current.clear()

    for ch in chars:
        if not ch[0].strip():
            flush()
            continue
        if current and (ch[1] - current[-1][3] > 0.3 * (ch[4] - ch[2]) or abs(ch[2] - current[-1][2]) > 2):
            flush()
        current.append(ch)
    flush()
    groups: list[list[Word]] = []
    for w in words:
        if groups and any(
            abs(w.top - o.bottom) < 2 * w.height or abs(w.top - o.top) < w.height for o in groups[-1][-3:]
        ):
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def _lines_of(words: Sequence[Word]) -> list[str]:
    return [ln.text for ln in build_lines(words)]


# --- text layer ----------------------------------------------------------------


def _text_pages(
    path: Path,
    indexes: Sequence[int],
    annots: dict[int, list[list[Word]]],
    fix: Callable[[str], str],
    read: dict[int, PageContent],
) -> dict[int, _Page]:
    """Text-layer pages ready for layout; ``read`` has the pages the pdfium engine read,
    pdfplumber reads the others."""
    contents = dict(read)
    rest = [i for i in indexes if i not in contents]
    if rest:
        contents.update(plumber_pages(path, rest))
    out: dict[int, _Page] = {}
    for i in indexes:
        content = contents[i]
        words = list(content.words)
        body = statistics.median([w.size for w in words]) if words else 12.0
        for group in annots.get(i, []):
            words.extend(Word(w.x0, w.top, w.x1, w.bottom, w.text, body) for w in group)
        tables, boxes = _table_blocks(content.grids, words, i + 1, fix)
        out[i] = _assemble(words, boxes, content.size, tables, content.rules)
    return out


def _table_blocks(
    grids: Sequence[TableGrid], words: Sequence[Word], page_no: int, fix: Callable[[str], str]
) -> tuple[list[Block], list[BBox]]:
    """Table blocks of ruled tables, with their boxes; a framed paragraph is no table."""
    blocks: list[Block] = []
    boxes: list[BBox] = []
    for grid in grids:
        if len(grid.columns) < 2 and len(grid.cells) < 2:
            continue  # a framed paragraph, not a table
        inside = words_in(words, grid.bbox)
        if not inside:
            continue
        blocks.append(grid_table(grid.cells, grid.columns, inside, page_no, grid.bbox, fix))
        boxes.append(grid.bbox)
    return blocks, boxes


def _assemble(
    words: Sequence[Word],
    table_boxes: Sequence[BBox],
    size: tuple[float, float],
    tables: list[Block],
    h_rules: Sequence[tuple[float, float, float]] = (),
    frames: Sequence[BBox] = (),
) -> _Page:
    """Lines outside tables with furniture marked, footnotes set apart.

    Args:
        words: The page's words.
        table_boxes: Boxes of ``tables``; their words are not lines.
        size: Page width and height.
        tables: The page's table blocks.
        h_rules: Horizontal rules ``(y, x0, x1)``: a short one at the left
            margin in the lower half of the page separates the footnotes.
        frames: Framed boxes: one reaching into the page margin is a stamp
            (a received stamp, a seal's caption) and its words are dropped.
    """
    in_tables = {id(w) for box in table_boxes for w in words_in(words, box)}
    free = [w for w in words if id(w) not in in_tables]
    geo = geometry(build_lines(free), size[0], size[1])
    for box in frames:
        if box[0] < geo.body_x0 - geo.em or box[2] > geo.body_x1 + geo.em:
            grow = 0.5 * geo.em
            drop = {id(w) for w in words_in(free, (box[0] - grow, box[1] - grow, box[2] + grow, box[3] + grow))}
            free = [w for w in free if id(w) not in drop]
    lines = build_lines(free)
    mark_stamps(lines, geo)
    mark_page_numbers(lines, geo)
    cut = _footnote_rule(h_rules, geo, table_boxes)
    if cut is None:
        return _Page(lines, [], geo, tables)
    notes = [ln for ln in lines if ln.top > cut]
    body = [ln for ln in lines if ln.top <= cut]
    return _Page(body, notes, geo, tables)


def _footnote_rule(
    rules: Sequence[tuple[float, float, float]], geo: PageGeometry, table_boxes: Sequence[BBox]
) -> float | None:
    """The y of the footnote separator: a short rule from the left margin, low on the page."""
    for y, x0, x1 in sorted(rules):
        if y < 0.5 * geo.height or abs(x0 - geo.body_x0) > 1.5 * geo.em:
            continue
        if not 0.08 * geo.body_width <= x1 - x0 <= 0.5 * geo.body_width:
            continue
        if any(b[0] - 2 <= x0 <= b[2] + 2 and b[1] - 2 <= y <= b[3] + 2 for b in table_boxes):
            continue
        return y
    return None


def _join_across_pages(blocks: list[Block]) -> list[Block]:
    """Join a paragraph that runs on from one page to the next.

    The last paragraph of a page continues on the next when it ends without
    sentence punctuation and the next page's first paragraph starts in lower
    case; the joined block keeps the first page.
    """
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "para"
            and block.kind == "para"
            and prev.page is not None
            and block.page == prev.page + 1
            and not _SENTENCE_END.search(prev.text)
            and block.text[:1].islower()
            and not _LIST_MARKER.match(block.text)
        ):
            out[-1] = Block(kind="para", text=prev.text + "\n" + block.text, page=prev.page, bbox=prev.bbox)
            continue
        if prev is not None and _band_runs_on(prev, block):
            last, first = prev.rows[-1], block.rows[0]
            joined = tuple(
                Cell("\n".join(t for t in (a.text, b.text) if t), a.merged_up, a.merged_left)
                for a, b in zip(last, first, strict=True)
            )
            rows = (*prev.rows[:-1], joined, *block.rows[1:])
            out[-1] = Block(kind="table", rows=rows, page=prev.page, bbox=prev.bbox)
            continue
        out.append(block)
    return out


def _band_runs_on(prev: Block, block: Block) -> bool:
    """A two-column band (recipients | signature) cut by a page break: the next page opens
    with a two-column band whose left cell goes on in lower case."""
    if prev.kind != "table" or block.kind != "table" or prev.page is None or block.page != prev.page + 1:
        return False
    if not prev.rows or not block.rows or len(prev.rows[-1]) != 2 or len(block.rows[0]) != 2:
        return False
    head = block.rows[0][0].text
    return head[:1].islower() and not _SENTENCE_END.search(prev.rows[-1][0].text)
