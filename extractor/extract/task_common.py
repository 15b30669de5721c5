"""What the table and prose task extractors share: candidates, agencies, ids.

A task candidate holds offsets into the document text; the pipeline turns it
into the contract's :class:`~extractor.model.Task`.  Ids are stable: a hash of
where the task sits (section or table row) and its own words, so the same
document gives the same ids and an edit elsewhere does not renumber tasks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

import regex

from ..rules import load_jsonl, rule_pattern
from .agencies import AgencyMatch, find_agencies, split_agency_list
from .deadlines import Deadline, DeadlineContext, find_deadlines, parse_deadline_cell


@dataclass
class AgencyRef:
    name: str
    text: str
    kind: str
    start: int
    end: int
    known: bool
    head_start: int | None = None  # a name under a plural head ("Các Bộ: Công Thương"): where the head starts


@dataclass
class TaskCandidate:
    text: str
    start: int
    end: int
    lead: list[AgencyRef] = field(default_factory=list)
    support: list[AgencyRef] = field(default_factory=list)
    deadline: Deadline | None = None
    deadline_base: int = 0  # offset of the string the deadline offsets are relative to
    deliverable: str | None = None
    group: str | None = None
    section: str | None = None
    table: str | None = None
    row: str | None = None


@cache
def cues() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for e in load_jsonl("task_cues.jsonl"):
        out.setdefault(e["kind"], []).extend(e.get("words", []) or e.get("patterns", []))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def task_pattern(pattern_id: str) -> regex.Pattern[str]:
    """A regular expression of ``patterns/task_patterns.jsonl`` (flag ``i``: case-insensitive)."""
    return rule_pattern("task_patterns.jsonl", pattern_id)


@cache
def exclude_line_rx() -> regex.Pattern[str]:
    return regex.compile("|".join(f"(?:{p})" for p in cues()["exclude_line"]), regex.IGNORECASE)


def refs(matches: list[AgencyMatch], base: int, text: str | None = None) -> list[AgencyRef]:
    """Agency matches of a substring starting at ``base`` → document-offset refs, deduplicated by name.

    With ``text``, a body in parentheses right after another body ("Văn phòng
    UBND tỉnh (Trung tâm Phục vụ hành chính công)") qualifies it and is dropped;
    a collective followed by a parenthesised list ("Các cơ quan đăng ký đầu tư
    (Sở Tài chính, …)") is named by that list and is dropped itself.
    """
    out: list[AgencyRef] = []
    seen: set[str] = set()
    prev: AgencyMatch | None = None
    for n, m in enumerate(matches):
        if text is not None and prev is not None and regex.fullmatch(r"\s*\(\s*(?:qua\s+)?", text[prev.end:m.start]):
            continue
        prev = m
        nxt = matches[n + 1] if n + 1 < len(matches) else None
        if text is not None and m.kind == "group" and nxt is not None and ")" in text[nxt.end:] and regex.fullmatch(
            r"[^()\n]{0,40}\(\s*(?:gồm\s*:?\s*|bao gồm\s*:?\s*)?", text[m.end:_opening(nxt)]
        ):
            continue  # "Các cơ quan đăng ký đầu tư (Sở Tài chính, Ban Quản lý …)": the list names the bodies
        for part in _split_group(m):
            key = part.name.casefold()
            if key in seen:
                continue
            seen.add(key)
            head = None if part.head_start is None else base + part.head_start
            out.append(AgencyRef(part.name, part.text, part.kind, base + part.start, base + part.end, part.known, head))
    return out


def _opening(a: AgencyMatch) -> int:
    """Where a mention's phrase opens: its plural head for a name of a list (``Các Bộ: Công Thương``)."""
    return a.start if a.head_start is None else a.head_start


def list_colons(text: str) -> list[int]:
    """Offsets of the colons that open a list under a plural head (``Các Bộ: Công Thương, Y tế``):
    such a colon joins the head to its names; it does not end a label or a run-in title."""
    if ":" not in text:
        return []
    out: list[int] = []
    for a in find_agencies(text):
        colon = text.rfind(":", a.head_start, a.start) if a.head_start is not None else -1
        if colon >= 0 and colon not in out:
            out.append(colon)
    return out


def _split_group(m: AgencyMatch) -> list[AgencyMatch]:
    """A collective that lists distinct kinds of bodies is several bodies:
    "Các sở, ban, ngành, địa phương" → "Các sở, ban, ngành" + "Địa phương"
    ("sở, ban, ngành" itself is one idiom and stays whole)."""
    if m.kind != "group":
        return [m]
    words = cues().get("split_group_before", ())
    if not words:
        return [m]
    rx = regex.compile(r"\s*(?:,|;|\bvà\b)\s*(?=(?:" + "|".join(regex.escape(w) for w in words) + r")(?!\p{L}))")
    cuts = [c for c in rx.finditer(m.text)]
    # Only lists that open with ministries/departments ("các sở, ban, ngành", "các bộ, ngành", "cơ quan
    # ngang bộ, cơ quan thuộc Chính phủ") are split; "các cơ quan, đơn vị, địa phương" is one idiom.
    opens = regex.match(r"(?i)^(?:các\s+)?(?:sở|bộ|cơ quan ngang bộ)(?!\p{L})", m.text)
    if cuts and regex.fullmatch(r"(?i)(?:các\s+)?cơ quan\s+(?:có\s+)?liên quan", m.text[cuts[-1].end():]):
        cuts = cuts[:-1]  # "các bộ, cơ quan liên quan": "liên quan" qualifies the whole list
    if not cuts or not opens:
        # "Các doanh nghiệp viễn thông, doanh nghiệp bưu chính": one head noun repeated with its own
        # qualifier names distinct kinds of bodies.
        cuts = list(regex.finditer(r"\s*(?:,|;|\bvà\b)\s*", m.text))
        items = [regex.sub(r"(?i)^các\s+", "", p.strip()) for p in regex.split(r"\s*(?:,|;|\bvà\b)\s*", m.text)]
        heads = {tuple(i.casefold().split()[:2]) for i in items}
        if not cuts or len(heads) != 1 or any(len(i.split()) < 3 for i in items):
            return [m]
    parts: list[AgencyMatch] = []
    pos = 0
    for c in cuts + [None]:
        end = c.start() if c is not None else len(m.text)
        piece = m.text[pos:end].strip(" ,;")
        if piece:
            rel = m.text.index(piece, pos)
            name = piece[:1].upper() + piece[1:]
            parts.append(AgencyMatch(start=m.start + rel, end=m.start + rel + len(piece), text=piece, name=name,
                                     kind="group", known=m.known, entry_id=m.entry_id))
        pos = c.end() if c is not None else len(m.text)
    return parts


def cell_agencies(text: str, base: int) -> list[AgencyRef]:
    """Bodies of a table cell or a ``Cơ quan chủ trì: …`` value."""
    if not text.strip() or regex.fullmatch(r"[\s\-–—x]*", text):
        return []
    return refs(split_agency_list(text), base, text)


# An adverbial opening clause before the bodies: "Căn cứ Kế hoạch này, các sở … xây dựng …".
_OPENER = task_pattern("opener")


@cache
def _requester_rx() -> regex.Pattern[str]:
    verbs = next(e.get("requester_verbs", []) for e in load_jsonl("task_cues.jsonl") if e["id"] == "lead-prefix")
    return regex.compile(r"\s+(?:" + "|".join(regex.escape(v) for v in sorted(verbs, key=len, reverse=True)) + r")\s+")


def _requester(text: str, found: list[AgencyMatch]) -> regex.Match[str] | None:
    """ "Ủy ban nhân dân tỉnh yêu cầu các sở …": the body that asks is not the lead; the bodies asked are.

    Returns a match ending where the asked bodies begin (used like a "Giao …" prefix).
    """
    if not found or regex.sub(r"[\s\-+•*(),:]|\d+[.)]|[a-zđ]\)", "", text[: found[0].start]):
        return None
    return _requester_rx().match(text, found[0].end)


def sentence_agencies(text: str, base: int) -> tuple[list[AgencyRef], list[AgencyRef]]:
    """Lead and support bodies named in a task sentence.

    Lead: bodies at the start of the sentence (after ``Giao``/``Đề nghị``…) or
    directly before ``chủ trì``.  Support: bodies after ``phối hợp (với)`` /
    ``cùng`` up to the next clause cue (``báo cáo``, ``để``, ``;`` …).  Bodies
    only reported or sent to are neither.
    """
    found = find_agencies(text)
    c = cues()
    support_rx = regex.compile(
        r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in c["support"]) + r")(?!\p{L})", regex.IGNORECASE
    )
    stop_rx = regex.compile(
        r"[;.]|(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in c["stop"]) + r")(?!\p{L})", regex.IGNORECASE
    )
    prefix_rx = regex.compile(r"^\W*(?:" + "|".join(regex.escape(w) for w in c["lead_before"]) + r")\s+")
    action_rx = regex.compile(
        r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in c["lead_after"]) + r")(?!\p{L})", regex.IGNORECASE
    )
    # Support windows.
    windows: list[tuple[int, int]] = []
    for m in support_rx.finditer(text):
        end = len(text)
        for s in stop_rx.finditer(text, m.end()):
            # A stop word inside an agency name ("Sở Văn hóa, Thể thao") is not a stop.
            if any(a.start <= s.start() < a.end for a in found):
                continue
            end = s.start()
            break
        # "phối hợp với Sở Tài chính hướng dẫn các cơ quan …", "Phối hợp hướng dẫn các cơ quan …": the bodies
        # after the next action are what the work is done on, not partners
        for v in action_rx.finditer(text, m.end(), end):
            if not text[m.end():v.start()].strip() or any(
                m.end() <= a.start and a.end <= v.start() and not text[a.end:v.start()].strip() for a in found
            ):
                end = v.start()
                break
        windows.append((m.end(), end))
    if not found:
        return [], refs(_unlisted_support(text, windows, []), base, text)
    lead: list[AgencyMatch] = []
    support: list[AgencyMatch] = []
    rq = None if prefix_rx.match(text) else _requester(text, found)
    pm = prefix_rx.match(text) or rq
    om = None if pm else _OPENER.match(text)
    lead_zone_end = len(text)
    first_verb = regex.compile(
        r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in c["lead_after"]) + r")(?!\p{L})"
    ).search(text, pm.end() if pm else (om.end() if om else 0))
    opener_lead: AgencyMatch | None = None
    if om is not None:
        # The bodies come after the opening clause: the first body preceded by a comma.
        for a in found:
            if a.start >= om.start() and regex.search(r"[,;]\s*$", text[: _opening(a)]) and not regex.search(
                r"(?<!\p{L})(?:của|cho|với|đối với|tại)\s*$", text[: _opening(a)]
            ):
                opener_lead = a
                break
    hon = _HONORIFIC.match(text)
    for a in found:
        if rq is not None and a.end <= rq.start():
            continue  # the body that asks is not the lead
        if any(ws <= a.start < we for ws, we in windows):
            support.append(a)
            continue
        # a name of a list under a plural head ("Các Bộ: Công Thương, …") stands where its head stands
        a_from = _opening(a)
        before = text[hon.end() if hon and a_from >= hon.end() else 0 : a_from]
        at_start = (
            not regex.sub(r"[\s\-+•*(),:]|\d+[.)]|[a-zđ]\)", "", before)
            or (pm is not None and a_from <= pm.end() + 1)
            or a is opener_lead
        )
        in_lead_list = bool(lead) and not regex.search(r"[;.]|(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in c["lead_after"]) + r")(?!\p{L})", text[lead[-1].end : a_from])
        before_chu_tri = regex.match(r"\s*(?:\([^)]*\)\s*)?(?:làm\s+)?chủ trì", text[a.end :]) is not None
        if (at_start or in_lead_list or before_chu_tri) and a.start < lead_zone_end:
            if first_verb is None or a.start <= first_verb.start() or before_chu_tri or in_lead_list:
                lead.append(a)
    if hon is not None and not hon.group(1) and len(lead) > 1 and all(a.kind == "role" for a in lead[-1:]):
        # "Đồng chí Ủy viên Ban Thường vụ Đảng ủy, Chủ tịch Ủy ban MTTQ xã": one person's titles;
        # the office that acts is the last one.
        lead = lead[-1:]
    lead += _directed(text, found, lead, c["lead_after"])
    support += _unlisted_support(text, windows, found)
    support.sort(key=lambda a: a.start)
    return refs(lead, base, text), refs(support, base, text)


# "Đồng chí Chủ tịch …", "Các đồng chí Phó Chủ tịch …": an honorific before the office that acts.
_HONORIFIC = task_pattern("honorific-lead")


def _directed(text: str, found: list[AgencyMatch], lead: list[AgencyMatch], verbs: tuple[str, ...]) -> list[AgencyMatch]:
    """ "Sở X chỉ đạo Chi cục Y thực hiện …": the body directed to do the work leads it too."""
    if not lead:
        return []
    act = regex.compile(r"\s*(?:" + "|".join(regex.escape(w) for w in verbs) + r")(?!\p{L})")
    out: list[AgencyMatch] = []
    for a in found:
        if a.start <= lead[-1].start or a in lead:
            continue
        if regex.fullmatch(r"\s+chỉ đạo\s+(?:các\s+)?", text[lead[-1].end : a.start]) and act.match(text, a.end):
            out.append(a)
        break
    return out


@cache
def _UNLISTED_HEAD_RX() -> regex.Pattern[str]:  # noqa: N802 - a cached constant
    words = cues().get("unlisted_body_head", ())
    return regex.compile(r"(?:" + "|".join(regex.escape(w) for w in words) + r")(?!\p{L})", regex.IGNORECASE)


def _unlisted_support(text: str, windows: list[tuple[int, int]], found: list[AgencyMatch]) -> list[AgencyMatch]:
    """Bodies after "phối hợp với" that the gazetteer does not know ("các ngành", "địa phương",
    "doanh nghiệp"): the noun phrase up to the next action, kept as unknown bodies."""
    out: list[AgencyMatch] = []
    action = regex.compile(
        r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in cues()["lead_after"]) + r")(?!\p{L})", regex.IGNORECASE
    )
    for ws, we in windows:
        if any(ws <= a.start < we for a in found):
            continue
        am = action.search(text, ws, we)
        end = am.start() if am else we
        phrase = text[ws:end]
        for m in regex.finditer(r"[^,;]+", phrase):
            for part in regex.split(r"\s+và\s+", m.group()):
                piece = part.strip(" .:()-")
                if not piece or len(piece) > 60 or len(piece.split()) > 8 or not _UNLISTED_HEAD_RX().match(piece):
                    continue
                start = ws + m.start() + m.group().find(part) + part.find(piece)
                kind = "group" if regex.match(r"(?i)các\s", piece) else "agency"
                out.append(AgencyMatch(start=start, end=start + len(piece), text=piece,
                                       name=piece[:1].upper() + piece[1:], kind=kind, known=False, entry_id=None))
    return out


def first_deadline(text: str, base: int, ctx: DeadlineContext) -> tuple[Deadline | None, int]:
    """The deadline of a sentence: the first dated reading, else the first real one.

    An adverbial "thường xuyên" often comes before the real due date
    ("thường xuyên … báo cáo trước ngày 15/12"), so dated readings win.  A
    period right after a passive participle dates the noun it qualifies, not
    the task ("các nhiệm vụ được giao trong năm 2025"): it is no reading.
    """
    found = [d for d in find_deadlines(text, ctx) if d.kind != "none" and not _qualifier_period(text, d)]
    for d in found:
        if d.date is not None:
            return d, base
    return (found[0], base) if found else (None, base)


# "được giao", "được xử lý": a passive participle (one or two syllables) right before a reading.
_PARTICIPLE = regex.compile(r"(?<!\p{L})được(?:\s+\p{Ll}+){1,2}\s+$")


def _qualifier_period(text: str, d: Deadline) -> bool:
    return d.kind in ("year", "month", "quarter") and _PARTICIPLE.search(text, 0, d.start_offset) is not None


def cell_deadline(text: str, base: int, ctx: DeadlineContext) -> tuple[Deadline | None, int]:
    if not text.strip() or regex.fullmatch(r"[\s\-–—]*", text):
        return None, base
    d = parse_deadline_cell(text, ctx)
    return d, base


def stable_id(anchor: str, text: str, used: set[str]) -> str:
    """A short id from the task's place and words; collisions get a suffix."""
    key = anchor + "\x1f" + regex.sub(r"\s+", " ", text.casefold())[:120]
    base = "t-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    tid = base
    n = 2
    while tid in used:
        tid = f"{base}-{n}"
        n += 1
    used.add(tid)
    return tid
