"""Scoring of targets, attendee lists and events against ``corpus/gold``.

Targets: a predicted target matches a gold one when their indicators agree
softly on the first 80 characters (normalised Levenshtein similarity ≥ 0.7,
one a prefix of the other, or the shorter contained in the longer); pairs
whose values also agree are matched first, one-to-one.  ``targets.value``
is right when the value texts are softly equal or number and unit agree
(units compared by their first word: ``%`` = ``% GRDP``); monitoring and
implementing agencies are scored as sets of soft names.

Attendee lists match by title or by stated total; their rows match by unit
text and count.  Events match by start date and title.  String fields are
compared softly (:func:`extractor.evaluate.soft`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import regex
from rapidfuzz.distance import Levenshtein

from .evaluate_tasks import agency_set

if TYPE_CHECKING:
    from .evaluate import Report
    from .model import AttendeeList, Event, Record, Target

__all__ = ["same_indicator", "score_attendees", "score_events", "score_targets", "value_ok"]

TEXT_CHARS = 80
G = TypeVar("G")
P = TypeVar("P")


def _key(text: str | None, n: int = TEXT_CHARS) -> str:
    from .evaluate import soft

    return (soft(text) or "")[:n]


def _similar(a: str | None, b: str | None, threshold: float, n: int = TEXT_CHARS) -> float:
    """Similarity in [0, 1] when ``a`` and ``b`` agree (else 0): Levenshtein, prefix or containment."""
    ka, kb = _key(a, n), _key(b, n)
    if not ka or not kb:
        return 0.0
    sim = Levenshtein.normalized_similarity(ka, kb)
    # A parenthesised note on one side only ("(trồng trọt, chăn nuôi …)") does not make another indicator.
    pa, pb = (_key(regex.sub(r"\([^()]*\)", " ", x or ""), n) for x in (a, b))
    if pa and pb:
        sim = max(sim, Levenshtein.normalized_similarity(pa, pb))
    short, long_ = sorted((_key(a, 400), _key(b, 400)), key=len)
    if len(short) >= 20 and (long_.startswith(short) or short in long_):
        sim = max(sim, 0.95)
    return sim if sim >= threshold else 0.0


def same_indicator(a: str | None, b: str | None) -> bool:
    """Whether two indicator texts name the same indicator (see the module doc)."""
    return _similar(a, b, 0.7) > 0


def _unit_eq(a: str | None, b: str | None) -> bool:
    from .evaluate import soft

    sa, sb = soft(a) or "", soft(b) or ""
    if a is None or b is None:
        return False
    if a.strip().startswith("%") and b.strip().startswith("%"):
        return True
    return sa == sb or (bool(sa) and bool(sb) and sa.split()[0] == sb.split()[0])


def value_ok(g: dict[str, Any], p: Any) -> bool:
    """A predicted value is right when its text agrees softly or its number and unit agree."""
    from .evaluate import soft

    if soft(g.get("text")) == soft(p.text):
        return True
    gn, pn = g.get("number"), p.number
    numbers = (gn is None and pn is None) or (gn is not None and pn is not None and math.isclose(gn, pn))
    return numbers and _unit_eq(g.get("unit"), p.unit)


def _match(gold: Sequence[G], pred: Sequence[P], passes: list[Callable[[G, P], float]]) -> list[tuple[G, P]]:
    """One-to-one matching: each pass pairs every open gold item with its best-scoring open prediction."""
    used: set[int] = set()
    done: set[int] = set()
    pairs: list[tuple[G, P]] = []
    for score in passes:
        for gi, g in enumerate(gold):
            if gi in done:
                continue
            best, best_i = 0.0, -1
            for pi, p in enumerate(pred):
                if pi in used:
                    continue
                s = score(g, p)
                if s > best:
                    best, best_i = s, pi
            if best_i >= 0:
                used.add(best_i)
                done.add(gi)
                pairs.append((g, pred[best_i]))
    return pairs


def _sets(report: Report, name: str, gold: list[str], pred: list[str]) -> bool:
    g, p = agency_set(gold), agency_set(pred)
    report.counts(name).add_sets(len(g & p), len(p - g), len(g - p))
    return g == p


def score_targets(gold: dict[str, Any], rec: Record | None, report: Report, name: str) -> None:
    """Targets: detection P/R/F1, value accuracy, year accuracy, monitor/implementer agency F1."""
    g_items: list[dict[str, Any]] = gold.get("targets") or []
    p_items: list[Target] = list(rec.targets) if rec is not None else []

    def with_value(g: dict[str, Any], p: Target) -> float:
        return _similar(g.get("indicator"), p.indicator, 0.7) if value_ok(g.get("value") or {}, p.value) else 0.0

    def indicator_only(g: dict[str, Any], p: Target) -> float:
        return _similar(g.get("indicator"), p.indicator, 0.7)

    pairs = _match(g_items, p_items, [with_value, indicator_only])
    report.counts("targets").add_sets(len(pairs), len(p_items) - len(pairs), len(g_items) - len(pairs))
    values = report.counts("targets.value")
    years = report.counts("targets.year")
    for g, p in pairs:
        gv = g.get("value") or {}
        ok = value_ok(gv, p.value)
        values.add(gv, p.value, ok)
        years.add(g.get("year"), p.year, g.get("year") == p.year)
        m_ok = _sets(report, "targets.monitor", g.get("monitor") or [], [a.name for a in p.monitor])
        i_ok = _sets(report, "targets.implementers", g.get("implementers") or [], [a.name for a in p.implementers])
        if g.get("year") != p.year:
            report.mismatches.append(f"{name}: target {g.get('indicator', '')[:50]!r}: year gold={g.get('year')} "
                                     f"pred={p.year}")
        if not (ok and m_ok and i_ok):
            report.mismatches.append(
                f"{name}: target {g.get('indicator', '')[:50]!r}: value gold={gv.get('text')!r} pred={p.value.text!r}"
                + ("" if m_ok else f" monitor pred={[a.name for a in p.monitor]}")
                + ("" if i_ok else f" implementers gold={g.get('implementers')} pred={[a.name for a in p.implementers]}")
            )
    matched_g = {id(g) for g, _ in pairs}
    matched_p = {id(p) for _, p in pairs}
    report.mismatches += [f"{name}: target missed: {g.get('indicator', '')[:70]!r} = {(g.get('value') or {}).get('text')!r}"
                          for g in g_items if id(g) not in matched_g]
    report.mismatches += [f"{name}: target extra: {p.indicator[:70]!r} = {p.value.text[:30]!r}"
                          for p in p_items if id(p) not in matched_p]


def score_attendees(gold: dict[str, Any], rec: Record | None, report: Report, name: str) -> None:
    """Attendee lists (by title or total), their rows (unit + count) and the stated/computed totals."""
    g_lists: list[dict[str, Any]] = gold.get("attendees") or []
    p_lists: list[AttendeeList] = list(rec.attendees) if rec is not None else []

    def same_list(g: dict[str, Any], p: AttendeeList) -> float:
        if g.get("stated_total") is not None and g.get("stated_total") == p.stated_total:
            return 1.0
        return _similar(g.get("title"), p.title, 0.6)

    pairs = _match(g_lists, p_lists, [same_list])
    report.counts("attendees").add_sets(len(pairs), len(p_lists) - len(pairs), len(g_lists) - len(pairs))
    rows = report.counts("attendees.rows")
    stated = report.counts("attendees.stated_total")
    computed = report.counts("attendees.computed_total")
    for g, p in pairs:
        g_rows: list[dict[str, Any]] = g.get("rows") or []

        def same_row(gr: dict[str, Any], pr: Any) -> float:
            return _similar(gr.get("unit"), pr.unit, 0.7, 60) if gr.get("count") == pr.count else 0.0

        rpairs = _match(g_rows, list(p.rows), [same_row])
        rows.add_sets(len(rpairs), len(p.rows) - len(rpairs), len(g_rows) - len(rpairs))
        for field, counts, pv in (("stated_total", stated, p.stated_total), ("computed_total", computed, p.computed_total)):
            gv = g.get(field)
            counts.add(gv, pv, gv == pv)
            if gv != pv:
                report.mismatches.append(f"{name}: attendees {field}: gold={gv} pred={pv}")
    matched_p = {id(p) for _, p in pairs}
    report.mismatches += [f"{name}: attendee list extra: {p.title!r} total={p.stated_total}"
                          for p in p_lists if id(p) not in matched_p]
    matched_g = {id(g) for g, _ in pairs}
    report.mismatches += [f"{name}: attendee list missed: {g.get('title')!r}" for g in g_lists if id(g) not in matched_g]


EVENT_FIELDS = ("start", "end", "time_of_day", "venue", "mode", "chair", "capacity", "expected_attendees")
_SOFT_EVENT_FIELDS = ("venue", "chair")


def score_events(gold: dict[str, Any], rec: Record | None, report: Report, name: str) -> None:
    """Events (matched by start date and title) and the accuracy of each of their fields."""
    from .evaluate import soft

    g_events: list[dict[str, Any]] = gold.get("events") or []
    p_events: list[Event] = list(rec.events) if rec is not None else []

    def same_event(g: dict[str, Any], p: Event) -> float:
        if g.get("start") != p.start:
            return 0.0
        sim = _similar(g.get("title"), p.title, 0.5)
        alone = sum(x.get("start") == p.start for x in g_events) == 1 and sum(x.start == p.start for x in p_events) == 1
        return sim or (0.5 if alone else 0.0)

    pairs = _match(g_events, p_events, [same_event])
    report.counts("events").add_sets(len(pairs), len(p_events) - len(pairs), len(g_events) - len(pairs))
    for g, p in pairs:
        for f in EVENT_FIELDS:
            gv, pv = g.get(f), getattr(p, f)
            ok = soft(gv) == soft(pv) if f in _SOFT_EVENT_FIELDS else gv == pv
            report.counts(f"events.{f}").add(gv, pv, ok)
            if not ok:
                report.mismatches.append(f"{name}: event {f}: gold={gv!r} pred={pv!r}")
    matched_p = {id(p) for _, p in pairs}
    report.mismatches += [f"{name}: event extra: {p.start} {p.title[:60]!r}" for p in p_events if id(p) not in matched_p]
    matched_g = {id(g) for g, _ in pairs}
    report.mismatches += [f"{name}: event missed: {g.get('start')} {g.get('title', '')[:60]!r}"
                          for g in g_events if id(g) not in matched_g]


def score_extra(gold: dict[str, Any], rec: Record | None, report: Report, name: str) -> None:
    """Targets, attendees and events of one document."""
    score_targets(gold, rec, report, name)
    score_attendees(gold, rec, report, name)
    score_events(gold, rec, report, name)
