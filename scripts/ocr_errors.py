#!/usr/bin/env python3
"""How often does OCR misread a word?  Scans of the format fixtures, word by word.

The 300-dpi scan fixtures (``build/fixtures/scan/<stem>_300.pdf``, made by
``scripts/check_formats.py`` / ``scripts/make_fixtures.py``) are renderings of
the LibreOffice PDFs next to them, so every OCR word lies where the text PDF
has the true word: each OCR word is aligned to the text-layer words under its
centre and compared (Unicode NFC, exact).  Printed per document: words, wrong
words, and the wrong ones among *code tokens* (numbers, markers, Roman
numerals: the tokens deadlines, sections and agency names hang on); ``-v``
lists the wrong code tokens.

Usage::

    python scripts/ocr_errors.py [--fixtures build/fixtures] [--only STEM ...] [-v]
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import regex  # noqa: E402
from check_formats import DOCUMENTS  # noqa: E402

from extractor.readers.pdf_layout import Word  # noqa: E402
from extractor.readers.pdf_ocr import ocr_pages  # noqa: E402

_CODE = regex.compile(r"[(“]?(?:\d[\d.,/%]*|[IVXL]+)[.)]?")

TrueWord = tuple[float, float, float, float, str]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def true_words(pdf: Path) -> dict[int, list[TrueWord]]:
    with pdfplumber.open(pdf) as doc:
        return {
            i: [(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), str(w["text"])) for w in p.extract_words()]
            for i, p in enumerate(doc.pages)
        }


def align(ocr: list[Word], truth: list[TrueWord]) -> list[tuple[Word, str]]:
    """Each OCR word with the text of the true words under its centre (or whose centres it covers)."""
    out = []
    for w in ocr:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        hit = [t for t in truth if t[0] - 1 <= cx <= t[2] + 1 and t[1] - 2 <= cy <= t[3] + 2]
        if not hit:
            hit = [
                t
                for t in truth
                if w.x0 - 1 <= (t[0] + t[2]) / 2 <= w.x1 + 1 and w.top - 2 <= (t[1] + t[3]) / 2 <= w.bottom + 2
            ]
        out.append((w, _nfc(" ".join(t[4] for t in hit))))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT / "build" / "fixtures")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    print("| document | words | wrong | code tokens | wrong code tokens |")
    print("|---|---:|---:|---:|---:|")
    totals = [0, 0, 0, 0]
    for stem in args.only or DOCUMENTS:
        scan = args.fixtures / "scan" / f"{stem}_300.pdf"
        text = args.fixtures / "pdf" / f"{stem}.pdf"
        if not scan.exists() or not text.exists():
            print(f"{stem}: no fixtures (run scripts/check_formats.py first)", file=sys.stderr)
            continue
        doc = pdfium.PdfDocument(scan)
        try:
            pages = ocr_pages(doc, list(range(len(doc))), dpi=300, workers=2)
        finally:
            doc.close()
        truth = true_words(text)
        counts = [0, 0, 0, 0]
        for i, page in sorted(pages.items()):
            for w, true in align(list(page.words), truth.get(i, [])):
                read = _nfc(w.text)
                code = _CODE.fullmatch(true) is not None
                counts[0] += 1
                counts[1] += read != true
                counts[2] += code
                counts[3] += code and read != true
                if args.verbose and code and read != true:
                    print(f"{stem} p{i + 1}: {read!r} for {true!r} (conf {w.conf:.0f})", file=sys.stderr)
        print(f"| {stem} | {counts[0]} | {counts[1]} | {counts[2]} | {counts[3]} |")
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    print(f"| all | {totals[0]} | {totals[1]} | {totals[2]} | {totals[3]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
