#!/usr/bin/env python3
"""Do the two text-layer engines of the PDF reader give the same result?

Each PDF is read with :func:`extractor.readers.pdf.read_pdf` twice — with the
pypdfium2 engine (the default) and with the pdfplumber engine — and both
readings go through :func:`extractor.pipeline.process_source`.  Compared:

* **blocks** — kind, page, paragraph text, table cell texts (in NFC);
* **records** — metadata (every field), the number of tasks, the tasks' leads
  and deadlines (in order), targets (indicator, value, year), events,
  attendee lists, and the whole record (source and ids aside).

One line per document goes to stdout (``same``, or what differs), then a
summary; ``-v`` prints a unified diff of the block texts of each differing
document.  Without paths it reads every PDF of ``../shared/corpus/bulk/pdf``,
``../shared/corpus/dev``, ``corpus/documents`` and ``build/fixtures/pdf``
that exists.

Usage::

    python scripts/compare_pdf_engines.py [PATH ...] [--ocr never|auto] [-v]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.pipeline import Result, process_source  # noqa: E402
from extractor.readers.base import ReaderError, SourceDoc  # noqa: E402
from extractor.readers.pdf import read_pdf  # noqa: E402

FOLDERS = (
    ROOT.parent / "shared" / "corpus" / "bulk" / "pdf",
    ROOT.parent / "shared" / "corpus" / "dev",
    ROOT / "corpus" / "documents",
    ROOT / "build" / "fixtures" / "pdf",
)


@dataclass
class Reading:
    """One engine's reading of one file."""

    seconds: float
    error: str | None = None
    blocks: list[str] = field(default_factory=list)
    result: Result | None = None


def read(path: Path, engine: str, ocr: str) -> Reading:
    start = time.perf_counter()
    try:
        src = read_pdf(path, ocr=ocr, engine=engine)
    except ReaderError as exc:
        return Reading(time.perf_counter() - start, error=exc.code)
    seconds = time.perf_counter() - start
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Reading(seconds, blocks=block_lines(src), result=process_source(src, path=path.name, sha256=sha))


def block_lines(src: SourceDoc) -> list[str]:
    """The blocks as text lines: ``[page kind] text`` or ``[page table] cell | cell`` per row, in
    Unicode NFC as the pipeline reads them (a glyph's text may come composed from one engine and
    decomposed from the other)."""
    lines = []
    for b in src.blocks:
        if b.kind == "table":
            for row in b.rows:
                lines.append(f"[p{b.page} table] " + " | ".join(c.text.replace("\n", "⏎") for c in row))
        else:
            lines.append(f"[p{b.page} {b.kind}] " + b.text.replace("\n", "⏎"))
    return [unicodedata.normalize("NFC", line) for line in lines]


def record_parts(result: Result) -> dict[str, Any]:
    """The compared parts of a record."""
    rec = result.record
    tasks = [
        (
            [a.name for a in t.lead],
            None if t.deadline is None else (t.deadline.kind, t.deadline.date),
        )
        for t in rec.tasks
    ]
    whole = rec.model_dump(mode="json", exclude={"source": True})
    return {
        "metadata": rec.metadata.model_dump(mode="json"),
        "tasks.count": len(rec.tasks),
        "tasks.leads+deadlines": tasks,
        "targets": [(t.indicator, t.value.text, t.year) for t in rec.targets],
        "events": [e.model_dump(mode="json", exclude={"span": True}) for e in rec.events],
        "attendees": [(a.title, a.stated_total, a.computed_total, len(a.rows)) for a in rec.attendees],
        "record": whole,
    }


def default_paths() -> list[Path]:
    out: list[Path] = []
    for folder in FOLDERS:
        if folder.is_dir():
            out.extend(sorted(folder.glob("*.pdf")))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare the pdfium and pdfplumber text-layer engines")
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--ocr", default="never", choices=("never", "auto"), help="OCR mode of both readings")
    parser.add_argument("-v", "--verbose", action="store_true", help="diff the block texts of differing documents")
    args = parser.parse_args(argv)
    paths: list[Path] = []
    for p in args.paths or default_paths():
        paths.extend(sorted(p.glob("*.pdf")) if p.is_dir() else [p])
    counts = {"same": 0, "blocks differ": 0, "record differs": 0}
    seconds = {"plumber": 0.0, "pdfium": 0.0}
    for path in paths:
        old = read(path, "plumber", args.ocr)
        new = read(path, "pdfium", args.ocr)
        seconds["plumber"] += old.seconds
        seconds["pdfium"] += new.seconds
        name = f"{path.parent.name}/{path.name}"
        if old.error or new.error:
            status = "same" if old.error == new.error else "record differs"
            counts[status] += 1
            print(f"{name}: {status} (errors: plumber {old.error}, pdfium {new.error})")
            continue
        assert old.result is not None and new.result is not None
        a, b = record_parts(old.result), record_parts(new.result)
        parts = [k for k in a if a[k] != b[k]]
        blocks_same = old.blocks == new.blocks
        if blocks_same and not parts:
            counts["same"] += 1
            print(f"{name}: same")
            continue
        counts["record differs" if parts else "blocks differ"] += 1
        changed = sum(1 for op in difflib.ndiff(old.blocks, new.blocks) if op[:1] in "+-")
        print(
            f"{name}: blocks {'same' if blocks_same else f'differ ({changed} lines)'}; record differs in: {', '.join(parts) or '-'}"
        )
        if args.verbose and not blocks_same:
            diff = difflib.unified_diff(old.blocks, new.blocks, "plumber", "pdfium", lineterm="", n=0)
            for line in diff:
                print("    " + line)
        if args.verbose:
            for k in parts:
                if k not in ("record",):
                    print(f"    {k}: plumber={a[k]!r}\n    {' ' * len(k)}  pdfium={b[k]!r}")
    total = len(paths)
    print(
        f"\n{total} PDFs: {counts['same']} identical, {counts['blocks differ']} with different blocks but the "
        f"same record, {counts['record differs']} with a different record; reading time plumber "
        f"{seconds['plumber']:.1f} s, pdfium {seconds['pdfium']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
