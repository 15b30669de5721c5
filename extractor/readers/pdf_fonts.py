"""The font metrics and page boxes pdfminer gives a PDF, for the pdfium engine (:mod:`.pdf_pdfium`).

A character's box in pdfminer (and so in pdfplumber) runs from the font's
*descent* below the baseline up one font size, and is as wide as the
glyph's advance.  pdfium measures the descent from the embedded font file,
pdfminer takes the ``/Descent`` of the font descriptor as written — the
same for Word's PDFs, but LibreOffice writes 0 there, and a font file may
say anything.  So that both engines put a word at the same height, the
descriptors are read here (pdfminer's parser resolves the font dictionaries
of the pages and their form XObjects; no content is interpreted) and their
descents applied as pdfminer applies them:

* a simple font (Type1, TrueType) named like one of the standard 14 (or
  pdfminer's aliases: ``Arial``, ``TimesNewRoman,Bold`` …) takes the
  descent and widths of pdfminer's AFM table;
* a Type3 font the bottom of its ``/FontBBox`` through its ``/FontMatrix``;
* any other font its descriptor's ``/Descent`` (made negative), 0 without.

Fonts are keyed by base name without a subset prefix (``ABCDEF+``) and
whether they are embedded, which is what pdfium tells of a font.  The page
boxes are read here too: pdfium has them in single precision, and a top
measured from 841.8897705 rather than 841.889763779528 tips ties in the
layout's comparisons the other way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

__all__ = ["DocumentFacts", "FontMetrics", "afm_metrics", "document_facts", "font_key"]

_SUBSET = regex.compile(r"^[A-Z]{6}\+")
_MAX_FORMS = 200  # form XObjects looked into per document


@dataclass(frozen=True)
class FontMetrics:
    """What pdfminer takes from a font for a character's box."""

    descent: float  # bottom of the box from the baseline, per unit of font size (negative)
    afm: dict[str, int] | None = None  # widths by character (1/1000 em) when pdfminer uses its AFM table


@dataclass(frozen=True)
class DocumentFacts:
    """What pdfminer reads of a document for the pdfium engine: font metrics by :func:`font_key`,
    and each page's media box (as written: pdfium has it in single precision) and rotation."""

    fonts: dict[tuple[str, bool], FontMetrics]
    boxes: list[tuple[tuple[float, float, float, float], int] | None]


def font_key(name: str, embedded: bool) -> tuple[str, bool]:
    return (_SUBSET.sub("", name), embedded)


@lru_cache(maxsize=1)
def afm_metrics() -> dict[str, FontMetrics]:
    """pdfminer's metrics of the standard-14 font names and their aliases."""
    from pdfminer.fontmetrics import FONT_METRICS

    out: dict[str, FontMetrics] = {}
    for name, (descriptor, widths) in FONT_METRICS.items():
        descent = descriptor.get("Descent", 0)
        out[name] = FontMetrics(-abs(float(descent)) * 0.001 if isinstance(descent, int | float) else 0.0, widths)
    return out


def document_facts(path: Path) -> DocumentFacts:
    """The fonts of the document's pages (and their form XObjects) and the pages' boxes.

    An unreadable document gives empty facts (pdfium's own are used then).
    """
    try:
        return _read_facts(path)
    except Exception:  # pdfminer raises many kinds of errors on damaged files
        return DocumentFacts({}, [])


def _read_facts(path: Path) -> DocumentFacts:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    fonts: dict[tuple[str, bool], FontMetrics] = {}
    boxes: list[tuple[tuple[float, float, float, float], int] | None] = []
    seen: set[int] = set()
    forms = 0
    with path.open("rb") as fp:
        doc = PDFDocument(PDFParser(fp))
        for page in PDFPage.create_pages(doc):
            box = page.mediabox
            try:
                boxes.append(((float(box[0]), float(box[1]), float(box[2]), float(box[3])), int(page.rotate)))
            except (TypeError, ValueError, IndexError):
                boxes.append(None)
            todo: list[Any] = [page.resources]
            while todo:
                resources = resolve1(todo.pop())
                if not isinstance(resources, dict):
                    continue
                table = resolve1(resources.get("Font"))
                for ref in table.values() if isinstance(table, dict) else ():
                    objid = getattr(ref, "objid", None)
                    if objid is not None:
                        if objid in seen:
                            continue
                        seen.add(objid)
                    spec = resolve1(ref)
                    if isinstance(spec, dict):
                        key, metrics = _metrics(spec)
                        fonts.setdefault(key, metrics)
                xobjects = resolve1(resources.get("XObject"))
                for ref in xobjects.values() if isinstance(xobjects, dict) else ():
                    attrs = getattr(resolve1(ref), "attrs", None)
                    if isinstance(attrs, dict) and _name(attrs.get("Subtype")) == "Form" and forms < _MAX_FORMS:
                        forms += 1
                        todo.append(attrs.get("Resources"))
    return DocumentFacts(fonts, boxes)


def _metrics(spec: dict[str, Any]) -> tuple[tuple[str, bool], FontMetrics]:
    from pdfminer.pdftypes import resolve1

    subtype = _name(spec.get("Subtype")) or "Type1"
    base = _name(spec.get("BaseFont")) or "unknown"
    descriptor = resolve1(spec.get("FontDescriptor"))
    if subtype == "Type0":
        descendants = resolve1(spec.get("DescendantFonts"))
        child = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else None
        descriptor = resolve1(child.get("FontDescriptor")) if isinstance(child, dict) else None
    if not isinstance(descriptor, dict):
        descriptor = {}
    embedded = any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3"))
    key = font_key(base, embedded)
    afm = afm_metrics().get(base)
    if afm is not None and subtype in ("Type1", "MMType1", "TrueType"):
        return key, afm
    if subtype == "Type3":  # the bottom of the glyph box, in text space (pdfminer keeps its sign)
        bbox = resolve1(spec.get("FontBBox"))
        matrix = resolve1(spec.get("FontMatrix"))
        try:
            scale = float(resolve1(matrix[1])) + float(resolve1(matrix[3]))
            return key, FontMetrics(float(resolve1(bbox[1])) * scale)
        except (TypeError, ValueError, IndexError):
            return key, FontMetrics(0.0)
    descent = resolve1(descriptor.get("Descent", 0))
    value = float(descent) if isinstance(descent, int | float) else 0.0
    return key, FontMetrics(-abs(value) * 0.001)  # as pdfminer scales it


def _name(value: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else ""
