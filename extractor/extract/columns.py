"""Table columns recognised by their header wording (synonyms are data in ``patterns/``).

Task tables (``patterns/task_columns.jsonl``) and target tables
(``patterns/target_columns.jsonl``) share one mechanism: an exact synonym,
else a leading synonym, else (optionally) a near synonym, so that typos in
real headers ("CHỦ ĐỂ THAM LUẬN") still map.
"""

from __future__ import annotations

from functools import cache

import regex
from rapidfuzz import fuzz

from ..rules import load_jsonl


@cache
def header_words(pattern_file: str) -> tuple[tuple[str, str], ...]:
    """``(synonym, role)`` pairs of a column pattern file, longest synonyms first."""
    pairs = [(h, e["role"]) for e in load_jsonl(pattern_file) for h in e["headers"]]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def norm_header(s: str) -> str:
    """Header text case-folded and single-spaced, parenthesised notes ("(năm 2025)") removed."""
    s = regex.sub(r"\s+", " ", s.replace("\n", " ")).strip().casefold()
    return regex.sub(r"\s*\(.*?\)\s*", " ", s).strip(" :.")


def column_role(header: str, pattern_file: str, *, exact: bool = False, fuzzy: bool = False) -> str | None:
    """The role of a column from its header text, or None.

    Args:
        header: the header cell's text.
        pattern_file: ``task_columns.jsonl`` or ``target_columns.jsonl``.
        exact: only exact synonyms count (used to spot repeated header rows).
        fuzzy: also accept a near synonym (normalised similarity ≥ 88 on synonyms of 8+ characters).
    """
    h = norm_header(header)
    if not h:
        return None
    words = header_words(pattern_file)
    for word, role in words:
        if h == word:
            return role
    if exact:
        return None
    for word, role in words:
        if h.startswith(word) and len(word) >= 5:
            return role
    if not fuzzy:
        return None
    best = max(((fuzz.ratio(h, word), role) for word, role in words if len(word) >= 8), default=(0.0, None))
    return best[1] if best[0] >= 88 else None
