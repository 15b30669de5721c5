"""Positioned words, ruled tables and rules of a text-layer PDF page with pypdfium2 alone.

This is the default engine of the PDF reader's text layer (:func:`read_page`;
the other is pdfplumber, ``pdf._plumber_pages``).  It gives what the
pdfplumber engine gives, computed the same way so that both read a page
alike, several times faster: pdfium interprets the page in C where pdfminer
does it in Python.

* **characters** — pdfium's text page, each character given the box pdfminer
  gives it: from the origin, the advance across and one font size up from
  the font's descent (:mod:`.pdf_fonts` has pdfminer's descents).  pdfium's
  hyphen marker is read back as ``-``, a glyph it splits into a base letter
  and combining marks is one character again, and the characters go back to
  content order (pdfium sorts a line's text objects left to right).  pdfium
  leaves out text objects with no width — a lone space — and keeps the
  first of two spaces in a row, made up or not: the former are read from
  the page objects, the latter kept when the text moves on by 0.15 em.
* **words** — :mod:`.pdf_words` (pdfplumber's ``extract_words`` and the
  reader's clean-up of fake bold and footnote marks);
* **edges, tables, rules** — the visible path objects (stroked or filled in a
  colour that is not white), form XObjects entered, read as pdfminer reads
  paths, then :mod:`.pdf_tables`.

Coordinates are PDF points from the top-left corner of the page as shown
(``/Rotate`` applied), as pdfplumber has them.
"""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Callable, Iterator
from ctypes import POINTER, c_char_p, c_double, c_float, c_int, c_uint, c_ulong, c_void_p
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf_fonts import DocumentFacts, FontMetrics, afm_metrics, font_key
from .pdf_layout import Word, drop_superscripts
from .pdf_tables import Point, TableGrid, finish_subpath, page_edges, rules, table_grids
from .pdf_words import Char, clean_chars, words_from_chars

__all__ = ["PageContent", "TableGrid", "annotations_have_text", "read_loaded", "read_page", "text_page_chars"]


@dataclass(frozen=True)
class PageContent:
    """What the layout needs of a text page."""

    words: list[Word]
    grids: list[TableGrid]
    rules: list[tuple[float, float, float]]  # horizontal edges thinner than 3 pt: (top, x0, x1)
    size: tuple[float, float]


# --- pdfium calls -------------------------------------------------------------
# Private prototypes of the C functions with plain pointer types: pypdfium2's
# bindings wrap every handle in a ctypes structure pointer, which costs more
# than the call itself in the per-character loop.


def _fn(name: str, restype: Any, *argtypes: Any) -> Any:
    address = ctypes.cast(getattr(pdfium_c, name), c_void_p).value
    assert address is not None
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_D = POINTER(c_double)
_F = POINTER(c_float)
_I = POINTER(c_int)
_U = POINTER(c_uint)
_MATRIX = POINTER(pdfium_c.FS_MATRIX)
_count_chars = _fn("FPDFText_CountChars", c_int, c_void_p)
_get_unicode = _fn("FPDFText_GetUnicode", c_uint, c_void_p, c_int)
_get_text_object = _fn("FPDFText_GetTextObject", c_void_p, c_void_p, c_int)
_get_char_origin = _fn("FPDFText_GetCharOrigin", c_int, c_void_p, c_int, _D, _D)
_get_char_matrix = _fn("FPDFText_GetMatrix", c_int, c_void_p, c_int, _MATRIX)
_get_char_box = _fn("FPDFText_GetCharBox", c_int, c_void_p, c_int, _D, _D, _D, _D)
_get_loose_box = _fn("FPDFText_GetLooseCharBox", c_int, c_void_p, c_int, POINTER(pdfium_c.FS_RECTF))
_text_font = _fn("FPDFTextObj_GetFont", c_void_p, c_void_p)
_text_font_size = _fn("FPDFTextObj_GetFontSize", c_int, c_void_p, _F)
_font_name = _fn("FPDFFont_GetBaseFontName", c_ulong, c_void_p, c_char_p, c_ulong)
_font_embedded = _fn("FPDFFont_GetIsEmbedded", c_int, c_void_p)
_font_descent = _fn("FPDFFont_GetDescent", c_int, c_void_p, c_float, _F)
_glyph_width = _fn("FPDFFont_GetGlyphWidth", c_int, c_void_p, c_uint, c_float, _F)
_count_objects = _fn("FPDFPage_CountObjects", c_int, c_void_p)
_get_object = _fn("FPDFPage_GetObject", c_void_p, c_void_p, c_int)
_form_count = _fn("FPDFFormObj_CountObjects", c_int, c_void_p)
_form_object = _fn("FPDFFormObj_GetObject", c_void_p, c_void_p, c_ulong)
_object_type = _fn("FPDFPageObj_GetType", c_int, c_void_p)
_object_bounds = _fn("FPDFPageObj_GetBounds", c_int, c_void_p, _F, _F, _F, _F)
_object_matrix = _fn("FPDFPageObj_GetMatrix", c_int, c_void_p, _MATRIX)
_stroke_color = _fn("FPDFPageObj_GetStrokeColor", c_int, c_void_p, _U, _U, _U, _U)
_fill_color = _fn("FPDFPageObj_GetFillColor", c_int, c_void_p, _U, _U, _U, _U)
_draw_mode = _fn("FPDFPath_GetDrawMode", c_int, c_void_p, _I, _I)
_count_segments = _fn("FPDFPath_CountSegments", c_int, c_void_p)
_get_segment = _fn("FPDFPath_GetPathSegment", c_void_p, c_void_p, c_int)
_segment_point = _fn("FPDFPathSegment_GetPoint", c_int, c_void_p, _F, _F)
_segment_type = _fn("FPDFPathSegment_GetType", c_int, c_void_p)
_segment_close = _fn("FPDFPathSegment_GetClose", c_int, c_void_p)

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
_MOVETO = pdfium_c.FPDF_SEGMENT_MOVETO
_BEZIERTO = pdfium_c.FPDF_SEGMENT_BEZIERTO
_HYPHEN = 0x02  # pdfium's code for a hyphen that ends a line
_WHITE = 250  # 0.98 of 255: the reader's threshold for white (pdf._is_white)
_MAX_DEPTH = 8  # nesting of form XObjects

Matrix = tuple[float, float, float, float, float, float]
Lin = tuple[float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def read_page(pdf: pdfium.PdfDocument, index: int, facts: DocumentFacts | None = None) -> PageContent:
    """Words, table grids, rules and size of page ``index`` (0-based).

    ``facts`` are pdfminer's font metrics and page boxes
    (:func:`.pdf_fonts.document_facts`); without them pdfium's are used.
    """
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            return read_loaded(page, textpage, index, facts)
        finally:
            textpage.close()
    finally:
        page.close()


def read_loaded(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, index: int, facts: DocumentFacts | None = None
) -> PageContent:
    """:func:`read_page` of a page already loaded, with its text page."""
    fonts = facts.fonts if facts else {}
    box = facts.boxes[index] if facts and index < len(facts.boxes) else None
    view = _view(page, box)
    reader = _CharReader(view, fonts)
    chars, owners, indexes = reader.page_chars(_address(textpage.raw))
    walk = _Walk(set(reader.runs))
    walk.objects(_address(page.raw), None, _IDENTITY, 0)
    edges = page_edges(shape for obj, m in walk.paths for shape in _subpaths(obj, _multiply(m, view.matrix)))
    if walk.blanks:
        blanks = [reader.blank(obj, matrix) for obj, matrix in walk.blanks]
        # a space pdfium made up where it dropped a lone space object: that object is back
        places = {(round(b[1]), round(b[2])) for b in blanks}
        keep = [k not in reader.made_up or (round(c[1]), round(c[2])) not in places for k, c in enumerate(chars)]
        chars = [c for c, ok in zip(chars, keep, strict=True) if ok] + blanks
        owners = [o for o, ok in zip(owners, keep, strict=True) if ok] + [obj for obj, _ in walk.blanks]
        indexes = [i for i, ok in zip(indexes, keep, strict=True) if ok] + [-1] * len(blanks)
    chars = _content_order(chars, owners, indexes, walk.order)
    words = drop_superscripts(words_from_chars(clean_chars(chars)))
    return PageContent(words, table_grids(edges), rules(edges), (view.width, view.height))


def _content_order(chars: list[Char], owners: list[int], indexes: list[int], order: dict[int, int]) -> list[Char]:
    """The characters in the order of their text objects in the content (pdfium orders a line's
    objects left to right; pdfplumber keeps content order), in text-page order inside one."""
    last = len(order)
    span = max(indexes, default=0) + 2
    get = order.get
    keys = [get(obj, last) * span + k + 1 for obj, k in zip(owners, indexes, strict=True)]
    if all(a <= b for a, b in zip(keys, keys[1:], strict=False)):
        return chars
    ranked = sorted(range(len(chars)), key=keys.__getitem__)
    return [chars[i] for i in ranked]


def annotations_have_text(page: pdfium.PdfPage) -> bool:
    """Whether an annotation of the page draws text (a text object in its appearance stream):
    only then can flattening the page add words."""
    raw = page.raw
    for i in range(max(0, pdfium_c.FPDFPage_GetAnnotCount(raw))):
        annot = pdfium_c.FPDFPage_GetAnnot(raw, i)
        if not annot:
            continue
        try:
            objects = (pdfium_c.FPDFAnnot_GetObject(annot, k) for k in range(pdfium_c.FPDFAnnot_GetObjectCount(annot)))
            if any(obj and _draws_text(_address(obj), 0) for obj in objects):
                return True
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return False


def _draws_text(obj: int, depth: int) -> bool:
    kind = _object_type(obj)
    if kind == _TEXT:
        return True
    if kind == _FORM and depth < _MAX_DEPTH:
        return any(_draws_text(_form_object(obj, j) or 0, depth + 1) for j in range(_form_count(obj)))
    return False


def text_page_chars(textpage: pdfium.PdfTextPage) -> list[tuple[str, float, float, float, float]]:
    """Every character of a text page, made-up ones too, with its tight box in PDF user
    space: (text, left, bottom, right, top); the annotation reader compares them."""
    raw = _address(textpage.raw)
    n = _count_chars(raw)
    left, right, bottom, top = c_double(), c_double(), c_double(), c_double()
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    out = []
    for k in range(n):
        code = _get_unicode(raw, k)
        if not _get_char_box(raw, k, *refs):
            left.value = right.value = bottom.value = top.value = 0.0
        text = "-" if code == _HYPHEN else (chr(code) if code else "")
        out.append((text, left.value, bottom.value, right.value, top.value))
    return out


def _address(handle: Any) -> int:
    return int(ctypes.cast(handle, c_void_p).value or 0)


# --- the page as pdfplumber shows it --------------------------------------------


@dataclass(frozen=True)
class _View:
    """PDF user space → pdfplumber's page space (points from the top-left, rotation applied)."""

    matrix: Matrix  # (a, b, c, d, e, f): x' = a·x + c·y + e, top = b·x + d·y + f
    width: float
    height: float


def _view(page: pdfium.PdfPage, box_rotate: tuple[tuple[float, float, float, float], int] | None) -> _View:
    """The transform pdfminer's page matrix and pdfplumber's flip make together, from the media
    box and rotation as pdfminer read them, else as pdfium has them."""
    if box_rotate is None:
        box = tuple(round(float(v), 4) for v in page.get_mediabox())  # single precision in pdfium
        rotate = page.get_rotation() % 360
    else:
        box, rotate = box_rotate[0], box_rotate[1] % 360
    x0, x1 = sorted((box[0], box[2]))
    y0, y1 = sorted((box[1], box[3]))
    # pdfminer's device matrix per /Rotate (PDFPageInterpreter.process_page)
    ctm: Matrix = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }.get(rotate, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    if rotate in (90, 270):
        x0, y0, x1, y1 = y0, x0, y1, x1
    width, height = x1 - x0, y1 - y0
    # pdfplumber: x' = x + its mediabox x0, top = height - y + its mediabox top (= -y0)
    a, b, c, d, e, f = ctm
    return _View((a, -b, c, -d, e + x0, height - f - y0), width, height)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (row-vector convention, as in PDF)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


# --- characters ----------------------------------------------------------------


class _Font:
    """A font's name, descent and advance widths (per unit of size), looked up once."""

    __slots__ = ("afm", "checked", "descent", "handle", "name")

    def __init__(self, handle: int, fonts: dict[tuple[str, bool], FontMetrics]) -> None:
        self.handle = handle
        buf = ctypes.create_string_buffer(256)
        n = _font_name(handle, buf, 256)
        self.name = buf.raw[: max(0, n - 1)].decode("utf-8", "replace")
        embedded = bool(_font_embedded(handle)) if handle else False
        metrics = fonts.get(font_key(self.name, embedded))
        if metrics is None and not embedded:
            metrics = afm_metrics().get(self.name)
        if metrics is None:
            out = c_float()
            metrics = FontMetrics(-abs(float(out.value)) if _font_descent(handle, 1.0, out) else 0.0)
        self.descent = metrics.descent
        self.afm = metrics.afm
        self.checked: dict[int, float] = {}  # code point → advance, checked against the glyph

    def width(self, code: int) -> float:
        """The font's advance for code point ``code`` (negative: unknown)."""
        if self.afm is not None and chr(code) in self.afm:
            return self.afm[chr(code)] / 1000
        out = c_float()
        return round(out.value, 6) if _glyph_width(self.handle, code, 1.0, out) else -1.0


class _Run:
    """What the characters of one text object share: font, size, matrix — and for an upright,
    unrotated object on an unrotated page the terms of pdfminer's box arithmetic."""

    __slots__ = ("a", "font", "hi", "lin", "lo", "name", "simple", "size", "upright", "widths")

    def __init__(self, font: _Font, size: float, lin: Lin, upright: bool, view: _View) -> None:
        self.font = font
        self.name = font.name
        self.widths = font.checked
        self.size = size
        self.lin = lin
        self.upright = upright
        a, b, c, d = lin
        self.simple = b == 0 and c == 0 and view.matrix[1] == 0 and view.matrix[2] == 0
        self.a = a
        descent = font.descent * size
        self.lo = d * descent  # pdfminer: the box from (0, descent) to (adv, descent + size), times the matrix
        self.hi = d * (descent + size)


class _CharReader:
    """Characters of one page with the boxes pdfminer gives them."""

    def __init__(self, view: _View, fonts: dict[tuple[str, bool], FontMetrics]) -> None:
        self.view = view
        self.metrics = fonts
        self.fonts: dict[int, _Font] = {}
        self.runs: dict[int, _Run] = {}
        self.made_up: set[int] = set()  # positions in page_chars' list of the spaces pdfium made up

    def run(self, obj: int, lin: Lin) -> _Run:
        """The font, size and matrix of text object ``obj`` (``lin``: its matrix in page space)."""
        run = self.runs.get(obj)
        if run is None:
            handle = _text_font(obj) or 0
            font = self.fonts.get(handle)
            if font is None:
                font = self.fonts[handle] = _Font(handle, self.metrics)
            size = c_float()
            if not _text_font_size(obj, size):
                size.value = 0.0
            # pdfminer's test on the matrix in its device space (page rotation included)
            va, vb, vc, vd, _, _ = self.view.matrix
            a, b, c, d, _, _ = _multiply((*lin, 0.0, 0.0), (va, -vb, vc, -vd, 0.0, 0.0))
            run = self.runs[obj] = _Run(font, round(size.value, 4), lin, a * d > 0 and b * c <= 0, self.view)
        return run

    def box(self, x: float, y: float, adv: float, run: _Run) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) of a glyph with origin (x, y) in page space and advance ``adv``
        in text space: the advance across, the font size up from the descent."""
        size = run.size
        lo = run.font.descent * size
        a, b, c, d = run.lin
        va, vb, vc, vd, ve, vf = self.view.matrix
        if vb == 0 and vc == 0 and b == 0 and c == 0:  # pdfminer's arithmetic, for equal ties
            left = va * x + ve
            right = va * (a * adv + x) + ve
            y_lo = vd * (d * lo + y) + vf
            y_hi = vd * (d * (lo + size) + y) + vf
        else:
            pts = [
                (x + a * u + c * v, y + b * u + d * v)
                for u, v in ((0.0, lo), (adv, lo), (0.0, lo + size), (adv, lo + size))
            ]
            xs = [va * px + vc * py + ve for px, py in pts]
            ys = [vb * px + vd * py + vf for px, py in pts]
            left, right, y_lo, y_hi = min(xs), max(xs), max(ys), min(ys)
        if right < left:
            left, right = right, left
        if y_lo < y_hi:
            y_lo, y_hi = y_hi, y_lo
        return left, y_hi, right, y_lo

    def page_chars(self, textpage: int) -> tuple[list[Char], list[int], list[int]]:
        """The characters of pdfium's text page, with their text objects and indexes."""
        n = _count_chars(textpage)
        codes = [_get_unicode(textpage, k) for k in range(n)]
        objs = [_get_text_object(textpage, k) for k in range(n)]
        out: list[Char] = []
        owners: list[int] = []
        indexes: list[int] = []
        ox, oy = c_double(), c_double()
        ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
        origin = _get_char_origin
        m = pdfium_c.FS_MATRIX()
        runs = self.runs
        va, _, _, vd, ve, vf = self.view.matrix
        run: _Run | None = None
        simple, a, lo, hi, widths, size, upright, name = False, 1.0, 0.0, 0.0, {}, 0.0, True, ""
        prev_obj = 0
        pending = -1  # index of a space pdfium made up, waiting for the next character
        k = -1
        while k + 1 < n:
            k += 1
            obj = objs[k]
            code = codes[k]
            if not obj:
                # Made up by pdfium: a line break, or a space where the text jumps or
                # where a space glyph was (pdfium keeps the first of two spaces).
                pending = k if code == 0x20 and out and out[-1][0] != " " else -1
                continue
            if code == _HYPHEN:
                code = 0x2D
            if obj != prev_obj or run is None:
                run = runs.get(obj)
                if run is None:
                    if not _get_char_matrix(textpage, k, m):
                        m.a, m.b, m.c, m.d = 1.0, 0.0, 0.0, 1.0
                    run = self.run(obj, (round(m.a, 6), round(m.b, 6), round(m.c, 6), round(m.d, 6)))
                simple, a, lo, hi, widths = run.simple, run.a, run.lo, run.hi, run.widths
                size, upright, name = run.size, run.upright, run.name
            origin(textpage, k, ox_ref, oy_ref)
            x = round(ox.value, 4)  # pdfium has single precision
            y = round(oy.value, 4)
            if k + 1 < n and codes[k + 1] >= 0x300 and objs[k + 1] == obj and unicodedata.combining(chr(codes[k + 1])):
                text, adv = self._decomposed(textpage, k, codes, objs, run)
                k += len(text) - 1
            else:
                text = chr(code)
                w = widths.get(code)
                adv = (w if w is not None else self._width(textpage, k, code, x, run)) * size
            if simple:  # pdfminer's arithmetic, so that ties come out alike
                left = va * x + ve
                right = va * (a * adv + x) + ve
                bottom = vd * (lo + y) + vf
                top = vd * (hi + y) + vf
                if right < left:
                    left, right = right, left
                if bottom < top:
                    top, bottom = bottom, top
            else:
                left, top, right, bottom = self.box(x, y, adv, run)
            if pending >= 0:  # the space splits words when the text moves on, on the same line
                prev = out[-1]
                forward = simple and a * va > 0  # text set left to right on the page
                if forward and abs(top - prev[2]) <= 3 and left - prev[3] >= 0.15 * prev[5]:
                    self.made_up.add(len(out))
                    out.append((" ", prev[3], prev[2], prev[3], prev[4], prev[5], prev[6], prev[7]))
                    owners.append(prev_obj)
                    indexes.append(pending)
                pending = -1
            out.append((text, left, top, right, bottom, bottom - top, upright, name))
            owners.append(obj)
            indexes.append(k)
            prev_obj = obj
        return out, owners, indexes

    def _width(self, textpage: int, k: int, code: int, x: float, run: _Run) -> float:
        """The advance of character ``k`` per unit of size: the font's width for its code point,
        checked once per font and code point against pdfium's loose box of the glyph."""
        font = run.font
        w = font.width(code)
        if font.afm is None or chr(code) not in font.afm:
            w = _check_width(textpage, k, x, run, w, code)
        font.checked[code] = w
        return w

    def _advance(self, textpage: int, k: int, code: int, x: float, run: _Run) -> float:
        w = run.widths.get(code)
        return (w if w is not None else self._width(textpage, k, code, x, run)) * run.size

    def _decomposed(self, textpage: int, k: int, codes: list[int], objs: list[int], run: _Run) -> tuple[str, float]:
        """A glyph whose text is a letter and combining marks (pdfium gives each a character
        at the glyph's origin): the text, and the glyph's advance — the edge of its loose box
        where that shows it, else the width of the composed letter, of pdfium's first
        character or of the bare letter, whichever fits the glyph's ink, else the ink's."""
        ox, oy, px, py = c_double(), c_double(), c_double(), c_double()
        _get_char_origin(textpage, k, ctypes.byref(ox), ctypes.byref(oy))
        text = chr(codes[k])
        j = k + 1
        while j < len(codes) and objs[j] == objs[k] and unicodedata.combining(chr(codes[j])):
            _get_char_origin(textpage, j, ctypes.byref(px), ctypes.byref(py))
            if (px.value, py.value) != (ox.value, oy.value):
                break
            text += chr(codes[j])
            j += 1
        if len(text) == 1:
            return text, self._advance(textpage, k, codes[k], ox.value, run)
        composed = unicodedata.normalize("NFC", text)
        points = [ord(c) for c in dict.fromkeys([composed, chr(codes[k]), *_plainer(composed)]) if len(c) == 1]
        candidates = [run.font.width(c) for c in points]
        boxes = [_loose_box(textpage, i) for i in range(k, j)]
        if all(b == boxes[0] for b in boxes):  # each character has the glyph's box: advance and ink
            return text, _check_width(textpage, k, ox.value, run, candidates[0], points[0]) * run.size
        # pdfium split the glyph's ink among the characters: no advance to see
        a, b, c, _ = run.lin
        scale = a * run.size
        rights = [r for _, r in boxes if r is not None]
        if b != 0 or c != 0 or scale <= 0 or not rights:
            return text, max(0.0, candidates[-1]) * run.size
        ink = (max(rights) - ox.value) / scale
        for w in candidates:
            if ink - 0.1 <= w <= ink + 0.15:
                return text, w * run.size
        return text, max(0.0, ink) * run.size

    def blank(self, obj: int, matrix: Matrix) -> Char:
        """A text object pdfium's text page leaves out for having no width: spaces only."""
        run = self.run(obj, (round(matrix[0], 6), round(matrix[1], 6), round(matrix[2], 6), round(matrix[3], 6)))
        adv = max(0.0, run.font.width(0x20)) * run.size
        left, top, right, bottom = self.box(round(matrix[4], 4), round(matrix[5], 4), adv, run)
        return (" ", left, top, right, bottom, bottom - top, run.upright, run.font.name)


def _loose_box(textpage: int, k: int) -> tuple[float | None, float | None]:
    """Left and right of pdfium's loose box of character ``k`` (page space)."""
    rect = pdfium_c.FS_RECTF()
    if not _get_loose_box(textpage, k, ctypes.byref(rect)):
        return None, None
    return float(rect.left), float(rect.right)


def _check_width(textpage: int, k: int, x: float, run: _Run, width: float, code: int = 0) -> float:
    """``width`` (per unit of size; negative: unknown) set right by pdfium's loose box of glyph ``k``.

    The loose box spans the advance and the ink: where it reaches past the ink, its edge is
    the advance; where the ink reaches it, the advance is less (an overhang, as of an italic
    f) — but not under half of it: pdfium found no width for the code point (a letter with
    diacritics in a subset font), and the bare letter's width is taken when it fits the ink.
    """
    a, b, c, _ = run.lin
    scale = a * run.size
    loose = _loose_box(textpage, k)[1]
    if b != 0 or c != 0 or scale <= 0 or loose is None:
        return max(0.0, width)
    measured = max(0.0, (loose - x) / scale)
    if abs(width - measured) <= 0.01:
        return width
    if width > measured:
        return measured
    left, right, bottom, top = c_double(), c_double(), c_double(), c_double()
    if _get_char_box(textpage, k, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)):
        if loose > right.value + 1e-3:  # the box reaches past the ink: its edge is the advance
            return measured
    if width > 0.4 * measured:  # an overhang
        return width
    for letter in _plainer(chr(code)) if code else ():
        bare = run.font.width(ord(letter))
        if measured - 0.15 <= bare <= measured + 0.3:
            return bare
    return measured


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _plainer(text: str) -> list[str]:
    """The letter of ``text`` without its tone mark (ử → ư), then bare (ử → u): diacritics
    rarely change a letter's advance, the horn and the breve sometimes do."""
    nfd = unicodedata.normalize("NFD", text)
    toneless = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
    out = [c for c in (toneless, nfd[:1]) if len(c) == 1 and c != text]
    return list(dict.fromkeys(out))


# --- page objects --------------------------------------------------------------


class _Walk:
    """The page objects that matter, in content order (form XObjects entered)."""

    def __init__(self, seen: set[int]) -> None:
        self.seen = seen  # text objects the text page has
        self.paths: list[tuple[int, Matrix]] = []  # visible paths, matrices to page space
        self.blanks: list[tuple[int, Matrix]] = []  # text objects with no width the text page left out
        self.order: dict[int, int] = {}  # text objects in content order

    def objects(self, page: int, form: int | None, matrix: Matrix, depth: int) -> None:
        m = pdfium_c.FS_MATRIX()
        count = _count_objects(page) if form is None else _form_count(form)
        for i in range(count):
            obj = _get_object(page, i) if form is None else _form_object(form, i)
            if not obj:
                continue
            kind = _object_type(obj)
            if kind == _TEXT:
                self.order[obj] = len(self.order)
                if obj not in self.seen and _no_width(obj):
                    _object_matrix(obj, m)
                    self.blanks.append((obj, _multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix)))
            elif kind == _PATH:
                if _visible(obj):
                    _object_matrix(obj, m)
                    self.paths.append((obj, _multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix)))
            elif kind == _FORM and depth < _MAX_DEPTH:
                _object_matrix(obj, m)
                self.objects(page, obj, _multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix), depth + 1)


def _no_width(obj: int) -> bool:
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    if not _object_bounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)):
        return False
    return abs(right.value - left.value) < 1e-4


def _visible(obj: int) -> bool:
    """Stroked or filled in a colour that is not white (``pdf._visible``)."""
    fill, stroke = c_int(), c_int()
    if not _draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    return bool(stroke.value and _coloured(_stroke_color, obj)) or bool(fill.value and _coloured(_fill_color, obj))


def _coloured(getter: Callable[..., int], obj: int) -> bool:
    r, g, b, a = c_uint(), c_uint(), c_uint(), c_uint()
    if not getter(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return True  # a pattern or a colour pdfium cannot tell: assume it shows
    return not (r.value >= _WHITE and g.value >= _WHITE and b.value >= _WHITE)


def _subpaths(obj: int, matrix: Matrix) -> Iterator[tuple[str, list[Point]]]:
    """pdfminer's ``paint_path`` split of one path: per subpath, its shape (``m``, ``l``, ``c``,
    ``h``) and end points, through ``matrix`` (rounded to 0.001: pdfium has single precision)."""
    a, b, c, d, e, f = matrix
    x, y = c_float(), c_float()
    xr, yr = ctypes.byref(x), ctypes.byref(y)
    shape: list[str] = []
    pts: list[Point] = []
    bezier = 0
    for i in range(_count_segments(obj)):
        seg = _get_segment(obj, i)
        if not seg:
            continue
        kind = _segment_type(seg)
        _segment_point(seg, xr, yr)
        px, py = x.value, y.value
        pt = (round(a * px + c * py + e, 3), round(b * px + d * py + f, 3))
        if kind == _MOVETO:
            done = finish_subpath(shape, pts) if shape else None
            if done:
                yield done
            shape, pts, bezier = ["m"], [pt], 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # the end point of a Bézier segment (control points are not kept)
                shape.append("c")
                pts.append(pt)
        else:
            shape.append("l")
            pts.append(pt)
        if _segment_close(seg) and pts:
            shape.append("h")
            pts.append(pts[0])
    done = finish_subpath(shape, pts) if shape else None
    if done:
        yield done
