"""The pdfplumber engine of the PDF reader's text layer (``engine="plumber"``).

pdfplumber (pdfminer) interprets each page in Python: positioned characters,
grouped into words by ``extract_words(x_tolerance=3, y_tolerance=3)`` after
the reader's clean-up (glyphs drawn twice for fake bold removed, footnote
marks removed, :func:`.pdf_layout.drop_superscripts`); the visible lines,
rectangles and curves (stroked or filled in a colour that is not white — Word
draws a white box behind many lines) give ``find_tables()`` its edges and the
horizontal rules.  The pypdfium2 engine (:mod:`.pdf_pdfium`) gives the same
several times faster; this one reads the pages it fails on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pdfplumber
import regex

from .base import ReaderError
from .pdf_layout import BBox, Word, drop_superscripts
from .pdf_pdfium import PageContent
from .pdf_tables import TableGrid

__all__ = ["plumber_pages"]

_MARK_CHAR = regex.compile(r"[\d*]")


def plumber_pages(path: Path, indexes: Sequence[int]) -> dict[int, PageContent]:
    """Words, table grids and rules of the pages with pdfplumber."""
    out: dict[int, PageContent] = {}
    try:
        with pdfplumber.open(path) as doc:
            for i in indexes:
                page = doc.pages[i]
                words = _plumber_words(page)
                shown = page.filter(_visible)
                rules = [
                    (float(e["top"]), float(e["x0"]), float(e["x1"]))
                    for e in shown.horizontal_edges
                    if float(e["bottom"]) - float(e["top"]) < 3
                ]
                out[i] = PageContent(words, _plumber_grids(shown), rules, (float(page.width), float(page.height)))
                page.close()
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise ReaderError(
            "PDF_UNREADABLE", f"{path.name}: cannot read the text layer ({type(exc).__name__}: {exc})"
        ) from exc
    return out


def _plumber_words(page: Any) -> list[Word]:
    """Words of a pdfplumber page (duplicate fake-bold glyphs and footnote marks removed)."""
    chars = page.chars
    seen = {(c.get("text"), round(float(c["x0"])), round(float(c["top"]))) for c in chars}
    if len(chars) - len(seen) > 0.02 * len(chars):  # fake bold: glyphs drawn twice
        page = page.dedupe_chars(tolerance=1)
    marks = _superscript_chars(page.chars)
    if marks:
        page = page.filter(lambda obj: obj.get("object_type") != "char" or _char_key(obj) not in marks)
    raw = page.extract_words(x_tolerance=3, y_tolerance=3, keep_blank_chars=False, return_chars=True)
    words = []
    for w in raw:
        sizes = [float(c.get("size", 0.0)) for c in w.get("chars", [])] or [float(w["bottom"] - w["top"])]
        words.append(
            Word(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), str(w["text"]), max(sizes))
        )
    return drop_superscripts(words)


def _char_key(c: dict[str, Any]) -> tuple[str, float, float]:
    return (str(c.get("text", "")), round(float(c.get("x0", 0.0)), 2), round(float(c.get("top", 0.0)), 2))


def _superscript_chars(chars: Sequence[dict[str, Any]]) -> set[tuple[str, float, float]]:
    """Footnote marks: small raised digits set right against a body-size character."""
    marks: set[tuple[str, float, float]] = set()
    for k, c in enumerate(chars):
        if not _MARK_CHAR.fullmatch(str(c.get("text", ""))):
            continue
        size = float(c.get("size", 0.0))
        for n in (k - 1, k + 1):
            if not 0 <= n < len(chars):
                continue
            o = chars[n]
            o_size = float(o.get("size", 0.0))
            near = abs(float(o["x0"]) - float(c["x1"])) < o_size or abs(float(c["x0"]) - float(o["x1"])) < o_size
            raised = float(c["bottom"]) < float(o["bottom"]) - 0.15 * o_size
            if near and raised and size < 0.8 * o_size and str(o.get("text", "")).strip():
                marks.add(_char_key(c))
                break
    return marks


def _is_white(color: Any) -> bool:
    if color is None:
        return True
    values = [float(v) for v in color] if isinstance(color, list | tuple) else [float(color)]
    if len(values) == 4:  # CMYK
        return all(v <= 0.02 for v in values)
    return all(v >= 0.98 for v in values)


def _visible(obj: dict[str, Any]) -> bool:
    """Keep text and the graphics that show: Word draws a white box behind many lines."""
    if obj.get("object_type") not in ("rect", "line", "curve"):
        return True
    stroked = bool(obj.get("stroke")) and not _is_white(obj.get("stroking_color"))
    filled = bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))
    return stroked or filled


def _plumber_grids(page: Any) -> list[TableGrid]:
    """Ruled tables of a (filtered) pdfplumber page as cell grids."""
    grids = []
    for table in page.find_tables():
        cells = [[None if c is None else _bbox(c) for c in row.cells] for row in table.rows]
        columns = [(float(col.bbox[0]), float(col.bbox[2])) for col in table.columns]
        grids.append(TableGrid(cells, columns, _bbox(table.bbox)))
    return grids


def _bbox(values: Sequence[Any]) -> BBox:
    return (float(values[0]), float(values[1]), float(values[2]), float(values[3]))
