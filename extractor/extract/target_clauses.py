"""Indicator and value pairs in one clause of a goals text.

A goals sentence states its values in one of three shapes, and the indicator
(chỉ tiêu = the measured thing) is read accordingly:

* value first: ``100% các cơ quan … được đánh giá`` → the words after the value;
  a list ``90% hồ sơ … tại cơ quan cấp tỉnh, 80% đối với …, 60% đối với …
  được tạo lập …`` shares its head noun and its predicate (``được …``);
* value last: ``Tỷ lệ hồ sơ trực tuyến … đạt 70%`` → the words before the
  value, without the linking verb (``đạt`` = reach, ``chiếm`` = make up);
* value inside: ``Phát triển tối thiểu 10 doanh nghiệp …`` → the clause with
  the value taken out.

Openers (``Phấn đấu`` = strive to, ``Hằng năm`` = every year, ``đến năm
2030``) are dropped and the year they name is kept.  Words are data in
``patterns/target_values.jsonl``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from .quantities import Quantity, find_quantities, vocabulary

__all__ = ["ClauseTarget", "clause_targets", "clean_indicator", "split_clauses", "year_in"]

_MARKER = regex.compile(r"\s*(?:[-+•–*]\s*|\(\d+\)\s*|\d+(?:\.\d+)*[.)]\s+|[a-zđ]\)\s*|[IVX]+\.\s+)")
_LABEL = regex.compile(r"(?P<label>[^:;]{3,70}?)\s*:\s+(?=\S)")
_LINK_BEFORE = regex.compile(r"(?:^|\s)(?:phấn đấu đạt|đạt)\s+$", regex.IGNORECASE)


@dataclass(frozen=True)
class ClauseTarget:
    """An indicator with its value; offsets are relative to the clause string."""

    indicator: str
    quantity: Quantity
    start: int
    end: int
    year: int | None


@dataclass(frozen=True)
class _Words:
    opener: regex.Pattern[str]
    cue_tail: regex.Pattern[str]
    year: tuple[regex.Pattern[str], ...]
    baseline: tuple[regex.Pattern[str], ...]
    predicate: regex.Pattern[str]
    label_drop: tuple[regex.Pattern[str], ...]
    year_phrase: regex.Pattern[str]
    clause_break: regex.Pattern[str]
    head: regex.Pattern[str]
    list_prep: regex.Pattern[str]
    beneficiary: regex.Pattern[str]
    possession: regex.Pattern[str]
    achieved: regex.Pattern[str]
    edge_front: regex.Pattern[str]
    edge_back: regex.Pattern[str]
    enumeration: regex.Pattern[str]


@cache
def _words() -> _Words:
    v = vocabulary()
    opener = "|".join(f"(?:{p.pattern})" for p in v.patterns.get("opener", ()))
    cues = "|".join(regex.escape(w) for w in v.words.get("cue", ()))
    preds = "|".join(regex.escape(w) for w in v.words.get("predicate", ()))
    flags = regex.IGNORECASE | regex.VERSION1

    def alt(kind: str) -> str:
        return "|".join(regex.escape(w) for w in v.words.get(kind, ()))

    return _Words(
        opener=regex.compile(rf"(?:{opener})(?!\p{{L}})[\s,:]*", flags),
        cue_tail=regex.compile(rf"(?:\s|^)(?:{cues})[\s:]*$", flags),
        year=v.patterns.get("year", ()),
        baseline=v.patterns.get("baseline", ()),
        predicate=regex.compile(rf"(?<!\p{{L}})(?:{preds})(?!\p{{L}})", flags),
        label_drop=v.patterns.get("label_drop", ()),
        year_phrase=regex.compile("|".join(f"(?:{p.pattern})" for p in v.patterns.get("year_phrase", ())), flags),
        clause_break=regex.compile(rf";\s*|\.\s+(?=\p{{Lu}})|,\s+(?=(?:{alt('clause_break')})\s)", flags),
        head=regex.compile(rf"^(?P<head>.+?)\s+(?P<prep>{alt('head_preposition')})\s"),
        list_prep=regex.compile(rf"^(?:{alt('list_preposition')})\s+", flags),
        beneficiary=regex.compile(rf"^(?P<vp>.*\S)\s+(?:{alt('beneficiary')})\s*$", flags | regex.DOTALL),
        possession=regex.compile(rf"(?:^|\s)(?:{alt('possession')})\s*$", flags),
        achieved=regex.compile(rf"(?:^|\s)(?:{alt('achieved')})\s*$", flags),
        edge_front=regex.compile(rf"^(?:{alt('edge_word')})\s+", flags),
        edge_back=regex.compile(rf"\s+(?:{alt('edge_word')})\s*$", flags),
        enumeration=regex.compile(rf",?\s*(?:{alt('enumeration')})\s*:.*$", flags),
    )


def year_in(text: str) -> int | None:
    """The target year a text names (``đến năm 2030``, ``riêng năm 2025``), else None."""
    for rx in _words().year:
        m = rx.search(text)
        if m:
            return int(m.group(1))
    return None


def clean_indicator(text: str) -> str:
    """Single spaces, no edge punctuation or year phrase, first letter upper case."""
    s = regex.sub(r"\s+", " ", text.replace("*", "")).strip()
    s = _words().enumeration.sub("", s)
    s = _words().year_phrase.sub(" ", s)
    s = regex.sub(r"\s+", " ", s)
    s = regex.sub(r"\(\s*\)", "", s)
    s = s.strip(" ,;:.-–+")
    s = _words().edge_front.sub("", s)
    return s[:1].upper() + s[1:]


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a paragraph: ``;``, sentence ends and ``, phấn đấu …`` breaks."""
    cuts = [0]
    for m in _words().clause_break.finditer(text):
        cuts += [m.start(), m.end()]
    cuts.append(len(text))
    out = []
    for i in range(0, len(cuts) - 1, 2):
        s, e = cuts[i], cuts[i + 1]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1] in " .\n\t":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _in_parens(text: str, pos: int) -> bool:
    return text.count("(", 0, pos) > text.count(")", 0, pos)


def _strip_front(text: str, pos: int) -> int:
    """Skip list markers and openers from ``pos``."""
    w = _words()
    while True:
        m = _MARKER.match(text, pos) or w.opener.match(text, pos)
        if not m or m.end() == pos:
            return pos
        pos = m.end()


def _tail_cue(text: str) -> str:
    return _words().cue_tail.sub("", text)


def _remove_core(seg: str, q: Quantity, base: int) -> str:
    """``seg`` (starting at ``base`` in the clause) with the value's comparator and number taken out."""
    s, e = q.core_start - base, q.end - base
    unit = q.unit or ""
    if q.kind == "number" and unit and unit[0].isalpha():
        # Keep the counted noun: "tối thiểu 10 doanh nghiệp" -> "doanh nghiệp".
        m = regex.search(regex.escape(unit), seg[s:e], flags=regex.IGNORECASE)
        if m:
            return seg[:s] + seg[s + m.start():]
    return seg[:s] + " " + seg[e:]


def _share(segs: list[str], qs: list[Quantity]) -> list[str]:
    """Give every item of a value list the head noun and predicate the list shares."""
    w = _words()
    if len(segs) < 2:
        return segs
    last = segs[-1]
    pm = w.predicate.search(last)
    if pm and pm.start() > 0 and not any(w.predicate.search(s) for s in segs[:-1]):
        pred = last[pm.start():]
        segs = [s.rstrip(" ,") + " " + pred for s in segs[:-1]] + [last]
    head = w.head.match(segs[0])
    out = [segs[0]]
    for s in segs[1:]:
        m = w.list_prep.match(s)
        if m and head:
            s = f"{head.group('head')} {head.group('prep')} {s[m.end():]}"
        out.append(s)
    return out


def clause_targets(clause: str, *, label: str | None = None, require_cue: bool = False,
                   cue_rx: regex.Pattern[str] | None = None) -> list[ClauseTarget]:
    """Indicator/value pairs of one clause.

    Args:
        clause: The clause text (no ``;``).
        label: A context label printed before the list (``Tại địa bàn đô thị``).
        require_cue: Outside a goals section: only values after a cue word
            (``phấn đấu``, ``mục tiêu``) count, and the indicator starts after it.
        cue_rx: The cue pattern used with ``require_cue``.

    Returns:
        The pairs, in order; empty when the clause states no value.
    """
    w = _words()
    qs = [q for q in find_quantities(clause) if not _in_parens(clause, q.start)]
    if not qs:
        return []
    pos = 0
    if require_cue:
        cue = None
        if cue_rx is not None:
            for m in cue_rx.finditer(clause):
                if m.start() < qs[0].start:
                    cue = m
        if cue is None:
            return []
        pos = cue.start()
    pos = _strip_front(clause, pos)
    if any(rx.search(clause, 0, qs[0].start) for rx in w.baseline):
        return []
    lm = _LABEL.match(clause, pos)
    if lm and lm.end() <= qs[0].start and not find_quantities(lm.group("label")):
        text = lm.group("label").strip()
        drop = any(rx.match(text) for rx in w.label_drop)
        if len(text.split()) <= 9 and not drop:
            label = f"{label}: {text}" if label else text
        pos = _strip_front(clause, lm.end())
    qs = [q for q in qs if q.start >= pos]
    if not qs:
        return []
    end = len(clause.rstrip(" .;,"))
    tail = w.enumeration.search(clause, qs[-1].end)
    if tail is not None:
        end = tail.start()  # "…, cụ thể như sau:" announces what follows; it is not part of the indicator
    if qs[0].start == pos:
        segs = _value_first(clause, qs, end)
    elif qs[-1].end >= end or (len(qs) == 1 and _LINK_BEFORE.search(clause, pos, qs[0].start)):
        segs = _value_last(clause, qs, pos)
    else:
        segs = _value_inside(clause, qs, pos, end)
    year = year_in(clause)
    out = []
    for q, seg in zip(qs, segs, strict=True):
        ind = clean_indicator(seg)
        if len(ind) < 6 or not regex.search(r"\p{L}{2}", ind):
            if not label or ind:
                continue
            ind, lab = clean_indicator(label), None
        else:
            lab = label
        if lab:
            ind = f"{lab.strip().rstrip(':')}: {ind}"
        out.append(ClauseTarget(ind, q, pos, end, year))
    return out


def _value_first(clause: str, qs: list[Quantity], end: int) -> list[str]:
    """``100% các cơ quan … được đánh giá``: the words after each value."""
    segs = [clause[q.end:(qs[i + 1].start if i + 1 < len(qs) else end)] for i, q in enumerate(qs)]
    segs = [regex.sub(r"^\s*\([^()]*\)", "", s) for s in segs]
    segs = [regex.sub(r"^[\s,]+|[\s,]*(?:\bvà\b|\bhoặc\b)?[\s,]*$", "", s) for s in segs]
    segs = _share(segs, qs)
    if qs[0].direction:
        segs = [f"{q.direction or qs[0].direction} {s}" for s, q in zip(segs, qs, strict=True)]
    return segs


def _value_last(clause: str, qs: list[Quantity], pos: int) -> list[str]:
    """``Tỷ lệ hồ sơ trực tuyến … đạt 70%``: the words before each value, without the linking verb."""
    segs = []
    prev = pos
    for q in qs:
        seg = clause[prev:q.start]
        seg = regex.sub(r"^[\s,]*(?:\bvà\b)?[\s,]*", "", seg)
        seg = seg[_strip_front(seg, 0):]
        seg = _words().edge_back.sub("", _tail_cue(seg.rstrip(" ,:")))
        segs.append(seg)
        prev = q.end
    return segs


def _value_inside(clause: str, qs: list[Quantity], pos: int, end: int) -> list[str]:
    """``Phát triển tối thiểu 10 doanh nghiệp …``: the clause without the value.

    ``… cho 100% số người …`` (a verb, then *for* the counted people) reads as
    ``Số người … được <verb>``; ``… có ít nhất 20 tập dữ liệu …`` (*has* N
    units) as ``Số tập dữ liệu …``; ``xây dựng được 20% xã …`` as ``Xã … xây dựng được``.
    """
    w = _words()
    before = clause[pos:qs[0].start]
    segs = []
    for i, q in enumerate(qs):
        after = clause[q.end:(qs[i + 1].start if i + 1 < len(qs) else end)]
        after = regex.sub(r"[\s,]*(?:\bvà\b)?[\s,]*$", "", after)
        noun = _remove_core(clause[q.core_start:q.end] + after, q, q.core_start).strip()
        verb = clause[q.start:q.core_start]
        prep = w.beneficiary.match(before)
        if prep and not verb:
            segs.append(f"{noun} được {_lower_first(prep.group('vp'))}")
        elif w.possession.search(before) and q.unit and q.unit[0].isalpha() and not verb:
            segs.append(f"Số {noun}")
        elif w.achieved.search(before) and not verb:
            segs.append(f"{noun} {_lower_first(before.strip())}")
        else:
            segs.append(f"{before}{verb}{noun}")
    return segs


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s
