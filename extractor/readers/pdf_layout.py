"""Page layout for the PDF reader: positioned words → blocks in reading order.

Both PDF paths feed this module: words of the text layer (pypdfium2 or pdfplumber) and
words of an OCR run (Tesseract TSV), in PDF points with the origin at the
top-left of the page.  It groups words into lines, finds two-column bands
(a letterhead with the issuing body on the left and the national motto on the
right, or recipients on the left and the signature on the right) and emits
them as two-column table blocks, splits the remaining lines into paragraphs
from vertical gaps, indentation and short last lines, and drops page
furniture (page numbers, repeated running headers and footers, digital
signature stamps).  It knows geometry, not documents: the only words it knows
are the field labels of signature stamps.
"""

from __future__ import annotations

import bisect
import functools
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regex

from .base import Block, Cell

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


@dataclass
class Band:
    """Lines ``start..end`` (inclusive) set in two columns split at ``gutter``."""

    start: int
    end: int
    gutter: tuple[float, float]


def _free(line: Line, lo: float, hi: float) -> list[tuple[float, float]]:
    spans = []
    x = lo
    for w in line.words:
        if w.x0 > x:
            spans.append((x, w.x0))
        x = max(x, w.x1)
    if hi > x:
        spans.append((x, hi))
    return spans


def _fit(line: Line, gutter: tuple[float, float], min_width: float) -> tuple[float, float] | None:
    """The gutter narrowed to ``line``'s free space, or None when the line crosses it."""
    best: tuple[float, float] | None = None
    for a, b in _free(line, -1e6, 1e6):
        lo, hi = max(a, gutter[0]), min(b, gutter[1])
        if hi - lo >= min_width and (best is None or hi - lo > best[1] - best[0]):
            best = (lo, hi)
    return best


def _two_sided(line: Line, gutter: tuple[float, float]) -> bool:
    mid = (gutter[0] + gutter[1]) / 2
    return any(w.x1 <= mid for w in line.words) and any(w.x0 >= mid for w in line.words)


def _wide_gap(line: Line, geo: PageGeometry) -> tuple[float, float] | None:
    best: tuple[float, float] | None = None
    for a, b in zip(line.words, line.words[1:], strict=False):
        gap = (a.x1, b.x0)
        if gap[1] - gap[0] < 1.2 * min(line.size, geo.em):
            continue
        mid = (gap[0] + gap[1]) / 2
        if not geo.body_x0 + 0.2 * geo.body_width < mid < geo.body_x0 + 0.8 * geo.body_width:
            continue
        if best is None or gap[1] - gap[0] > best[1] - best[0]:
            best = gap
    return best


def _centred_alone(line: Line, geo: PageGeometry) -> bool:
    centred = abs(line.center - geo.body_center) < 0.08 * geo.body_width
    return centred and line.x1 - line.x0 < 0.8 * geo.body_width


def _justified(lines: Sequence[Line], gutter: tuple[float, float], geo: PageGeometry) -> bool:
    """Lines of a justified paragraph, not two columns: every line spans the body and the
    gutter is no wider than a stretched space (a glyph OCR could not read left a hole)."""
    if gutter[1] - gutter[0] >= geo.em:
        return False
    return all(ln.x1 - ln.x0 >= 0.9 * geo.body_width for ln in lines)


def find_bands(lines: Sequence[Line], geo: PageGeometry) -> list[Band]:
    """Find runs of lines laid out in two columns.

    A band starts at a line with a wide gap near the middle of the body and
    grows downwards over lines that leave the gap (narrowed as it goes) free:
    two-sided lines, and one-sided lines that are not centred on the body (a
    centred title below a letterhead ends it).  A vertical gap over 2.5 em
    ends it too.  Right-hand lines just above the start join it (a signature
    title set one line higher than "Nơi nhận", the recipients label).  A
    band needs two two-sided lines, or one with a very wide gap and three
    lines in all, and is not a justified paragraph with a hole in it.
    """
    bands: list[Band] = []
    i = 0
    n = len(lines)
    min_width = 0.4 * geo.em
    floor = 0
    while i < n:
        gap = _wide_gap(lines[i], geo)
        if gap is None:
            i += 1
            continue
        gutter = gap
        two = 1
        j = i + 1
        while j < n:
            line = lines[j]
            if line.top - lines[j - 1].bottom > 2.5 * geo.em:
                break
            fitted = _fit(line, gutter, min_width)
            if fitted is None:
                break
            if _two_sided(line, fitted):
                two += 1
            elif _centred_alone(line, geo):
                break
            gutter = fitted
            j += 1
        start = i
        mid = (gutter[0] + gutter[1]) / 2
        while start - 1 >= max(floor, i - 3):
            line = lines[start - 1]
            if lines[start].top - line.bottom > 1.5 * geo.em or line.x0 < mid or _centred_alone(line, geo):
                break
            if _fit(line, gutter, min_width) is None:
                break
            start -= 1
        very_wide = gap[1] - gap[0] >= 3 * geo.em
        if (two >= 2 or (very_wide and j - start >= 3)) and not _justified(lines[start:j], gutter, geo):
            bands.append(Band(start, j - 1, gutter))
            i = floor = j
        else:
            i += 1
    return bands


def usual_pitch(groups: Sequence[Sequence[Line]]) -> float:
    """The baseline-to-baseline distance of lines inside paragraphs.

    A low quantile of the pitches between consecutive lines of each group:
    spacing between paragraphs only adds to the pitch.  Baselines (median
    word bottoms) are used rather than gaps between boxes, because OCR boxes
    grow and shrink with ascenders, descenders and diacritics.
    """
    pitches = sorted(b.bottom - a.bottom for group in groups for a, b in zip(group, group[1:], strict=False))
    if not pitches:
        return 0.0
    return pitches[len(pitches) // 4] if len(pitches) >= 4 else statistics.median(pitches)


def _new_paragraph_gap(pitch: float, usual: float, em: float) -> bool:
    return pitch > usual + max(0.3 * em, 2.5)


def band_block(lines: Sequence[Line], gutter: tuple[float, float], page: int, fix: Callable[[str], str]) -> Block:
    """A two-column table block; rows split where both columns have a wider gap."""
    mid = (gutter[0] + gutter[1]) / 2
    cols: list[list[Line]] = [[], []]
    for line in lines:
        left = [w for w in line.words if (w.x0 + w.x1) / 2 < mid]
        right = [w for w in line.words if (w.x0 + w.x1) / 2 >= mid]
        if left:
            cols[0].append(Line(left))
        if right:
            cols[1].append(Line(right))
    em = statistics.median(ln.size for ln in lines)
    usual = usual_pitch(cols)
    column_of = {id(ln): c for c, col in enumerate(cols) for ln in col}
    rows: list[list[Line]] = []
    baseline = 0.0
    for line in sorted((ln for col in cols for ln in col), key=lambda ln: ln.bottom):
        if rows and not _new_paragraph_gap(line.bottom - baseline, usual, em):
            rows[-1].append(line)
        else:
            rows.append([line])
        baseline = line.bottom
    out_rows = []
    for row in rows:
        cells = []
        for c in range(2):
            inside = [ln for ln in row if column_of[id(ln)] == c]
            cells.append(Cell(fix("\n".join(ln.text for ln in inside))))
        out_rows.append(tuple(cells))
    return Block(kind="table", rows=tuple(out_rows), page=page, bbox=_bbox_of(lines))


# --- paragraphs --------------------------------------------------------------


def _bbox_of(lines: Sequence[Line]) -> BBox:
    return (
        min(ln.x0 for ln in lines),
        min(min(w.top for w in ln.words) for ln in lines),
        max(ln.x1 for ln in lines),
        max(max(w.bottom for w in ln.words) for ln in lines),
    )


def paragraphs(lines: Sequence[Line], geo: PageGeometry, usual: float | None = None) -> list[list[Line]]:
    """Split consecutive lines into visual paragraphs.

    A new paragraph starts after a vertical gap larger than the usual line
    gap, at a change of font size, at a first-line indent, and after a line
    that stops short of the right margin; centred lines stack into one block.
    ``usual`` is the page's line pitch inside paragraphs (measured on
    ``lines`` when not given).
    """
    if not lines:
        return []
    if usual is None:
        usual = usual_pitch([lines])
    paras: list[list[Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        em = max(prev.size, line.size, 1.0)
        centred_prev = _centred(prev, geo)
        centred_now = _centred(line, geo)
        new = (
            _new_paragraph_gap(line.bottom - prev.bottom, usual, em)
            or abs(line.size - prev.size) > 1.5
            or (centred_prev != centred_now)
            or (not centred_now and line.x0 > geo.body_x0 + 0.8 * em and line.x0 > prev.x0 + 0.8 * em)
            or (not centred_prev and _stops_short(prev, line, geo, em))
        )
        if new:
            paras.append([line])
        else:
            paras[-1].append(line)
    return paras


def _stops_short(prev: Line, line: Line, geo: PageGeometry, em: float) -> bool:
    """``prev`` ends a paragraph: it stops short of the margin although ``line``'s first word would fit.

    Ragged-right text (left-aligned, or legacy-font text whose surface form is
    longer than what it shows) leaves lines short by the width of the word that
    did not fit; only a line short by more than that ends a paragraph.
    """
    room = geo.body_x1 - prev.x1
    first = line.words[0].x1 - line.words[0].x0 if line.words else 0.0
    return room > max(3 * em, first + em)


def _centred(line: Line, geo: PageGeometry) -> bool:
    left = line.x0 - geo.body_x0
    right = geo.body_x1 - line.x1
    return min(left, right) > 0.5 * line.size and abs(left - right) < max(0.8 * line.size, 0.025 * geo.body_width)


def layout_page(
    lines: Sequence[Line],
    geo: PageGeometry,
    page: int,
    tables: Sequence[Block] = (),
    fix: Callable[[str], str] = lambda s: s,
) -> list[Block]:
    """Blocks of one page in reading order: bands, paragraphs and ``tables``.

    Args:
        lines: The page's lines outside ``tables``, furniture already marked.
        geo: The page's measures.
        page: 1-based page number put on the blocks.
        tables: Table blocks found elsewhere (ruled tables), placed by ``bbox``.
        fix: Applied to every block and cell text (legacy-encoding conversion).
    """
    kept = [ln for ln in lines if not ln.furniture]
    items: list[tuple[float, Block]] = [(t.bbox[1] if t.bbox else 0.0, t) for t in tables]
    bands = find_bands(kept, geo)
    pos = 0
    runs: list[list[Line]] = []
    for band in bands:
        runs.append(kept[pos : band.start])
        block = band_block(kept[band.start : band.end + 1], band.gutter, page, fix)
        items.append((kept[band.start].top, block))
        pos = band.end + 1
    runs.append(kept[pos:])
    usual = usual_pitch(runs)
    for run in runs:
        for para in paragraphs(run, geo, usual):
            text = fix(join_lines([ln.text for ln in para], _wrapped_markers(para, geo)))
            if text.strip():
                items.append((para[0].top, Block(kind="para", text=text, page=page, bbox=_bbox_of(para))))
    items.sort(key=lambda it: it[0])
    return [b for _, b in items]


_CODE_BREAK = regex.compile(r"[\p{L}\d]-$")
_CODE_GOES_ON = regex.compile(r"^[\p{Lu}\d]")


def _wrapped_markers(para: Sequence[Line], geo: PageGeometry) -> set[int]:
    """Lines of ``para`` that are surely wrapped text: the line before runs to the right margin
    and this one starts flush with the paragraph's other lines.  Their break is written as a
    space, so that a wrap that puts a list-marker or heading look-alike first (``… giai đoạn
    2021`` / ``- 2025);``, ``… tuyên truyền về`` / ``Chương trình …``) opens no list item or
    section downstream.  A list item starts a line of its own: indented, or after a short line."""
    if len(para) < 2:
        return set()
    left = min(ln.x0 for ln in para[1:])
    return {
        k
        for k in range(1, len(para))
        if para[k - 1].x1 >= geo.body_x1 - 1.5 * geo.em and para[k].x0 <= left + 0.5 * geo.em
    }


def join_lines(texts: Sequence[str], wrapped: set[int] | frozenset[int] = frozenset()) -> str:
    """A paragraph's lines joined with ``\\n``, except after a hyphen that a code was broken at
    and before the lines of ``wrapped`` (list-marker look-alikes that a wrap put first).

    A line breaker may break a document code after its hyphen (``432/TTg-`` /
    ``CĐS``, ``2021-`` / ``2025``); Vietnamese words are never hyphenated, so a
    hyphen stuck to the end of a line before a capital or a digit joins it
    back with no space.
    """
    out = ""
    for k, text in enumerate(texts):
        if k and _CODE_BREAK.search(out) and _CODE_GOES_ON.match(text):
            out += text
        elif k in wrapped:
            out += " " + text
        else:
            out += ("\n" if k else "") + text
    return out


def words_in(words: Sequence[Word], box: BBox, margin: float = 1.0) -> list[Word]:
    """Words whose centre lies inside ``box``."""
    x0, top, x1, bottom = box
    return [
        w
        for w in words
        if x0 - margin <= (w.x0 + w.x1) / 2 <= x1 + margin and top - margin <= (w.top + w.bottom) / 2 <= bottom + margin
    ]


def cell_text(words: Sequence[Word]) -> str:
    """Text of a table cell: its lines joined with ``\\n``."""
    if not words:
        return ""
    return "\n".join(ln.text for ln in build_lines(words))


def grid_table(
    grid: Sequence[Sequence[BBox | None]],
    columns: Sequence[tuple[float, float]],
    words: Sequence[Word],
    page: int,
    bbox: BBox,
    fix: Callable[[str], str],
) -> Block:
    """A table block from cell boxes (``None`` where a merged cell continues).

    A missing cell continues the cell to its left when that cell reaches into
    its column, else the cell above.
    """
    rows: list[tuple[Cell, ...]] = []
    for r, row in enumerate(grid):
        cells: list[Cell] = []
        for c, box in enumerate(row):
            if box is not None:
                cells.append(Cell(fix(cell_text(words_in(words, box)))))
                continue
            left = next((row[k] for k in range(c - 1, -1, -1) if row[k] is not None), None)
            reaches = left is not None and c < len(columns) and left[2] > columns[c][0] + 1
            cells.append(Cell("", merged_up=not reaches and r > 0, merged_left=reaches))
        rows.append(tuple(cells))
    return Block(kind="table", rows=tuple(rows), page=page, bbox=bbox)
