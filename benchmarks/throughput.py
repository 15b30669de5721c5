"""Throughput of the whole pipeline: docs/s and pages/s, one process and parallel, with memory.

Usage::

    python benchmarks/throughput.py [--docs N] [--runs R] [--jobs J] [FOLDER ...]

Defaults to a fixed, sorted sample of ``../shared/corpus/bulk`` (md, docx, doc
and text PDFs; scanned PDFs are left out: OCR has its own benchmark in
``benchmarks/pdf_speed.py``), falling back to ``corpus/documents`` when the
shared corpus is absent.  Every configuration runs R times; the table reports
medians.  Machines here are shared and noisy, so the baseline — reading the
same files with the readers only — is measured in the same run and the
pipeline is reported as a ratio to it.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def _sample(folders: list[Path], n: int) -> list[Path]:
    from extractor.readers import SUPPORTED_SUFFIXES

    files: list[Path] = []
    for folder in folders:
        files += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    by_kind: dict[str, list[Path]] = {}
    for f in files:
        by_kind.setdefault(f.suffix.lower(), []).append(f)
    # Round-robin over formats so every format is in the sample; text PDFs only.
    out: list[Path] = []
    while len(out) < n and any(by_kind.values()):
        for kind in sorted(by_kind):
            if by_kind[kind] and len(out) < n:
                f = by_kind[kind].pop(0)
                if kind == ".pdf" and not _has_text(f):
                    continue
                out.append(f)
    return out


def _has_text(path: Path) -> bool:
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(path))
        try:
            return any(len(pdf[i].get_textpage().get_text_range().strip()) > 200 for i in range(min(2, len(pdf))))
        finally:
            pdf.close()
    except Exception:  # noqa: BLE001 - unreadable files are simply left out of the sample
        return False


def _read_only(path: Path) -> int:
    from extractor.readers import read_any

    try:
        src = read_any(path, ocr="never")
        return src.pages or 0
    except Exception:  # noqa: BLE001
        return 0


def _pipeline(path: Path) -> int:
    from extractor.pipeline import process_file

    try:
        res = process_file(path, ocr="never")
        return res.record.source.pages or 0
    except Exception:  # noqa: BLE001
        return 0


def _time(fn: object, files: list[Path], jobs: int) -> tuple[float, int]:
    start = time.perf_counter()
    if jobs <= 1:
        pages = sum(fn(f) for f in files)  # type: ignore[operator]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            pages = sum(pool.map(fn, files, chunksize=2))  # type: ignore[arg-type]
    return time.perf_counter() - start, pages


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--docs", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    folders = args.folders or [ROOT.parent / "shared" / "corpus" / "bulk"]
    folders = [f for f in folders if f.exists()] or [ROOT / "corpus" / "documents"]
    files = _sample(folders, args.docs)
    kinds = {k: sum(1 for f in files if f.suffix.lower() == k) for k in sorted({f.suffix.lower() for f in files})}
    print(f"sample: {len(files)} documents from {', '.join(str(f) for f in folders)} {kinds}; {args.runs} runs each")
    # Warm-up (imports, gazetteer and pattern loading) outside the timings.
    _pipeline(files[0])
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
    configs = [
        (label, fn, jobs, subset)
        for label, fn in (("readers only (baseline)", _read_only), ("full pipeline", _pipeline))
        for jobs in (1, args.jobs)
        for subset in ("all", "pdf")
        if subset == "all" or pdfs
    ]
    times: dict[int, list[float]] = {i: [] for i in range(len(configs))}
    pages: dict[int, int] = {}
    # Runs are interleaved so that load from other processes falls on every configuration alike.
    for _ in range(args.runs):
        for i, (_label, fn, jobs, subset) in enumerate(configs):
            t, pg = _time(fn, files if subset == "all" else pdfs, jobs)
            times[i].append(t)
            pages[i] = pg
    rows = []
    for i, (label, _fn, jobs, subset) in enumerate(configs):
        med = statistics.median(times[i])
        n = len(files) if subset == "all" else len(pdfs)
        rows.append((label, jobs, subset, med, n / med, pages[i] / med if subset == "pdf" else 0.0))
    base = {(jobs, subset): med for label, jobs, subset, med, _, _ in rows if label.startswith("readers")}
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print("| configuration | processes | documents | median s | docs/s | pages/s | time vs readers-only |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for label, jobs, subset, med, dps, pps in rows:
        docs = f"all {len(files)}" if subset == "all" else f"text PDFs {len(pdfs)}"
        pg = f"{pps:.1f}" if subset == "pdf" else "—"
        print(f"| {label} | {jobs} | {docs} | {med:.2f} | {dps:.2f} | {pg} | {med / base[(jobs, subset)]:.2f}× |")
    print()
    print(f"peak RSS: main process {peak_self:.0f} MB, largest worker {peak_children:.0f} MB")


if __name__ == "__main__":
    main()
