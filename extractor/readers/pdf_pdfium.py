"""Positioned words, ruled tables and rules of a text-layer PDF page with pypdfium2 alone.

This is the default engine of the PDF reader's text layer (:func:`read_page`;
the other is pdfplumber, :mod:`.pdf_plumber`).  It gives what the
pdfplumber engine gives, computed the same way so that both read a page
alike, several times faster: pdfium interprets the page in C where pdfminer
does it in Python.

* **characters** — pdfium's text page, each character given the box pdfminer
  gives it (:mod:`.pdf_chars`), back in content order (pdfium sorts a line's
  text objects left to right); pdfium leaves out text objects with no width
  (a lone space), which are read from the page objects;
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
from collections.abc import Callable, Iterator
from ctypes import c_double, c_float, c_int, c_uint
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf_chars import CharReader, page_view
from .pdf_fonts import DocumentFacts
from .pdf_layout import Word, drop_superscripts
from .pdf_tables import Point, TableGrid, finish_subpath, page_edges, rules, table_grids
from .pdf_words import Char, clean_chars, words_from_chars
from .pdfium_api import (
    BEZIERTO,
    FORM,
    HYPHEN,
    IDENTITY,
    MOVETO,
    PATH,
    TEXT,
    Matrix,
    address,
    count_chars,
    count_objects,
    count_segments,
    draw_mode,
    fill_color,
    form_count,
    form_object,
    get_char_box,
    get_object,
    get_segment,
    get_unicode,
    multiply,
    object_bounds,
    object_matrix,
    object_type,
    segment_close,
    segment_point,
    segment_type,
    stroke_color,
)

_WHITE = 250  # 0.98 of 255: the reader's threshold for white (pdf_plumber._is_white)
_MAX_DEPTH = 8  # nesting of form XObjects

__all__ = ["PageContent", "TableGrid", "annotations_have_text", "read_loaded", "read_page", "text_page_chars"]


@dataclass(frozen=True)
class PageContent:
    """What the layout needs of a text page."""

    words: list[Word]
    grids: list[TableGrid]
    rules: list[tuple[float, float, float]]  # horizontal edges thinner than 3 pt: (top, x0, x1)
    size: tuple[float, float]


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
    view = page_view(page, box)
    reader = CharReader(view, fonts)
    chars, owners, indexes = reader.page_chars(address(textpage.raw))
    walk = _Walk(set(reader.runs))
    walk.objects(address(page.raw), None, IDENTITY, 0)
    edges = page_edges(shape for obj, m in walk.paths for shape in _subpaths(obj, multiply(m, view.matrix)))
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
            if any(obj and _draws_text(address(obj), 0) for obj in objects):
                return True
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return False


def _draws_text(obj: int, depth: int) -> bool:
    kind = object_type(obj)
    if kind == TEXT:
        return True
    if kind == FORM and depth < _MAX_DEPTH:
        return any(_draws_text(form_object(obj, j) or 0, depth + 1) for j in range(form_count(obj)))
    return False


def text_page_chars(textpage: pdfium.PdfTextPage) -> list[tuple[str, float, float, float, float]]:
    """Every character of a text page, made-up ones too, with its tight box in PDF user
    space: (text, left, bottom, right, top); the annotation reader compares them."""
    raw = address(textpage.raw)
    n = count_chars(raw)
    left, right, bottom, top = c_double(), c_double(), c_double(), c_double()
    refs = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
    out = []
    for k in range(n):
        code = get_unicode(raw, k)
        if not get_char_box(raw, k, *refs):
            left.value = right.value = bottom.value = top.value = 0.0
        text = "-" if code == HYPHEN else (chr(code) if code else "")
        out.append((text, left.value, bottom.value, right.value, top.value))
    return out


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
        count = count_objects(page) if form is None else form_count(form)
        for i in range(count):
            obj = get_object(page, i) if form is None else form_object(form, i)
            if not obj:
                continue
            kind = object_type(obj)
            if kind == TEXT:
                self.order[obj] = len(self.order)
                if obj not in self.seen and _no_width(obj):
                    object_matrix(obj, m)
                    self.blanks.append((obj, multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix)))
            elif kind == PATH:
                if _visible(obj):
                    object_matrix(obj, m)
                    self.paths.append((obj, multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix)))
            elif kind == FORM and depth < _MAX_DEPTH:
                object_matrix(obj, m)
                self.objects(page, obj, multiply((m.a, m.b, m.c, m.d, m.e, m.f), matrix), depth + 1)


def _no_width(obj: int) -> bool:
    left, bottom, right, top = c_float(), c_float(), c_float(), c_float()
    if not object_bounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)):
        return False
    return abs(right.value - left.value) < 1e-4


def _visible(obj: int) -> bool:
    """Stroked or filled in a colour that is not white (``pdf_plumber._visible``)."""
    fill, stroke = c_int(), c_int()
    if not draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return False
    return bool(stroke.value and _coloured(stroke_color, obj)) or bool(fill.value and _coloured(fill_color, obj))


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
    for i in range(count_segments(obj)):
        seg = get_segment(obj, i)
        if not seg:
            continue
        kind = segment_type(seg)
        segment_point(seg, xr, yr)
        px, py = x.value, y.value
        pt = (round(a * px + c * py + e, 3), round(b * px + d * py + f, 3))
        if kind == MOVETO:
            done = finish_subpath(shape, pts) if shape else None
            if done:
                yield done
            shape, pts, bezier = ["m"], [pt], 0
        elif kind == BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # the end point of a Bézier segment (control points are not kept)
                shape.append("c")
                pts.append(pt)
        else:
            shape.append("l")
            pts.append(pt)
        if segment_close(seg) and pts:
            shape.append("h")
            pts.append(pts[0])
    done = finish_subpath(shape, pts) if shape else None
    if done:
        yield done
