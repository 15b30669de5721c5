"""The source model every reader returns.

Readers know file formats and nothing about Vietnamese documents: they turn a
file into :class:`SourceDoc`, a list of blocks in reading order.  A block is a
paragraph (raw text, possibly hard-wrapped, possibly with markdown markers) or
a table (rows of cells).  Normalisation and everything after it work on this
model only, so the table extractors are written once for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


class ReaderError(Exception):
    """A file could not be read.  ``code`` is stable, ``message`` is for a clerk."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Cell:
    """One table cell.

    ``merged_up`` marks a cell that continues a vertically merged cell of the
    row above (its ``text`` is empty); ``merged_left`` one that continues a
    horizontally merged cell to its left.  Line breaks inside a cell are kept
    as ``\\n`` in ``text``.
    """

    text: str
    merged_up: bool = False
    merged_left: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph (``kind == "para"``) or a table (``kind == "table"``).

    ``text`` of a paragraph may contain ``\\n`` (hard wraps or soft line
    breaks); the normaliser decides which are joined.  ``page`` is 1-based, or
    ``None`` for formats without pages.  ``bbox`` is ``(x0, top, x1, bottom)``
    in PDF points when the reader knows where the block sits on its page.
    """

    kind: Literal["para", "table"]
    text: str = ""
    rows: tuple[tuple[Cell, ...], ...] = ()
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class SourceDoc:
    """What a reader returns: blocks in reading order plus format facts.

    ``format`` is the path taken (``txt``, ``md``, ``docx``, ``doc``, ``pdf``,
    ``pdf-ocr``, ``pdf-tcvn3`` …).  ``warnings`` are ``(code, message)`` pairs
    the reader wants on the record (e.g. low OCR confidence).
    """

    blocks: list[Block]
    format: str
    pages: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
