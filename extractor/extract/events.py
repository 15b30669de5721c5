"""Meetings a document schedules: title, dates, time of day, venue, mode, chair, capacity.

An event is anchored on a dated *time* statement (``Thời gian: từ 14h00 ngày
22/01/2026``, ``Thời gian tổ chức Hội nghị: … sáng ngày 18 tháng 7 năm
2024``, or a ``Thời gian`` heading and its body).  Its scope is the innermost
heading that names a meeting (``1. Hội nghị hiệp thương lần thứ nhất``), else
the whole document, whose subject (``Tổ chức Hội nghị …``) or opening
sentence (``… tổ chức Họp đánh giá …``) gives the title.  In that scope,
``Địa điểm`` (= venue) lines, ``Chủ trì`` (= chair) lines or a ``(chủ trì
Hội nghị)`` note, ``N chỗ`` (= seats) and the attendance groups
(:func:`.attendees.attendance_groups`: in person ``trực tiếp`` + online
``trực tuyến`` = hybrid) complete it.

Not events: meetings with no day-level date (``Tháng 2``), meetings a notice
of conclusions reports as held, and broadcasts.  Vocabulary is data in
``patterns/events.jsonl``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import regex

from ..rules import load_jsonl, load_tsv
from ..segment.header import HeaderInfo
from ..segment.sections import SectionNode, flatten
from ..text.document import Document
from .attendees import Group, attendance_groups, mode_of

__all__ = ["EventCandidate", "event_date", "expand_abbreviations", "find_dates", "find_events"]

_MARKER = regex.compile(r"^\s*(?:[-+•–*]\s*|\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*|[IVX]+\.\s*)")
_RANGE = regex.compile(
    r"từ\s+(?:ngày\s+)?(?P<d1>\d{1,2})(?:\s*[/-]\s*(?P<m1>\d{1,2}))?\s+đến\s+(?:hết\s+)?(?:ngày\s+)?(?P<d2>\d{1,2})"
    r"\s*(?:tháng\s+|[/-]\s*)(?P<m2>\d{1,2})\s*(?:năm\s+|[/-]\s*)(?P<y>\d{4})",
    regex.IGNORECASE,
)
_DAY = regex.compile(r"ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s+|[/-]\s*)(?P<m>\d{1,2})\s*(?:năm\s+|[/-]\s*)(?P<y>\d{4})",
                     regex.IGNORECASE)
_HOUR = regex.compile(r"(?<![\d/])(?P<h>\d{1,2})\s*(?:h|giờ)\s*(?P<min>\d{2})?(?![\p{L}\d])", regex.IGNORECASE)
_SEATS = regex.compile(r"(?<!\d)(?P<n>\d{2,5})\s*chỗ(?!\p{L})", regex.IGNORECASE)


@dataclass
class EventCandidate:
    title: str
    start_date: str | None
    end_date: str | None
    time_of_day: str | None
    venue: str | None
    mode: str | None
    chair: str | None
    capacity: int | None
    expected: int | None
    start: int
    end: int
    groups: list[Group] = field(default_factory=list)


class _Dated(Protocol):
    title: str
    start: str | None
    end: str | None


@cache
def _pats() -> dict[str, tuple[regex.Pattern[str], ...]]:
    out: dict[str, list[regex.Pattern[str]]] = {}
    for e in load_jsonl("events.jsonl"):
        for p in e.get("patterns", []):
            out.setdefault(e["kind"], []).append(regex.compile(p, regex.IGNORECASE))
        for w in e.get("words", []):
            out.setdefault(e["kind"], []).append(
                regex.compile(rf"(?<!\p{{L}}){regex.escape(w)}(?!\p{{L}})", regex.IGNORECASE))
    return {k: tuple(v) for k, v in out.items()}


def _any(kind: str, text: str) -> regex.Match[str] | None:
    for rx in _pats().get(kind, ()):
        if (m := rx.search(text)) is not None:
            return m
    return None


@cache
def _abbreviations() -> tuple[tuple[regex.Pattern[str], str], ...]:
    readings: dict[str, set[str]] = {}
    for row in load_tsv("abbreviations.tsv"):
        if len(row) >= 2:
            readings.setdefault(row[0], set()).add(row[1])
    return tuple((regex.compile(rf"(?<![\p{{L}}&\-]){regex.escape(k)}(?![\p{{L}}&\-])"), next(iter(v)))
                 for k, v in sorted(readings.items(), key=lambda kv: -len(kv[0])) if len(v) == 1)


def expand_abbreviations(text: str) -> str:
    """``Phó Chủ tịch UBND tỉnh`` → ``Phó Chủ tịch Ủy ban nhân dân tỉnh`` (unambiguous abbreviations only)."""
    for rx, full in _abbreviations():
        text = rx.sub(full, text)
    return text


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        return dt.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> tuple[str | None, str | None, int, int] | None:
    """The first scheduled day or day range of ``text`` (not a ``chậm nhất`` / ``trước`` limit).

    Returns:
        ``(start, end, offset, end_offset)`` with ISO dates, or None.
    """
    cands: list[tuple[int, int, str | None, str | None]] = []
    for m in _RANGE.finditer(text):
        end = _iso(m.group("y"), m.group("m2"), m.group("d2"))
        start = _iso(m.group("y"), m.group("m1") or m.group("m2"), m.group("d1"))
        cands.append((m.start(), m.end(), start, end))
    for m in _DAY.finditer(text):
        if any(s <= m.start() < e for s, e, _, _ in cands):
            continue
        day = _iso(m.group("y"), m.group("m"), m.group("d"))
        cands.append((m.start(), m.end(), day, day))
    for s, e, a, b in sorted(cands):
        if a is None or _any("not_start", text[max(0, s - 20):s]):
            continue
        return a, b, s, e
    return None


def _time_of_day(text: str) -> str | None:
    for rx in _pats().get("time_of_day", ()):
        if (m := rx.search(text)) is not None:
            return m.group(0).casefold()
    m = _HOUR.search(text)
    if m:
        h = int(m.group("h"))
        return "sáng" if h < 12 else ("chiều" if h < 18 else "tối")
    return None


def _label_value(kind: str, text: str) -> str | None:
    """``Địa điểm: X`` → X for a line whose text (after its marker) starts with a ``kind`` label."""
    body = _MARKER.sub("", text, count=1)
    for rx in _pats().get(kind, ()):
        m = rx.match(body)
        if m:
            rest = body[m.end():]
            mm = regex.match(r"\s*:\s*(?P<v>.*)$", rest, flags=regex.DOTALL)
            if mm is not None:
                return mm.group("v").strip()
            if not rest.strip(" .:"):
                return ""
    return None


def _clean(value: str) -> str:
    value = regex.sub(r"\s+", " ", value.replace("*", "")).strip(" .;,")
    return expand_abbreviations(value)


@dataclass
class _Scope:
    start: int
    end: int
    title: str | None


def _lines(doc: Document, s: int, e: int, body: int) -> list[str]:
    return [doc.line_text(ln) for ln in doc.lines if s <= ln.start < e and ln.start >= body and ln.table is None]


def _venue(doc: Document, scope: _Scope, body: int, heads: list[SectionNode]) -> tuple[str | None, str]:
    """The venue(s) of a scope and the raw venue text (which may also name the mode: ``kết nối trực tuyến``)."""
    venues: list[str] = []
    for n in heads:
        if scope.start <= n.start < scope.end and _label_value("venue_label", f"{n.marker} {n.title}") == "":
            for text in _lines(doc, n.start + 1, n.end, body):
                value = _MARKER.sub("", text, count=1)
                labelled = regex.match(r"^[^:]{0,80}:\s*(?P<v>.*)$", value)
                at = _any("venue_from", value)
                value = labelled.group("v") if labelled else (at.group("v") if at else value)
                if value.strip():
                    venues.append(_clean(value))
    if venues:
        return "; ".join(venues), " ".join(venues)
    for text in _lines(doc, scope.start, scope.end, body):
        v = _label_value("venue_label", text)
        if v:
            m = _any("venue_from", v)
            return _clean(m.group("v") if m else v), v
    return None, ""


def _chair(doc: Document, scope: _Scope, body: int) -> str | None:
    """``Chủ trì Hội nghị: X`` first, then a ``X (chủ trì Hội nghị)`` note, then a bare ``Chủ trì: X`` line."""
    texts = _lines(doc, scope.start, scope.end, body)
    labelled = [(t, v) for t in texts if (v := _label_value("chair_label", t))]
    for text, v in labelled:
        if _any("meeting", _MARKER.sub("", text, count=1).split(":", 1)[0]):
            return _person(v)
    for text in texts:
        m = _any("chair_note", _MARKER.sub("", text, count=1))
        if m:
            # "Thành phần: A; B; C (Chủ trì) và …": the chair is the item the note follows.
            return _person(regex.split(r"[;:]", m.group("who"))[-1])
    return _person(labelled[0][1]) if labelled else None


def _person(text: str) -> str:
    for rx in _pats().get("honorific", ()):
        text = rx.sub("", text.strip())
    text = regex.sub(r"\s+chủ trì\.?$", "", text.strip(), flags=regex.IGNORECASE)
    return _clean(text)


def _doc_title(doc: Document, head: HeaderInfo, body: int) -> str | None:
    """The meeting a whole document schedules: its subject (``Tổ chức Hội nghị …``), the meeting it
    organises or invites to (``… tổ chức Họp …``, ``mời dự Phiên họp …``), or its ``Nội dung:`` line."""
    subject = regex.sub(r"\s+", " ", head.subject or "").strip()
    for rx in _pats().get("title_opener", ()):
        subject = rx.sub("", subject)
    meeting = _any("meeting", subject)
    if subject and meeting and meeting.start() == 0:
        return subject[:1].upper() + subject[1:]
    for text in (subject, doc.text[body:]):
        for rx in _pats().get("organise", ()):
            m = rx.search(text)
            if m:
                t = m.group("t").strip(" .,")
                return t[:1].upper() + t[1:]
    for ln in doc.lines:
        if ln.start >= body and ln.table is None:
            v = _label_value("content_label", doc.line_text(ln))
            if v and _any("meeting", v[:40]):
                return _clean(v)
    return subject[:1].upper() + subject[1:] if meeting else None


def _time_texts(doc: Document, heads: list[SectionNode], body: int) -> list[tuple[str, int]]:
    """Dated time statements: ``Thời gian: …`` lines and the bodies of ``Thời gian`` headings."""
    out: list[tuple[str, int]] = []
    for li, ln in enumerate(doc.lines):
        if ln.start < body or ln.table is not None:
            continue
        text = doc.line_text(ln)
        v = _label_value("time_label", text)
        if v:
            out.append((text, ln.start))
        elif v == "":
            node = next((n for n in heads if n.start == ln.start), None)
            stop = node.end if node is not None else ln.end
            for nxt in doc.lines[li + 1:]:
                if nxt.start >= stop or nxt.table is not None:
                    break
                if find_dates(doc.line_text(nxt)):
                    out.append((doc.line_text(nxt), nxt.start))
                    break
    return out


def _names_meeting(title: str) -> bool:
    """A heading that is a meeting's name (``1. Hội nghị hiệp thương lần thứ nhất``), not ``III. TỔ CHỨC HỘI NGHỊ``."""
    m = _any("meeting", title)
    return m is not None and m.start() == 0


def find_events(doc: Document, head: HeaderInfo, roots: list[SectionNode]) -> list[EventCandidate]:
    """The meetings a document schedules, in text order.

    Args:
        doc: The normalised document.
        head: Its header (subject, document type).
        roots: Its section tree.

    Returns:
        One candidate per scheduled meeting (one per meeting section, or one for the document).
    """
    if head.doc_type == "THONG_BAO" and _any("past", (head.subject or "").strip()):
        return []  # a notice of conclusions reports meetings already held
    body = doc.lines[head.body_start].start if head.body_start < len(doc.lines) else len(doc.text)
    heads = [n for n in flatten(roots) if not n.kind.startswith("bullet")]
    groups = attendance_groups(doc, roots, head.body_start)
    out: list[EventCandidate] = []
    seen: set[tuple[int, str | None]] = set()
    doc_event = False
    for text, start in _time_texts(doc, heads, body):
        dates = find_dates(text)
        if dates is None:
            continue
        chain = [n for n in heads if n.start <= start < n.end and n.start != start]
        owner = next((n for n in sorted(chain, key=lambda n: -n.level) if _names_meeting(n.title)), None)
        if owner is not None:
            scope = _Scope(owner.start, owner.end, _clean(owner.title))
        else:
            scope = _Scope(body, len(doc.text), _doc_title(doc, head, body))
        if not scope.title or _any("broadcast", scope.title) or (scope.start, dates[0]) in seen:
            continue
        if owner is None and doc_event:
            continue  # one event per document when no section names its meeting
        doc_event = doc_event or owner is None
        seen.add((scope.start, dates[0]))
        mine = [g for g in groups if scope.start <= g.start < scope.end]
        venue, venue_text = _venue(doc, scope, body, heads)
        if venue is None:
            venue = next((g.venue for g in mine if g.venue and g.mode != "online"), None)
        cap_text = " ".join([venue or ""] + [g.label for g in mine])
        seats = _SEATS.search(cap_text)
        mode = mode_of(" ".join([scope.title, text, venue_text] + [g.label for g in mine]))
        if mode is None and venue:
            mode = "in_person"
        s, e = start, start + len(text.rstrip())
        out.append(EventCandidate(
            title=scope.title, start_date=dates[0], end_date=dates[1], time_of_day=_time_of_day(text),
            venue=venue, mode=mode, chair=_chair(doc, scope, body),
            capacity=int(seats.group("n")) if seats else None, expected=None, start=s, end=e, groups=mine,
        ))
    return out


def event_date(events: Sequence[_Dated], hint: str | None = None) -> dt.date | None:
    """The day a deadline relative to "the meeting" refers to (``trước 03 ngày diễn ra Hội nghị``).

    Args:
        events: The document's events (:class:`~extractor.model.Event` or candidates with ``title``/``start``/``end``).
        hint: The deadline's own words; with several events, the one whose title it names is chosen.

    Returns:
        The event's single day, or None when there is no event, the choice is ambiguous,
        or the event spans several days (``từ ngày 06 đến ngày 10``: no fixed day).
    """
    pool = list(events)
    if hint and len(pool) > 1:
        h = hint.casefold()
        named = [e for e in pool if e.title and e.title.casefold() in h]
        pool = named or pool
    dated = [e for e in pool if e.start is not None]
    if len(dated) != 1 or dated[0].end not in (None, dated[0].start):
        return None
    return dt.date.fromisoformat(str(dated[0].start))
