"""Ruling lines of a scanned page: table grids, framed boxes and rules, found on the image.

Long runs of dark pixels in rows and columns are rules; rules that cross
form grids (cells, with merged cells), a lone frame is a box (a received
stamp, a boxed note).  The rules are wiped from the image handed to OCR.
Cells are cut out for reading one by one (:func:`cell_images`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .pdf_layout import BBox


@dataclass(frozen=True)
class Rule:
    """A ruling line in PDF points: horizontal (``y``, ``a``..``b`` in x) or vertical."""

    pos: float
    a: float
    b: float


@dataclass(frozen=True)
class Grid:
    """A ruled table: cell boxes (``None`` for merged continuations) and column spans."""

    cells: tuple[tuple[BBox | None, ...], ...]
    columns: tuple[tuple[float, float], ...]
    bbox: BBox


@dataclass(frozen=True)
class Rulings:
    """What the ruling lines of a page image show, in PDF points."""

    grids: tuple[Grid, ...] = ()
    boxes: tuple[BBox, ...] = ()  # single frames (stamps, boxed notes)
    h_rules: tuple[Rule, ...] = ()


def _runs(row: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Half-open index runs of True values."""
    padded = np.concatenate(([0], row.astype(np.int8), [0]))
    diff = np.diff(padded)
    starts = np.flatnonzero(diff == 1)
    ends = np.flatnonzero(diff == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _long_windows(dark: NDArray[np.bool_], length: int) -> NDArray[np.bool_]:
    """``out[y, x]``: the ``length`` pixels from ``(y, x)`` rightwards are all dark."""
    h, w = dark.shape
    if w < length:
        return np.zeros((h, 0), dtype=bool)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=c[:, 1:])
    out: NDArray[np.bool_] = (c[:, length:] - c[:, :-length]) == length
    return out


def _rules(dark: NDArray[np.bool_], length: int, scale: float) -> list[Rule]:
    """Ruling lines along the rows of ``dark`` (transpose for vertical ones).

    The pixels of the rules found are cleared in ``dark`` (so that the caller
    can wipe them off the image before OCR).
    """
    full = _long_windows(dark, length)
    ys = np.flatnonzero(full.any(axis=1))
    if len(ys) > 4000:
        return []  # a photo or a black area, not rulings
    lines: list[list[int]] = []  # [y_first, y_last, a, b]
    for y in ys.tolist():
        for a, b in _runs(full[y]):
            b += length - 1  # windows starting in [a, b) cover pixels up to b + length - 1
            for ln in reversed(lines[-30:]):
                if y - ln[1] <= 3 and a <= ln[3] + 10 and b >= ln[2] - 10:
                    ln[1] = y
                    ln[2] = min(ln[2], a)
                    ln[3] = max(ln[3], b)
                    break
            else:
                lines.append([y, y, a, b])
    kept = [ln for ln in lines if ln[1] - ln[0] < 12]
    for y0, y1, a, b in kept:
        dark[max(0, y0 - 1) : y1 + 2, a : b + 1] = False
    return [Rule((ln[0] + ln[1]) / 2 * scale, ln[2] * scale, ln[3] * scale) for ln in kept]


def _cluster(values: Sequence[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def find_rulings(image: NDArray[np.uint8], dpi: int) -> tuple[Rulings, NDArray[np.uint8]]:
    """Ruled tables, frames and horizontal rules on a grayscale page image.

    Horizontal rules are runs of dark pixels at least 8 % of the page width,
    vertical rules at least 1.4 em long.  Rules that cross form a table; a
    table needs two horizontal rules and three vertical ones (two columns),
    two vertical ones make a frame.  A grid cell whose left (top) border is
    missing continues the cell to its left (above).

    Returns:
        The rulings and the image with the rules wiped out (Tesseract reads
        a ruled table much better without its lines).
    """
    scale = 72.0 / dpi
    dark = image < 160
    h_dark = dark.copy()
    v_dark = dark.copy()
    h_rules = _rules(h_dark, max(40, int(image.shape[1] * 0.08)), scale)
    v_rules = _rules(v_dark.T, max(25, int(14 * 1.4 / scale)), scale)
    cleaned = image.copy()
    cleaned[dark & ~(h_dark & v_dark)] = 255
    if len(h_rules) < 2 or len(v_rules) < 2:
        return Rulings(h_rules=tuple(h_rules)), cleaned
    tol = 3.0
    # Group rules into tables: connected through crossings.
    parent = list(range(len(h_rules) + len(v_rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hr in enumerate(h_rules):
        for j, vr in enumerate(v_rules):
            if hr.a - tol <= vr.pos <= hr.b + tol and vr.a - tol <= hr.pos <= vr.b + tol:
                parent[find(i)] = find(len(h_rules) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, hr in enumerate(h_rules):
        groups.setdefault(find(i), ([], []))[0].append(hr)
    for j, vr in enumerate(v_rules):
        groups.setdefault(find(len(h_rules) + j), ([], []))[1].append(vr)
    grids: list[Grid] = []
    boxes: list[BBox] = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _grid(hs, vs, tol)
        if grid is None:
            continue
        if len(grid.columns) >= 2:
            grids.append(grid)
        else:
            boxes.append(grid.bbox)
    return Rulings(tuple(grids), tuple(boxes), tuple(h_rules)), cleaned


def _grid(hs: Sequence[Rule], vs: Sequence[Rule], tol: float) -> Grid | None:
    ys = _cluster([r.pos for r in hs], 4.0)
    xs = _cluster([r.pos for r in vs], 4.0)
    if len(ys) < 2 or len(xs) < 2:
        return None

    def h_border(y: float, xa: float, xb: float) -> bool:
        mid = (xa + xb) / 2
        return any(abs(r.pos - y) <= 4 and r.a - tol <= mid <= r.b + tol for r in hs)

    def v_border(x: float, ya: float, yb: float) -> bool:
        mid = (ya + yb) / 2
        return any(abs(r.pos - x) <= 4 and r.a - tol <= mid <= r.b + tol for r in vs)

    nr, nc = len(ys) - 1, len(xs) - 1
    owner = [[(r, c) for c in range(nc)] for r in range(nr)]
    for r in range(nr):
        for c in range(nc):
            if c > 0 and not v_border(xs[c], ys[r], ys[r + 1]):
                owner[r][c] = owner[r][c - 1]
            elif r > 0 and not h_border(ys[r], xs[c], xs[c + 1]):
                owner[r][c] = owner[r - 1][c]
    extent: dict[tuple[int, int], list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            e = extent.setdefault(owner[r][c], [r, c, r, c])
            e[2], e[3] = max(e[2], r), max(e[3], c)
    cells: list[tuple[BBox | None, ...]] = []
    for r in range(nr):
        row: list[BBox | None] = []
        for c in range(nc):
            if owner[r][c] != (r, c):
                row.append(None)
                continue
            r0, c0, r1, c1 = extent[(r, c)]
            row.append((xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        cells.append(tuple(row))
    columns = tuple((xs[c], xs[c + 1]) for c in range(nc))
    return Grid(tuple(cells), columns, (xs[0], ys[0], xs[-1], ys[-1]))


_CELL_PAD = 20  # white pixels around a cell image: Tesseract reads text touching the edge badly
_CELL_INSET = 2  # pixels of the cell box left out (remains of the wiped rules)


def cell_images(
    image: NDArray[np.uint8], grids: Sequence[Grid], dpi: int
) -> tuple[list[NDArray[np.uint8]], list[tuple[int, int]]]:
    """The non-blank cells of ``grids`` cut from ``image`` (rules wiped), padded white,
    with the pixel position of each padded image on the page."""
    scale = dpi / 72.0
    crops: list[NDArray[np.uint8]] = []
    origins: list[tuple[int, int]] = []
    h, w = image.shape
    for grid in grids:
        for row in grid.cells:
            for box in row:
                if box is None:
                    continue
                x0 = max(0, round(box[0] * scale) + _CELL_INSET)
                y0 = max(0, round(box[1] * scale) + _CELL_INSET)
                x1 = min(w, round(box[2] * scale) - _CELL_INSET)
                y1 = min(h, round(box[3] * scale) - _CELL_INSET)
                if x1 - x0 < 4 or y1 - y0 < 4:
                    continue
                crop = image[y0:y1, x0:x1]
                if int((crop < 160).sum()) < 12:
                    continue  # blank (or a speck)
                padded = np.full((y1 - y0 + 2 * _CELL_PAD, x1 - x0 + 2 * _CELL_PAD), 255, dtype=np.uint8)
                padded[_CELL_PAD:-_CELL_PAD, _CELL_PAD:-_CELL_PAD] = crop
                crops.append(padded)
                origins.append((x0 - _CELL_PAD, y0 - _CELL_PAD))
    return crops, origins
