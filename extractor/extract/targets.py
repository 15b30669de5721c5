"""Targets (chỉ tiêu): the stated values a plan sets for its indicators.

Two sources, read by :mod:`.target_tables` and here:

* target tables (``STT | Chỉ tiêu | Chỉ tiêu phấn đấu năm 2025 | Đơn vị theo
  dõi | Đơn vị thực hiện``);
* goals sections: every line under a heading that names ``MỤC TIÊU`` or
  ``CHỈ TIÊU`` (``II. MỤC TIÊU, CHỈ TIÊU`` → ``2. Mục tiêu cụ thể`` → its
  bullets), split into clauses, each value of a clause one target.  Outside
  those sections a value counts only after a cue in its own sentence
  (``phấn đấu`` = strive to, ``mục tiêu`` = goal): ``…, cụ thể: Phấn đấu tổng
  tỷ suất sinh đạt 2,1 con/phụ nữ; …``.

A bullet that ends with a colon and states no value (``- Tại địa bàn có khu
công nghiệp:``) labels the paragraph below it.  A target restated in prose
(intro, purposes, tasks) is kept once, and a goals sentence printed again
in an appendix table is the table's target.  Baselines (``hiện nay`` …) and
values in parentheses are not targets.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex
from rapidfuzz import fuzz

from ..segment.sections import SectionNode, flatten, match_marker
from ..text.document import Document
from .agencies import find_agencies
from .quantities import vocabulary
from .target_clauses import clause_targets, split_clauses, year_in
from .target_tables import TargetCandidate, targets_from_tables
from .task_common import AgencyRef

__all__ = ["TargetCandidate", "find_targets", "split_index_list"]

_MARKER = regex.compile(r"^\s*(?:[-+•–*]\s*|\(\d+\)\s*)")


@cache
def _index_list() -> regex.Pattern[str]:
    """``các Chỉ số PAR Index, SIPAS, PAPI``: a noun over a list of capitalised names."""
    nouns = "|".join(regex.escape(w) for w in vocabulary().words.get("index_noun", ()))
    name = r"[A-Z]\w*(?:\s+[A-Z]\w*)?"
    return regex.compile(rf"^(?P<pre>.*?)(?:các\s+)?(?P<noun>(?i:{nouns}))\s+"
                         rf"(?P<items>{name}(?:\s*,\s*{name})+(?:\s+và\s+{name})?)(?P<post>(?=\s|$).*)$")


@cache
def _head_end() -> regex.Pattern[str]:
    words = "|".join(regex.escape(w) for w in vocabulary().words.get("head_end", ()))
    return regex.compile(rf"\s+(?:{words})\s+", regex.IGNORECASE)


@cache
def _zone_rx() -> regex.Pattern[str]:
    words = "|".join(p.pattern for p in vocabulary().patterns.get("zone", ()))
    return regex.compile(rf"^(?:\W*[\w/]+){{0,3}}?\W*(?:{words})(?!\p{{L}})", regex.IGNORECASE)


@cache
def _cue_rx() -> regex.Pattern[str]:
    pats = vocabulary().patterns.get("prose_cue", ())
    return regex.compile("|".join(f"(?:{p.pattern})" for p in pats), regex.IGNORECASE)


def _soft(s: str) -> str:
    return regex.sub(r"[\W_]+", " ", s.casefold()).strip()


def split_index_list(indicator: str) -> list[str]:
    """``Kết quả các Chỉ số PAR Index, SIPAS, PAPI năm 2026`` → one indicator per named index."""
    m = _index_list().match(indicator)
    if not m:
        return [indicator]
    items = [x.strip() for x in regex.split(r"\s*,\s*|\s+và\s+", m.group("items")) if x.strip()]
    noun = m.group("noun")[:1].upper() + m.group("noun")[1:]
    return [f"{m.group('pre')}{noun} {item}{m.group('post')}".strip() for item in items]


def _body_heading(node: SectionNode) -> bool:
    """A heading that is only the name of a body (``1. Sở Y tế``)."""
    title = node.title.strip(" :.")
    found = find_agencies(title)
    covered = sum(len(regex.sub(r"\W", "", m.text)) for m in found)
    return bool(found) and covered >= 0.8 * len(regex.sub(r"\W", "", title))


def _heading_agencies(node: SectionNode, doc: Document) -> list[AgencyRef]:
    base = node.title_start
    text = doc.text[base:base + len(node.title)]
    return [AgencyRef(m.name, m.text, m.kind, base + m.start, base + m.end, m.known) for m in find_agencies(text)]


def _announced(doc: Document, heads: list[SectionNode], body_start: int) -> list[tuple[int, int]]:
    """Sections whose text announces a list of goals (``phấn đấu …, cụ thể như sau:``)."""
    cue_rx = _cue_rx()
    out = []
    for li, line in enumerate(doc.lines):
        if li < body_start or line.table is not None:
            continue
        text = doc.line_text(line)
        if any(rx.search(text) for rx in vocabulary().patterns.get("announce", ())) and cue_rx.search(text):
            inner = max((n for n in heads if n.start <= line.start < n.end), key=lambda n: n.level, default=None)
            if inner is not None:
                out.append((inner.start, inner.end))
    return out


def _expand_ellipsis(indicator: str, previous: str | None) -> str:
    """``số vụ có tổ chức`` after ``Số vụ phạm tội về ma túy được …`` → ``Số vụ phạm tội về ma túy có tổ chức``."""
    if not previous:
        return indicator
    head = _head_end().split(previous, maxsplit=1)[0]
    hw, iw = head.split(), indicator.split()
    counts = {w.casefold() for w in vocabulary().words.get("count_noun", ())}
    # Only a count ("Số vụ …", "số người …") is shortened this way in a list.
    if len(hw) > 2 and len(iw) > 2 and hw[0].casefold() in counts and [w.casefold() for w in hw[:2]] == [
            w.casefold() for w in iw[:2]] and iw[2].casefold() != hw[2].casefold():
        return " ".join(hw + iw[2:])
    return indicator


def _sentence_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in regex.finditer(r"\.\s+(?=\p{Lu})", text)]


def _prose_targets(doc: Document, roots: list[SectionNode], body_start: int,
                   default_year: int | None, allow_cues: bool) -> list[TargetCandidate]:
    heads = [n for n in flatten(roots) if not n.kind.startswith("bullet")]
    zone_rx, cue_rx = _zone_rx(), _cue_rx()
    announced = _announced(doc, heads, body_start)
    out: list[TargetCandidate] = []
    label: str | None = None
    for li, line in enumerate(doc.lines):
        if li < body_start or line.table is not None:
            continue
        text = doc.line_text(line)
        chain = sorted((n for n in heads if n.start <= line.start < n.end), key=lambda n: n.level)
        zone = any(zone_rx.match(n.title) for n in chain)
        cue_zone = not zone and any(s <= line.start < e for s, e in announced)
        marker = match_marker(text) is not None or _MARKER.match(text) is not None
        if marker:
            label = None
        clauses = split_clauses(text)
        if not clauses:
            continue
        stripped = _MARKER.sub("", text).strip()
        if marker and stripped.endswith(":") and len(stripped.split()) <= 12 and not regex.search(r"\d", stripped):
            if match_marker(text) is None:
                label = stripped.rstrip(":").strip()
            continue
        if not (zone or cue_zone or allow_cues):
            continue
        year = next((y for n in reversed(chain) if (y := year_in(n.title)) is not None), None)
        owner = next((n for n in reversed(chain) if _body_heading(n)), None)
        implementers = _heading_agencies(owner, doc) if owner is not None else []
        scope = chain[-1].start if chain else -1
        starts = _sentence_starts(text)
        cue_at = -1  # start of the sentence whose cue word opened a goals list
        previous: str | None = None
        for s, e in clauses:
            clause = text[s:e]
            if zone or cue_zone:
                found = clause_targets(clause, label=None if marker else label)
            else:
                sentence = max(x for x in starts if x <= s)
                if cue_at != sentence:
                    cue_at = -1
                cue = cue_rx.search(clause)
                if cue_at >= 0:
                    found = clause_targets(clause)
                elif cue:
                    found = clause_targets(clause, require_cue=True, cue_rx=cue_rx)
                else:
                    found = []
                if cue:
                    cue_at = sentence
            for ct in found:
                q = ct.quantity
                indicator = _expand_ellipsis(ct.indicator, previous)
                previous = indicator
                out.append(TargetCandidate(
                    indicator=indicator, value_text=q.text, number=q.number, unit=q.unit,
                    comparator=q.comparator, start=line.start + s + ct.start, end=line.start + s + ct.end,
                    year=ct.year or year or default_year, implementers=list(implementers),
                    source=stripped, scope=scope, cue=not zone,
                ))
    if any(not c.cue for c in out):
        # A goals section states the targets; figures restated elsewhere are not new ones.
        out = [c for c in out if not c.cue]
    return out


def _same_target(a: TargetCandidate, b: TargetCandidate) -> bool:
    if (a.number, a.unit) != (b.number, b.unit) or a.scope == b.scope:
        return False
    return fuzz.ratio(_soft(a.indicator), _soft(b.indicator)) >= 85


def _dedupe(tables: list[TargetCandidate], prose: list[TargetCandidate]) -> list[TargetCandidate]:
    """A target restated in prose is kept once; a goals sentence printed again in a table is the table's."""
    kept: list[TargetCandidate] = []
    sources = [_soft(t.source) for t in tables if t.source]
    for p in prose:
        src = _soft(p.source)
        if any(fuzz.ratio(src, s) >= 90 for s in sources):
            continue
        if any(_same_target(p, k) for k in kept):
            continue
        kept.append(p)
    return tables + kept


def find_targets(doc: Document, roots: list[SectionNode], body_start: int,
                 appendices: list[tuple[int, str, str]], default_year: int | None,
                 allow_cues: bool = True) -> list[TargetCandidate]:
    """Every target of a document, in text order.

    Args:
        doc: The normalised document.
        roots: Its section tree.
        body_start: Index of the first body line.
        appendices: ``(start, label, title)`` of the appendix parts.
        default_year: The plan's year, for targets no heading or sentence dates.
        allow_cues: Read cue sentences outside goals sections (not in notices and letters).

    Returns:
        The target candidates (offsets index ``doc.text``).
    """
    tables = targets_from_tables(doc, appendices, default_year)
    prose = _prose_targets(doc, roots, body_start, default_year, allow_cues)
    out: list[TargetCandidate] = []
    for c in sorted(_dedupe(tables, prose), key=lambda c: c.start):
        parts = split_index_list(c.indicator)
        out += [replace(c, indicator=p) for p in parts] if len(parts) > 1 else [c]
    return out
