"""Deadline grammar for Vietnamese administrative text.

Turns the time expressions of a plan (``trước ngày 16 tháng 7 năm 2024``,
``Quý IV/2025 - Quý II/2026``, ``hằng quý, 06 tháng, năm``, ``Sau khi có
hướng dẫn của Trung ương`` …) into typed :class:`Deadline` values with
character spans.  The vocabulary and the frame patterns live in
``patterns/deadlines.jsonl``; this module holds the mechanism only:

* a *time expression* ``{T}`` (a day, month, quarter, year, sub-period or a
  list of them) is recognised by a handful of atom templates built from the
  unit words of the data file;
* a *frame* (data) wraps time expressions with trigger words (``trước`` =
  before/by, ``trong`` = within, ``từ … đến`` = from … to) and names the
  mechanism that turns a match into a :class:`Deadline`;
* candidates are chosen leftmost-longest, ties broken by frame priority.

The due date is the last day that satisfies the text (``docs/CONTRACT.md``).
Year-less forms take ``ctx.plan_year``, else the issue year.  Everything is
pure: no clock, no I/O beyond loading the data file once.
"""

from __future__ import annotations

import calendar
import datetime
import json
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import regex

from ..text.normalize import TONE_MARKS

__all__ = ["Deadline", "DeadlineContext", "find_deadlines", "load_entries", "parse_deadline_cell"]

_DATED = frozenset({"by", "on", "range", "month", "quarter", "year"})
_FLAGS = regex.IGNORECASE
_TRAIL = " \t\r\n\u00a0,;:.!?\u2026-\u2013\u2014("
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Y4 = r"(?:19|20)\d{2}(?!\d)"
_N12 = r"\d{1,2}(?!\d)"
_QN = r"(?:IV|III|II|I|[1-4])(?![\w])"
_MACRO = regex.compile(r"(?<!\\[pP])\{([A-Z]+)(?::([a-z_]+))?\}")
# A cited document right before a date: "số 179/KH-UBND ngày …", "Luật … ngày …".
_REFCODE = r"\d+[/-][\w.-]*[A-ZĐ][\w/.-]*(?:\s+của\s[^,;:]{0,80})?"
# The place-and-date line of a header: "Quảng Nam, ngày 13 tháng 02 năm 2023".
_PLACE = r"(?:^|[|\n])[\s|]*(?:Thành phố|TP\.?)?\s*(?:\p{Lu}\p{L}*\s*){1,5}"


@dataclass(frozen=True)
class Deadline:
    """One deadline reading with its evidence span.

    ``date`` is the due date (last day that satisfies the text); ``start`` and
    ``end`` bound a period (month, quarter, year, range, continuous).
    """

    text: str
    kind: str
    date: datetime.date | None
    start: datetime.date | None
    end: datetime.date | None
    recurrence: str | None
    condition: str | None
    start_offset: int
    end_offset: int


@dataclass(frozen=True)
class DeadlineContext:
    """What year-less and relative expressions are resolved against."""

    plan_year: int | None = None
    issue_date: datetime.date | None = None
    event_date: datetime.date | None = None

    @property
    def year(self) -> int | None:
        """The plan's own year, else the issue year, else None."""
        if self.plan_year is not None:
            return self.plan_year
        return self.issue_date.year if self.issue_date is not None else None


@dataclass(frozen=True)
class _Frame:
    id: str
    mechanism: str
    priority: int
    rx: dict[str, regex.Pattern[str]]  # mode -> compiled pattern


@dataclass(frozen=True)
class _Grammar:
    maps: dict[str, dict[str, Any]]
    frames: tuple[_Frame, ...]
    by_rx: regex.Pattern[str]
    on_rx: regex.Pattern[str]
    label_rx: regex.Pattern[str]
    ref_rx: regex.Pattern[str]


@dataclass
class _Raw:
    """The fields of one time expression as written (before resolution)."""

    day: int | None = None
    months: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    quarters: list[int] = field(default_factory=list)
    nmonths: int | None = None
    edge: str | None = None
    subyear: tuple[int, int] | None = None
    submonth: tuple[int, int] | None = None
    ngay: bool = False
    inferred: bool = False
    relative: bool = False  # "năm trước", "của năm xét tặng": the year is relative to the plan
    offset: int | None = None  # years from the plan year; None when not resolvable


@dataclass(frozen=True)
class _Period:
    start: datetime.date | None
    end: datetime.date | None
    gran: str  # day | month | quarter | year | range
    inferred: bool  # the year came from the context, not the text


@dataclass(frozen=True)
class _Cand:
    deadline: Deadline
    claim: tuple[int, int]
    priority: int
    triggered: bool = True
    inferred: bool = False
    frame: str = ""


def _patterns_path() -> Path:
    return Path(__file__).resolve().parents[2] / "patterns" / "deadlines.jsonl"


def load_entries(path: Path | None = None) -> list[dict[str, Any]]:
    """Read the deadline vocabulary (one JSON object per line).

    Args:
        path: the JSONL file; defaults to ``patterns/deadlines.jsonl``.

    Returns:
        The entries in file order.
    """
    text = (path or _patterns_path()).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# Tone placement in open syllables, new and old style: (hòa, hoà), (thủy, thuỷ) …
_TONES = [(unicodedata.normalize("NFC", a + mark) + b, a + unicodedata.normalize("NFC", b + mark))
          for a, b in (("o", "a"), ("o", "e"), ("u", "y")) for mark in sorted(TONE_MARKS)]


def _word_rx(word: str) -> str:
    """Compile a word or phrase to a regex: flexible spaces, both tone placements, word bounds."""
    body = regex.escape(unicodedata.normalize("NFC", word.strip()), literal_spaces=True)
    for new, old in _TONES:
        body = regex.sub(f"(?:{new}|{old})(?!\\w)", f"(?:{new}|{old})", body)
    body = regex.sub(r" +", r"\\s+", body)
    head = r"(?<!\w)" if regex.match(r"\w", word) else ""
    tail = r"(?!\w)" if regex.search(r"\w$", word) else ""
    return head + body + tail


def _alt(words: list[str]) -> str:
    return "(?:" + "|".join(_word_rx(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _atoms(p: str) -> list[str]:
    """Templates of one time expression; group names carry the slot prefix ``p``."""
    ysuf = rf"(?:\s*(?:/|-|\u2013|,?\s*{{YEARW}})\s*(?P<{p}y>{_Y4})|\s+{{RELYEAR:{p}}})"
    mlist = rf"(?:\s*(?:,|và|-|\u2013)\s*(?:{{MONTHW}}\s+)?(?P<{p}m>{_N12}))*"
    qlist = rf"(?:\s*(?:,|và|-|\u2013)\s*(?:{{QW}}\s+)?(?P<{p}q>{_QN}))*"
    ngay = rf"(?:(?P<{p}ngay>{{DAYW}})\s+)?"
    return [
        rf"{{SUBMONTH:{p}}}\s+{{MONTHW}}\s+(?P<{p}m>{_N12}){ysuf}?",
        rf"(?:(?P<{p}nm>{_N12})|{{NUMWORD:{p}}})\s+{{MONTHW}}\s+{{EDGE:{p}}}\s+{{YEARW}}(?:\s+(?P<{p}y>{_Y4}))?",
        rf"{{SUBYEAR:{p}}}(?:\s+(?P<{p}y>{_Y4}))?",
        rf"{ngay}(?<![\d/.,])(?P<{p}d>{_N12})\s+{{MONTHW}}\s+(?P<{p}m>{_N12})"
        rf"(?:\s*,?\s*{{YEARW}}\s+(?P<{p}y>{_Y4})|\s*/\s*(?P<{p}y>{_Y4})|\s+{{RELYEAR:{p}}})?",
        rf"{ngay}(?<![\d/.,])(?P<{p}d>{_N12})/(?P<{p}m>{_N12})(?:/(?P<{p}y>{_Y4}))?(?![/\d])(?:\s+{{RELYEAR:{p}}})?",
        rf"{ngay}(?<![\d/.,])(?P<{p}d>{_N12})(?P<{p}sep>[.-])(?P<{p}m>{_N12})(?P={p}sep)(?P<{p}y>{_Y4})(?![/\d])",
        rf"(?P<{p}ngay>{{DAYW}})\s+(?P<{p}d>{_N12})(?![/.]\d|\s+{{MONTHW}})",
        rf"{{MONTHW}}\s+(?P<{p}m>{_N12}){mlist}{ysuf}?",
        rf"(?<![\d/.,])(?P<{p}m>{_N12})/(?P<{p}y>{_Y4})(?![/\d])",
        rf"{{QW}}\s+(?P<{p}q>{_QN}){qlist}{ysuf}?",
        rf"(?:{{YEARW}}|{{PERIODW}})\s+(?P<{p}y>{_Y4})(?:\s*[-\u2013\u2014]\s*(?:{{YEARW}}\s+)?(?P<{p}y>{_Y4}))?",
        rf"(?<![\d/.,-])(?P<{p}y>{_Y4})(?:\s*[-\u2013\u2014]\s*(?P<{p}y>{_Y4}))?(?![/\d])",
    ]


def _expand(template: str, words: dict[str, str], maps: dict[str, dict[str, Any]],
            groups: dict[str, str], rest: str) -> str:
    def sub(m: regex.Match[str]) -> str:
        name, prefix = m.group(1), m.group(2) or ""
        if name == "T":
            alts = (_expand(a, words, maps, groups, rest) for a in _atoms(prefix + "_"))
            return f"(?P<{prefix}>" + "|".join(alts) + ")"
        if name == "REST":
            return rest
        if name in maps:
            return f"(?P<{prefix}{groups[name]}>{_alt(list(maps[name]))})"
        if name in words:
            return words[name]
        raise ValueError(f"[DL001] unknown macro {{{name}}} in deadline pattern")

    return _MACRO.sub(sub, template)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """Compile the data file once (the only I/O of this module)."""
    entries = load_entries()
    words: dict[str, str] = {}
    maps: dict[str, dict[str, Any]] = {}
    groups: dict[str, str] = {}
    for e in entries:
        if e["type"] == "words":
            words[e["slot"]] = f"(?{'-i' if e.get('case_sensitive') else ''}:{_alt(e['words'])})"
        elif e["type"] == "map":
            maps[e["slot"]] = {_key(k): v for k, v in e["map"].items()}
            groups[e["slot"]] = e["group"]
    rests = {"cell": r"[^;\n\t]*", "search": r"[^,;.\n\t(]*"}
    frames = []
    for e in entries:
        if e["type"] != "frame":
            continue
        rx = {mode: regex.compile(_expand(e["pattern"], words, maps, groups, rests[mode]), _FLAGS)
              for mode in e.get("modes", ["cell", "search"])}
        frames.append(_Frame(e["id"], e["frame"], int(e.get("priority", 50)), rx))
    ref = rf"(?:{_REFCODE}|{words['REFNOUN']}[^,;:().\n]{{0,80}}|{_PLACE}),?\s*$"
    return _Grammar(maps, tuple(frames), regex.compile(words["BY"], _FLAGS), regex.compile(words["ON"], _FLAGS),
                    regex.compile(rf"^\s*{words['LABEL']}\s*:\s*", _FLAGS), regex.compile(ref))


def _ints(m: regex.Match[str], name: str) -> list[int]:
    return [int(x) for x in m.captures(name)]


def _raw(m: regex.Match[str], p: str, g: _Grammar) -> _Raw:
    """Read the groups of time expression ``p`` (``a`` or ``b``) of a match."""
    p += "_"

    def val(group: str, slot: str) -> Any:
        text = m.group(p + group)
        return None if text is None else g.maps[slot][_key(text)]

    r = _Raw(months=_ints(m, p + "m"), years=_ints(m, p + "y"),
             quarters=[_ROMAN[q.casefold()] for q in m.captures(p + "q")],
             ngay=m.group(p + "ngay") is not None, edge=val("edge", "EDGE"))
    r.day = int(m.group(p + "d")) if m.group(p + "d") is not None else None
    r.nmonths = int(m.group(p + "nm")) if m.group(p + "nm") is not None else val("nw", "NUMWORD")
    for group, slot, attr in (("sy", "SUBYEAR", "subyear"), ("sm", "SUBMONTH", "submonth")):
        if (pair := val(group, slot)) is not None:
            setattr(r, attr, (int(pair[0]), int(pair[1])))
    if m.group(p + "ry") is not None:
        rel = val("ry", "RELYEAR")
        r.relative, r.offset = True, None if rel is None else int(rel)
    return r


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _resolve(r: _Raw, year: int | None) -> _Period | None:
    """Turn written fields into a period; None when a value is impossible (31/02)."""
    inferred = r.inferred or not r.years
    ys = r.years or ([year] if year is not None else [])
    if r.relative and not r.years:
        ys = [year + r.offset] if year is not None and r.offset is not None else []
    if any(not 1 <= m <= 12 for m in r.months) or any(not 1900 <= y <= 2099 for y in ys):
        return None
    units = r.quarters or r.months
    gran = ("quarter" if r.quarters else "month") if len(units) == 1 else "range"
    if r.nmonths is not None or r.subyear is not None or r.submonth is not None:
        gran = "range"
    elif r.day is not None:
        gran = "day"
    elif not units:
        gran = "year" if len(set(ys)) <= 1 else "range"
    if not ys:
        return _Period(None, None, gran, True)
    y1, y2 = ys[0], ys[-1]
    try:
        if r.submonth is not None and r.months:
            m, last = r.months[-1], _month_end(y2, r.months[-1]).day
            d1, d2 = (d if d > 0 else last + 1 + d for d in r.submonth)
            return _Period(datetime.date(y2, m, d1), datetime.date(y2, m, d2), gran, inferred)
        if r.nmonths is not None or r.subyear is not None:
            n = r.nmonths or 0
            lo, hi = r.subyear or ((1, n) if r.edge == "first" else (13 - n, 12))
            return _Period(datetime.date(y2, lo, 1), _month_end(y2, hi), gran, inferred)
        if r.day is not None:
            if not r.months:
                return _Period(None, None, "day", inferred)
            day = datetime.date(y2, r.months[0], r.day)
            return _Period(day, day, gran, inferred)
        if units:
            first, last = units[0], units[-1]
            y1 = y2 - 1 if len(r.years) < 2 and first > last else y1
            k = 3 if r.quarters else 1
            return _Period(datetime.date(y1, k * first - k + 1, 1), _month_end(y2, k * last), gran, inferred)
    except ValueError:
        return None
    if y2 < y1:
        return None
    return _Period(datetime.date(y1, 1, 1), datetime.date(y2, 12, 31), gran, inferred)


def _fill(a: _Raw, b: _Raw) -> None:
    """Complete the first end of a range from the second: ``từ ngày 06 đến ngày 10/3/2023``."""
    if a.day is not None and not a.months and b.months:
        a.months = [b.months[0]]
    if not a.years and b.years and (a.day is not None or a.months or a.quarters):
        a.years, a.inferred = [b.years[-1]], False
        later = (a.months or [0])[0] > (b.months or [13])[0] or (a.quarters or [0])[0] > (b.quarters or [5])[0]
        if later or (a.months == b.months[:1] and (a.day or 0) > (b.day or 32)):
            a.years = [b.years[-1] - 1]


def _recurrence(m: regex.Match[str], g: _Grammar) -> str | None:
    vals: list[str] = []
    units = {**g.maps["RECUNIT"], **g.maps["RECNEXT"]}
    for unit in m.captures("ru"):
        val = str(units[_key(unit)])
        if val not in vals:
            vals.append(val)
    if not vals:
        return None
    times, every = m.groupdict().get("times"), m.groupdict().get("every")
    if every:
        return f"every-{int(every)}-{vals[0]}"
    return f"{int(times)}x-{vals[0]}" if times else ",".join(vals)


def _minus_days(day: datetime.date, n: int, working: bool) -> datetime.date:
    if not working:
        return day - datetime.timedelta(days=n)
    while n > 0:
        day -= datetime.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to drop surrounding spaces, trailing punctuation and an unpaired ``)``."""
    while end > start and (text[end - 1] in _TRAIL or (
            text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end))):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _make(text: str, s: int, e: int, kind: str, date: datetime.date | None = None,
          start: datetime.date | None = None, end: datetime.date | None = None,
          recurrence: str | None = None, condition: str | None = None) -> Deadline:
    return Deadline(text[s:e], kind, date, start, end, recurrence, condition, s, e)


def _opens_clause(text: str, s: int, e: int) -> bool:
    """A time phrase that opens a sentence before a comma: ``Quý I/2027, các cơ quan …``."""
    before = text[:s].rstrip(" \t-+\u2022*")
    return (not before or before[-1] in ".;:\n") and text[e:e + 1] == ","


def _candidate(fr: _Frame, m: regex.Match[str], text: str, mode: str, ctx: DeadlineContext,
               g: _Grammar) -> _Cand | None:
    """Turn one frame match into a reading, or None when the match does not count."""
    s, e = _trim(text, m.start(), m.end())
    if e <= s:
        return None
    gd, mech, make = m.groupdict(), fr.mechanism, partial(_make, text, s, e)

    def cand(d: Deadline, triggered: bool = True, inferred: bool = False, priority: int = fr.priority) -> _Cand:
        if gd.get("recur") and d.kind != "recurring":  # "trước ngày 20/11/2025, hằng tháng"
            d = replace(d, recurrence=_recurrence(m, g))
        return _Cand(d, (s, e), priority, triggered, inferred, fr.mechanism)

    if mech == "label":
        vs = m.start("val")
        inner = parse_deadline_cell(text[vs:m.end("val")], ctx)
        if inner is None or inner.kind == "none":
            return None
        return cand(replace(inner, start_offset=inner.start_offset + vs, end_offset=inner.end_offset + vs))
    if mech in ("none", "event", "recurring"):
        return cand(make(mech, condition=text[s:e] if mech == "event" else None,
                         recurrence=_recurrence(m, g) if mech == "recurring" else None))
    if mech == "clock":  # a time of day in an agenda: the day of the event
        return cand(make("on", ctx.event_date))
    if mech == "event_offset":
        due = None
        if ctx.event_date is not None:
            due = _minus_days(ctx.event_date, int(gd["n"]), gd.get("work") is not None)
        return cand(make("event", due, condition=text[s:e]))
    a = _raw(m, "a", g) if gd.get("a") is not None else None
    if mech == "continuous":
        per, y = (_resolve(a, ctx.year) if a is not None else None), ctx.year
        lo = per.start if per else (datetime.date(y, 1, 1) if y else None)
        return cand(make("continuous", None, lo, per.end if per else (datetime.date(y, 12, 31) if y else None)))
    if a is None:
        raise ValueError(f"[DL002] frame {fr.id} has no time expression {{T:a}}")
    b = _raw(m, "b", g) if mech == "range" else None
    if b is not None:
        _fill(a, b)
    trig = gd.get("trig") or ""
    triggered = bool(trig or gd.get("from") or gd.get("until") or gd.get("recur") or gd.get("cont"))
    if not triggered:
        # Untriggered: in prose only a "ngày …" day counts; never the date of a cited document.
        is_day = a.day is not None and (bool(a.months) or b is not None)
        if mode == "search" and not (is_day and a.ngay) and not _opens_clause(text, s, e):
            return None
        if is_day and g.ref_rx.search(text[max(0, s - 160):s]):
            return None
    pa = _resolve(a, ctx.year)
    pb = _resolve(b, ctx.year) if b is not None else None
    if pa is None or (b is not None and pb is None):
        # An impossible date (31/02) claims its text so that no part of it reads as a month.
        return cand(make("none"), triggered, priority=90)
    inferred = pa.inferred and (pb is None or pb.inferred)
    if gd.get("recur") and pa.inferred:  # "trước 15/12 hằng năm": the day recurs, no one due date
        return cand(make("recurring", recurrence=_recurrence(m, g)), True, inferred)
    if gd.get("cond"):  # "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê": ends with an event
        return cand(make("event", None, pa.start, condition=text[s:e]), triggered, inferred)
    if gd.get("cont") or mech == "from":
        return cand(make("continuous", None, pa.start), triggered, inferred)
    if pb is not None:
        if pa.start and pb.end and pb.end < pa.start:
            return None
        return cand(make("range", pb.end, pa.start, pb.end), triggered, inferred)
    if pa.gran == "day" and pa.start is None and not a.months:
        return None  # "ngày 16" alone names no date
    if mech == "until" or g.by_rx.search(trig):
        return cand(make("by", pa.end), triggered, inferred)
    if pa.gran == "day":  # "vào ngày 18/7" and "ngày 18/7" are set days; "trong ngày 30/4", "30/4" due dates
        on = g.on_rx.search(trig) is not None or (a.ngay and not trig)
        return cand(make("on" if on else "by", pa.end), triggered, inferred)
    return cand(make(pa.gran, pa.end, pa.start, pa.end), triggered, inferred)


def _candidates(text: str, mode: str, ctx: DeadlineContext) -> list[_Cand]:
    g = _grammar()
    out = []
    for fr in g.frames:
        rx = fr.rx.get(mode)
        if rx is None:
            continue
        for m in rx.finditer(text, overlapped=True):
            c = _candidate(fr, m, text, mode, ctx, g)
            if c is not None:
                out.append(c)
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Leftmost-longest non-overlapping choice; equal spans go to the higher priority."""
    order = sorted(cands, key=lambda c: (c.claim[0], -(c.claim[1] - c.claim[0]), -c.priority))
    chosen: list[_Cand] = []
    for c in order:
        if not chosen or c.claim[0] >= chosen[-1].claim[1]:
            chosen.append(c)
    return chosen


def find_deadlines(text: str, ctx: DeadlineContext) -> list[Deadline]:
    """Search running prose for deadline expressions.

    Period forms (months, quarters, years) count only after a trigger word
    (``trước``, ``trong``, ``từ`` …); a day counts on its own when written
    with ``ngày`` and not the date of a cited document.  Horizons such as
    ``đến năm 2030`` come back with kind ``none`` so that callers can see
    them; skip those for real deadlines.

    Args:
        text: the sentence or passage to search.
        ctx: year and event date for year-less and relative forms.

    Returns:
        Non-overlapping readings in text order, with offsets into ``text``.
    """
    return [c.deadline for c in _select(_candidates(text, "search", ctx))]


def _merge(text: str, cands: list[_Cand], condition: str | None = None) -> Deadline:
    """One reading for several dated pieces of a cell: their overall range."""
    d = cands[0].deadline
    if len(cands) > 1:
        starts = [x for x in (c.deadline.start or c.deadline.date for c in cands) if x]
        last = max((c.deadline.date for c in cands if c.deadline.date), default=None)
        d = _make(text, *_cover(cands), "range", last, min(starts, default=None), last)
    return replace(d, condition=condition) if condition else d


def _cover(cands: list[_Cand]) -> tuple[int, int]:
    """The span from the first to the last of several readings."""
    return min(c.deadline.start_offset for c in cands), max(c.deadline.end_offset for c in cands)


def _rebase(d: Deadline, text: str) -> Deadline:
    cond = text[d.start_offset:d.end_offset] if d.condition == d.text else d.condition
    return replace(d, text=text[d.start_offset:d.end_offset], condition=cond)


def parse_deadline_cell(text: str, ctx: DeadlineContext) -> Deadline | None:
    """Read a whole deadline value: a table ``Thời gian`` cell or a ``Thời gian thực hiện: …`` value.

    Several pieces are combined: dated pieces into their overall range (a
    recurrence found beside them is kept in ``recurrence``); a recurrence
    with continuous words or year-less dates (``Thường xuyên, định kỳ hằng
    quý``, ``Hằng năm, trước ngày 15/12``) into one recurring reading.  A
    cell that starts with an event trigger stays an event unless a dated
    piece has its own trigger.  A bare time of day (``07h45 - 8h00``, an
    agenda row) is the event's day.  Unreadable text gives kind ``none``.

    Args:
        text: the cell text.
        ctx: year and event date for year-less and relative forms.

    Returns:
        The best reading, spanning its meaningful part, or None when empty.
    """
    s, e = _trim(text, 0, len(text))
    if e <= s:
        return None
    label = _grammar().label_rx.match(text)
    head = label.end() if label else s
    # Blank the label out (same length, so offsets still index ``text``).
    cands = _candidates(" " * head + text[head:], "cell", ctx)
    cands = [replace(c, deadline=_rebase(c.deadline, text)) for c in cands]
    chosen = _select([c for c in cands if c.deadline.kind != "event"])
    events = _select([c for c in cands if c.deadline.kind == "event"])
    recur = [c for c in chosen if c.deadline.kind == "recurring"]
    # A time of day counts only alone: "trước 19h00 hằng ngày" is a recurrence.
    dated = [c for c in chosen if c.deadline.kind in _DATED and c.frame != "clock"]
    dated = dated or [c for c in chosen if c.deadline.kind in _DATED and not recur]
    cont = [c for c in chosen if c.deadline.kind == "continuous"]
    opening = [c for c in events if c.claim[0] <= head]
    if opening and not any(c.triggered for c in dated) and not recur and not cont:
        return opening[0].deadline
    condition = None
    if events:
        ev = events[0].deadline
        cut = min([c.claim[0] for c in dated if c.claim[0] > ev.start_offset], default=ev.end_offset)
        cs, ce = _trim(text, ev.start_offset, min(cut, ev.end_offset))
        condition = text[cs:ce] or None
    rec = ",".join(dict.fromkeys(x for c in recur for x in (c.deadline.recurrence or "").split(",") if x))
    if recur and (not dated or all(c.inferred for c in dated)) and (rec or not cont):
        # "Thường xuyên, định kỳ hằng quý" recurs; "thường xuyên, định kỳ" (no period) stays continuous.
        return _make(text, *_cover(recur + dated + cont), "recurring", recurrence=rec or None)
    if dated:
        d = _merge(text, dated, condition)
        return replace(d, recurrence=rec) if rec else d
    if cont:
        cs, ce = _cover(cont)
        return replace(cont[0].deadline, text=text[cs:ce], start_offset=cs, end_offset=ce)
    if events:
        return events[0].deadline
    if chosen:
        return chosen[0].deadline
    return _make(text, s, e, "none")
