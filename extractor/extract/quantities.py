"""Target values in Vietnamese text: ``100%``, ``Tối thiểu 30%``, ``trên 98% trở lên``, ``58 trạm``, ranks.

A *quantity* is a number with a unit (``%``, ``trạm``, ``bộ dữ liệu`` …) and
optional words around it that say how the target compares (``tối thiểu`` =
at least → ``>=``, ``trên`` = above → ``>``, ``dưới`` = below → ``<``,
``khoảng`` = about → ``~``) or in which direction it moves (``tăng`` = rise,
``giảm`` = cut).  A rank (``Trong nhóm 20 địa phương dẫn đầu cả nước``) has
unit ``rank`` and no number; ``Hoàn thành các chỉ tiêu …`` is a completion
target without a number.  A range ``10 - 13%/năm`` keeps its text and takes
the lower bound as its number.  A bare number without a unit is never a
quantity, so dates, years and document numbers are left alone.

The vocabulary is data (``patterns/target_values.jsonl``); this module holds
the mechanism.  Spans are half-open offsets into the searched string.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from ..rules import load_jsonl

__all__ = ["Quantity", "find_quantities", "parse_number", "vocabulary"]

_NUM = r"\d+(?:[.,]\d+)*"
_FLAGS = regex.IGNORECASE | regex.VERSION1


@dataclass(frozen=True)
class Quantity:
    """One target value found in a string.

    ``text == searched[start:end]``; ``core_start`` is where the comparator
    or number begins (after a direction word such as ``giảm``).
    """

    start: int
    end: int
    text: str
    number: float | None
    unit: str | None
    comparator: str | None
    kind: str  # "number" | "rank" | "completion"
    direction: str | None = None
    core_start: int = 0


@dataclass(frozen=True)
class _Vocab:
    value: regex.Pattern[str]
    rank: tuple[regex.Pattern[str], ...]
    completion: tuple[regex.Pattern[str], ...]
    comparators: dict[str, str]
    directions: dict[str, str]
    multipliers: dict[str, str]
    units: dict[str, str]
    words: dict[str, tuple[str, ...]]
    patterns: dict[str, tuple[regex.Pattern[str], ...]]


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def vocabulary() -> _Vocab:
    """The compiled vocabulary of ``patterns/target_values.jsonl``."""
    comparators: dict[str, str] = {}
    directions: dict[str, str] = {}
    multipliers: dict[str, str] = {}
    units: dict[str, str] = {}
    tails: list[str] = []
    words: dict[str, list[str]] = {}
    pats: dict[str, list[regex.Pattern[str]]] = {}
    for e in load_jsonl("target_values.jsonl"):
        kind = e["kind"]
        for w in e.get("words", []):
            words.setdefault(kind, []).append(w)
            key = w.casefold()
            if kind == "comparator":
                comparators[key] = e["comparator"]
            elif kind == "direction":
                directions[key] = e["comparator"]
            elif kind == "multiplier":
                multipliers[key] = e["comparator"]
            elif kind == "unit":
                units[key] = e.get("unit", w)
            elif kind == "tail":
                tails.append(w)
        for p in e.get("patterns", []):
            pats.setdefault(kind, []).append(regex.compile(p, _FLAGS))
    word_units = [u for u in units if u[0].isalpha()]
    sym_units = [u for u in units if not u[0].isalpha()]
    unit_rx = rf"(?:{_alt(sym_units)}|(?:{_alt(word_units)})(?![\p{{L}}\d]))"
    value = regex.compile(
        rf"(?<![\p{{L}}\d/.,])(?:(?P<dir>{_alt(list(directions))})\s+)?"
        rf"(?:(?P<cmp>{_alt(list(comparators))})(?:\s+|(?<=[<>=≤≥])\s*))?(?:(?P<mul>{_alt(list(multipliers))})\s+)?"
        rf"(?P<num>{_NUM})(?:\s*[-–]\s*(?P<num2>{_NUM}))?\s*(?P<unit>{unit_rx})(?P<per>\s*/\s*năm)?"
        rf"(?:\s+(?P<tail>{_alt(tails)}))?",
        _FLAGS,
    )
    return _Vocab(
        value=value,
        rank=tuple(pats.get("rank", [])),
        completion=tuple(pats.get("completion", [])),
        comparators=comparators,
        directions=directions,
        multipliers=multipliers,
        units=units,
        words={k: tuple(sorted(v, key=len, reverse=True)) for k, v in words.items()},
        patterns={k: tuple(v) for k, v in pats.items()},
    )


def parse_number(text: str) -> float:
    """``2,1`` → 2.1, ``50.000`` → 50000, ``32,2`` → 32.2 (Vietnamese separators)."""
    s = text.strip()
    if "," in s:
        return float(s.replace(".", "").replace(",", "."))
    parts = s.split(".")
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    return float(s)


def _number(m: regex.Match[str], v: _Vocab) -> Quantity:
    cmp_word = (m.group("cmp") or "").casefold()
    dir_word = m.group("dir")
    comparator = v.comparators.get(cmp_word)
    if comparator is None and m.group("mul"):
        comparator = v.multipliers.get(m.group("mul").casefold())
    if comparator is None and dir_word:
        comparator = v.directions.get(dir_word.casefold())
    if comparator is None:
        comparator = ">="
    unit = v.units.get(m.group("unit").casefold(), m.group("unit"))
    core = m.start("cmp") if m.group("cmp") else (m.start("mul") if m.group("mul") else m.start("num"))
    return Quantity(
        start=m.start(), end=m.end(), text=m.group(0), number=parse_number(m.group("num")), unit=unit,
        comparator=comparator, kind="number", direction=dir_word, core_start=core,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every target value in ``text``, left to right, non-overlapping.

    Ranks win over the numbers inside them (``nhóm 20 địa phương``);
    completion phrases are found only where no number is.

    Args:
        text: A clause, a paragraph or a table cell.

    Returns:
        The quantities; ``text[q.start:q.end] == q.text``.
    """
    v = vocabulary()
    found: list[Quantity] = []
    for rx in v.rank:
        for m in rx.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1] in " .;,":
                e -= 1
            if any(q.start < e and s < q.end for q in found):
                continue
            found.append(Quantity(s, e, text[s:e], None, "rank", None, "rank", None, s))
    for m in v.value.finditer(text):
        if any(q.start < m.end() and m.start() < q.end for q in found):
            continue
        found.append(_number(m, v))
    if not found:
        for rx in v.completion:
            for m in rx.finditer(text):
                e = m.start() + len("Hoàn thành")
                found.append(Quantity(m.start(), e, text[m.start():e], None, None, None, "completion", None, m.start()))
    return sorted(found, key=lambda q: q.start)
