"""Score extraction against the hand-checked gold of ``corpus/gold/``.

Per field: precision, recall and F1 (a prediction counts when non-null, a
gold value when non-null; a true positive is a match) and accuracy (share of
documents where prediction and gold agree, null = null included).  String
fields are compared three ways, like GROBID's evaluation: ``exact``,
``soft`` (case, punctuation and spacing ignored) and ``lev`` (normalised
Levenshtein similarity ≥ 0.8 after soft normalisation).  Lists (references,
sections, parts) are scored as multisets with micro-averaged P/R/F1.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from rapidfuzz.distance import Levenshtein

from .model import Record
from .readers import SUPPORTED_SUFFIXES
from .segment.sections import flatten
from .text.normalize import fix_tones

EXACT_FIELDS = ("doc_type", "reference_code", "number", "symbol", "issued_date", "place")
STRING_FIELDS = ("issuer", "parent_issuer", "subject", "doc_type_label")
SIGNER_FIELDS = ("name", "position", "authority")
SECTION_TITLE_CHARS = 50


def soft(value: Any) -> str | None:
    """Soft form of a string: NFC, one tone convention, case-folded, punctuation and spacing removed."""
    if value is None:
        return None
    s = fix_tones(unicodedata.normalize("NFC", str(value))).casefold()
    s = regex.sub(r"[\p{P}\p{S}]+", " ", s)
    return regex.sub(r"\s+", " ", s).strip()


def lev_match(a: Any, b: Any) -> bool:
    sa, sb = soft(a), soft(b)
    if sa is None or sb is None:
        return sa == sb
    return Levenshtein.normalized_similarity(sa, sb) >= 0.8


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: int = 0
    total: int = 0

    def add(self, gold: Any, pred: Any, match: bool) -> None:
        self.total += 1
        if gold is None and pred is None:
            self.agree += 1
            return
        if match and gold is not None and pred is not None:
            self.tp += 1
            self.agree += 1
            return
        if pred is not None:
            self.fp += 1
        if gold is not None:
            self.fn += 1

    def add_sets(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn
        self.total += 1
        self.agree += int(fp == 0 and fn == 0)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.agree / self.total if self.total else 1.0


@dataclass
class Report:
    fields: dict[str, Counts] = field(default_factory=dict)
    documents: int = 0
    failures: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def counts(self, name: str) -> Counts:
        return self.fields.setdefault(name, Counts())

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "failures": self.failures,
            "fields": {
                k: {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                    "accuracy": round(c.accuracy, 4), "tp": c.tp, "fp": c.fp, "fn": c.fn, "n": c.total}
                for k, c in self.fields.items()
            },
        }


def multiset_match(gold: list[Any], pred: list[Any], same: Callable[[Any, Any], bool]) -> tuple[int, int, int, list[tuple[Any, Any]]]:
    """Greedy one-to-one matching in order; returns tp, fp, fn and the matched pairs."""
    used = [False] * len(pred)
    pairs: list[tuple[Any, Any]] = []
    for g in gold:
        for i, p in enumerate(pred):
            if not used[i] and same(g, p):
                used[i] = True
                pairs.append((g, p))
                break
    tp = len(pairs)
    return tp, len(pred) - tp, len(gold) - tp, pairs


def _code(s: str) -> str:
    return regex.sub(r"\s+", "", fix_tones(s)).casefold()


def _section_key(marker: str, title: str) -> tuple[str, str]:
    return (soft(marker) or "", (soft(title) or "")[:SECTION_TITLE_CHARS])


def score_document(gold: dict[str, Any], rec: Record | None, report: Report, name: str) -> None:
    """Add one document's comparison to ``report``."""
    gm = gold.get("metadata", {})
    pm = rec.metadata if rec is not None else None

    def note(field_name: str, g: Any, p: Any) -> None:
        report.mismatches.append(f"{name}: {field_name}: gold={g!r} pred={p!r}")

    for f in EXACT_FIELDS:
        g = gm.get(f)
        p = getattr(pm, f) if pm is not None else None
        ok = g == p
        report.counts(f).add(g, p, ok)
        if not ok:
            note(f, g, p)
    for f in STRING_FIELDS:
        if f not in gm:
            continue
        g = gm.get(f)
        p = getattr(pm, f) if pm is not None else None
        report.counts(f + ".exact").add(g, p, g == p)
        report.counts(f + ".soft").add(g, p, soft(g) == soft(p))
        report.counts(f + ".lev").add(g, p, lev_match(g, p))
        if soft(g) != soft(p):
            note(f, g, p)
    gs = gm.get("signer") or {}
    ps = pm.signer if pm is not None else None
    for f in SIGNER_FIELDS:
        g = gs.get(f)
        p = getattr(ps, f) if ps is not None else None
        report.counts(f"signer.{f}.exact").add(g, p, g == p)
        report.counts(f"signer.{f}.soft").add(g, p, soft(g) == soft(p))
        if soft(g) != soft(p):
            note(f"signer.{f}", g, p)

    # References: multiset of codes; dates of matched codes.
    g_refs = gm.get("references", [])
    p_refs = list(pm.references) if pm is not None else []
    tp, fp, fn, pairs = multiset_match(g_refs, p_refs, lambda g, p: _code(g["reference_code"]) == _code(p.reference_code))
    report.counts("references").add_sets(tp, fp, fn)
    if fp or fn:
        matched_g = {id(g) for g, _ in pairs}
        matched_p = {id(p) for _, p in pairs}
        miss = [g["reference_code"] for g in g_refs if id(g) not in matched_g]
        extra = [p.reference_code for p in p_refs if id(p) not in matched_p]
        note("references", f"missing {miss}", f"extra {extra}")
    dates = report.counts("references.date")
    types = report.counts("references.doc_type")
    for g, p in pairs:
        dates.add(g.get("date"), p.date, g.get("date") == p.date)
        types.add(g.get("doc_type"), p.doc_type, g.get("doc_type") == p.doc_type)

    # Parts by kind.
    g_parts = [x.get("kind") for x in gm.get("parts", [])]
    p_parts = [x.kind for x in pm.parts] if pm is not None else []
    tp, fp, fn, _ = multiset_match(g_parts, p_parts, lambda a, b: a == b)
    report.counts("parts").add_sets(tp, fp, fn)
    if fp or fn:
        note("parts", g_parts, p_parts)

    # Sections (headings only: bullets are not in gold).
    g_secs = [(s.get("marker", ""), s.get("title", ""), s.get("id")) for s in gold.get("sections", [])]
    p_secs = [
        (s.marker, s.title, s.id)
        for s in (flatten(rec.sections) if rec is not None else [])
        if s.marker not in ("-", "+", "•", "–", "*")
    ]
    tp, fp, fn, spairs = multiset_match(
        g_secs, p_secs, lambda g, p: _section_key(g[0], g[1]) == _section_key(p[0], p[1])
    )
    report.counts("sections").add_sets(tp, fp, fn)
    ids = report.counts("sections.id")
    for g, p in spairs:
        ids.add(g[2], p[2], g[2] == p[2])

    from .evaluate_tasks import score_tasks

    score_tasks(gold, rec, report, name)

    from .evaluate_extra import score_extra

    score_extra(gold, rec, report, name)


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def find_document(corpus: Path, gold: dict[str, Any], stem: str) -> Path | None:
    docs = corpus / "documents"
    if gold.get("file"):
        p: Path = docs / str(gold["file"])
        if p.exists():
            return p
    for suffix in SUPPORTED_SUFFIXES:
        p = docs / f"{stem}{suffix}"
        if p.exists():
            return p
    return None


def evaluate_corpus(corpus: Path, only: set[str] | None = None, skip_suffixes: Iterable[str] = ()) -> Report:
    """Run the pipeline on every document that has gold and score it."""
    from .pipeline import process_file

    report = Report()
    skip = {s.lower() for s in skip_suffixes}
    for gpath in sorted((corpus / "gold").glob("*.json")):
        stem = gpath.stem
        if only and stem not in only:
            continue
        gold = load_gold(gpath)
        doc = find_document(corpus, gold, stem)
        if doc is not None and doc.suffix.lower() in skip:
            continue
        rec: Record | None = None
        if doc is None:
            report.failures.append(f"{stem}: document not found")
        else:
            try:
                rec = process_file(doc, display_path=doc.name).record
            except Exception as exc:  # noqa: BLE001 - a failed document scores as empty
                report.failures.append(f"{doc.name}: {type(exc).__name__}: {exc}")
        report.documents += 1
        score_document(gold, rec, report, stem)
    return report


def format_report(report: Report, verbose: bool = False) -> str:
    """A markdown table of the scores (and the mismatches when ``verbose``)."""
    lines = [
        f"documents: {report.documents}   failures: {len(report.failures)}",
        "",
        "| field | precision | recall | F1 | accuracy | n |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, c in report.fields.items():
        lines.append(f"| {name} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.accuracy:.3f} | {c.total} |")
    if report.failures:
        lines += ["", "failures:"] + [f"  {f}" for f in report.failures]
    if verbose and report.mismatches:
        lines += ["", "mismatches:"] + [f"  {m}" for m in report.mismatches]
    return "\n".join(lines)
