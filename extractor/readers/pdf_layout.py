"""Page lines for the PDF reader: positioned words → lines, page measures, furniture.

Both PDF paths feed this module: words of the text layer (pypdfium2 or
pdfplumber) and words of an OCR run (Tesseract TSV), in PDF points with the
origin at the top-left of the page.  It groups words into lines, measures
the page (body margins, usual font size) and marks page furniture (page
numbers, repeated running headers and footers, digital signature stamps);
:mod:`.pdf_blocks` turns the lines into blocks in reading order.  It knows
geometry, not documents: the only words it knows are the field labels of
signature stamps.
"""

from __future__ import annotations

import bisect
import functools
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

BBox = tuple[float, float, float, float]

# Labels of the boxes that e-signature tools stamp on a page ("Ký bởi" = signed
# by, "Cơ quan" = agency, "Thời gian ký" = signing time).
STAMP_LABEL = regex.compile(
    r"^\s*(?:Ký\s+bởi|Người\s+ký|Được\s+ký\s+bởi|Signed\s+by|Signature\s+Not\s+Verified|Email|E-mail|"
    r"Cơ\s+quan|Chức\s+vụ|Thời\s+gian\s+ký|Giờ\s+ký|Ngày\s+ký|Ký\s+ngày)\s*:",
    regex.IGNORECASE,
)
_PAGE_NUMBER = regex.compile(
    r"^\s*(?:[-–—]\s*)?(?:Trang\s+|Page\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?(?:\s*[-–—])?\s*$", regex.I
)
_DIGITS = regex.compile(r"\d+")
_DESCENDER = regex.compile(r"[gjpqyQ,;()\[\]{}/|@ạặậẹệịọộợụựỵẠẶẬẸỆỊỌỘỢỤỰỴ]")
_MARK = regex.compile(r"[\d*,)(]{1,4}")


def _median(values: list[float]) -> float:
    """``statistics.median`` without its overhead (same result)."""
    data = sorted(values)
    n = len(data)
    if n == 0:
        raise statistics.StatisticsError("no median for empty data")
    half = n // 2
    return data[half] if n % 2 else (data[half - 1] + data[half]) / 2


@functools.lru_cache(maxsize=65536)
def _has_descender(text: str) -> bool:
    return _DESCENDER.search(text) is not None


@dataclass(frozen=True)
class Word:
    """A positioned word.  ``size`` is the font size (text layer) or an estimate (OCR)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    size: float
    conf: float | None = None

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    """Words sharing a baseline, left to right."""

    words: list[Word]
    furniture: bool = False
    x0: float = field(init=False)
    x1: float = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)
    size: float = field(init=False)

    def __post_init__(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        words = self.words
        words.sort(key=lambda w: w.x0)
        self.x0 = min(w.x0 for w in words)
        self.x1 = max(w.x1 for w in words)
        self.top = _median([w.top for w in words])
        # OCR boxes reach down to descenders and dots below ("(để", "Thủ tướng"):
        # the baseline is where the words without them end.  Text-layer boxes
        # all have the font's descent, so nothing changes there.
        flat = [w.bottom for w in words if not _has_descender(w.text)]
        self.bottom = _median(flat or [w.bottom for w in words])
        self.size = _median([w.size for w in words])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


class _Growing:
    """A line being built: its words and the sorted values its top and bottom are medians of
    (what :meth:`Line.refresh` gives, kept up word by word instead of recomputed)."""

    __slots__ = ("bottom", "bottoms", "flat", "top", "tops", "words")

    def __init__(self, w: Word) -> None:
        self.words = [w]
        self.tops = [w.top]
        self.bottoms = [w.bottom]
        self.flat = [] if _has_descender(w.text) else [w.bottom]
        self.top = w.top
        self.bottom = w.bottom

    def add(self, w: Word) -> None:
        self.words.append(w)
        bisect.insort(self.tops, w.top)
        bisect.insort(self.bottoms, w.bottom)
        if not _has_descender(w.text):
            bisect.insort(self.flat, w.bottom)
        self.top = _sorted_median(self.tops)
        self.bottom = _sorted_median(self.flat or self.bottoms)


def _sorted_median(data: list[float]) -> float:
    n = len(data)
    half = n // 2
    return data[half] if n % 2 else (data[half - 1] + data[half]) / 2


def build_lines(words: Sequence[Word]) -> list[Line]:
    """Group words into lines by vertical overlap, top to bottom."""
    lines: list[_Growing] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        best: _Growing | None = None
        best_overlap = 0.0
        for line in lines[-4:]:
            overlap = min(line.bottom, w.bottom) - max(line.top, w.top)
            need = 0.5 * min(line.bottom - line.top, w.height)
            if overlap >= need and overlap > best_overlap:
                best, best_overlap = line, overlap
        if best is None:
            lines.append(_Growing(w))
        else:
            best.add(w)
    out = [Line(line.words) for line in lines]
    out.sort(key=lambda ln: (ln.top, ln.x0))
    return out


@dataclass(frozen=True)
class PageGeometry:
    """Measures of one page used by the layout rules."""

    width: float
    height: float
    em: float  # typical font size
    body_x0: float
    body_x1: float

    @property
    def body_center(self) -> float:
        return (self.body_x0 + self.body_x1) / 2

    @property
    def body_width(self) -> float:
        return max(1.0, self.body_x1 - self.body_x0)


def geometry(lines: Sequence[Line], width: float, height: float) -> PageGeometry:
    """The body text box and the typical font size of a page."""
    sizes = [w.size for ln in lines for w in ln.words]
    em = statistics.median(sizes) if sizes else 12.0
    full = [ln for ln in lines if len(ln.words) >= 4 and ln.x1 - ln.x0 >= 0.4 * width]
    if len(full) >= 3:
        xs0 = sorted(ln.x0 for ln in full)
        xs1 = sorted(ln.x1 for ln in full)
        x0 = xs0[len(xs0) // 10]
        x1 = xs1[(len(xs1) * 9) // 10]
    elif lines:
        x0 = min(ln.x0 for ln in lines)
        x1 = max(ln.x1 for ln in lines)
    else:
        x0, x1 = 0.0, width
    return PageGeometry(width, height, em, x0, x1)


# --- furniture -------------------------------------------------------------


def mark_stamps(lines: Sequence[Line], geo: PageGeometry) -> None:
    """Mark digital-signature stamp lines (``Ký bởi: …``, ``Email: …``) as furniture.

    A labelled line is a stamp when it is set smaller than the body text or
    sits outside the body text box (or another label is stacked with it);
    the lines wrapped under it in the same small box go with it.  Sizes are
    line heights, which OCR words have too.
    """
    heights = sorted(ln.height for ln in lines)
    body = heights[len(heights) // 2] if heights else 0.0
    for i, line in enumerate(lines):
        if not STAMP_LABEL.match(line.text) or line.furniture:
            continue
        small = line.height < 0.8 * body
        outside = line.x1 < geo.body_x0 + 0.3 * geo.body_width and line.top < geo.height * 0.2
        outside = outside or line.x0 > geo.body_x1 - 2 or line.x1 < geo.body_x0 + 2
        if not (small or outside or _stamp_neighbours(lines, i)):
            continue
        line.furniture = True
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines):
                other = lines[j]
                near = abs(other.top - lines[j - step].top) < 2.2 * max(line.height, 1.0)
                same_box = abs(other.height - line.height) < 0.2 * line.height + 0.5
                same_box = same_box and other.x0 < line.x1 and other.x1 > line.x0 and other.height < 0.8 * body
                if other.furniture or not near or not same_box or len(other.text) > 60:
                    break
                other.furniture = True
                j += step


def _stamp_neighbours(lines: Sequence[Line], i: int) -> bool:
    """Two stamp labels stacked together are a stamp wherever they sit."""
    return any(
        0 <= j < len(lines) and STAMP_LABEL.match(lines[j].text) for j in (i - 3, i - 2, i - 1, i + 1, i + 2, i + 3)
    )


def mark_page_numbers(lines: Sequence[Line], geo: PageGeometry) -> None:
    """Mark a number alone on the first or last line of the page, in the margin."""
    body = [ln for ln in lines if not ln.furniture]
    if not body:
        return
    for line in (body[0], body[-1]):
        in_margin = line.top < 0.12 * geo.height or line.bottom > 0.88 * geo.height
        if in_margin and _PAGE_NUMBER.match(line.text):
            line.furniture = True


def mark_running_lines(pages: Sequence[tuple[Sequence[Line], PageGeometry]]) -> None:
    """Mark header/footer lines repeated (digits aside) on at least half of 3+ pages."""
    if len(pages) < 3:
        return
    keys: list[list[tuple[Line, str]]] = []
    counts: Counter[str] = Counter()
    for lines, geo in pages:
        page_keys = []
        for line in lines:
            if line.furniture or not (line.top < 0.1 * geo.height or line.bottom > 0.9 * geo.height):
                continue
            key = _DIGITS.sub("#", line.text.casefold())
            page_keys.append((line, key))
        keys.append(page_keys)
        counts.update({k for _, k in page_keys})
    for page_keys in keys:
        for line, key in page_keys:
            if counts[key] >= max(2, len(pages) // 2):
                line.furniture = True


def drop_superscripts(words: list[Word]) -> list[Word]:
    """Remove footnote marks: small raised numbers next to body-size words."""
    lines = build_lines(words)
    out: list[Word] = []
    for line in lines:
        big = [w for w in line.words if w.size >= line.size * 0.9]
        if not big:
            out.extend(line.words)
            continue
        base = statistics.median(w.bottom for w in big)
        for w in line.words:
            mark = w.size < 0.8 * line.size and w.bottom < base - 0.15 * line.size
            if mark and _MARK.fullmatch(w.text):
                continue
            out.append(w)
    return out


# --- two-column bands --------------------------------------------------------
