"""Attendee lists: tables ``STT | Đơn vị | Số lượng … Tổng cộng`` and counted attendance lists in prose.

An attendee table is recognised by a unit column (``Đơn vị``, ``Thành phần``)
next to a count column (``Số lượng``); its ``Tổng cộng`` (= grand total) row
is the stated total, the sum of the other rows the computed one.  A prose
attendance list (``Thành phần tham dự …:`` and its bullets) counts only when
its members carry counts (``Lãnh đạo Sở Nội vụ: 02 người``) or it states a
total (``Tổng số lượng đại biểu dự kiến là 163 người``); a per-unit quota
(``02 người/cơ quan, đơn vị``) is no count.  A prose list that states the
same total as a table is the same list, annotated once (the table's).

The same attendance blocks, read as *groups* (who attends, in person or
online, where), are what :mod:`.events` attaches to a meeting.  Words and
headers are data in ``patterns/attendees.jsonl``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from ..rules import load_jsonl
from ..segment.sections import SectionNode, flatten, match_marker
from ..text.document import Document, Table, TCell

__all__ = ["AttendeeCandidate", "Group", "RowCandidate", "attendance_groups", "find_attendee_lists", "mode_of"]

_MARKER = regex.compile(r"^\s*(?:[-+•–*]\s*|\d+(?:\.\d+)*[.)]\s*|[a-zđ]\)\s*|[IVX]+\.\s*)")


@dataclass
class RowCandidate:
    index: str | None
    unit: str
    count: int | None
    start: int
    end: int


@dataclass
class AttendeeCandidate:
    title: str | None
    rows: list[RowCandidate]
    stated_total: int | None
    computed_total: int | None
    start: int
    end: int
    total_span: tuple[int, int] | None = None


@dataclass
class Group:
    """One attendance block: its heading, mode (in person / online), venue and members."""

    label: str
    mode: str | None
    venue: str | None
    members: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    stated_total: int | None = None
    total_span: tuple[int, int] | None = None
    rows: list[RowCandidate] = field(default_factory=list)  # every member, with its count when it has one


@dataclass(frozen=True)
class _Data:
    columns: tuple[tuple[str, str], ...]
    total_row: tuple[regex.Pattern[str], ...]
    stated_total: tuple[regex.Pattern[str], ...]
    row_count: tuple[regex.Pattern[str], ...]
    composition: tuple[regex.Pattern[str], ...]
    modes: tuple[tuple[regex.Pattern[str], str], ...]


@cache
def _data() -> _Data:
    cols: list[tuple[str, str]] = []
    pats: dict[str, list[regex.Pattern[str]]] = {}
    modes: list[tuple[regex.Pattern[str], str]] = []
    for e in load_jsonl("attendees.jsonl"):
        if e["kind"] == "column":
            cols += [(h, e["role"]) for h in e["headers"]]
        elif e["kind"] == "mode":
            modes += [(regex.compile(p, regex.IGNORECASE), e["mode"]) for p in e["patterns"]]
            continue
        for p in e.get("patterns", []):
            pats.setdefault(e["kind"], []).append(regex.compile(p, regex.IGNORECASE))
    return _Data(
        columns=tuple(sorted(cols, key=lambda c: -len(c[0]))),
        total_row=tuple(pats.get("total_row", [])),
        stated_total=tuple(pats.get("stated_total", [])),
        row_count=tuple(pats.get("row_count", [])),
        composition=tuple(pats.get("composition", [])),
        modes=tuple(modes),
    )


def mode_of(text: str) -> str | None:
    """``in_person``, ``online`` or ``hybrid`` from the attendance words of ``text`` (None when it names none)."""
    found = {mode for rx, mode in _data().modes if rx.search(text)}
    if {"in_person", "online"} <= found:
        return "hybrid"
    return next(iter(found)) if found else None


def _role(header: str) -> str | None:
    """Exact header synonyms only: ``Số lượng mẫu/lần`` (samples) is no head count."""
    h = regex.sub(r"\s*\((?:người|đại biểu|đồng chí)\)\s*", " ", header.casefold())
    h = regex.sub(r"\s+", " ", h).strip(" :.")
    return next((role for word, role in _data().columns if h == word), None)


def _int(text: str) -> int | None:
    m = regex.fullmatch(r"\s*(\d{1,5})\s*(?:người|đại biểu)?\s*", text)
    return int(m.group(1)) if m else None


def _span(doc: Document, cells: tuple[TCell, ...]) -> tuple[int, int]:
    filled = [c for c in cells if doc.cell_text(c).strip()]
    if not filled:
        return cells[0].start, cells[0].start
    s, e = filled[0].start, filled[-1].end
    while e > s and doc.text[e - 1].isspace():
        e -= 1
    return s, e


def _title(doc: Document, table: Table) -> str | None:
    """The caption lines right above a table (``DANH SÁCH, SỐ LƯỢNG ĐẠI BIỂU`` + its second line)."""
    before = [ln for ln in doc.lines if ln.end <= table.start and ln.table is None]
    picked: list[str] = []
    for ln in reversed(before[-4:]):
        text = doc.line_text(ln).strip()
        if not text or len(text) > 200 or text.endswith("./.") or match_marker(text) is not None:
            break
        picked.insert(0, text)
        if text.isupper():
            break
    if not picked or not any(t.isupper() for t in picked):
        return None
    return regex.sub(r"\s+", " ", " ".join(picked)).strip()


def _table_list(doc: Document, table: Table) -> AttendeeCandidate | None:
    if not table.rows:
        return None
    roles = [_role(doc.cell_text(c)) for c in table.rows[0].cells]
    if "unit" not in roles or "count" not in roles:
        return None
    col = {r: i for i, r in reversed(list(enumerate(roles))) if r is not None}
    rows: list[RowCandidate] = []
    stated: int | None = None
    total_span: tuple[int, int] | None = None
    for row in table.rows[1:]:
        cells = row.cells

        def text(role: str, cells: tuple[TCell, ...] = cells) -> str:
            i = col.get(role)
            return doc.cell_text(cells[i]) if i is not None and i < len(cells) else ""

        unit = regex.sub(r"\s+", " ", text("unit")).strip()
        count = _int(text("count"))
        label = unit or text("index")
        if any(rx.match(label) for rx in _data().total_row):
            stated = count
            total_span = _span(doc, cells)
            continue
        if not unit:
            continue
        s, e = _span(doc, cells)
        rows.append(RowCandidate(text("index").strip() or None, unit, count, s, e))
    counts = [r.count for r in rows if r.count is not None]
    if not counts or len(counts) < 0.6 * len(rows):
        return None  # "Đơn vị | Số lượng" of a bill of quantities (công, 0,05 …) is no head count
    start, end = _span(doc, table.rows[0].cells)[0], (total_span or (rows[-1].start, rows[-1].end))[1]
    return AttendeeCandidate(_title(doc, table), rows, stated, sum(counts) if counts else None, start, end, total_span)


def _venue(label: str) -> str | None:
    m = regex.search(r"(?<!\p{L})tại\s+(?P<v>[^:;]+?)\s*(?:\((?P<p>[^)]*)\))?\s*:?\s*$", label, flags=regex.IGNORECASE)
    if not m:
        return None
    v = m.group("v").strip(" .,")
    return v or None


def _trim(doc: Document, s: int, e: int) -> tuple[int, int]:
    while s < e and doc.text[s].isspace():
        s += 1
    while e > s and doc.text[e - 1].isspace():
        e -= 1
    return s, e


def _items(doc: Document, g: SectionNode) -> list[tuple[str, int, int]]:
    """The member lines of a block (or the ``;``-separated list after ``Thành phần:`` on its own line)."""
    items: list[tuple[str, int, int]] = []
    lines = [ln for ln in doc.lines if g.start < ln.start < g.end and ln.table is None]
    inline = regex.match(r"^[^:]{0,60}:\s*(?P<rest>\S.*)$", g.title)
    if inline and not lines:
        base = g.title_start + inline.start("rest")
        for m in regex.finditer(r"[^;]+", inline.group("rest")):
            s, e = _trim(doc, base + m.start(), base + m.end())
            items.append((doc.text[s:e], s, e))
    for ln in lines:
        text = doc.line_text(ln)
        mk = _MARKER.match(text)
        s, e = _trim(doc, ln.start + (mk.end() if mk else 0), ln.end)
        items.append((doc.text[s:e], s, e))
    return items


def _read_members(group: Group, items: list[tuple[str, int, int]]) -> None:
    """Members (with their counts) and a stated total of a block."""
    d = _data()
    for text, s, e in items:
        total = next((tm for rx in d.stated_total if (tm := rx.search(text)) is not None), None)
        if total is not None:
            group.stated_total = int(total.group("n"))
            group.total_span = (s + total.start(), s + total.end())
            text = text[:total.start()].rstrip(" (")  # a total line joined to the last member
            if not regex.search(r"\p{L}", text):
                continue
        clean = text.rstrip(" .;")
        group.members.append(clean)
        count = next((cm for rx in d.row_count if (cm := rx.search(text)) is not None), None)
        group.rows.append(RowCandidate(None, clean, int(count.group("n")) if count else None, s, e))


def attendance_groups(doc: Document, roots: list[SectionNode], body_start: int) -> list[Group]:
    """Attendance blocks (``Thành phần tham dự …``) with their members, mode and venue, in text order."""
    d = _data()
    flat = flatten(roots)
    heads = [n for n in flat if not n.kind.startswith("bullet")]
    body = doc.lines[body_start].start if body_start < len(doc.lines) else len(doc.text)
    groups: list[Group] = []
    taken: list[tuple[int, int]] = []
    for n in heads:
        if n.start < body or any(s <= n.start < e for s, e in taken):
            continue
        title = n.title
        if not any(rx.match(title) for rx in d.composition):
            continue
        subs = [c for c in n.children if not c.kind.startswith("bullet")] or [n]
        for g in subs:
            label = title if g is n else f"{title.rstrip(': ')}: {g.title}"
            group = Group(label.strip(" :"), mode_of(label) or mode_of(title), _venue(label), [],
                          *_trim(doc, g.start, g.end))
            _read_members(group, _items(doc, g))
            groups.append(group)
        taken.append((n.start, n.end))
    return groups


def find_attendee_lists(doc: Document, roots: list[SectionNode], body_start: int) -> list[AttendeeCandidate]:
    """Attendee tables and counted prose lists of a document, in text order.

    Args:
        doc: The normalised document.
        roots: Its section tree.
        body_start: Index of the first body line.

    Returns:
        The lists; a prose list with the same stated total as a table is left out.
    """
    tables = [a for t in doc.tables if (a := _table_list(doc, t)) is not None]
    totals = {a.stated_total for a in tables if a.stated_total is not None}
    prose: list[AttendeeCandidate] = []
    for g in attendance_groups(doc, roots, body_start):
        counts = [r.count for r in g.rows if r.count is not None]
        if not counts and g.stated_total is None:
            continue
        if g.stated_total is not None and g.stated_total in totals:
            continue
        # The rows add up only when every member is counted.
        computed = sum(counts) if counts and len(counts) == len(g.rows) else None
        prose.append(AttendeeCandidate(g.label, g.rows, g.stated_total, computed, g.start, g.end, g.total_span))
    return sorted(tables + prose, key=lambda a: a.start)
