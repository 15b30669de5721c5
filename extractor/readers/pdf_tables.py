"""Path shapes → pdfplumber's edges → ruled-table grids, for the pdfium engine (:mod:`.pdf_pdfium`).

The engine reads each visible path as pdfminer's ``paint_path`` does (one
shape per subpath: ``m``, ``l``, ``c``, ``h`` and the end points, in
pdfplumber's page space); here the shapes become pdfplumber's objects and
edges, and pdfplumber's own table functions make the grids, so that both
engines find the same tables:

* ``ml``/``mlh`` is a line — one edge, horizontal when flat, else vertical;
* ``mlllh``/``mllll`` with square corners is a rectangle — four edges (a
  thin filled bar gives two close horizontal edges that snapping merges);
* anything else is a curve — an edge per horizontal or vertical segment.

:func:`table_grids` is ``page.find_tables()`` with its default settings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from .pdf_layout import BBox

__all__ = ["Point", "TableGrid", "finish_subpath", "page_edges", "rules", "table_grids"]

Point = tuple[float, float]
Edge = dict[str, Any]


@dataclass(frozen=True)
class TableGrid:
    """A ruled table: rows of cell boxes (``None`` where a merged cell goes on), column spans, box."""

    cells: list[list[BBox | None]]
    columns: list[tuple[float, float]]
    bbox: BBox


def finish_subpath(shape: list[str], pts: list[Point]) -> tuple[str, list[Point]] | None:
    """pdfminer's reading of one subpath: None unless it starts with ``m`` and goes on; a
    redundant ``l`` back to the start before ``h`` dropped."""
    text = "".join(shape)
    if text[:1] != "m" or len(text) < 2:
        return None
    if len(text) > 3 and text[-2:] == "lh" and pts[-2] == pts[0]:
        text = text[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    return text, pts


def page_edges(shapes: Iterable[tuple[str, list[Point]]]) -> list[Edge]:
    """pdfplumber's ``page.edges`` of the shapes: lines', then rectangles', then curves' edges."""
    lines: list[Edge] = []
    rects: list[Edge] = []
    curves: list[Edge] = []
    for shape, pts in shapes:
        if shape in ("ml", "mlh"):
            lines.append(_line_edge(pts[0], pts[1]))
        elif shape in ("mlllh", "mllll") and _is_rect(pts):
            rects.extend(_rect_edges(pts[0], pts[2]))
        else:
            curves.extend(_curve_edges(pts))
    return lines + rects + curves


def rules(edges: Iterable[Edge]) -> list[tuple[float, float, float]]:
    """The horizontal edges thinner than 3 pt, as (top, x0, x1)."""
    return [(e["top"], e["x0"], e["x1"]) for e in edges if e["orientation"] == "h" and e["bottom"] - e["top"] < 3]


def _is_rect(pts: Sequence[Point]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), closing = pts[:5]
    square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
    return pts[0] == closing and square


def _line_edge(p0: Point, p1: Point) -> Edge:
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    h = top == bottom
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": "h" if h else "v"}  # fmt: skip


def _rect_edges(p0: Point, p2: Point) -> list[Edge]:
    x0, x1 = sorted((p0[0], p2[0]))
    top, bottom = sorted((p0[1], p2[1]))
    width, height = x1 - x0, bottom - top
    return [
        {"x0": x0, "x1": x1, "top": top, "bottom": top, "width": width, "height": 0.0, "orientation": "h"},
        {"x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "width": width, "height": 0.0, "orientation": "h"},
        {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0, "height": height, "orientation": "v"},
        {"x0": x1, "x1": x1, "top": top, "bottom": bottom, "width": 0.0, "height": height, "orientation": "v"},
    ]


def _curve_edges(pts: Sequence[Point]) -> list[Edge]:
    out = []
    for p0, p1 in zip(pts, pts[1:], strict=False):
        orientation = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
        x0, x1 = sorted((p0[0], p1[0]))
        top, bottom = sorted((p0[1], p1[1]))
        out.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
                    "orientation": orientation})  # fmt: skip
    return out


def table_grids(edges: list[Edge]) -> list[TableGrid]:
    """``page.find_tables()`` with its default settings (lines; snap, join and intersection
    tolerance 3; edges at least 3 pt long) on ``edges``."""
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= 1]
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= 1]
    base = v + h
    if not base:
        return []
    merged = merge_edges(base, 3, 3, 3, 3)
    merged = [e for e in merged if e["width" if e["orientation"] == "h" else "height"] >= 3]
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    return [_grid(group) for group in cells_to_tables(cells)]


def _grid(cells: list[BBox]) -> TableGrid:
    """Rows and columns of a table's cells (``pdfplumber.table.Table.rows`` / ``.columns``)."""
    xs = sorted({c[0] for c in cells})
    rows: list[list[BBox | None]] = []
    for _, row in itertools.groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        by_x = {c[0]: c for c in row}
        rows.append([by_x.get(x) for x in xs])
    tops = sorted({c[1] for c in cells})
    columns: list[tuple[float, float]] = []
    for _, col in itertools.groupby(sorted(cells, key=lambda c: (c[0], c[1])), key=lambda c: c[0]):
        by_top = {c[1]: c for c in col}
        present = [c for c in (by_top.get(t) for t in tops) if c is not None]
        columns.append((min(c[0] for c in present), max(c[2] for c in present)))
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return TableGrid(rows, columns, bbox)
