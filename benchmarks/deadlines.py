"""Benchmark: our deadline grammar against dateparser on real deadline phrases.

Reads ``benchmarks/data/deadline_phrases.tsv`` (phrase, plan_year, expected
kind, expected due date, split; hand-labelled per docs/ANNOTATION.md
"Deadlines").  Split ``dev`` holds the phrases the grammar was written
against (corpus/documents and table cells).  Split ``bulk`` was sampled at
random from shared/corpus/bulk and labelled before the grammar saw it; on
first sight the grammar scored 88.2% date / 84.3% kind accuracy on it (the
honest estimate for unseen text), after which the general gaps it showed
(relative years, "N ngày trước …", "định kỳ N năm") were fixed.  Add new
unseen phrases as a new split to measure again.  Every phrase is parsed with

* ``parse_deadline_cell`` (ours; the plan year as context),
* ``dateparser.parse(phrase, languages=['vi'])``,
* ``dateparser.search.search_dates(phrase, languages=['vi'])`` (first hit),

and prints a markdown table of date accuracy (a phrase with no due date is
right when no date comes back; a second column counts only the phrases that
have one), kind accuracy (ours only) and phrases per
second (median of 5 timed runs each, all in the same process).  dateparser
gets the same help we get: the plan year as its relative base, day-month
order and the last day of the month for month-only phrases.

Run: ``python benchmarks/deadlines.py [--runs N] [--show-misses]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "deadline_phrases.tsv"
sys.path.insert(0, str(ROOT))

from extractor.extract.deadlines import DeadlineContext, parse_deadline_cell  # noqa: E402

Row = tuple[str, int, str, datetime.date | None, str]
Parser = Callable[[str, int], tuple[str | None, datetime.date | None]]


def load_rows(path: Path = DATA) -> list[Row]:
    """Read the labelled phrases."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (r["phrase"], int(r["plan_year"]), r["kind"],
             datetime.date.fromisoformat(r["date"]) if r["date"] else None, r.get("split") or "dev")
            for r in reader
        ]


def ours(phrase: str, plan_year: int) -> tuple[str | None, datetime.date | None]:
    """Our grammar: kind and due date."""
    d = parse_deadline_cell(phrase, DeadlineContext(plan_year=plan_year))
    return (d.kind, d.date) if d else (None, None)


def _dp_settings(plan_year: int) -> dict[str, Any]:
    return {"RELATIVE_BASE": datetime.datetime(plan_year, 1, 1), "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "last", "PREFER_DATES_FROM": "current_period"}


def make_dateparser() -> tuple[Parser, Parser] | None:
    """The two dateparser readers, or None when dateparser is not installed."""
    try:
        import dateparser
        import dateparser.search
    except ImportError:
        return None

    def parse(phrase: str, plan_year: int) -> tuple[str | None, datetime.date | None]:
        dt = dateparser.parse(phrase, languages=["vi"], settings=_dp_settings(plan_year))
        return (None, dt.date() if dt else None)

    def search(phrase: str, plan_year: int) -> tuple[str | None, datetime.date | None]:
        hits = dateparser.search.search_dates(phrase, languages=["vi"], settings=_dp_settings(plan_year))
        return (None, hits[0][1].date() if hits else None)

    return parse, search


def measure(parser: Parser, rows: list[Row], runs: int) -> tuple[float, float, float | None, float, list[str]]:
    """Date accuracy (all, dated phrases only), kind accuracy (None without kinds), phrases/s, misses."""
    results = [parser(r[0], r[1]) for r in rows]
    dates = sum(got[1] == r[3] for got, r in zip(results, rows, strict=True))
    n_dated = sum(r[3] is not None for r in rows)
    dated = sum(got[1] == r[3] for got, r in zip(results, rows, strict=True) if r[3] is not None)
    has_kind = any(got[0] is not None for got in results)
    kinds = sum(got[0] == r[2] for got, r in zip(results, rows, strict=True))
    misses = [f"{r[0]!r}: want {r[2]} {r[3]}, got {g[0]} {g[1]}" for g, r in zip(results, rows, strict=True)
              if g[1] != r[3] or (has_kind and g[0] != r[2])]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for r in rows:
            parser(r[0], r[1])
        times.append(time.perf_counter() - t0)
    rate = len(rows) / statistics.median(times) if times else 0.0
    return dates / len(rows), dated / max(n_dated, 1), (kinds / len(rows) if has_kind else None), rate, misses


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the markdown table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per parser (median is reported)")
    ap.add_argument("--show-misses", action="store_true", help="list the phrases each parser gets wrong")
    args = ap.parse_args(argv)
    dp = make_dateparser()
    if dp is None:
        print("dateparser is not installed (pip install dateparser); nothing to compare against.", file=sys.stderr)
        return 0
    everything = load_rows()
    parsers: list[tuple[str, Parser]] = [
        ("ours: parse_deadline_cell", ours),
        ("dateparser.parse(languages=['vi'])", dp[0]),
        ("dateparser.search.search_dates(languages=['vi'])", dp[1]),
    ]
    splits = {"all": everything}
    for split in sorted({r[4] for r in everything}):
        splits[split] = [r for r in everything if r[4] == split]
    dated = sum(1 for r in everything if r[3] is not None)
    sizes = ", ".join(f"{k} {len(v)}" for k, v in splits.items() if k != "all")
    print(f"{len(everything)} labelled phrases ({sizes}; {dated} with a due date), "
          f"phrases/s = median of {args.runs} runs over all phrases\n")
    print("| parser | split | date accuracy | date accuracy, dated phrases | kind accuracy | phrases/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    all_misses = {}
    for name, parser in parsers:
        for split, rows in splits.items():
            date_acc, dated_acc, kind_acc, rate, misses = measure(parser, rows, args.runs if split == "all" else 0)
            kind = f"{kind_acc:.1%}" if kind_acc is not None else "n/a"
            speed = f"{rate:,.0f}" if split == "all" else ""
            print(f"| {name} | {split} ({len(rows)}) | {date_acc:.1%} | {dated_acc:.1%} | {kind} | {speed} |")
            if split == "all":
                all_misses[name] = misses
    if args.show_misses:
        for name, misses in all_misses.items():
            print(f"\n### {name}: {len(misses)} misses")
            for m in misses:
                print(f"- {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
