#!/usr/bin/env python3
"""Does a document give the same record as .docx, as a printed PDF and as a scan?

For each chosen corpus document (:data:`DOCUMENTS`: five with task tables)
this builds, or reuses from ``build/fixtures`` (see ``scripts/make_fixtures.py``):

* the ``.docx`` — the corpus file itself, or for a ``.txt``/``.md`` document
  the Word file written from its source model (``docx/<stem>.docx``);
* the text PDF LibreOffice prints from it (``pdf/<stem>.pdf``);
* a 300-dpi image-only PDF of that PDF (``scan/<stem>_300.pdf``),

runs :func:`extractor.pipeline.process_file` on each and compares the PDF and
scan records with the docx record:

* metadata — ``doc_type``, ``reference_code``, ``issued_date``, ``issuer`` and
  the signer's name, compared softly (case, tone placement, punctuation);
* tasks — counts; every docx task is matched one-to-one to a task of the
  variant by soft text (:func:`extractor.evaluate_tasks.match_tasks`), and a
  matched pair has equal leads when their soft agency sets
  (:func:`extractor.evaluate_tasks.agency_set`) are equal, and equal
  deadlines when date and kind are equal.

A markdown table goes to stdout (one row per document and variant), the
differences to stderr with ``-v``.  ``EXTRACTOR_SKIP_OCR=1`` (or ``--no-scan``)
leaves the scans out.

Usage::

    python scripts/check_formats.py [--fixtures build/fixtures] [--only STEM ...] [--rebuild] [--no-scan] [-v]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_fixtures import CUTS, DOCS, image_pdf, soffice, text_to_docx, to_pdf  # noqa: E402

from extractor.evaluate import soft  # noqa: E402
from extractor.evaluate_tasks import agency_set, match_tasks  # noqa: E402
from extractor.model import Record  # noqa: E402
from extractor.pipeline import process_file  # noqa: E402
from extractor.readers import read_any  # noqa: E402

# Corpus documents with task tables, smallest first.
DOCUMENTS = (
    "vpcp_chuongtrinh_hn_ctmtqg_pcmt_2025",  # a .docx: meeting programme, 19 table tasks
    "hcm_qd2820_bhkh_2025",  # .md: QĐ + plan, appendix task table (7 columns)
    "002_cb22d10497566f9f",  # .txt: QĐ + plan, Phụ lục 2 (36 tasks over 8 tables)
    "bacninh_kh144_2025",  # .md: plan, appendix indicator table with leads
    "dongnai_kh179_2025",  # .md: plan cut to header + signature + 128-row task table
)
META_FIELDS = ("doc_type", "reference_code", "issued_date", "issuer", "signer")


@dataclass
class Variants:
    """The three files of one document."""

    stem: str
    docx: Path
    pdf: Path
    scan: Path


def source_of(stem: str) -> Path:
    """The corpus file of ``stem``."""
    found = sorted(p for p in DOCS.glob(f"{stem}.*") if p.suffix in (".docx", ".txt", ".md"))
    if not found:
        raise SystemExit(f"check_formats: no corpus document {stem}")
    return found[0]


def build(stem: str, fixtures: Path, *, rebuild: bool = False, scan: bool = True, dpi: int = 300) -> Variants:
    """The variants of ``stem`` under ``fixtures``, made when missing (or ``rebuild``)."""
    source = source_of(stem)
    docx_path = source if source.suffix == ".docx" else fixtures / "docx" / f"{stem}.docx"
    if source.suffix != ".docx" and (rebuild or not docx_path.exists()):
        text_to_docx(read_any(source), docx_path, cut=CUTS.get(stem, ()))
    pdf_path = fixtures / "pdf" / f"{stem}.pdf"
    if rebuild or not pdf_path.exists() or pdf_path.stat().st_mtime < docx_path.stat().st_mtime:
        if soffice() is None:
            raise SystemExit("check_formats: LibreOffice (soffice) is needed to print the PDFs")
        to_pdf(docx_path, pdf_path.parent)
    scan_path = fixtures / "scan" / f"{stem}_{dpi}.pdf"
    if scan and (rebuild or not scan_path.exists() or scan_path.stat().st_mtime < pdf_path.stat().st_mtime):
        image_pdf(pdf_path, scan_path, dpi)
    return Variants(stem, docx_path, pdf_path, scan_path)


# --- comparison ------------------------------------------------------------------


def _meta(rec: Record, name: str) -> Any:
    if name == "signer":
        return rec.metadata.signer.name if rec.metadata.signer else None
    return getattr(rec.metadata, name)


def _task_dict(task: Any) -> dict[str, Any]:
    deadline = task.deadline
    return {
        "text": task.text,
        "lead": [a.name for a in task.lead],
        "deadline": {"date": deadline.date, "kind": deadline.kind} if deadline else None,
    }


@dataclass
class Comparison:
    """How a variant's record differs from the docx record."""

    base_tasks: int
    tasks: int
    matched: int
    leads_equal: int
    deadlines_equal: int
    meta_equal: int
    meta_total: int = len(META_FIELDS)
    differences: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        return (
            self.base_tasks == self.tasks == self.matched == self.leads_equal == self.deadlines_equal
            and self.meta_equal == self.meta_total
        )


def compare(base: Record, other: Record) -> Comparison:
    """Compare ``other`` (a PDF or scan record) with ``base`` (the docx record)."""
    diffs: list[str] = []
    meta_equal = 0
    for name in META_FIELDS:
        a, b = _meta(base, name), _meta(other, name)
        if soft(a) == soft(b):
            meta_equal += 1
        else:
            diffs.append(f"metadata {name}: docx={a!r} variant={b!r}")
    gold = [_task_dict(t) for t in base.tasks]
    _, _, _, pairs = match_tasks(gold, list(other.tasks), by_order=True)
    leads = deadlines = 0
    for g, p in pairs:
        lead_g, lead_p = agency_set(g["lead"]), agency_set([a.name for a in p.lead])
        if lead_g == lead_p:
            leads += 1
        else:
            diffs.append(f"lead {g['text'][:60]!r}: docx={sorted(lead_g)} variant={sorted(lead_p)}")
        dg = g["deadline"] or {}
        dp = {"date": p.deadline.date, "kind": p.deadline.kind} if p.deadline else {}
        if dg.get("date") == dp.get("date") and dg.get("kind") == dp.get("kind"):
            deadlines += 1
        else:
            diffs.append(f"deadline {g['text'][:60]!r}: docx={dg} variant={dp}")
    found = {id(g) for g, _ in pairs}
    diffs += [f"missed {g['text'][:80]!r}" for g in gold if id(g) not in found]
    used = {id(p) for _, p in pairs}
    diffs += [f"extra {p.text[:80]!r}" for p in other.tasks if id(p) not in used]
    return Comparison(len(base.tasks), len(other.tasks), len(pairs), leads, deadlines, meta_equal, differences=diffs)


def _run(path: Path) -> tuple[Record, float]:
    start = time.perf_counter()
    rec = process_file(path).record
    return rec, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT / "build" / "fixtures")
    parser.add_argument("--only", action="append", default=[], help="document stems (default: DOCUMENTS)")
    parser.add_argument("--rebuild", action="store_true", help="make the variants again")
    parser.add_argument("--no-scan", action="store_true", help="leave the 300-dpi scans out")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a variant differs")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the differences on stderr")
    args = parser.parse_args(argv)
    scan = not args.no_scan and os.environ.get("EXTRACTOR_SKIP_OCR") != "1"
    header = (
        "| document | variant | tasks docx | tasks variant | matched | leads equal | deadlines equal "
        "| metadata equal | seconds |"
    )
    print(header)
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    all_equal = True
    for stem in args.only or DOCUMENTS:
        variants = build(stem, args.fixtures, rebuild=args.rebuild, scan=scan)
        base, base_time = _run(variants.docx)
        print(
            f"| {stem} | docx | {len(base.tasks)} | {len(base.tasks)} | – | – | – | – | {base_time:.1f} |", flush=True
        )
        runs = [("pdf", variants.pdf)] + ([("scan 300 dpi", variants.scan)] if scan else [])
        for label, path in runs:
            rec, seconds = _run(path)
            cmp = compare(base, rec)
            all_equal &= cmp.equal
            print(
                f"| {stem} | {label} | {cmp.base_tasks} | {cmp.tasks} | {cmp.matched} | {cmp.leads_equal} "
                f"| {cmp.deadlines_equal} | {cmp.meta_equal}/{cmp.meta_total} | {seconds:.1f} |",
                flush=True,
            )
            if args.verbose:
                for diff in cmp.differences:
                    print(f"{stem} [{label}] {diff}", file=sys.stderr)
    return 1 if args.strict and not all_equal else 0


if __name__ == "__main__":
    raise SystemExit(main())
