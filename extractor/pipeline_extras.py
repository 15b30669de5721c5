"""Targets, attendee lists and events of one document, as contract models.

:func:`extract_extras` is the one call :func:`extractor.pipeline.process_source`
makes for these three field families; it is pure like the rest of the
pipeline.  Ids are stable: a hash of where an item sits and its own words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import regex

from .extract.attendees import find_attendee_lists
from .extract.events import find_events
from .extract.targets import find_targets
from .extract.task_common import AgencyRef
from .model import (
    Agency,
    AttendanceGroup,
    AttendeeList,
    AttendeeRow,
    Event,
    Span,
    TableRow,
    Target,
    TargetValue,
    Warning,
)
from .segment.header import HeaderInfo
from .segment.sections import SectionNode, flatten, section_at
from .text.document import Document

__all__ = ["Extras", "extract_extras", "plan_year"]


@dataclass
class Extras:
    """The three field families and the warnings they raised."""

    targets: list[Target] = field(default_factory=list)
    attendees: list[AttendeeList] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def plan_year(head: HeaderInfo) -> int | None:
    """The year a plan is for: its subject's ``năm 2025``, or the end of its ``giai đoạn 2026 - 2030``."""
    for text in [head.subject or ""] + [p.title or "" for p in head.parts]:
        # The date of a cited document ("Chỉ thị số 27/CT-TTg ngày 15 tháng 8 năm 2024") is not the plan's year.
        text = regex.sub(r"ngày\s+\d{1,2}\s*(?:tháng\s*\d{1,2}\s*năm|/\s*\d{1,2}\s*/)\s*\d{4}", " ", text,
                         flags=regex.IGNORECASE)
        m = regex.search(r"(?:giai đoạn|đến năm)\s*(?:20\d\d\s*[-–]\s*)?(20\d\d)", text, flags=regex.IGNORECASE)
        years = regex.findall(r"(?<!\d)(20\d\d)(?!\d)", text)
        if m:
            return int(m.group(1))
        if years:
            return int(years[-1])
    return None


def _id(prefix: str, anchor: str, text: str, used: set[str]) -> str:
    key = anchor + "\x1f" + regex.sub(r"\s+", " ", text.casefold())[:120]
    base = prefix + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    out, n = base, 2
    while out in used:
        out, n = f"{base}-{n}", n + 1
    used.add(out)
    return out


def _agency(a: AgencyRef) -> Agency:
    return Agency(name=a.name, text=a.text, kind=a.kind, span=Span(start=a.start, end=a.end), known=a.known)  # type: ignore[arg-type]


def _targets(doc: Document, head: HeaderInfo, roots: list[SectionNode]) -> list[Target]:
    appendices = [(p.start, p.label, p.title or "") for p in head.parts if p.kind == "appendix"]
    flat = flatten(roots)
    used: set[str] = set()
    out: list[Target] = []
    # A cue sentence outside a goals section sets a target only in a plan (or the decision or directive that
    # carries one); notices, letters and reports state results and restate targets.
    allow_cues = head.doc_type in ("KE_HOACH", "QUYET_DINH", "CHI_THI")
    for c in find_targets(doc, roots, head.body_start, appendices, plan_year(head), allow_cues):
        sec = section_at(flat, c.start)
        anchor = f"{c.table}#{c.row}" if c.table else (sec.id if sec else "")
        out.append(Target(
            id=_id("g-", anchor, c.indicator + "\x1f" + c.value_text, used),
            indicator=c.indicator,
            value=TargetValue(text=c.value_text, number=c.number, unit=c.unit, comparator=c.comparator),
            year=c.year,
            monitor=[_agency(a) for a in c.monitor],
            implementers=[_agency(a) for a in c.implementers],
            section=sec.id if sec else None,
            table_row=TableRow(table=c.table, row=c.row or "") if c.table else None,
            span=Span(start=c.start, end=c.end),
            page=doc.page_at(c.start),
        ))
    return out


def _attendees(doc: Document, head: HeaderInfo, roots: list[SectionNode]) -> tuple[list[AttendeeList], list[Warning]]:
    lists: list[AttendeeList] = []
    warnings: list[Warning] = []
    for a in find_attendee_lists(doc, roots, head.body_start):
        rows = [AttendeeRow(index=r.index, unit=r.unit, count=r.count, span=Span(start=r.start, end=r.end),
                            page=doc.page_at(r.start)) for r in a.rows]
        lists.append(AttendeeList(title=a.title, rows=rows, stated_total=a.stated_total,
                                  computed_total=a.computed_total, span=Span(start=a.start, end=a.end)))
        if a.stated_total is not None and a.computed_total is not None and a.stated_total != a.computed_total:
            s, e = a.total_span or (a.start, a.end)
            warnings.append(Warning(
                code="TOTAL_MISMATCH",
                message=f"attendee list {a.title or ''!r}: stated total {a.stated_total} "
                        f"but the rows add up to {a.computed_total}",
                span=Span(start=s, end=e),
            ))
    return lists, warnings


def _events(doc: Document, head: HeaderInfo, roots: list[SectionNode], lists: list[AttendeeList]) -> list[Event]:
    totals = [a.stated_total for a in lists if a.stated_total is not None]
    found = find_events(doc, head, roots)
    if len(found) != 1:
        totals = []  # whose attendees a stated total counts is clear only for a document's one meeting
    out: list[Event] = []
    for e in found:
        out.append(Event(
            title=e.title, start=e.start_date, end=e.end_date, time_of_day=e.time_of_day, venue=e.venue,
            mode=e.mode, chair=e.chair, capacity=e.capacity,  # type: ignore[arg-type]
            expected_attendees=e.expected if e.expected is not None else (totals[0] if len(totals) == 1 else None),
            groups=[AttendanceGroup(label=g.label, mode=g.mode, venue=g.venue, members=g.members,  # type: ignore[arg-type]
                                    span=Span(start=g.start, end=g.end)) for g in e.groups],
            span=Span(start=e.start, end=e.end), page=doc.page_at(e.start),
        ))
    return out


def extract_extras(doc: Document, head: HeaderInfo, roots: list[SectionNode]) -> Extras:
    """Targets, attendee lists (with ``TOTAL_MISMATCH`` warnings) and scheduled events of a document."""
    attendees, warnings = _attendees(doc, head, roots)
    return Extras(
        targets=_targets(doc, head, roots),
        attendees=attendees,
        events=_events(doc, head, roots, attendees),
        warnings=warnings,
    )
