"""Blocks of a laid-out page: two-column bands, paragraphs, grid tables, in reading order.

Works on the lines of :mod:`.pdf_layout` (positioned words grouped into
lines, page measures, furniture marked) for both PDF paths, the text layer
and OCR: it finds two-column bands (a letterhead, recipients beside the
signature) and writes them as two-column tables, splits the other lines
into paragraphs from vertical gaps, indentation and short last lines, joins
a paragraph's lines (wraps with a space), and fills grid tables from the
words inside their cells.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

from .base import Block, Cell
from .pdf_layout import BBox, Line, PageGeometry, Word, build_lines


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
            text = fix(join_lines([ln.text for ln in para], _wraps(para, geo)))
            if text.strip():
                items.append((para[0].top, Block(kind="para", text=text, page=page, bbox=_bbox_of(para))))
    items.sort(key=lambda it: it[0])
    return [b for _, b in items]


_CODE_BREAK = regex.compile(r"[\p{L}\d]-$")
_CODE_GOES_ON = regex.compile(r"^[\p{Lu}\d]")


def _wraps(para: Sequence[Line], geo: PageGeometry) -> set[int]:
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
