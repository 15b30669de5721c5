"""Reader for plain text and the web-crawl markdown of the corpus.

Handles UTF-8 (with or without BOM) and UTF-16 (BOM), blank-line separated
paragraphs (hard wraps are kept as ``\\n``; the normaliser joins them), the
crawl's flattened tables (every cell preceded by a line holding only ``|``,
two ``|`` lines in a row starting a new row) and tab-separated tables.
"""

from __future__ import annotations

from pathlib import Path

import regex

from .base import Block, Cell, ReaderError, SourceDoc


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a text file: BOM-marked UTF-8/UTF-16 first, then UTF-8, then cp1258.

    Raises:
        ReaderError: ``TEXT_BINARY`` when the bytes are not text at all.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM shows NULs in every other byte.
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        if odd > len(data[:4096]) // 4:
            return data.decode("utf-16-le", errors="replace")
        if even > len(data[:4096]) // 4:
            return data.decode("utf-16-be", errors="replace")
        raise ReaderError("TEXT_BINARY", f"{name}: file contains binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


# A crawl sometimes drops the blank line after the signature table, so the next
# appendix title would land in a table cell: an appendix title always ends the table.
_APPENDIX = regex.compile(r"^\s*\**\s*(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s*)?(?:[IVXLC]+|\d+))?\s*\**\s*$")


def _is_pipe(line: str) -> bool:
    return line.strip() == "|"


def _parse_pipe_table(lines: list[str], i: int) -> tuple[Block, int]:
    """Parse a crawl table starting at ``lines[i] == '|'``; return it and the next index."""
    rows: list[tuple[Cell, ...]] = []
    row: list[Cell] = []
    cell_lines: list[str] | None = None
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_pipe(line):
            if cell_lines is not None:
                row.append(Cell("\n".join(cell_lines).strip("\n")))
            # A closing pipe followed by a blank line (then no pipe) ends the table.
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j >= n or (j > i + 1 and not _is_pipe(lines[j])) or _APPENDIX.match(lines[j]):
                if row:
                    rows.append(tuple(row))
                return Block(kind="table", rows=tuple(rows)), j
            if j == i + 1 and _is_pipe(lines[j]) and cell_lines is not None:
                # "|" "|" : end of this row, start of the next.
                rows.append(tuple(row))
                row = []
                cell_lines = []
                i = j + 1
                continue
            cell_lines = []
            i = j
            continue
        if cell_lines is None:
            cell_lines = []
        cell_lines.append(line)
        i += 1
    if cell_lines:
        row.append(Cell("\n".join(cell_lines).strip("\n")))
    if row:
        rows.append(tuple(row))
    return Block(kind="table", rows=tuple(rows)), i


_GFM_ROW = regex.compile(r"^\s*\|(.*\|)\s*$")
_GFM_SEPARATOR = regex.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")


def _gfm_table(lines: list[str]) -> Block:
    """A GitHub-style markdown table (``| a | b |`` rows, ``|---|---|`` separator)."""
    rows = []
    for line in lines:
        if _GFM_SEPARATOR.match(line):
            continue
        inner = line.strip()[1:-1]
        cells = [c.strip().replace("<br>", "\n").replace("<br/>", "\n") for c in regex.split(r"(?<!\\)\|", inner)]
        rows.append(tuple(Cell(c) for c in cells))
    width = max((len(r) for r in rows), default=0)
    padded = tuple(r + tuple(Cell("") for _ in range(width - len(r))) for r in rows)
    return Block(kind="table", rows=padded)


def _tab_table(lines: list[str]) -> Block:
    rows = []
    for line in lines:
        cells = line.rstrip("\r\n").split("\t")
        while len(cells) > 1 and not cells[-1].strip():
            cells.pop()
        rows.append(tuple(Cell(c.strip()) for c in cells))
    width = max(len(r) for r in rows)
    padded = tuple(r + tuple(Cell("") for _ in range(width - len(r))) for r in rows)
    return Block(kind="table", rows=padded)


def parse_text(text: str) -> list[Block]:
    """Split decoded text into paragraph and table blocks in reading order."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if any(p.strip() for p in para):
            blocks.append(Block(kind="para", text="\n".join(para).strip("\n")))
        para.clear()

    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if _is_pipe(line):
            flush()
            block, i = _parse_pipe_table(lines, i)
            if block.rows:
                blocks.append(block)
            continue
        if _GFM_ROW.match(line) and not _is_pipe(line) and i + 1 < n and (
            _GFM_SEPARATOR.match(lines[i + 1]) or _GFM_ROW.match(lines[i + 1])
        ):
            flush()
            j = i
            while j < n and _GFM_ROW.match(lines[j]) and not _is_pipe(lines[j]):
                j += 1
            blocks.append(_gfm_table(lines[i:j]))
            i = j
            continue
        if "\t" in line and line.strip():
            flush()
            j = i
            while j < n and "\t" in lines[j] and lines[j].strip():
                j += 1
            blocks.append(_tab_table(lines[i:j]))
            i = j
            continue
        if not line.strip():
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return blocks


def read_text(path: Path) -> SourceDoc:
    """Read a ``.txt`` or ``.md`` file into a :class:`SourceDoc`.

    Raises:
        ReaderError: when the file cannot be opened or is not text.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError("FILE_UNREADABLE", f"{path.name}: cannot read file ({exc.strerror})") from exc
    text = decode_bytes(data, path.name)
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(10, len(text[:20000]) // 20):
        raise ReaderError("TEXT_BINARY", f"{path.name}: file contains binary data, not text")
    if not text.strip():
        raise ReaderError("EMPTY_DOCUMENT", f"{path.name}: file is empty")
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return SourceDoc(blocks=parse_text(text), format=fmt, pages=None)
