"""Readers: one per file format, each returning a :class:`SourceDoc`.

:func:`read_any` picks the reader from the file suffix, checked against the
first bytes of the file.  Readers are imported lazily so that a format whose
optional dependencies are missing does not break the others.
"""

from __future__ import annotations

from pathlib import Path

from .base import Block, Cell, ReaderError, SourceDoc

__all__ = ["SUPPORTED_SUFFIXES", "Block", "Cell", "ReaderError", "SourceDoc", "read_any"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".doc", ".pdf")

_ZIP_MAGIC = b"PK\x03\x04"


def _head(path: Path, size: int = 8) -> bytes:
    """The first bytes of ``path``, or ``b""`` (the reader then reports the problem)."""
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def fix_legacy_encoding(src: SourceDoc) -> SourceDoc:
    """Convert a document typed in TCVN3 (ABC) or VNI fonts to Unicode.

    Old Word files keep the legacy byte-to-glyph mapping in their text
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam"); the whole document is detected
    at once and every block converted.  ``format`` records the path taken
    (``docx-tcvn3``, ``txt-vni`` …).
    """
    from dataclasses import replace

    from .legacy import convert_legacy, detect_encoding

    sample = "\n".join(
        [b.text for b in src.blocks if b.kind == "para"]
        + [c.text for b in src.blocks if b.kind == "table" for r in b.rows for c in r]
    )
    enc = detect_encoding(sample[:200000])
    if enc not in ("tcvn3", "vni"):
        return src
    blocks = [
        replace(b, text=convert_legacy(b.text, enc)) if b.kind == "para"
        else replace(b, rows=tuple(tuple(replace(c, text=convert_legacy(c.text, enc)) for c in r) for r in b.rows))
        for b in src.blocks
    ]
    return SourceDoc(blocks=blocks, format=f"{src.format}-{enc}", pages=src.pages, warnings=src.warnings)


def read_any(path: Path, *, ocr: str = "auto", ocr_workers: int = 1) -> SourceDoc:
    """Read a document with the reader for its suffix.

    ``.txt``/``.md`` go to the text reader, ``.docx`` to the Word reader,
    ``.doc`` to LibreOffice conversion (or straight to the Word reader when the
    file is in fact a ``.docx`` package, which happens with renamed files),
    ``.pdf`` to the PDF reader.

    Args:
        path: The file to read.
        ocr: PDF pages without a usable text layer are OCR'd (``auto``), all pages are
            (``always``), or none are (``never``).
        ocr_workers: pages OCR'd in parallel (the batch runner sets it).

    Returns:
        The document as blocks in reading order.

    Raises:
        ReaderError: ``UNSUPPORTED_FORMAT`` for other suffixes, or whatever
            the chosen reader raises.
    """
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from .txt import read_text

        return fix_legacy_encoding(read_text(path))
    if suffix == ".docx":
        from .docx import read_docx

        return fix_legacy_encoding(read_docx(path))  # it tells non-ZIP files apart with a clear message
    if suffix == ".doc":
        if _head(path).startswith(_ZIP_MAGIC):
            from .docx import read_docx

            return fix_legacy_encoding(read_docx(path))
        from .doc import read_doc

        return fix_legacy_encoding(read_doc(path))
    if suffix == ".pdf":
        from .pdf import read_pdf

        doc: SourceDoc = read_pdf(path, ocr=ocr, ocr_workers=ocr_workers)
        return doc
    shown = suffix or "(none)"
    raise ReaderError(
        "UNSUPPORTED_FORMAT",
        f"{path.name}: unsupported file type '{shown}' (supported: .txt .md .docx .doc .pdf)",
    )
