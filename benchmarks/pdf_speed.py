#!/usr/bin/env python3
"""Speed of the PDF reader: text extraction and OCR, printed as a markdown table.

* pypdfium2 plain text (the reader's fast first pass) and the full
  :func:`extractor.readers.pdf.read_pdf` layout path with each text-layer
  engine (pypdfium2, the default, and pdfplumber; the runs interleaved in one
  process, so both see the same machine), in pages per second, over the text
  PDFs of ``../shared/corpus/bulk/pdf`` (falling back to the text PDFs of
  ``corpus/documents`` when that folder is absent);
* OCR at 300 dpi (one Tesseract process) in seconds per page, on the first
  pages of a few scanned PDFs.

Each figure is the median of ``--runs`` runs (at least 3); peak RSS is the
process's maximum resident set size (``resource.getrusage``).  The load
average before and after goes to the report: the machine is shared.

Usage::

    python benchmarks/pdf_speed.py [--runs 3] [--ocr-pages 3] [--pdf-dir DIR]

(``--ocr-pages 0`` leaves OCR out.)
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from extractor.readers.legacy import detect_encoding  # noqa: E402
from extractor.readers.pdf import read_pdf  # noqa: E402
from extractor.readers.pdf_ocr import ocr_pages, tesseract_path  # noqa: E402

BULK = ROOT.parent / "shared" / "corpus" / "bulk" / "pdf"
CORPUS = ROOT / "corpus" / "documents"


def plain_text(path: Path) -> tuple[str, int]:
    """All page texts of ``path`` with pypdfium2, and the page count."""
    pdf = pdfium.PdfDocument(path)
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(texts), len(pdf)
    finally:
        pdf.close()


def split_corpus(folder: Path) -> tuple[list[Path], list[Path]]:
    """Text PDFs (a readable text layer on every page) and scans (no text at all)."""
    text, scans = [], []
    for path in sorted(folder.glob("*.pdf")):
        try:
            content, pages = plain_text(path)
        except pdfium.PdfiumError:
            continue
        letters = sum(c.isalpha() for c in content)
        if letters < 20 * pages:
            scans.append(path)
        elif letters >= 200 * pages and detect_encoding(content) == "unicode":
            text.append(path)
    return text, scans


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="PDF reader speed")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ocr-pages", type=int, default=3, help="scanned pages to OCR")
    parser.add_argument("--pdf-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    runs = max(3, args.runs)
    folder: Path = args.pdf_dir or (BULK if BULK.is_dir() else CORPUS)
    text_pdfs, scans = split_corpus(folder)
    if not text_pdfs and folder != CORPUS:
        text_pdfs, more_scans = split_corpus(CORPUS)
        scans = scans or more_scans
    if not scans:
        scans = split_corpus(CORPUS)[1]
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []
    load_before = os.getloadavg()
    if text_pdfs:
        pages = sum(plain_text(p)[1] for p in text_pdfs)
        t_plain = median_time(lambda: [plain_text(p) for p in text_pdfs], runs)
        rows.append(
            (
                "pypdfium2 plain text",
                f"{len(text_pdfs)} PDFs, {pages} pages",
                f"{pages / t_plain:.1f} pages/s",
                f"{peak_rss_mb():.0f}",
            )
        )
        times: dict[str, list[float]] = {"pdfium": [], "plumber": []}
        for _ in range(runs):  # interleaved: both engines see the same load
            for engine, spent in times.items():
                start = time.perf_counter()
                for p in text_pdfs:
                    read_pdf(p, ocr="never", engine=engine)
                spent.append(time.perf_counter() - start)
        speed = {engine: pages / statistics.median(spent) for engine, spent in times.items()}
        for engine, label in (("pdfium", "pypdfium2 engine"), ("plumber", "pdfplumber engine")):
            rows.append(
                (
                    f"read_pdf layout (text layer), {label}",
                    f"{len(text_pdfs)} PDFs, {pages} pages",
                    f"{speed[engine]:.1f} pages/s",
                    f"{peak_rss_mb():.0f}",
                )
            )
        ratio = speed["pdfium"] / speed["plumber"]
        notes.append(f"read_pdf: pypdfium2 engine {ratio:.2f}x the pdfplumber engine's pages/s")
        notes.append(
            "runs (s): "
            + "; ".join(f"{engine} " + ", ".join(f"{t:.2f}" for t in spent) for engine, spent in times.items())
        )
    else:
        print(f"no text PDFs in {folder}", file=sys.stderr)
    try:
        tesseract_path()
        have_ocr = True
    except Exception as exc:  # ReaderError: no tesseract here
        print(f"OCR skipped: {exc}", file=sys.stderr)
        have_ocr = False
    chosen = scans[: max(0, args.ocr_pages)]
    if have_ocr and chosen:

        def ocr_all() -> None:
            for path in chosen:
                pdf = pdfium.PdfDocument(path)
                try:
                    ocr_pages(pdf, [0], dpi=300, workers=1)
                finally:
                    pdf.close()

        t_ocr = median_time(ocr_all, runs)
        rows.append(
            (
                "OCR 300 dpi, 1 process (render + rules + tesseract)",
                f"{len(chosen)} scanned pages",
                f"{t_ocr / len(chosen):.2f} s/page",
                f"{peak_rss_mb():.0f}",
            )
        )
    load_after = os.getloadavg()
    print(f"source: {folder} (median of {runs} runs)")
    print(f"load average (1, 5, 15 min): before {_load(load_before)}, after {_load(load_after)}\n")
    print("| path | input | speed | peak RSS (MB) |")
    print("|---|---|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    for note in notes:
        print(f"\n{note}", end="")
    print()
    return 0


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    raise SystemExit(main())
