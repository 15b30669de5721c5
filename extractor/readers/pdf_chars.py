"""Characters of a pdfium text page with the boxes pdfminer gives them, for :mod:`.pdf_pdfium`.

Each character gets, from its origin, the advance across and one font size
up from the font's descent below the baseline — pdfminer's box, computed
with pdfminer's arithmetic so that ties in the layout come out alike — in
pdfplumber's page space (points from the top-left, ``/Rotate`` applied).
Descents and standard-14 widths come from :mod:`.pdf_fonts` (pdfminer's
reading of the document); an advance is the font's width for the code point,
checked once per font and code point against pdfium's loose box of the glyph.
pdfium's hyphen marker is read back as ``-``; a glyph pdfium splits into a
letter and combining marks is one character again; a space pdfium made up
is kept when the text moves on by 0.15 em (it keeps the first of two spaces,
made up or not, so a space glyph may hide behind it).
"""

from __future__ import annotations

import ctypes
import unicodedata
from ctypes import c_double, c_float
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..text.normalize import strip_tones
from .pdf_fonts import FontMetrics, afm_metrics, font_key
from .pdf_words import Char
from .pdfium_api import (
    HYPHEN,
    Lin,
    Matrix,
    count_chars,
    font_descent,
    font_embedded,
    font_name,
    get_char_box,
    get_char_matrix,
    get_char_origin,
    get_loose_box,
    get_text_object,
    get_unicode,
    glyph_width,
    multiply,
    text_font,
    text_font_size,
)

__all__ = ["CharReader", "View", "page_view"]


@dataclass(frozen=True)
class View:
    """PDF user space → pdfplumber's page space (points from the top-left, rotation applied)."""

    matrix: Matrix  # (a, b, c, d, e, f): x' = a·x + c·y + e, top = b·x + d·y + f
    width: float
    height: float


def page_view(page: pdfium.PdfPage, box_rotate: tuple[tuple[float, float, float, float], int] | None) -> View:
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
    return View((a, -b, c, -d, e + x0, height - f - y0), width, height)


class _Font:
    """A font's name, descent and advance widths (per unit of size), looked up once."""

    __slots__ = ("afm", "checked", "descent", "handle", "name")

    def __init__(self, handle: int, fonts: dict[tuple[str, bool], FontMetrics]) -> None:
        self.handle = handle
        buf = ctypes.create_string_buffer(256)
        n = font_name(handle, buf, 256)
        self.name = buf.raw[: max(0, n - 1)].decode("utf-8", "replace")
        embedded = bool(font_embedded(handle)) if handle else False
        metrics = fonts.get(font_key(self.name, embedded))
        if metrics is None and not embedded:
            metrics = afm_metrics().get(self.name)
        if metrics is None:
            out = c_float()
            metrics = FontMetrics(-abs(float(out.value)) if font_descent(handle, 1.0, out) else 0.0)
        self.descent = metrics.descent
        self.afm = metrics.afm
        self.checked: dict[int, float] = {}  # code point → advance, checked against the glyph

    def width(self, code: int) -> float:
        """The font's advance for code point ``code`` (negative: unknown)."""
        if self.afm is not None and chr(code) in self.afm:
            return self.afm[chr(code)] / 1000
        out = c_float()
        return round(out.value, 6) if glyph_width(self.handle, code, 1.0, out) else -1.0


class _Run:
    """What the characters of one text object share: font, size, matrix — and for an upright,
    unrotated object on an unrotated page the terms of pdfminer's box arithmetic."""

    __slots__ = ("a", "font", "hi", "lin", "lo", "name", "simple", "size", "upright", "widths")

    def __init__(self, font: _Font, size: float, lin: Lin, upright: bool, view: View) -> None:
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


class CharReader:
    """Characters of one page with the boxes pdfminer gives them."""

    def __init__(self, view: View, fonts: dict[tuple[str, bool], FontMetrics]) -> None:
        self.view = view
        self.metrics = fonts
        self.fonts: dict[int, _Font] = {}
        self.runs: dict[int, _Run] = {}
        self.made_up: set[int] = set()  # positions in page_chars' list of the spaces pdfium made up

    def run(self, obj: int, lin: Lin) -> _Run:
        """The font, size and matrix of text object ``obj`` (``lin``: its matrix in page space)."""
        run = self.runs.get(obj)
        if run is None:
            handle = text_font(obj) or 0
            font = self.fonts.get(handle)
            if font is None:
                font = self.fonts[handle] = _Font(handle, self.metrics)
            size = c_float()
            if not text_font_size(obj, size):
                size.value = 0.0
            # pdfminer's test on the matrix in its device space (page rotation included)
            va, vb, vc, vd, _, _ = self.view.matrix
            a, b, c, d, _, _ = multiply((*lin, 0.0, 0.0), (va, -vb, vc, -vd, 0.0, 0.0))
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
        n = count_chars(textpage)
        codes = [get_unicode(textpage, k) for k in range(n)]
        objs = [get_text_object(textpage, k) for k in range(n)]
        out: list[Char] = []
        owners: list[int] = []
        indexes: list[int] = []
        ox, oy = c_double(), c_double()
        ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
        origin = get_char_origin
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
            if code == HYPHEN:
                code = 0x2D
            if obj != prev_obj or run is None:
                run = runs.get(obj)
                if run is None:
                    if not get_char_matrix(textpage, k, m):
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
        get_char_origin(textpage, k, ctypes.byref(ox), ctypes.byref(oy))
        text = chr(codes[k])
        j = k + 1
        while j < len(codes) and objs[j] == objs[k] and unicodedata.combining(chr(codes[j])):
            get_char_origin(textpage, j, ctypes.byref(px), ctypes.byref(py))
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
    if not get_loose_box(textpage, k, ctypes.byref(rect)):
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
    if get_char_box(textpage, k, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)):
        if loose > right.value + 1e-3:  # the box reaches past the ink: its edge is the advance
            return measured
    if width > 0.4 * measured:  # an overhang
        return width
    for letter in _plainer(chr(code)) if code else ():
        bare = run.font.width(ord(letter))
        if measured - 0.15 <= bare <= measured + 0.3:
            return bare
    return measured


def _plainer(text: str) -> list[str]:
    """The letter of ``text`` without its tone mark (ử → ư), then bare (ử → u): diacritics
    rarely change a letter's advance, the horn and the breve sometimes do."""
    nfd = unicodedata.normalize("NFD", text)
    toneless = strip_tones(text)
    out = [c for c in (toneless, nfd[:1]) if len(c) == 1 and c != text]
    return list(dict.fromkeys(out))
