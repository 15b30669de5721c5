"""Task scoring: detection, lead/support agencies, deadlines, fully-correct tasks.

A predicted task matches a gold task when their texts agree softly on the
first 80 characters (normalised Levenshtein similarity ≥ 0.75, or one is a
prefix of the other); matching is one-to-one, each gold task (in document
order) taking the most similar remaining prediction.
Agencies are compared as sets of soft names (the article "các" ignored:
"Ủy ban nhân dân các xã" and "Ủy ban nhân dân xã" name the same bodies).  A task is fully correct when it
is found, its lead set is right and its due date is right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import Levenshtein

if TYPE_CHECKING:
    from .evaluate import Report
    from .model import Record

TEXT_CHARS = 80


def _text_key(text: str) -> str:
    from .evaluate import soft

    return (soft(text) or "")[:TEXT_CHARS]


def same_task_text(a: str, b: str) -> bool:
    ka, kb = _text_key(a), _text_key(b)
    if not ka or not kb:
        return False
    short = min(len(ka), len(kb))
    if short >= 25 and ka[:short] == kb[:short]:
        return True
    return Levenshtein.normalized_similarity(ka, kb) >= 0.75


def match_tasks(
    gold: list[dict[str, Any]], pred: list[Any], *, by_order: bool = False
) -> tuple[int, int, int, list[tuple[Any, Any]]]:
    """One-to-one matching: each gold task takes the most similar unused prediction that passes
    :func:`same_task_text` (similar openings are common: "Xây dựng và tổ chức triển khai Kế hoạch …");
    with ``by_order`` (two readings of one document, in the same order), of the candidates within
    0.02 of the best the one nearest the gold task's place wins."""
    from .evaluate import soft

    used = [False] * len(pred)
    pairs: list[tuple[Any, Any]] = []
    pkeys = [(soft(p.text) or "")[:200] for p in pred]
    for n, g in enumerate(gold):
        gk = (soft(g.get("text", "")) or "")[:200]
        sims: list[tuple[float, int]] = []
        for i, p in enumerate(pred):
            if used[i] or not same_task_text(g.get("text", ""), p.text):
                continue
            short = min(len(gk), len(pkeys[i]))
            sims.append((Levenshtein.normalized_similarity(gk[:short], pkeys[i][:short]), i))
        best_i = -1
        if sims and not by_order:
            best_i = max(sims, key=lambda si: (si[0], -si[1]))[1]
        elif sims:
            # Repeated wording ("Triển khai nhiệm vụ được giao tại Phụ lục") under
            # several bodies: among near-equal candidates the one at the same
            # place in the document wins, so that an OCR typo does not swap them.
            top = max(s for s, _ in sims)
            expected = n * len(pred) / max(1, len(gold))
            best_i = min((i for s, i in sims if s >= top - 0.02), key=lambda i: (abs(i - expected), i))
        if best_i >= 0:
            used[best_i] = True
            pairs.append((g, pred[best_i]))
    tp = len(pairs)
    return tp, len(pred) - tp, len(gold) - tp, pairs


def agency_key(name: str) -> str:
    """Soft form of a body's name; the collective article "các"/"những" is not part of the name."""
    import regex

    from .evaluate import soft

    s = soft(name) or ""
    return regex.sub(r"\s+", " ", regex.sub(r"(?<!\S)(?:các|những)(?!\S)", " ", s)).strip()


def agency_set(names: list[str]) -> set[str]:
    return {k for k in (agency_key(n) for n in names) if k}


def score_tasks(gold: dict[str, Any], rec: Record | None, report: Report, name: str) -> None:
    """Add one document's task comparison to ``report``."""
    g_tasks: list[dict[str, Any]] = gold.get("tasks") or []
    p_tasks = list(rec.tasks) if rec is not None else []
    tp, fp, fn, pairs = match_tasks(g_tasks, p_tasks)
    report.counts("tasks").add_sets(tp, fp, fn)
    lead = report.counts("tasks.lead")
    support = report.counts("tasks.support")
    date = report.counts("tasks.deadline.date")
    kind = report.counts("tasks.deadline.kind")
    full = 0
    for g, p in pairs:
        gl = agency_set(g.get("lead") or [])
        pl = agency_set([a.name for a in p.lead])
        lead.add_sets(len(gl & pl), len(pl - gl), len(gl - pl))
        gsup = agency_set(g.get("support") or [])
        psup = agency_set([a.name for a in p.support])
        support.add_sets(len(gsup & psup), len(psup - gsup), len(gsup - psup))
        gd = g.get("deadline") or {}
        gdate, gkind = gd.get("date"), gd.get("kind")
        pdate = p.deadline.date if p.deadline else None
        pkind = p.deadline.kind if p.deadline else None
        date.add(gdate, pdate, gdate == pdate)
        if gkind is not None or pkind not in (None, "none"):
            kind.add(gkind, pkind, gkind == pkind)
        if gl == pl and gdate == pdate:
            full += 1
        else:
            report.mismatches.append(
                f"{name}: task {g.get('text', '')[:50]!r}: lead gold={sorted(gl)} pred={sorted(pl)} "
                f"date gold={gdate} pred={pdate}"
            )
    report.counts("tasks.fully_correct").add_sets(full, len(p_tasks) - full, len(g_tasks) - full)
    matched = {id(g) for g, _ in pairs}
    for g in g_tasks:
        if id(g) not in matched:
            report.mismatches.append(f"{name}: task missed: {g.get('text', '')[:70]!r}")
    matched_p = {id(p) for _, p in pairs}
    for p in p_tasks:
        if id(p) not in matched_p:
            report.mismatches.append(f"{name}: task extra: {p.text[:70]!r}")
