"""The normalised document every extractor reads.

:func:`build_document` turns a reader's :class:`SourceDoc` into one plain
text (written next to each record as ``<name>.txt``) plus the structures that
index it: logical lines (after hard wraps are joined) and tables whose rows
and cells carry spans into the same text.  Paragraph lines are separated by
``\\n``; a table row is one line whose cells are separated by `` | `` (line
breaks inside a cell stay ``\\n``).  Page-break debris of tables is repaired
here, once for every format: continuation tables are joined, repeated header
rows dropped and rows split across the page break merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..readers.base import Block, Cell, SourceDoc
from .normalize import Builder, clean_line, normalize_lines, piece_text

CELL_SEP = " | "


@dataclass(frozen=True)
class Line:
    """A logical line: a paragraph line, or one line inside a table cell."""

    start: int
    end: int
    block: int
    page: int | None
    table: int | None = None
    row: int | None = None
    col: int | None = None


@dataclass(frozen=True)
class TCell:
    start: int
    end: int
    merged_up: bool = False
    merged_left: bool = False


@dataclass(frozen=True)
class TRow:
    start: int
    end: int
    cells: tuple[TCell, ...]
    page: int | None


@dataclass(frozen=True)
class Table:
    index: int
    block: int
    start: int
    end: int
    rows: tuple[TRow, ...]
    page: int | None


@dataclass
class Document:
    """Normalised text plus its lines, tables and offset map to the source."""

    text: str
    lines: list[Line]
    tables: list[Table]
    offsets: list[int]
    format: str
    pages: int | None
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def line_text(self, line: Line) -> str:
        return self.text[line.start:line.end]

    def cell_text(self, cell: TCell) -> str:
        return self.text[cell.start:cell.end]

    def body_lines(self) -> list[Line]:
        """Lines outside tables, in order."""
        return [ln for ln in self.lines if ln.table is None]

    def page_at(self, offset: int) -> int | None:
        """The page of the line containing ``offset`` (None for page-less formats)."""
        if self.pages is None:
            return None
        lo, hi = 0, len(self.lines) - 1
        best: int | None = None
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.lines[mid].start <= offset:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return self.lines[best].page if best is not None else None


def _cell_key(cell: Cell) -> str:
    return " ".join(piece_text(clean_line(x)) for x in cell.text.split("\n")).strip().casefold()


def _row_key(row: tuple[Cell, ...]) -> tuple[str, ...]:
    return tuple(_cell_key(c) for c in row)


def _is_blank_row(row: tuple[Cell, ...]) -> bool:
    return all(not _cell_key(c) for c in row)


def _merge_rows(a: tuple[Cell, ...], b: tuple[Cell, ...]) -> tuple[Cell, ...]:
    out = []
    for i in range(max(len(a), len(b))):
        ca = a[i] if i < len(a) else Cell("")
        cb = b[i] if i < len(b) else Cell("")
        if ca.text and cb.text:
            out.append(Cell(ca.text + "\n" + cb.text, ca.merged_up, ca.merged_left))
        else:
            out.append(Cell(ca.text or cb.text, ca.merged_up and not cb.text, ca.merged_left and not cb.text))
    return tuple(out)


def _is_layout_row(row: tuple[Cell, ...]) -> bool:
    """A row holding a whole document body (web crawls put the body in a layout table)."""
    # Data cells of the corpus stay under ~1,800 characters / 25 lines; a crawl's page frame holds
    # the whole body (2,900+ characters, 49+ lines).
    return any(len(c.text) > 2500 and c.text.count("\n") > 30 for c in row)


def unwrap_layout_tables(blocks: list[Block]) -> list[Block]:
    """Turn layout rows into paragraphs, keeping the data rows around them as tables."""
    out: list[Block] = []
    for block in blocks:
        if block.kind != "table" or not any(_is_layout_row(r) for r in block.rows):
            out.append(block)
            continue
        pending: list[tuple[Cell, ...]] = []
        for row in block.rows:
            if _is_layout_row(row):
                if pending:
                    out.append(Block(kind="table", rows=tuple(pending), page=block.page, bbox=block.bbox))
                    pending = []
                out.extend(Block(kind="para", text=c.text, page=block.page) for c in row if c.text.strip())
            else:
                pending.append(row)
        if pending:
            out.append(Block(kind="table", rows=tuple(pending), page=block.page, bbox=block.bbox))
    return out


def repair_tables(blocks: list[Block]) -> list[Block]:
    """Join tables continued across pages and drop repeated header rows.

    A table block that directly follows another table (only empty paragraphs
    between) and whose first row repeats the previous table's first row, or
    that has the same column count and no header of its own on a new page, is a
    continuation.  Its repeated header rows are dropped, and a first data row
    whose index cell is empty while the previous table's last row has one is a
    row split by the page break: the two are merged.
    """
    out: list[Block] = []
    for block in blocks:
        if block.kind != "table" or not block.rows:
            out.append(block)
            continue
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "table" and prev.rows:
            head = [_row_key(r) for r in prev.rows[:3]]
            rows = list(block.rows)
            repeated = 0
            while rows and _row_key(rows[0]) in head and not _is_blank_row(rows[0]):
                rows.pop(0)
                repeated += 1
            same_width = len(block.rows[0]) == len(prev.rows[0])
            new_page = block.page is not None and prev.page is not None and block.page > prev.page
            # Adjacent, same width and opening with a row number: the crawl split one table.
            numbered = bool(regex.match(r"^\s*(?:\d+(?:\.\d+)*|[IVXLC]+)\.?\s*$", _cell_key(block.rows[0][0]).upper()))
            if repeated or (same_width and (new_page or numbered)):
                prev_rows = list(prev.rows)
                if rows and prev_rows and not _cell_key(rows[0][0]) and _cell_key(prev_rows[-1][0]):
                    prev_rows[-1] = _merge_rows(prev_rows[-1], rows.pop(0))
                out[-1] = Block(kind="table", rows=tuple(prev_rows + rows), page=prev.page, bbox=prev.bbox)
                continue
        # Inside one table: header rows repeated at page breaks.
        first = _row_key(block.rows[0])
        kept = [block.rows[0]] + [r for r in block.rows[1:] if _row_key(r) != first or _is_blank_row(r)]
        out.append(Block(kind="table", rows=tuple(kept), page=block.page, bbox=block.bbox))
    return out


def build_document(src: SourceDoc) -> Document:
    """Normalise a reader's blocks into a :class:`Document`."""
    blocks = repair_tables(unwrap_layout_tables(src.blocks))
    builder = Builder.new()
    lines: list[Line] = []
    tables: list[Table] = []
    raw_base = 0
    for bi, block in enumerate(blocks):
        if block.kind == "para":
            if builder.length and not builder.text_endswith_newline():
                builder.add_synthetic("\n", raw_base)
            for s, e in normalize_lines(block.text, builder, raw_base):
                lines.append(Line(s, e, bi, block.page))
            raw_base += len(block.text) + 1
            continue
        t_index = len(tables)
        t_start: int | None = None
        rows: list[TRow] = []
        for row in block.rows:
            if _is_blank_row(row):
                continue
            if builder.length and not builder.text_endswith_newline():
                builder.add_synthetic("\n", raw_base)
            r_start = builder.length
            if t_start is None:
                t_start = r_start
            cells: list[TCell] = []
            for ci, cell in enumerate(row):
                if ci:
                    builder.add_synthetic(CELL_SEP, raw_base)
                c_start = builder.length
                for s, e in normalize_lines(cell.text, builder, raw_base):
                    lines.append(Line(s, e, bi, block.page, t_index, len(rows), ci))
                raw_base += len(cell.text) + 1
                cells.append(TCell(c_start, builder.length, cell.merged_up, cell.merged_left))
            rows.append(TRow(r_start, builder.length, tuple(cells), block.page))
        if rows and t_start is not None:
            tables.append(Table(t_index, bi, t_start, builder.length, tuple(rows), block.page))
    text = builder.text()
    if text and not text.endswith("\n"):
        builder.add_synthetic("\n", raw_base)
        text += "\n"
    return Document(
        text=text,
        lines=lines,
        tables=tables,
        offsets=builder.offsets,
        format=src.format,
        pages=src.pages,
        warnings=list(src.warnings),
    )
